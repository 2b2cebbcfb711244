// Visible SMS events in a ticket's thread (opt-out, a text not sent or not delivered, media
// that could not be fetched); rendered by views/partials/thread-event-sms.hbs.
import type { Db } from '../../db/client.ts';
import { insertMessage, type Message } from '../../store/messages.ts';

export type SmsEvent =
  | { what: 'opted_out' | 'opted_in'; phone: string; word: string }
  | { what: 'not_sent'; phone: string | null; reason: 'opted_out' | 'no_phone' }
  | { what: 'failed'; phone: string; error: string; code: number | null; known?: boolean }
  | { what: 'shortened'; parts: number; url: string }

// Twilio error codes people meet most; the console explains these in their language
// (sms.errors.<code>), others show Twilio's own message.
const EXPLAINED = new Set([21211, 21408, 21610, 21614, 30003, 30004, 30005, 30006, 30007, 30008, 30034]);

export async function insertSmsEvent(db: Db, ticketId: number, event: SmsEvent, now: number): Promise<Message> {
  const data = event.what === 'failed' ? { ...event, known: event.code !== null && EXPLAINED.has(event.code) } : { ...event };
  return await insertMessage(db, {
    ticketId, kind: 'event', direction: 'internal', channel: 'sms', eventType: 'sms', eventData: data, bodyText: '', createdAt: now,
  });
}
