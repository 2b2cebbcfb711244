// Who gets a ticket: the least-loaded available agent of a component (open work weighted by its
// estimate) or the next one in turn. Pure: the loads come in, a user id (or null) comes out.

/** Planned effort assumed for an open ticket that has no estimate. */
export const DEFAULT_ESTIMATE_MINUTES = 60;

export type AgentLoad = {
  userId: number;
  /** false when the agent marked themselves away */
  available: boolean;
  active: boolean;
  /** open tickets assigned to the agent */
  openTickets: number;
  /** the sum of those tickets' estimates (DEFAULT_ESTIMATE_MINUTES for tickets without one) */
  openMinutes: number;
};

function eligible(agents: AgentLoad[]): AgentLoad[] {
  return agents.filter((a) => a.available && a.active);
}

/** The available agent with the least open work; ties go to fewer tickets, then the lower id. */
export function pickLeastLoaded(agents: AgentLoad[]): number | null {
  const best = eligible(agents).sort(
    (a, b) => a.openMinutes - b.openMinutes || a.openTickets - b.openTickets || a.userId - b.userId,
  )[0];
  return best?.userId ?? null;
}

/** The next available agent after the one who got the last ticket, in id order, wrapping around. */
export function pickRoundRobin(agents: AgentLoad[], lastAssignedUserId: number | null): number | null {
  const ids = eligible(agents).map((a) => a.userId).sort((a, b) => a - b);
  if (ids.length === 0) return null;
  if (lastAssignedUserId === null) return ids[0];
  return ids.find((id) => id > lastAssignedUserId) ?? ids[0];
}

export type AutoAssignMode = 'off' | 'least_loaded' | 'round_robin';

export function pickAssignee(mode: AutoAssignMode, agents: AgentLoad[], lastAssignedUserId: number | null): number | null {
  if (mode === 'least_loaded') return pickLeastLoaded(agents);
  if (mode === 'round_robin') return pickRoundRobin(agents, lastAssignedUserId);
  return null;
}
