// What became of an outbox row, written to the row and to the ticket's thread together: automatic
// mail gets its own thread event (kind 'event', eventType 'outbox') when the worker first takes it
// (or when it is skipped), whose delivery status then follows the row; an agent reply's own message
// carries the status, and a skipped or failed reply also gets an event saying why. Call inside a
// transaction.
import type { Db } from '../db/client.ts';
import { channelTraits } from '../domain/channel-traits.ts';
import { findMessage, insertMessage, updateMessage, type Message } from '../store/messages.ts';
import { updateOutbox, type OutboxRow } from '../store/outbox.ts';
import { findTicket } from '../store/tickets.ts';
import { asReason, reasonData, reasons, type Reason } from './reasons.ts';
import type { SendResult } from './types.ts';

export const OUTBOX_EVENT = 'outbox';

type Delivery = NonNullable<Message['deliveryStatus']>;

function payloadOf(row: OutboxRow): { template?: string; audience?: string; auto?: boolean } {
  return row.payload as { template?: string; audience?: string; auto?: boolean };
}

function eventData(row: OutboxRow, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const p = payloadOf(row);
  return {
    outboxId: row.id, channel: row.channel, event: row.event, template: p.template ?? null,
    audience: p.audience ?? null, recipient: row.recipient, cc: row.cc ?? [], ...extra,
  };
}

/** A thread event for a send, on the row's ticket. */
export async function insertOutboxEvent(db: Db, row: OutboxRow, status: Delivery, now: number, extra: Record<string, unknown> = {}): Promise<Message | null> {
  if (row.ticketId === null) return null;
  const ticket = await findTicket(db, row.ticketId);
  if (!ticket) return null;
  return await insertMessage(db, {
    ticketId: ticket.id, kind: 'event', direction: 'internal', channel: ticket.channel,
    eventType: OUTBOX_EVENT, eventData: eventData(row, extra), deliveryStatus: status, bodyText: '',
    headerMessageId: null, createdAt: now,
  });
}

const isOwnEvent = (m: Message) => m.kind === 'event' && m.eventType === OUTBOX_EVENT;

/** After the row is inserted: an agent reply's own message shows it as queued. */
export async function recordQueued(db: Db, row: OutboxRow): Promise<void> {
  if (row.messageId !== null) await updateMessage(db, row.messageId, { deliveryStatus: 'queued' });
}

/**
 * When the worker first takes the row: the send appears on the ticket's thread (automatic mail
 * gets its own event), with the Message-ID it goes out with, before anything leaves. Returns the
 * row's thread message id.
 */
export async function recordClaimed(db: Db, row: OutboxRow, headerMessageId: string | null, now: number): Promise<number | null> {
  let messageId = row.messageId;
  if (messageId === null) {
    messageId = (await insertOutboxEvent(db, row, 'queued', now))?.id ?? null;
    if (messageId !== null) await updateOutbox(db, row.id, { messageId });
  }
  if (headerMessageId) {
    await updateOutbox(db, row.id, { headerMessageId });
    if (messageId !== null) await updateMessage(db, messageId, { headerMessageId });
  }
  return messageId;
}

async function setStatus(db: Db, row: OutboxRow, status: Delivery, now: number, extra: Record<string, unknown>, eventForReplies: boolean): Promise<void> {
  const m = row.messageId !== null ? await findMessage(db, row.messageId) : undefined;
  if (m && isOwnEvent(m)) {
    await updateMessage(db, m.id, { deliveryStatus: status, eventData: { ...(m.eventData ?? {}), ...extra } });
    return;
  }
  if (m) {
    const patch: Partial<Message> = { deliveryStatus: status };
    if (channelTraits(row.channel).providerIdOnMessage && typeof extra.providerId === 'string') patch.externalId = extra.providerId;
    await updateMessage(db, m.id, patch);
  }
  if (eventForReplies || !m) await insertOutboxEvent(db, row, status, now, { ...extra, messageId: m?.id ?? null });
}

export async function recordSkipped(db: Db, row: OutboxRow, reason: Reason | string, now: number): Promise<void> {
  await updateOutbox(db, row.id, { status: 'skipped', lastError: asReason(reason).text, nextAttemptAt: now });
  await setStatus(db, row, 'skipped', now, reasonData(reason), true);
}

export async function recordSent(db: Db, row: OutboxRow, result: SendResult, now: number): Promise<void> {
  await updateOutbox(db, row.id, { status: 'sent', sentAt: now, providerId: result.providerId, lastError: null });
  const extra: Record<string, unknown> = { providerId: result.providerId };
  if (result.rejected?.length) extra.rejected = result.rejected;
  await setStatus(db, row, 'sent', now, extra, !!result.rejected?.length);
}

export async function recordDead(db: Db, row: OutboxRow, error: Reason | string, now: number): Promise<void> {
  await updateOutbox(db, row.id, { status: 'dead', lastError: asReason(error).text, nextAttemptAt: now });
  await setStatus(db, row, 'failed', now, reasonData(error), true);
}

/** A retry from the outbox page: the row is due again with a fresh set of attempts. */
export async function recordRequeued(db: Db, row: OutboxRow, by: string, now: number): Promise<void> {
  await updateOutbox(db, row.id, { status: 'pending', attempts: 0, nextAttemptAt: now });
  await setStatus(db, row, 'queued', now, { reason: null, reasonKey: null, reasonParams: {}, retriedBy: by }, false);
}

export async function recordDiscarded(db: Db, row: OutboxRow, by: string, now: number): Promise<void> {
  const reason = reasons.discarded(by);
  await updateOutbox(db, row.id, { status: 'discarded', lastError: row.lastError ? `${row.lastError} (${reason.text})` : reason.text, nextAttemptAt: now });
  await setStatus(db, row, 'skipped', now, reasonData(reason), true);
}

/** A send the rules decided against before queueing anything (an auto-reply is never answered…). */
export async function recordNotSent(
  db: Db,
  ticket: { id: number; channel: Message['channel'] },
  what: { event: string; recipient: string | null; audience: 'requester' | 'agent'; reason: Reason },
  now: number,
): Promise<Message> {
  return await insertMessage(db, {
    ticketId: ticket.id, kind: 'event', direction: 'internal', channel: ticket.channel, eventType: OUTBOX_EVENT,
    eventData: { outboxId: null, channel: 'email', event: what.event, audience: what.audience, recipient: what.recipient, cc: [], ...reasonData(what.reason) },
    deliveryStatus: 'skipped', bodyText: '', createdAt: now,
  });
}

