// Which tickets a person may change. Admins and managers may change any ticket; an agent may
// change the tickets assigned to them, unassigned ones (taking or triaging them) and those of the
// components they manage. Replies, internal notes, worklogs and escalation stay open to every
// agent: working on a colleague's ticket must not require taking it.
import type { Role } from './vocabulary.ts';
import { can } from './permissions.ts';

export const TICKET_ACTIONS = ['assign', 'status', 'fields', 'link', 'merge', 'reply', 'note', 'worklog', 'escalate'] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

/** Actions any agent may take on any ticket they can see. */
export const OPEN_TO_EVERY_AGENT: readonly TicketAction[] = ['reply', 'note', 'worklog', 'escalate'];

export type RightsUser = { id: number; role: Role };
export type RightsTicket = { assigneeId: number | null; componentManagerId: number | null };

/** Why a change is allowed; null when it is not. */
export type RightsGround = 'role' | 'open_to_every_agent' | 'assignee' | 'unassigned' | 'component_manager';

export function ticketRightsGround(user: RightsUser, ticket: RightsTicket, action: TicketAction): RightsGround | null {
  if (can(user.role, 'ticket.change_any')) return 'role';
  if (OPEN_TO_EVERY_AGENT.includes(action)) return 'open_to_every_agent';
  if (ticket.assigneeId === user.id) return 'assignee';
  if (ticket.assigneeId === null) return 'unassigned';
  if (ticket.componentManagerId === user.id) return 'component_manager';
  return null;
}

export function mayChangeTicket(user: RightsUser, ticket: RightsTicket, action: TicketAction): boolean {
  return ticketRightsGround(user, ticket, action) !== null;
}
