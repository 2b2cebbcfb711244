import { describe, expect, it } from 'vitest';
import type { Role } from './vocabulary.ts';
import { TICKET_ACTIONS, mayChangeTicket, ticketRightsGround, type RightsGround, type TicketAction } from './ticket-rights.ts';

const ME = 7;
const OTHER = 8;
type Case = [role: Role, assignee: number | null, componentManager: number | null, action: TicketAction, ground: RightsGround | null];

const CHANGES: TicketAction[] = ['assign', 'status', 'fields', 'link', 'merge'];
const OPEN: TicketAction[] = ['reply', 'note', 'worklog', 'escalate'];

const table: Case[] = [
  // admins and managers: any ticket, whoever holds it
  ...(['admin', 'manager'] as const).flatMap((role) =>
    [ME, OTHER, null].flatMap((assignee) => TICKET_ACTIONS.map((a): Case => [role, assignee, null, a, 'role']))),
  // an agent on their own ticket
  ...CHANGES.map((a): Case => ['agent', ME, null, a, 'assignee']),
  // an agent on an unassigned ticket: taking or triaging it
  ...CHANGES.map((a): Case => ['agent', null, OTHER, a, 'unassigned']),
  // an agent on a colleague's ticket in a component they manage
  ...CHANGES.map((a): Case => ['agent', OTHER, ME, a, 'component_manager']),
  // an agent on a colleague's ticket: refused…
  ...CHANGES.map((a): Case => ['agent', OTHER, null, a, null]),
  ...CHANGES.map((a): Case => ['agent', OTHER, 99, a, null]),
  // …except replies, notes, worklogs and escalation, open to every agent
  ...OPEN.map((a): Case => ['agent', OTHER, null, a, 'open_to_every_agent']),
  ...OPEN.map((a): Case => ['agent', ME, null, a, 'open_to_every_agent']),
];

describe('ticket rights', () => {
  it.each(table)('%s, assignee %s, component manager %s, %s → %s', (role, assigneeId, componentManagerId, action, ground) => {
    const user = { id: ME, role };
    const ticket = { assigneeId, componentManagerId };
    expect(ticketRightsGround(user, ticket, action)).toBe(ground);
    expect(mayChangeTicket(user, ticket, action)).toBe(ground !== null);
  });

  it('covers every action in the table', () => {
    expect(new Set(table.filter((c) => c[0] === 'agent').map((c) => c[3]))).toEqual(new Set(TICKET_ACTIONS));
  });
});
