// Related tickets and merging. Merging moves the source's conversation (replies, notes,
// attachments) and worklogs to the target, keeps the source's requester in the loop as a
// participant, closes the source and links the two, in one transaction — once confirmed when
// that shows conversations to new people (domain/merge-disclosure.ts).
import { inTransaction, type Db } from '../db/client.ts';
import { channelTraits } from '../domain/channel-traits.ts';
import { describeDisclosure, mergeDisclosures, type Disclosure, type MergeSide } from '../domain/merge-disclosure.ts';
import { findContact, findPrimaryEmail, findPrimaryPhone } from '../store/contacts.ts';
import { findOrganization } from '../store/organizations.ts';
import { AppError, invalid } from '../domain/errors.ts';
import { insertEvent } from '../store/events.ts';
import { copyParticipants, deleteTicketLink, linkExists, moveConversation } from '../store/ticket-links.ts';
import { findTicketByNumber, getTicket, insertParticipants, insertTicketLink, listParticipants, updateTicket, type Ticket } from '../store/tickets.ts';
import { moveWorklogs, refreshLoggedMinutes } from '../store/worklogs.ts';
import { runHooks, type ActorRef, type Ctx } from './context.ts';
import { auditActor, insertThreadEvent, requirePermission } from './tickets.ts';
import { requireTicketRights } from './ticket-rights.ts';

function otherTicket(ctx: Ctx, ticket: Ticket, otherNumber: number): Ticket {
  const other = findTicketByNumber(ctx.db, otherNumber);
  if (!other) throw invalid(`There is no ticket #${otherNumber}`, { number: 'Unknown ticket' });
  if (other.id === ticket.id) throw invalid('Choose another ticket', { number: 'Same ticket' });
  return other;
}

export function linkTickets(ctx: Ctx, actor: ActorRef & { kind: 'user' }, input: { ticketId: number; otherNumber: number }): void {
  requirePermission(actor.user, 'ticket.link');
  const now = ctx.clock.now();
  inTransaction(ctx.db, () => {
    const ticket = getTicket(ctx.db, input.ticketId);
    requireTicketRights(ctx.db, actor, ticket, 'link');
    const other = otherTicket(ctx, ticket, input.otherNumber);
    if (linkExists(ctx.db, ticket.id, other.id)) return;
    insertTicketLink(ctx.db, ticket.id, other.id, 'related', now);
    insertEvent(ctx.db, { ticketId: ticket.id, actor: auditActor(actor), type: 'ticket.linked', data: { ticketId: other.id, number: other.number } }, now);
    insertEvent(ctx.db, { ticketId: other.id, actor: auditActor(actor), type: 'ticket.linked', data: { ticketId: ticket.id, number: ticket.number } }, now);
  });
}

export function unlinkTickets(ctx: Ctx, actor: ActorRef & { kind: 'user' }, input: { ticketId: number; otherTicketId: number }): void {
  requirePermission(actor.user, 'ticket.link');
  const now = ctx.clock.now();
  inTransaction(ctx.db, () => {
    requireTicketRights(ctx.db, actor, getTicket(ctx.db, input.ticketId), 'link');
    if (deleteTicketLink(ctx.db, input.ticketId, input.otherTicketId) === 0) return;
    insertEvent(ctx.db, { ticketId: input.ticketId, actor: auditActor(actor), type: 'ticket.unlinked', data: { ticketId: input.otherTicketId } }, now);
  });
}

function mergeSide(db: Db, t: Ticket): MergeSide {
  return {
    number: t.number,
    requesterId: t.requesterId,
    requesterName: t.requesterId ? (findContact(db, t.requesterId)?.name ?? null) : null,
    organizationId: t.organizationId,
    organizationName: t.organizationId ? (findOrganization(db, t.organizationId)?.name ?? null) : null,
    participants: listParticipants(db, t.id),
  };
}

