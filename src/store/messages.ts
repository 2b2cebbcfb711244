import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { attachments, messages } from '../db/schema.ts';

export type Message = typeof messages.$inferSelect;
export type MessageInsert = Omit<typeof messages.$inferInsert, 'id'>;
export type Attachment = typeof attachments.$inferSelect;

export function insertMessage(db: Db, m: MessageInsert): Message {
  return db.insert(messages).values(m).returning().get();
}

export function findMessage(db: Db, id: number): Message | undefined {
  return db.select().from(messages).where(eq(messages.id, id)).get();
}

export function updateMessage(db: Db, id: number, patch: Partial<Omit<Message, 'id' | 'ticketId'>>): void {
  db.update(messages).set(patch).where(eq(messages.id, id)).run();
}

export function listTicketMessages(db: Db, ticketId: number): Message[] {
  return db.select().from(messages).where(eq(messages.ticketId, ticketId)).orderBy(asc(messages.id)).all();
}

/** The ticket that a stored Message-ID (inbound or outbound) belongs to. */
export function findTicketIdByHeaderMessageId(db: Db, headerMessageId: string): number | undefined {
  return db
    .select({ t: messages.ticketId })
    .from(messages)
    .where(eq(messages.headerMessageId, headerMessageId))
    .limit(1)
    .get()?.t;
}

export function insertAttachment(db: Db, a: Omit<typeof attachments.$inferInsert, 'id'>): Attachment {
  return db.insert(attachments).values(a).returning().get();
}

export function findAttachment(db: Db, id: number): Attachment | undefined {
  return db.select().from(attachments).where(eq(attachments.id, id)).get();
}

export function listAttachmentsForMessages(db: Db, messageIds: number[]): Attachment[] {
  if (messageIds.length === 0) return [];
  return db.select().from(attachments).where(inArray(attachments.messageId, messageIds)).orderBy(asc(attachments.id)).all();
}
