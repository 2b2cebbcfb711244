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

async function otherTicket(ctx: Ctx, ticket: Ticket, otherNumber: number): Promise<Ticket> {
  const other = await findTicketByNumber(ctx.db, otherNumber);
  if (!other) throw invalid(`There is no ticket #${otherNumber}`, { number: 'Unknown ticket' });
  if (other.id === ticket.id) throw invalid('Choose another ticket', { number: 'Same ticket' });
  return other;
}

export async function linkTickets(ctx: Ctx, actor: ActorRef & { kind: 'user' }, input: { ticketId: number; otherNumber: number }): Promise<void> {
  requirePermission(actor.user, 'ticket.link');
  const now = ctx.clock.now();
  await inTransaction(ctx.db, async () => {
    const ticket = await getTicket(ctx.db, input.ticketId);
    await requireTicketRights(ctx.db, actor, ticket, 'link');
    const other = await otherTicket(ctx, ticket, input.otherNumber);
    if (await linkExists(ctx.db, ticket.id, other.id)) return;
    await insertTicketLink(ctx.db, ticket.id, other.id, 'related', now);
    await insertEvent(ctx.db, { ticketId: ticket.id, actor: auditActor(actor), type: 'ticket.linked', data: { ticketId: other.id, number: other.number } }, now);
    await insertEvent(ctx.db, { ticketId: other.id, actor: auditActor(actor), type: 'ticket.linked', data: { ticketId: ticket.id, number: ticket.number } }, now);
  });
}

export async function unlinkTickets(ctx: Ctx, actor: ActorRef & { kind: 'user' }, input: { ticketId: number; otherTicketId: number }): Promise<void> {
  requirePermission(actor.user, 'ticket.link');
  const now = ctx.clock.now();
  await inTransaction(ctx.db, async () => {
    await requireTicketRights(ctx.db, actor, await getTicket(ctx.db, input.ticketId), 'link');
    if (await deleteTicketLink(ctx.db, input.ticketId, input.otherTicketId) === 0) return;
    await insertEvent(ctx.db, { ticketId: input.ticketId, actor: auditActor(actor), type: 'ticket.unlinked', data: { ticketId: input.otherTicketId } }, now);
  });
}

async function mergeSide(db: Db, t: Ticket): Promise<MergeSide> {
  return {
    number: t.number,
    requesterId: t.requesterId,
    requesterName: t.requesterId ? ((await findContact(db, t.requesterId))?.name ?? null) : null,
    organizationId: t.organizationId,
    organizationName: t.organizationId ? ((await findOrganization(db, t.organizationId))?.name ?? null) : null,
    participants: await listParticipants(db, t.id),
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
export async function mergeTickets(ctx: Ctx, actor: ActorRef & { kind: 'user' }, input: { sourceId: number; targetNumber: number; confirm?: boolean }): Promise<Ticket> {
  requirePermission(actor.user, 'ticket.merge');
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, async () => {
    const source = await getTicket(ctx.db, input.sourceId);
    await requireTicketRights(ctx.db, actor, source, 'merge');
    const target = await otherTicket(ctx, source, input.targetNumber);
    if (source.mergedIntoId) throw new AppError('conflict', 'This ticket was already merged');
    if (target.mergedIntoId) throw invalid(`#${target.number} was itself merged; merge into the ticket it went to`, { number: 'Merged ticket' });
    const disclosures = mergeDisclosures(await mergeSide(ctx.db, source), await mergeSide(ctx.db, target));
    if (disclosures.length && input.confirm !== true) throw confirmationRequired(source, target, disclosures);
    const moved = await moveMergedWork(ctx, source, target);
    await insertTicketLink(ctx.db, source.id, target.id, 'merged', now);
    await updateTicket(ctx.db, source.id, { status: 'closed', closedAt: now, mergedIntoId: target.id, lastActivityAt: now }, now);
    await updateTicket(ctx.db, target.id, { lastActivityAt: now }, now);
    const disclosed = disclosures.map(describeDisclosure);
    await insertEvent(ctx.db, { ticketId: source.id, actor: auditActor(actor), type: 'ticket.merged_into', data: { ticketId: target.id, number: target.number, messages: moved, disclosed } }, now);
    await insertEvent(ctx.db, { ticketId: target.id, actor: auditActor(actor), type: 'ticket.merged_from', data: { ticketId: source.id, number: source.number, messages: moved, disclosed } }, now);
    await insertThreadEvent(ctx, source, actor, 'merged_into', { number: target.number }, now);
    await insertThreadEvent(ctx, target, actor, 'merged_from', { number: source.number }, now);
    const closed = await getTicket(ctx.db, source.id);
    if (source.status !== 'closed') await runHooks(ctx.hooks.ticketChanged, ctx, { type: 'status', ticket: closed, from: source.status, to: 'closed', reason: 'merged', actor });
    return await getTicket(ctx.db, target.id);
  });
}

/** Conversation, worklogs and participants move to the target; the source's requester joins its thread. */
async function moveMergedWork(ctx: Ctx, source: Ticket, target: Ticket): Promise<number> {
  const moved = await moveConversation(ctx.db, source.id, target.id);
  await moveWorklogs(ctx.db, source.id, target.id);
  await refreshLoggedMinutes(ctx.db, source.id);
  await refreshLoggedMinutes(ctx.db, target.id);
  await copyParticipants(ctx.db, source.id, target.id);
  if (source.requesterId && source.requesterId !== target.requesterId) {
    const address = (channelTraits(source.channel).addressKind === 'phone' ? (await findPrimaryPhone(ctx.db, source.requesterId))?.phone : undefined) ?? (await findPrimaryEmail(ctx.db, source.requesterId))?.email;
    if (address) await insertParticipants(ctx.db, target.id, [address]);
  }
  return moved;
}
