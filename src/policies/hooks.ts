// The workflow's hooks on ticket changes (src/actions/context.ts) and on intake (apply):
// refuse a move the role may not make or that lacks required fields, keep the SLA clock and
// columns current, flag out-of-scope requests, watch the time budget, explain refused reopens.
import type { Ctx, TicketChangeHook, Hooks } from '../actions/context.ts';
import type { Db } from '../db/client.ts';
import type { TicketStatus } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { checkTransition, refusalMessage, type WorkflowRole } from '../domain/transitions.ts';
import type { AppliedInbound } from '../intake/apply.ts';
import { AppError } from '../domain/errors.ts';
import { getTicket, updateTicket, type Ticket } from '../store/tickets.ts';
import { getWorkflowRules } from '../store/workflow-settings.ts';
import { checkTimeBudget, updateBillableFlag } from '../actions/contract-rules.ts';
import { onFollowUpOpened } from './follow-up.ts';
import { refreshSla } from '../actions/sla-sync.ts';

const CLOSED: TicketStatus[] = ['resolved', 'closed'];
const SLA_FIELDS: (keyof Ticket)[] = ['priority', 'organizationId', 'status', 'type', 'firstRespondedAt', 'createdAt'];
const SCOPE_FIELDS: (keyof Ticket)[] = ['componentId', 'channel', 'organizationId'];

export const validateTransition: TicketChangeHook = async (tx, change) => {
  let from: TicketStatus;
  let to: TicketStatus;
  const t = change.ticket;
  if (change.type === 'status') {
    from = change.from;
    to = change.to;
  } else if (change.type === 'assigned' && change.to !== null && (t.status === 'new' || t.status === 'triaged')) {
    from = t.status; // assigning moves a new or triaged ticket to assigned
    to = 'assigned';
  } else return;
  const role: WorkflowRole = change.actor.kind === 'user' ? change.actor.user.role : 'system';
  const reason = change.type === 'status' ? change.reason?.trim() : undefined;
  const verdict = checkTransition({
    from, to, role, type: t.type, rules: await getWorkflowRules(tx),
    facts: {
      componentId: t.componentId,
      priority: t.priority,
      category: t.category,
      estimateMinutes: t.estimateMinutes,
      assigneeId: change.type === 'assigned' ? change.to : t.assigneeId,
      // the reason given when resolving is the resolution note
      resolutionNote: t.resolutionNote || (to === 'resolved' ? reason || null : null),
      loggedMinutes: t.loggedMinutes,
    },
  });
  if (!verdict.ok) {
    throw new AppError('transition_refused', refusalMessage(verdict, from, to, role), { missing: verdict.missing, from, to, refusal: verdict.reason });
  }
};

export const onTicketChanged: TicketChangeHook = async (tx, change, ctx) => {
  const now = ctx.clock.now();
  const id = change.ticket.id;
  switch (change.type) {
    case 'created':
      await refreshSla(tx, ctx.calendars, id, now);
      await updateBillableFlag(tx, id, now);
      return;
    case 'status': {
      const t = await getTicket(tx, id);
      const reason = change.reason?.trim();
      if (change.to === 'resolved' && reason && !t.resolutionNote) await updateTicket(tx, id, { resolutionNote: reason }, now);
      // reopened or sent back: no longer resolved, and the next resolution needs its own note
      if (CLOSED.includes(change.from) && !CLOSED.includes(change.to) && (t.resolutionNote || t.resolvedAt || t.closedAt)) {
        await updateTicket(tx, id, { resolutionNote: null, resolvedAt: null, closedAt: null }, now);
      }
      await refreshSla(tx, ctx.calendars, id, now);
      return;
    }
    case 'assigned':
      await refreshSla(tx, ctx.calendars, id, now);
      return;
    case 'updated':
      if (change.fields.some((f) => SLA_FIELDS.includes(f))) await refreshSla(tx, ctx.calendars, id, now);
      if (change.fields.some((f) => SCOPE_FIELDS.includes(f))) await updateBillableFlag(tx, id, now);
      return;
    case 'reply':
      await refreshSla(tx, ctx.calendars, id, now, ['agent_replied']);
      return;
    case 'worklog':
      await checkTimeBudget(tx, ctx, id, now);
      return;
    case 'note':
      return;
  }
};

/** What the intake hook keeps per desk (the action hooks find the same on ctx). */
type DeskMemos = Pick<Ctx, 'locales' | 'calendars'>;

export async function onInboundApplied(tx: Db, applied: AppliedInbound, deps: Deps, desk: DeskMemos): Promise<void> {
  const ticket = applied.ticket;
  if (!ticket) return;
  const now = deps.clock.now();
  if (applied.ticketCreated) {
    await refreshSla(tx, desk.calendars, ticket.id, now);
    await updateBillableFlag(tx, ticket.id, now);
    await onFollowUpOpened(tx, applied, deps, desk.locales);
    return;
  }
  if (applied.outcome !== 'appended') return; // auto-replies and bounces change no clock
  if (applied.draft.requester?.userId) {
    // an agent answered by mail
    if (ticket.firstRespondedAt === null) await updateTicket(tx, ticket.id, { firstRespondedAt: now }, now);
    await refreshSla(tx, desk.calendars, ticket.id, now, ['agent_replied']);
  } else {
    await refreshSla(tx, desk.calendars, ticket.id, now, ['requester_wrote']);
  }
}

/** Plugs the workflow into the action and intake hooks (called once from buildServices). */
export function registerPolicyHooks(hooks: Hooks, desk: DeskMemos): void {
  hooks.validateChange.push(validateTransition);
  hooks.ticketChanged.push(onTicketChanged);
  hooks.inboundApplied.push(async (tx, applied, deps) => await onInboundApplied(tx, applied, deps, desk));
}
