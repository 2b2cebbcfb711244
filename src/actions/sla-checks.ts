// The scheduler's use cases: announce SLA warnings and breaches that fell due (exactly once per
// ticket, target and kind — the announcement is recorded in the same transaction as its mail,
// so restarts and concurrent schedulers cannot send it twice) and close old resolved tickets.
import { inTransaction } from '../db/client.ts';
import { TICKET_TYPES } from '../db/schema.ts';
import { dueNotices, recordNotices, type Notice } from '../domain/sla-clock.ts';
import { insertEvent } from '../store/events.ts';
import { listResolvedTicketIdsBefore, listTicketIdsWithSlaDue } from '../store/sla-tickets.ts';
import { getTicket, type Ticket } from '../store/tickets.ts';
import { findUser } from '../store/users.ts';
import { getWorkflowRules } from '../store/workflow-settings.ts';
import { formatDuration, label } from '../workflow/labels.ts';
import { queueStaffNotice } from '../workflow/notices.ts';
import { noticeRecipients } from '../workflow/recipients.ts';
import { writeWorkflowState } from '../workflow/sla-sync.ts';
import { readWorkflowState } from '../workflow/state.ts';
import type { Ctx } from './context.ts';
import { changeStatus } from './tickets.ts';

const BATCH = 200;
const DAY_MS = 86_400_000;

function announce(ctx: Ctx, t: Ticket, n: Notice, now: number): number {
  const recipients = noticeRecipients(ctx.db, t, { escalate: n.kind === 'breach' });
  const assignee = t.assigneeId ? findUser(ctx.db, t.assigneeId) : undefined;
  return queueStaffNotice(ctx.db, ctx, t, recipients.map((r) => r.user), {
    template: n.kind === 'breach' ? 'sla_breach' : 'sla_warning',
    event: n.kind === 'breach' ? 'sla_breach' : 'sla_warning',
    vars: (user, fmt) => {
      const asManager = recipients.find((r) => r.user.id === user.id)?.asManager ?? false;
      return {
        target: fmt.t(`target.${n.target}`),
        targetKey: n.target,
        internal: n.internal,
        dueAt: fmt.date(n.dueAt),
        left: formatDuration(n.dueAt - now, user.locale),
        overdue: formatDuration(now - n.dueAt, user.locale),
        priority: fmt.t(`priority.${t.priority}`),
        assigneeName: assignee?.name ?? '',
        unassigned: !assignee,
        escalation: n.kind === 'breach' && asManager,
      };
    },
  }, now);
}

/** Sends the SLA notices that are due at `now`. Returns how many notices (not mails) were announced. */
export function runSlaChecks(ctx: Ctx, now: number): number {
  let announced = 0;
  const seen = new Set<number>();
  for (;;) {
    const ids = listTicketIdsWithSlaDue(ctx.db, now, BATCH).filter((id) => !seen.has(id));
    if (!ids.length) return announced;
    for (const id of ids) {
      seen.add(id);
      try {
        announced += inTransaction(ctx.db, () => {
          const t = getTicket(ctx.db, id);
          const state = readWorkflowState(t);
          const notices = state.clock ? dueNotices(state.clock, now) : [];
          for (const n of notices) {
            announce(ctx, t, n, now);
            insertEvent(ctx.db, { ticketId: t.id, actor: { kind: 'system' }, type: `sla.${n.kind}`, data: { target: n.target, cycle: n.cycle, dueAt: n.dueAt, internal: n.internal } }, now);
          }
          writeWorkflowState(ctx.db, t, { ...state, clock: state.clock ? recordNotices(state.clock, notices) : null }, now);
          return notices.length;
        });
      } catch (err) {
        ctx.log.error({ err, ticketId: id }, 'SLA check failed for a ticket; it is retried on the next run');
      }
    }
  }
}

/** Closes resolved tickets whose type's auto-close period has passed. Returns how many were closed. */
export function autoCloseResolved(ctx: Ctx, now: number): number {
  const rules = getWorkflowRules(ctx.db);
  let closed = 0;
  for (const type of TICKET_TYPES) {
    const days = rules[type].autoCloseDays;
    if (!days) continue;
    const failed = new Set<number>();
    for (;;) {
      const ids = listResolvedTicketIdsBefore(ctx.db, type, now - days * DAY_MS, BATCH).filter((id) => !failed.has(id));
      if (!ids.length) break;
      for (const id of ids) {
        try {
          const t = changeStatus(ctx, { kind: 'system' }, { ticketId: id, status: 'closed', reason: label(ctx.config.defaultLocale, 'autoClose.reason', { days }) });
          if (t.status === 'closed') closed++;
        } catch (err) {
          failed.add(id);
          ctx.log.error({ err, ticketId: id }, 'auto-close failed for a ticket');
        }
      }
    }
  }
  return closed;
}
