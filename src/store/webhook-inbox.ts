// The webhook inbox table (accepted webhook messages waiting for intake), one channel's rows at a
// time. The table is still called sms_inbox (src/db/schema.ts).
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
  alreadyReceived(dedupeKey: string): Promise<boolean>;
  /** false when a message with the same key is already waiting */
  insert(row: Omit<WebhookInboxRow, 'id' | 'attempts'>, dueAt: number): Promise<boolean>;
  listDue(now: number, limit: number): Promise<WebhookInboxCandidate[]>;
  /** the earliest time a waiting row is due, if any */
  nextDueAt(): Promise<number | undefined>;
  get(id: number): Promise<WebhookInboxRow | undefined>;
  remove(id: number): Promise<void>;
  retryLater(id: number, attempts: number, at: number, error: string): Promise<void>;
  count(): Promise<number>;
};

type Stored = { id: number; message_sid: string; from_address: string | null; raw: string; has_media: number; received_at: number; attempts: number };

export function webhookInboxStore(db: Db, channel: Channel): WebhookInboxStore {
  return {
    alreadyReceived: async (key) => (await db.value('select 1 from inbound_messages where dedupe_key = ?', key)) !== undefined,
    insert: async (r, dueAt) =>
      (
        await db.run(
          `insert into sms_inbox (channel, message_sid, from_address, raw, has_media, received_at, attempts, next_attempt_at)
           values (?, ?, ?, ?, ?, ?, 0, ?) on conflict (channel, message_sid) do nothing`,
          channel, r.key, r.sender, r.raw, r.hasMedia ? 1 : 0, r.receivedAt, dueAt,
        )
      ).changes === 1,
    listDue: async (now, limit) =>
      (
        await db.all<{ id: number; from_address: string | null; has_media: number }>(
          'select id, from_address, has_media from sms_inbox where channel = ? and next_attempt_at <= ? order by id limit ?', channel, now, limit,
        )
      ).map((r) => ({ id: r.id, sender: r.from_address, hasMedia: r.has_media === 1 })),
    nextDueAt: async () => (await db.value<number | null>('select min(next_attempt_at) from sms_inbox where channel = ?', channel)) ?? undefined,
    async get(id) {
      const r = await db.get<Stored>('select id, message_sid, from_address, raw, has_media, received_at, attempts from sms_inbox where id = ? and channel = ?', id, channel);
      return r && { id: r.id, key: r.message_sid, sender: r.from_address, raw: r.raw, hasMedia: r.has_media === 1, receivedAt: r.received_at, attempts: r.attempts };
    },
    remove: async (id) => void (await db.run('delete from sms_inbox where id = ?', id)),
    retryLater: async (id, attempts, at, error) => void (await db.run('update sms_inbox set attempts = ?, next_attempt_at = ?, last_error = ? where id = ?', attempts, at, error.slice(0, 1000), id)),
    count: async () => (await db.value<number>('select count(*) from sms_inbox where channel = ?', channel)) ?? 0,
  };
}
