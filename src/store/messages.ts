import type { Db } from '../db/client.ts';
import { attachments, messages } from '../db/schema.ts';
import { findRow, insertRow, listRows, updateRows } from './rows.ts';

export type Message = typeof messages.$inferSelect;
export type MessageInsert = Omit<typeof messages.$inferInsert, 'id'>;
export type Attachment = typeof attachments.$inferSelect;

export async function insertMessage(db: Db, m: MessageInsert): Promise<Message> {
  return await insertRow(db, messages, m);
}

export async function findMessage(db: Db, id: number): Promise<Message | undefined> {
  return await findRow(db, messages, 'where id = ?', id);
}

export async function updateMessage(db: Db, id: number, patch: Partial<Omit<Message, 'id' | 'ticketId'>>): Promise<void> {
  await updateRows(db, messages, patch, 'where id = ?', id);
}

export async function listTicketMessages(db: Db, ticketId: number): Promise<Message[]> {
  return await listRows(db, messages, 'where ticket_id = ? order by id', ticketId);
}

/** The ticket that a stored Message-ID (inbound or outbound) belongs to. */
export async function findTicketIdByHeaderMessageId(db: Db, headerMessageId: string): Promise<number | undefined> {
  return (await db.value('select ticket_id from messages where header_message_id = ? limit 1', headerMessageId)) as number | undefined;
}

export async function insertAttachment(db: Db, a: Omit<typeof attachments.$inferInsert, 'id'>): Promise<Attachment> {
  return await insertRow(db, attachments, a);
}

export async function findAttachment(db: Db, id: number): Promise<Attachment | undefined> {
  return await findRow(db, attachments, 'where id = ?', id);
}

export async function listAttachmentsForMessages(db: Db, messageIds: number[]): Promise<Attachment[]> {
  if (messageIds.length === 0) return [];
  return await listRows(db, attachments, `where message_id in (${messageIds.map(() => '?').join(', ')}) order by id`, ...messageIds);
}

/** Whether anyone on the staff has ever answered a requester (by mail, SMS or the portal). */
export async function hasStaffReply(db: Db): Promise<boolean> {
  return (await db.get("select 1 as one from messages where kind = 'reply' and direction = 'out' and author_user_id is not null limit 1")) !== undefined;
}
