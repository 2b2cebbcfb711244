// Queries of the SMS channel: threading by phone, opt-out state, delivery status of texts.
import { and, desc, eq, gte, isNotNull, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { contactPhones, messages, tickets } from '../db/schema.ts';
import type { Message } from './messages.ts';
import { findRow } from './rows.ts';
import { CLOSED_STATUSES, type Ticket } from './tickets.ts';

/** The requester's most recent open SMS ticket that was active since `since`. */
export async function findRecentOpenSmsTicket(db: Db, contactId: number, since: number): Promise<Pick<Ticket, 'id' | 'number'> | undefined> {
  return await db
    .select({ id: tickets.id, number: tickets.number })
    .from(tickets)
    .where(
      and(
        eq(tickets.requesterId, contactId),
        eq(tickets.channel, 'sms'),
        notInArray(tickets.status, CLOSED_STATUSES),
        gte(tickets.lastActivityAt, since),
        sql`${tickets.mergedIntoId} is null`,
      ),
    )
    .orderBy(desc(tickets.lastActivityAt), desc(tickets.id))
    .limit(1)
    .get();
}

/** Records STOP (a time) or START (null) for a number. */
export async function updatePhoneOptOut(db: Db, phone: string, optedOutAt: number | null): Promise<void> {
  await db.update(contactPhones).set({ smsOptedOutAt: optedOutAt }).where(eq(contactPhones.phone, phone)).run();
}

/** The last text we sent on a ticket (the console shows its delivery status). */
export async function findLastOutgoingSms(db: Db, ticketId: number): Promise<Message | undefined> {
  return await findRow(db, messages, "where ticket_id = ? and channel = 'sms' and direction = 'out' and delivery_status is not null order by id desc limit 1", ticketId);
}

export type DeliveryStatus = NonNullable<Message['deliveryStatus']>;

// Callbacks arrive out of order (a late "sent" after "delivered"): a status never moves back.
const RANK: Record<DeliveryStatus, number> = { queued: 0, sent: 1, delivered: 2, failed: 2, skipped: 2 };

/**
 * Moves a message's delivery status forward (never back) and records the provider's id.
 * Returns true when the status changed.
 */
export async function advanceDeliveryStatus(db: Db, messageId: number, status: DeliveryStatus, externalId?: string): Promise<boolean> {
  const m = await db.select({ s: messages.deliveryStatus, e: messages.externalId }).from(messages).where(eq(messages.id, messageId)).get();
  if (!m) return false;
  const patch: Partial<Message> = {};
  if (externalId && m.e !== externalId) patch.externalId = externalId;
  const changed = m.s === null || RANK[status] > RANK[m.s];
  if (changed) patch.deliveryStatus = status;
  if (Object.keys(patch).length) await db.update(messages).set(patch).where(eq(messages.id, messageId)).run();
  return changed;
}

export async function findMessageByExternalId(db: Db, externalId: string): Promise<Message | undefined> {
  return await db.select().from(messages).where(eq(messages.externalId, externalId)).limit(1).get();
}

/** The number the requester last texted from on this ticket. */
export async function findLastInboundSmsFrom(db: Db, ticketId: number): Promise<string | undefined> {
  return (await db
    .select({ from: messages.fromAddress })
    .from(messages)
    .where(and(eq(messages.ticketId, ticketId), eq(messages.channel, 'sms'), eq(messages.direction, 'in'), isNotNull(messages.fromAddress)))
    .orderBy(desc(messages.id))
    .limit(1)
    .get())?.from ?? undefined;
}
