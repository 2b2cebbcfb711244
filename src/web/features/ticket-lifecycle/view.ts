// What the ticket page's workflow sidebar (partial ticket-sla) shows: each SLA target's state,
// the complaint, the contract's view of the ticket (billable, time budget, reopens) and what is
// still missing to resolve.
import type { Ctx } from '../../../actions/context.ts';
import { checkScope } from '../../../domain/contract.ts';
import { portalUrl } from '../../../domain/portal-link.ts';
import { describeTargets } from '../../../domain/sla-clock.ts';
import { missingFields } from '../../../domain/transitions.ts';
import { findContact } from '../../../store/contacts.ts';
import { findOrganization, type Organization } from '../../../store/organizations.ts';
import { findSlaPolicy } from '../../../store/sla-policies.ts';
import { findTicket, listTicketLinks, type Ticket, type TicketLinkRef } from '../../../store/tickets.ts';
import { findUser } from '../../../store/users.ts';
import { getWorkflowRules } from '../../../store/workflow-settings.ts';
import { contractOf } from '../../../store/contract-of.ts';
import { readWorkflowState } from '../../../store/workflow-state.ts';

/** What the ticket page has read already (the ticket's organisation and links), so that it is not read again. */
export type KnownOfTicket = {
  organization: Organization | undefined;
  links: TicketLinkRef[];
};

export async function ticketWorkflowView(ctx: Ctx, t: Ticket, known?: KnownOfTicket) {
  const now = ctx.clock.now();
  const state = readWorkflowState(t);
  const targets = describeTargets(state.clock, now);
  const policy = state.clock?.policyId ? await findSlaPolicy(ctx.db, state.clock.policyId) : undefined;
  const org = known ? known.organization : t.organizationId ? await findOrganization(ctx.db, t.organizationId) : undefined;
  const contract = contractOf(org);
  const logged = t.loggedMinutes;
  const open = t.status !== 'resolved' && t.status !== 'closed';
  const toResolve = open
    ? missingFields(await getWorkflowRules(ctx.db), t.type, t.status, 'resolved', {
        componentId: t.componentId, priority: t.priority, category: t.category, estimateMinutes: t.estimateMinutes,
        assigneeId: t.assigneeId, resolutionNote: t.resolutionNote, loggedMinutes: logged,
      }).filter((f) => f !== 'resolution_note')
    : [];
  const c = state.complaint;
  const complaint = c && {
    open: c.handledAt === null,
    at: c.at,
    byRequester: c.by === 'requester',
    byName: c.by === 'agent' ? (c.byUserId ? (await findUser(ctx.db, c.byUserId))?.name : '') : t.requesterId ? (await findContact(ctx.db, t.requesterId))?.name : '',
    reason: c.reason,
    dueAt: state.clock?.targets.escalation?.metAt === null ? state.clock.targets.escalation.dueAt : null,
    handledAt: c.handledAt,
    handledBy: c.handledByUserId ? (await findUser(ctx.db, c.handledByUserId))?.name : null,
  };
  const links = (await Promise.all((known?.links ?? await listTicketLinks(ctx.db, t.id))
    .filter((l) => l.kind === 'follow_up')
    .map(async (l) => ({ number: (await findTicket(ctx.db, l.ticketId))?.number, followUpOf: l.direction === 'to' }))))
    .filter((l) => l.number !== undefined);
  return {
    hasSla: targets.length > 0,
    policyName: policy?.name ?? null,
    paused: t.slaPausedAt !== null,
    pausedAt: t.slaPausedAt,
    contractTargets: targets.filter((x) => !x.internal),
    internalTargets: targets.filter((x) => x.internal),
    open,
    resolved: t.status === 'resolved',
    toResolve,
    resolutionNote: t.resolutionNote,
    satisfaction: t.satisfactionRating !== null || t.satisfactionComment !== null ? { rating: t.satisfactionRating, comment: t.satisfactionComment } : null,
    complaint,
    billable: t.billable,
    billableManual: state.billableManual,
    scopeReasons: org ? checkScope(contract, t).reasons : [],
    organization: org ? { id: org.id, name: org.name } : null,
    budget: contract.ticketTimeBudgetMinutes !== null ? { budget: contract.ticketTimeBudgetMinutes, logged, over: logged > contract.ticketTimeBudgetMinutes } : null,
    reopenCount: t.reopenCount,
    reopenLimit: contract.reopenLimit,
    followUps: links,
    portalUrl: portalUrl(ctx.config.publicUrl, ctx.secrets.token, t, now),
  };
}
