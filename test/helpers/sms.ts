// Small readers for SMS tests: what the database holds after webhooks and sends.
import { asc, eq, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../src/db/client.ts';
import { expect } from 'vitest';
import { attachments, contactPhones, inboundMessages, messages, outbox, webhookInbox, tickets } from '../../src/db/schema.ts';

export const countRows = (db: Db, table: SQLiteTable) => db.select({ n: sql<number>`count(*)` }).from(table).get()!.n;

export const allTickets = (db: Db) => db.select().from(tickets).orderBy(asc(tickets.id)).all();
export const allInbound = (db: Db) => db.select().from(inboundMessages).orderBy(asc(inboundMessages.id)).all();
export const allOutbox = (db: Db) => db.select().from(outbox).orderBy(asc(outbox.id)).all();
export const ticketMessages = (db: Db, ticketId: number) => db.select().from(messages).where(eq(messages.ticketId, ticketId)).orderBy(asc(messages.id)).all();
export const phoneRow = (db: Db, phone: string) => db.select().from(contactPhones).where(eq(contactPhones.phone, phone)).get();
export const messageAttachments = (db: Db, messageId: number) => db.select().from(attachments).where(eq(attachments.messageId, messageId)).all();

/** A valid 1×1 PNG. */
export const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** Waits until every accepted webhook message has been through intake. */
export async function smsSettled(db: Db): Promise<void> {
  await expect.poll(() => countRows(db, webhookInbox), { timeout: 20_000, interval: 20 }).toBe(0);
}
