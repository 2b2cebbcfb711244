// The ticket-rights rule (domain/ticket-rights.ts) as the actions apply it: every action that
// assigns, changes the status or fields of, links or merges a ticket asks here first, so the
// console, the API and bulk changes obey one rule. Actions run by the desk itself are not limited.
import type { Db } from '../db/client.ts';
import { mayChangeTicket, type RightsTicket, type TicketAction } from '../domain/ticket-rights.ts';
import { findComponent } from '../store/components.ts';
import { AppError } from '../domain/errors.ts';
import type { Ticket } from '../store/tickets.ts';
import { findUser, type User } from '../store/users.ts';
import type { ActorRef } from './context.ts';

async function rightsTicket(db: Db, ticket: Ticket): Promise<RightsTicket> {
  const componentManagerId = ticket.componentId ? ((await findComponent(db, ticket.componentId))?.managerId ?? null) : null;
  return { assigneeId: ticket.assigneeId, componentManagerId };
}

/** What the user may do on this ticket, each action answered without reading again (the console's controls). */
export async function userRightsOn(db: Db, user: User, ticket: Ticket): Promise<(action: TicketAction) => boolean> {
  const rt = await rightsTicket(db, ticket);
  return (action) => mayChangeTicket(user, rt, action);
}

/** Whether the user may take the action on this ticket (the console hides what they may not). */
export async function userMayChange(db: Db, user: User, ticket: Ticket, action: TicketAction = 'status'): Promise<boolean> {
  return mayChangeTicket(user, await rightsTicket(db, ticket), action);
}

export async function notYourTicket(db: Db, ticket: Ticket): Promise<AppError> {
  const assignee = ticket.assigneeId ? ((await findUser(db, ticket.assigneeId))?.name ?? `#${ticket.assigneeId}`) : '';
  return new AppError(
    'not_your_ticket',
    `This ticket is assigned to ${assignee}: only they, a manager or the manager of its component may change it; ` +
      'you can still reply, add a note, log time or escalate.',
    { ticket: ticket.number, assignee },
  );
}

/** Throws not_your_ticket (403) when the actor may not take the action on the ticket. */
export async function requireTicketRights(db: Db, actor: ActorRef, ticket: Ticket, action: TicketAction): Promise<void> {
  if (actor.kind !== 'user') return;
  if (!await userMayChange(db, actor.user, ticket, action)) throw await notYourTicket(db, ticket);
}
