// Small readers for SMS tests: what the database holds after webhooks and sends.
import { asc, eq, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../src/db/client.ts';
import { expect } from 'vitest';
import { attachments, contactPhones, inboundMessages, messages, outbox, webhookInbox, tickets } from '../../src/db/schema.ts';

export const countRows = async (db: Db, table: SQLiteTable) => (await db.select({ n: sql<number>`count(*)` }).from(table).get())!.n;

export const allTickets = async (db: Db) => await db.select().from(tickets).orderBy(asc(tickets.id)).all();
export const allInbound = async (db: Db) => await db.select().from(inboundMessages).orderBy(asc(inboundMessages.id)).all();
export const allOutbox = async (db: Db) => await db.select().from(outbox).orderBy(asc(outbox.id)).all();
export const ticketMessages = async (db: Db, ticketId: number) => await db.select().from(messages).where(eq(messages.ticketId, ticketId)).orderBy(asc(messages.id)).all();
export const phoneRow = async (db: Db, phone: string) => await db.select().from(contactPhones).where(eq(contactPhones.phone, phone)).get();
export const messageAttachments = async (db: Db, messageId: number) => await db.select().from(attachments).where(eq(attachments.messageId, messageId)).all();

/** A valid 1×1 PNG. */
export const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** Waits until every accepted webhook message has been through intake. */
export async function smsSettled(db: Db): Promise<void> {
  await expect.poll(async () => await countRows(db, webhookInbox), { timeout: 20_000, interval: 20 }).toBe(0);
}
