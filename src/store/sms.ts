// Queries of the SMS channel: threading by phone, opt-out state, delivery status of texts.
import { and, desc, eq, gte, isNotNull, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { contactPhones, messages, tickets } from '../db/schema.ts';
import type { Message } from './messages.ts';
import { findRow } from './rows.ts';
import { CLOSED_STATUSES, type Ticket } from './tickets.ts';

/** The requester's most recent open SMS ticket that was active since `since`. */
export function findRecentOpenSmsTicket(db: Db, contactId: number, since: number): Pick<Ticket, 'id' | 'number'> | undefined {
  return db
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
export function updatePhoneOptOut(db: Db, phone: string, optedOutAt: number | null): void {
  db.update(contactPhones).set({ smsOptedOutAt: optedOutAt }).where(eq(contactPhones.phone, phone)).run();
}

/** The last text we sent on a ticket (the console shows its delivery status). */
export function findLastOutgoingSms(db: Db, ticketId: number): Message | undefined {
  return findRow(db, messages, "where ticket_id = ? and channel = 'sms' and direction = 'out' and delivery_status is not null order by id desc limit 1", ticketId);
}

export type DeliveryStatus = NonNullable<Message['deliveryStatus']>;

// Callbacks arrive out of order (a late "sent" after "delivered"): a status never moves back.
const RANK: Record<DeliveryStatus, number> = { queued: 0, sent: 1, delivered: 2, failed: 2, skipped: 2 };

/**
 * Moves a message's delivery status forward (never back) and records the provider's id.
 * Returns true when the status changed.
 */
export function advanceDeliveryStatus(db: Db, messageId: number, status: DeliveryStatus, externalId?: string): boolean {
  const m = db.select({ s: messages.deliveryStatus, e: messages.externalId }).from(messages).where(eq(messages.id, messageId)).get();
  if (!m) return false;
  const patch: Partial<Message> = {};
  if (externalId && m.e !== externalId) patch.externalId = externalId;
  const changed = m.s === null || RANK[status] > RANK[m.s];
  if (changed) patch.deliveryStatus = status;
  if (Object.keys(patch).length) db.update(messages).set(patch).where(eq(messages.id, messageId)).run();
  return changed;
}

export function findMessageByExternalId(db: Db, externalId: string): Message | undefined {
  return db.select().from(messages).where(eq(messages.externalId, externalId)).limit(1).get();
}

/** The number the requester last texted from on this ticket. */
export function findLastInboundSmsFrom(db: Db, ticketId: number): string | undefined {
  return db
    .select({ from: messages.fromAddress })
    .from(messages)
    .where(and(eq(messages.ticketId, ticketId), eq(messages.channel, 'sms'), eq(messages.direction, 'in'), isNotNull(messages.fromAddress)))
    .orderBy(desc(messages.id))
    .limit(1)
    .get()?.from ?? undefined;
}