/** The refusal a merge that shows conversations to new people gets until it is confirmed (409). */
function confirmationRequired(source: Ticket, target: Ticket, disclosures: Disclosure[]): AppError {
  const lines = disclosures.map(describeDisclosure);
  return new AppError(
    'confirmation_required',
    `Merging #${source.number} into #${target.number} shows conversations to people who have not seen them: ${lines.join('; ')}. ` +
      'Confirm the merge (API: send it again with "confirm": true).',
    { who_sees_what: lines, disclosures, source: source.number, target: target.number },
  );
}

/**
 * Merges the source ticket into the target. The source's close is not put to the workflow's
 * validateChange hooks (a duplicate must be mergeable whatever it lacks), but ticketChanged
 * hooks see it as a status change with reason 'merged'. The actor needs rights on the source (it
 * is closed and emptied); the target only receives. When the tickets belong to different
 * requesters or organisations, nothing happens until the merge is confirmed.
 */
export function mergeTickets(ctx: Ctx, actor: ActorRef & { kind: 'user' }, input: { sourceId: number; targetNumber: number; confirm?: boolean }): Ticket {
  requirePermission(actor.user, 'ticket.merge');
  const now = ctx.clock.now();
  return inTransaction(ctx.db, () => {
    const source = getTicket(ctx.db, input.sourceId);
    requireTicketRights(ctx.db, actor, source, 'merge');
    const target = otherTicket(ctx, source, input.targetNumber);
    if (source.mergedIntoId) throw new AppError('conflict', 'This ticket was already merged');
    if (target.mergedIntoId) throw invalid(`#${target.number} was itself merged; merge into the ticket it went to`, { number: 'Merged ticket' });
    const disclosures = mergeDisclosures(mergeSide(ctx.db, source), mergeSide(ctx.db, target));
    if (disclosures.length && input.confirm !== true) throw confirmationRequired(source, target, disclosures);
    const moved = moveMergedWork(ctx, source, target);
    insertTicketLink(ctx.db, source.id, target.id, 'merged', now);
    updateTicket(ctx.db, source.id, { status: 'closed', closedAt: now, mergedIntoId: target.id, lastActivityAt: now }, now);
    updateTicket(ctx.db, target.id, { lastActivityAt: now }, now);
    const disclosed = disclosures.map(describeDisclosure);
    insertEvent(ctx.db, { ticketId: source.id, actor: auditActor(actor), type: 'ticket.merged_into', data: { ticketId: target.id, number: target.number, messages: moved, disclosed } }, now);
    insertEvent(ctx.db, { ticketId: target.id, actor: auditActor(actor), type: 'ticket.merged_from', data: { ticketId: source.id, number: source.number, messages: moved, disclosed } }, now);
    insertThreadEvent(ctx, source, actor, 'merged_into', { number: target.number }, now);
    insertThreadEvent(ctx, target, actor, 'merged_from', { number: source.number }, now);
    const closed = getTicket(ctx.db, source.id);
    if (source.status !== 'closed') runHooks(ctx.hooks.ticketChanged, ctx, { type: 'status', ticket: closed, from: source.status, to: 'closed', reason: 'merged', actor });
    return getTicket(ctx.db, target.id);
  });
}

/** Conversation, worklogs and participants move to the target; the source's requester joins its thread. */
function moveMergedWork(ctx: Ctx, source: Ticket, target: Ticket): number {
  const moved = moveConversation(ctx.db, source.id, target.id);
  moveWorklogs(ctx.db, source.id, target.id);
  refreshLoggedMinutes(ctx.db, source.id);
  refreshLoggedMinutes(ctx.db, target.id);
  copyParticipants(ctx.db, source.id, target.id);
  if (source.requesterId && source.requesterId !== target.requesterId) {
    const address = (channelTraits(source.channel).addressKind === 'phone' ? findPrimaryPhone(ctx.db, source.requesterId)?.phone : undefined) ?? findPrimaryEmail(ctx.db, source.requesterId)?.email;
    if (address) insertParticipants(ctx.db, target.id, [address]);
  }
  return moved;
}
