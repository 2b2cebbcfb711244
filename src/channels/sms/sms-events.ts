// Visible SMS events in a ticket's thread (opt-out, a text not sent or not delivered, media
// that could not be fetched); rendered by views/partials/thread-event-sms.hbs.
import type { Db } from '../../db/client.ts';
import { insertMessage, type Message } from '../../store/messages.ts';

export type SmsEvent =
  | { what: 'opted_out' | 'opted_in'; phone: string; word: string }
  | { what: 'not_sent'; phone: string | null; reason: 'opted_out' | 'no_phone' }
  | { what: 'failed'; phone: string; error: string; code: number | null }
  | { what: 'shortened'; parts: number; url: string }
  | { what: 'media_failed'; problems: string[] };

export function insertSmsEvent(db: Db, ticketId: number, event: SmsEvent, now: number): Message {
  return insertMessage(db, {
    ticketId, kind: 'event', direction: 'internal', channel: 'sms', eventType: 'sms', eventData: { ...event }, bodyText: '', createdAt: now,
  });
}
