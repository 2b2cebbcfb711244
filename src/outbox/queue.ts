// The one way to queue outbound mail and SMS. Call inside the transaction of the change that
// causes the send, so the row commits (or not) with it. Every send shows on its ticket's thread once
// the worker takes it (then sent, skipped or failed); an address known to be undeliverable or opted
// out is skipped at once, with the reason on the thread. The worker checks again before each attempt.
import type { Db } from '../db/client.ts';
import { insertOutbox, getOutbox, type OutboxRow } from '../store/outbox.ts';
import { recipientBlock } from './backstop.ts';
import { recordQueued, recordSkipped } from './outcomes.ts';
import type { EmailPayload, SmsPayload } from './types.ts';

export type QueueInput<P> = {
  ticketId: number | null;
  /** the thread message this send delivers (an agent reply), if any */
  messageId?: number | null;
  /** what caused it: ack, reply, status, assigned, new_in_component, sla_warning, reopen_refused… */
  event: string;
  recipient: string;
  cc?: string[];
  payload: P;
};

export async function queueEmail(tx: Db, input: QueueInput<EmailPayload>, now: number): Promise<OutboxRow> {
  const recipient = input.recipient.trim().toLowerCase();
  const cc = [...new Set((input.cc ?? []).map((a) => a.trim().toLowerCase()).filter((a) => a && a !== recipient))];
  const row = await insertOutbox(tx, {
    channel: 'email', event: input.event, ticketId: input.ticketId, messageId: input.messageId ?? null,
    recipient, cc: cc.length ? cc : null, payload: input.payload,
  }, now);
  return await settle(tx, row, now);
}

export async function queueSms(tx: Db, input: QueueInput<SmsPayload>, now: number): Promise<OutboxRow> {
  const row = await insertOutbox(tx, {
    channel: 'sms', event: input.event, ticketId: input.ticketId, messageId: input.messageId ?? null,
    recipient: input.recipient, cc: null, payload: input.payload,
  }, now);
  return await settle(tx, row, now);
}

async function settle(tx: Db, row: OutboxRow, now: number): Promise<OutboxRow> {
  await recordQueued(tx, row);
  const blocked = await recipientBlock(tx, row);
  if (!blocked) return row; // recordQueued writes the message, not the row
  await recordSkipped(tx, row, blocked, now);
  return await getOutbox(tx, row.id);
}
