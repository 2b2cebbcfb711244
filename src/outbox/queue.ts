// The one way to queue outbound mail and SMS. Call inside the transaction of the change that
// causes the send, so the row commits (or not) with it.
import type { Db } from '../db/client.ts';
import { insertOutbox, type OutboxRow } from '../store/outbox.ts';
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

export function queueEmail(tx: Db, input: QueueInput<EmailPayload>, now: number): OutboxRow {
  return insertOutbox(tx, {
    channel: 'email', event: input.event, ticketId: input.ticketId, messageId: input.messageId ?? null,
    recipient: input.recipient.trim().toLowerCase(), cc: input.cc?.length ? input.cc : null, payload: input.payload,
  }, now);
}

export function queueSms(tx: Db, input: QueueInput<SmsPayload>, now: number): OutboxRow {
  return insertOutbox(tx, {
    channel: 'sms', event: input.event, ticketId: input.ticketId, messageId: input.messageId ?? null,
    recipient: input.recipient, cc: null, payload: input.payload,
  }, now);
}
