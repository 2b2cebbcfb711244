// The scheduler's use cases: announce SLA warnings and breaches that fell due (exactly once per
// ticket, target and kind — the announcement is recorded in the same transaction as its mail,
// so restarts and concurrent schedulers cannot send it twice) and close old resolved tickets.
import { inTransaction } from '../db/client.ts';
import { TICKET_TYPES } from '../db/schema.ts';
import { dueNotices, recordNotices, type Notice } from '../domain/sla-clock.ts';
import { insertEvent } from '../store/events.ts';
import { listResolvedTicketIdsBefore, listTicketsWithSlaDue, type SlaDueCursor } from '../store/sla-tickets.ts';
import { getTicket, type Ticket } from '../store/tickets.ts';
import { findUser } from '../store/users.ts';
import { getWorkflowRules } from '../store/workflow-settings.ts';
import { formatDuration, label } from '../i18n/labels.ts';
import { queueStaffNotice } from './staff-notices.ts';
import { noticeRecipients } from '../store/notice-recipients.ts';
import { writeWorkflowState } from './sla-sync.ts';
import { readWorkflowState } from '../store/workflow-state.ts';
import type { Ctx } from './context.ts';
import { changeStatus } from './tickets.ts';

const BATCH = 200;
const DAY_MS = 86_400_000;

/** How many tickets each query reads (tests page with small batches). */
export type SlaCheckOptions = { batch?: number };

async function announce(ctx: Ctx, t: Ticket, n: Notice, now: number): Promise<number> {
  const recipients = await noticeRecipients(ctx.db, t, { escalate: n.kind === 'breach' });
  const assignee = t.assigneeId ? await findUser(ctx.db, t.assigneeId) : undefined;
  return await queueStaffNotice(ctx.db, ctx, t, recipients.map((r) => r.user), {
    template: n.kind === 'breach' ? 'sla_breach' : 'sla_warning',
    event: n.kind === 'breach' ? 'sla_breach' : 'sla_warning',
    vars: (user, fmt) => {
      const asManager = recipients.find((r) => r.user.id === user.id)?.asManager ?? false;
      return {
        target: fmt.t(`target.${n.target}`),
        targetKey: n.target,
        internal: n.internal,
        dueAt: fmt.date(n.dueAt),
        left: formatDuration(ctx.locales, n.dueAt - now, user.locale),
        overdue: formatDuration(ctx.locales, now - n.dueAt, user.locale),
        priority: fmt.t(`priority.${t.priority}`),
        assigneeName: assignee?.name ?? '',
        unassigned: !assignee,
        escalation: n.kind === 'breach' && asManager,
      };
    },
  }, now);
}

/**
 * Sends the SLA notices that are due at `now`. Returns how many notices (not mails) were announced.
 * Reads the due tickets page by page with a (due time, id) cursor: a ticket whose check fails keeps
 * its due time, and without the cursor a front page of such tickets would hide every ticket behind it.
 */
export async function runSlaChecks(ctx: Ctx, now: number, opts: SlaCheckOptions = {}): Promise<number> {
  const batch = opts.batch ?? BATCH;
  let announced = 0;
  let after: SlaDueCursor | undefined;
  for (;;) {
    const page = await listTicketsWithSlaDue(ctx.db, now, batch, after);
    if (!page.length) return announced;
    after = page[page.length - 1];
    for (const { id } of page) {
      try {
        announced += await inTransaction(ctx.db, async () => {
          const t = await getTicket(ctx.db, id);
          const state = readWorkflowState(t);
          const notices = state.clock ? dueNotices(state.clock, now) : [];
          for (const n of notices) {
            await announce(ctx, t, n, now);
            await insertEvent(ctx.db, { ticketId: t.id, actor: { kind: 'system' }, type: `sla.${n.kind}`, data: { target: n.target, cycle: n.cycle, dueAt: n.dueAt, internal: n.internal } }, now);
          }
          await writeWorkflowState(ctx.db, t, { ...state, clock: state.clock ? recordNotices(state.clock, notices) : null }, now);
          return notices.length;
        });
      } catch (err) {
        ctx.log.error({ err, ticketId: id }, 'SLA check failed for a ticket; it is retried on the next run');
      }
    }
  }
}

/**
 * Closes resolved tickets whose type's auto-close period has passed. Returns how many were closed.
 * Pages by id, so tickets that fail to close cannot hide the ones behind them.
 */
export async function autoCloseResolved(ctx: Ctx, now: number, opts: SlaCheckOptions = {}): Promise<number> {
  const batch = opts.batch ?? BATCH;
  const rules = await getWorkflowRules(ctx.db);
  let closed = 0;
  for (const type of TICKET_TYPES) {
    const days = rules[type].autoCloseDays;
    if (!days) continue;
    let afterId = 0;
    for (;;) {
      const ids = await listResolvedTicketIdsBefore(ctx.db, type, now - days * DAY_MS, batch, afterId);
      if (!ids.length) break;
      afterId = ids[ids.length - 1];
      for (const id of ids) {
        try {
          const t = await changeStatus(ctx, { kind: 'system' }, { ticketId: id, status: 'closed', reason: label(ctx.locales, ctx.config.defaultLocale, 'autoClose.reason', { days }) });
          if (t.status === 'closed') closed++;
        } catch (err) {
          ctx.log.error({ err, ticketId: id }, 'auto-close failed for a ticket');
        }
      }
    }
  }
  return closed;
}
