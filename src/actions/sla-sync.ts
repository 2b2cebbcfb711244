// Keeps a ticket's SLA columns in step with its clock: after every change the clock is brought
// in line with the ticket (status, priority, organisation, first response) and the due times
// the queue sorts by are stored, with the moment the scheduler must look again.
import type { Db } from '../db/client.ts';
import {
  agentReplied, escalationHandled, escalationStarted, nextCheckAt, requesterWrote, syncClock, type SlaConfig, type SlaState, type TicketSnapshot,
} from '../domain/sla-clock.ts';
import type { CompiledCalendars } from '../domain/compiled-calendars.ts';
import { getTicket, updateTicket, type Ticket } from '../store/tickets.ts';
import { loadSlaConfig } from '../store/sla-config.ts';
import { readWorkflowState, type TicketWorkflowState } from '../store/workflow-state.ts';
import { measureColumns } from '../store/sla-measures.ts';

export type ClockEvent = 'requester_wrote' | 'agent_replied' | 'escalated' | 'escalation_handled';

function snapshot(t: Ticket): TicketSnapshot {
  return { status: t.status, createdAt: t.createdAt, firstRespondedAt: t.firstRespondedAt };
}

function applyEvent(clock: SlaState, cfg: SlaConfig, t: Ticket, e: ClockEvent, now: number): SlaState {
  switch (e) {
    case 'requester_wrote':
      return requesterWrote(clock, cfg, snapshot(t), now);
    case 'agent_replied':
      return agentReplied(clock, cfg, now);
    case 'escalated':
      return escalationStarted(clock, cfg, now);
    case 'escalation_handled':
      return escalationHandled(clock, cfg, now);
  }
}

/** Stores the workflow state and the SLA columns derived from it, if anything changed. */
export async function writeWorkflowState(db: Db, ticket: Ticket, state: TicketWorkflowState, now: number): Promise<Ticket> {
  const clock = state.clock;
  const next = clock?.targets.nextResponse;
  const patch = {
    firstResponseDueAt: clock?.targets.firstResponse?.dueAt ?? null,
    resolutionDueAt: clock?.targets.resolution?.dueAt ?? null,
    nextResponseDueAt: next && next.metAt === null ? next.dueAt : null,
    slaPausedAt: clock?.pausedAt ?? null,
    slaNextEventAt: nextCheckAt(clock),
    slaState: state as unknown as Record<string, unknown>,
    ...measureColumns(clock),
  };
  const same =
    patch.firstResponseDueAt === ticket.firstResponseDueAt &&
    patch.resolutionDueAt === ticket.resolutionDueAt &&
    patch.nextResponseDueAt === ticket.nextResponseDueAt &&
    patch.slaPausedAt === ticket.slaPausedAt &&
    patch.slaNextEventAt === ticket.slaNextEventAt &&
    ticket.slaNextMet !== null &&
    JSON.stringify(patch.slaState) === JSON.stringify(ticket.slaState);
  if (same) return ticket;
  await updateTicket(db, ticket.id, patch, now);
  return { ...ticket, ...patch };
}

/**
 * Brings the ticket's clock in line with the ticket and applies the clock events of this change.
 * Call inside the change's transaction; `calendars` are the desk's (ctx.calendars).
 */
export async function refreshSla(db: Db, calendars: CompiledCalendars, ticketId: number, now: number, events: ClockEvent[] = []): Promise<Ticket> {
  const ticket = await getTicket(db, ticketId);
  const state = readWorkflowState(ticket);
  const cfg = await loadSlaConfig(db, calendars, ticket);
  let clock: SlaState | null = null;
  if (cfg) {
    clock = syncClock(state.clock, cfg, snapshot(ticket), now);
    for (const e of events) clock = applyEvent(clock, cfg, ticket, e, now);
  }
  return await writeWorkflowState(db, ticket, { ...state, clock }, now);
}
