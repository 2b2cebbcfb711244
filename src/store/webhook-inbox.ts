// The webhook inbox table (accepted webhook messages waiting for intake), one channel's rows at a
// time. The webhook writes here on every request, so the statements are prepared once per database
// and channel instead of built per query. The table is still called sms_inbox (src/db/schema.ts).
import type { Db } from '../db/client.ts';
import type { Channel } from '../domain/vocabulary.ts';

export type WebhookInboxRow = {
  id: number;
  /** the channel's message id, or raw-<sha256> of the message without one; unique per channel */
  key: string;
  /** whose messages go through intake in order (a phone number); null: no order to keep */
  sender: string | null;
  raw: string;
  hasMedia: boolean;
  receivedAt: number;
  attempts: number;
};

export type WebhookInboxCandidate = { id: number; sender: string | null; hasMedia: boolean };

export type WebhookInboxStore = {
  /** true when a message with this intake dedupe key is already stored */
  alreadyReceived(dedupeKey: string): boolean;
  /** false when a message with the same key is already waiting */
  insert(row: Omit<WebhookInboxRow, 'id' | 'attempts'>, dueAt: number): boolean;
  listDue(now: number, limit: number): WebhookInboxCandidate[];
  /** the earliest time a waiting row is due, if any */
  nextDueAt(): number | undefined;
  get(id: number): WebhookInboxRow | undefined;
  remove(id: number): void;
  retryLater(id: number, attempts: number, at: number, error: string): void;
  count(): number;
};

export function webhookInboxStore(db: Db, channel: Channel): WebhookInboxStore {
  const c = db.$client;
  const exists = c.prepare('select 1 from inbound_messages where dedupe_key = ?').pluck();
  const insert = c.prepare(
    `insert into sms_inbox (channel, message_sid, from_address, raw, has_media, received_at, attempts, next_attempt_at)
     values (?, ?, ?, ?, ?, ?, 0, ?) on conflict (channel, message_sid) do nothing`,
  );
  const due = c.prepare('select id, from_address, has_media from sms_inbox where channel = ? and next_attempt_at <= ? order by id limit ?');
  const next = c.prepare('select min(next_attempt_at) from sms_inbox where channel = ?').pluck();
  const get = c.prepare('select id, message_sid, from_address, raw, has_media, received_at, attempts from sms_inbox where id = ? and channel = ?');
  const remove = c.prepare('delete from sms_inbox where id = ?');
  const retry = c.prepare('update sms_inbox set attempts = ?, next_attempt_at = ?, last_error = ? where id = ?');
  const count = c.prepare('select count(*) from sms_inbox where channel = ?').pluck();
  return {
    alreadyReceived: (key) => exists.get(key) !== undefined,
    insert: (r, dueAt) => insert.run(channel, r.key, r.sender, r.raw, r.hasMedia ? 1 : 0, r.receivedAt, dueAt).changes === 1,
    listDue: (now, limit) =>
      (due.all(channel, now, limit) as { id: number; from_address: string | null; has_media: number }[]).map((r) => ({
        id: r.id, sender: r.from_address, hasMedia: r.has_media === 1,
      })),
    nextDueAt: () => (next.get(channel) as number | null) ?? undefined,
    get(id) {
      const r = get.get(id, channel) as
        | { id: number; message_sid: string; from_address: string | null; raw: string; has_media: number; received_at: number; attempts: number }
        | undefined;
      return r && { id: r.id, key: r.message_sid, sender: r.from_address, raw: r.raw, hasMedia: r.has_media === 1, receivedAt: r.received_at, attempts: r.attempts };
    },
    remove: (id) => void remove.run(id),
    retryLater: (id, attempts, at, error) => void retry.run(attempts, at, error.slice(0, 1000), id),
    count: () => count.get(channel) as number,
  };
}
