import type { Db } from '../db/client.ts';
import { attachments, messages } from '../db/schema.ts';
import { findRow, insertRow, listRows, updateRows } from './rows.ts';

export type Message = typeof messages.$inferSelect;
export type MessageInsert = Omit<typeof messages.$inferInsert, 'id'>;
export type Attachment = typeof attachments.$inferSelect;

export function insertMessage(db: Db, m: MessageInsert): Message {
  return insertRow(db, messages, m);
}

export function findMessage(db: Db, id: number): Message | undefined {
  return findRow(db, messages, 'where id = ?', id);
}

export function updateMessage(db: Db, id: number, patch: Partial<Omit<Message, 'id' | 'ticketId'>>): void {
  updateRows(db, messages, patch, 'where id = ?', id);
}

export function listTicketMessages(db: Db, ticketId: number): Message[] {
  return listRows(db, messages, 'where ticket_id = ? order by id', ticketId);
}

/** The ticket that a stored Message-ID (inbound or outbound) belongs to. */
export function findTicketIdByHeaderMessageId(db: Db, headerMessageId: string): number | undefined {
  return db.$client.prepare('select ticket_id from messages where header_message_id = ? limit 1').pluck().get(headerMessageId) as number | undefined;
}

export function insertAttachment(db: Db, a: Omit<typeof attachments.$inferInsert, 'id'>): Attachment {
  return insertRow(db, attachments, a);
}

export function findAttachment(db: Db, id: number): Attachment | undefined {
  return findRow(db, attachments, 'where id = ?', id);
}

export function listAttachmentsForMessages(db: Db, messageIds: number[]): Attachment[] {
  if (messageIds.length === 0) return [];
  return listRows(db, attachments, `where message_id in (${messageIds.map(() => '?').join(', ')}) order by id`, ...messageIds);
}
