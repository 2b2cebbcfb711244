// The SMS inbox table (accepted webhooks waiting for intake). The webhook writes here on every
// request, so the statements are prepared once per database instead of built per query.
import type { Db } from '../db/client.ts';

export type SmsInboxRow = {
  id: number;
  messageSid: string;
  fromAddress: string | null;
  raw: string;
  hasMedia: boolean;
  receivedAt: number;
  attempts: number;
};

export type SmsInboxCandidate = { id: number; fromAddress: string | null; hasMedia: boolean };

export type SmsInboxStore = {
  /** true when a message with this intake dedupe key is already stored */
  alreadyReceived(dedupeKey: string): boolean;
  /** false when the same MessageSid is already waiting */
  insert(row: Omit<SmsInboxRow, 'id' | 'attempts'>, dueAt: number): boolean;
  listDue(now: number, limit: number): SmsInboxCandidate[];
  /** the earliest time a waiting row is due, if any */
  nextDueAt(): number | undefined;
  get(id: number): SmsInboxRow | undefined;
  remove(id: number): void;
  retryLater(id: number, attempts: number, at: number, error: string): void;
  count(): number;
};

export function smsInboxStore(db: Db): SmsInboxStore {
  const c = db.$client;
  const exists = c.prepare('select 1 from inbound_messages where dedupe_key = ?').pluck();
  const insert = c.prepare(
    `insert into sms_inbox (message_sid, from_address, raw, has_media, received_at, attempts, next_attempt_at)
     values (?, ?, ?, ?, ?, 0, ?) on conflict (message_sid) do nothing`,
  );
  const due = c.prepare('select id, from_address, has_media from sms_inbox where next_attempt_at <= ? order by id limit ?');
  const next = c.prepare('select min(next_attempt_at) from sms_inbox').pluck();
  const get = c.prepare('select id, message_sid, from_address, raw, has_media, received_at, attempts from sms_inbox where id = ?');
  const remove = c.prepare('delete from sms_inbox where id = ?');
  const retry = c.prepare('update sms_inbox set attempts = ?, next_attempt_at = ?, last_error = ? where id = ?');
  const count = c.prepare('select count(*) from sms_inbox').pluck();
  return {
    alreadyReceived: (key) => exists.get(key) !== undefined,
    insert: (r, dueAt) => insert.run(r.messageSid, r.fromAddress, r.raw, r.hasMedia ? 1 : 0, r.receivedAt, dueAt).changes === 1,
    listDue: (now, limit) =>
      (due.all(now, limit) as { id: number; from_address: string | null; has_media: number }[]).map((r) => ({
        id: r.id, fromAddress: r.from_address, hasMedia: r.has_media === 1,
      })),
    nextDueAt: () => (next.get() as number | null) ?? undefined,
    get(id) {
      const r = get.get(id) as
        | { id: number; message_sid: string; from_address: string | null; raw: string; has_media: number; received_at: number; attempts: number }
        | undefined;
      return r && { id: r.id, messageSid: r.message_sid, fromAddress: r.from_address, raw: r.raw, hasMedia: r.has_media === 1, receivedAt: r.received_at, attempts: r.attempts };
    },
    remove: (id) => void remove.run(id),
    retryLater: (id, attempts, at, error) => void retry.run(attempts, at, error.slice(0, 1000), id),
    count: () => count.get() as number,
  };
}
