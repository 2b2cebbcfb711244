// The workflow's per-ticket record, kept as JSON in tickets.sla_state: the SLA clock, notices
// already sent that are not SLA targets (time budget), the complaint, and whether a person
// decided the billable flag (then it is no longer computed from the contract).
import type { SlaState } from '../domain/sla-clock.ts';
import type { Ticket } from './tickets.ts';

export type Complaint = {
  at: number;
  by: 'requester' | 'agent';
  byUserId: number | null;
  reason: string;
  handledAt: number | null;
  handledByUserId: number | null;
};

export type TicketWorkflowState = {
  v: 1;
  clock: SlaState | null;
  /** notices outside the clock, e.g. "budget:exceeded" */
  fired: string[];
  billableManual: boolean;
  complaint: Complaint | null;
};

export function emptyWorkflowState(): TicketWorkflowState {
  return { v: 1, clock: null, fired: [], billableManual: false, complaint: null };
}

export function readWorkflowState(ticket: Pick<Ticket, 'slaState'>): TicketWorkflowState {
  const raw = ticket.slaState as Partial<TicketWorkflowState> | null;
  if (!raw || raw.v !== 1) return emptyWorkflowState();
  return {
    v: 1,
    clock: raw.clock && (raw.clock as SlaState).v === 1 ? (raw.clock as SlaState) : null,
    fired: Array.isArray(raw.fired) ? raw.fired : [],
    billableManual: raw.billableManual === true,
    complaint: raw.complaint ?? null,
  };
}
