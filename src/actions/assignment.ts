// Routing work to people: "assign to a free specialist" and, per component, automatic assignment
// of new tickets (least loaded or round robin) for tickets from the console, the API, mail and SMS.
import type { Db } from '../db/client.ts';
import { DEFAULT_ESTIMATE_MINUTES, pickAssignee, pickLeastLoaded } from '../domain/assignment.ts';
import type { AppliedInbound } from '../intake/apply.ts';
import { listComponentAgentLoads } from '../store/agent-loads.ts';
import { findComponent, updateComponent } from '../store/components.ts';
import { invalid } from '../domain/errors.ts';
import { getTicket, type Ticket } from '../store/tickets.ts';
import type { ActorRef, Ctx, Hooks, TicketChange } from './context.ts';
import { assignTicket, requirePermission } from './tickets.ts';
import { requireTicketRights } from './ticket-rights.ts';

/** Assigns the ticket to the least-loaded available agent of its component. */
export async function assignFreeSpecialist(ctx: Ctx, actor: ActorRef & { kind: 'user' }, input: { ticketId: number }): Promise<Ticket> {
  requirePermission(actor.user, 'ticket.assign');
  const ticket = await getTicket(ctx.db, input.ticketId);
  await requireTicketRights(ctx.db, actor, ticket, 'assign');
  if (!ticket.componentId) throw invalid('Set the component first: the specialist is chosen among its agents', { assigneeId: 'No component' });
  const component = await findComponent(ctx.db, ticket.componentId);
  const loads = await listComponentAgentLoads(ctx.db, ticket.componentId, DEFAULT_ESTIMATE_MINUTES);
  const userId = pickLeastLoaded(loads);
  if (userId === null) throw invalid(`No agent of ${component?.name ?? 'the component'} is available right now`, { assigneeId: 'Nobody available' });
  return await assignTicket(ctx, actor, { ticketId: ticket.id, assigneeId: userId });
}

/** Applies the component's automatic assignment to a new, unassigned ticket. Returns the ticket when assigned. */
export async function autoAssign(ctx: Ctx, ticketId: number): Promise<Ticket | null> {
  const ticket = await getTicket(ctx.db, ticketId);
  if (ticket.assigneeId !== null || !ticket.componentId) return null;
  const component = await findComponent(ctx.db, ticket.componentId);
  if (!component || !component.active || component.autoAssign === 'off') return null;
  const loads = await listComponentAgentLoads(ctx.db, component.id, DEFAULT_ESTIMATE_MINUTES);
  const userId = pickAssignee(component.autoAssign, loads, component.lastAssignedUserId);
  if (userId === null) return null;
  await updateComponent(ctx.db, component.id, { lastAssignedUserId: userId }, ctx.clock.now());
  return await assignTicket(ctx, { kind: 'system' }, { ticketId: ticket.id, assigneeId: userId });
}

/** Registers automatic assignment for tickets created in the console/API and by intake (mail, SMS). */
export function registerAutoAssign(hooks: Hooks, ctx: Ctx): void {
  hooks.ticketChanged.push(async (_tx: Db, change: TicketChange) => {
    if (change.type === 'created') await autoAssign(ctx, change.ticket.id);
  });
  hooks.inboundApplied.push(async (_tx: Db, applied: AppliedInbound) => {
    if (applied.ticketCreated && applied.ticket) await autoAssign(ctx, applied.ticket.id);
  });
}
