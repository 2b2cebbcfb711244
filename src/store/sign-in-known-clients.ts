// The clients each account signed in from, for the lock-out (domain/sign-in-throttle.ts): a lock
// on the account does not refuse them.
import type { Db } from '../db/client.ts';

export function recordKnownClient(db: Db, c: { email: string; ip: string; at: number }): void {
  db.$client
    .prepare('insert into sign_in_known_clients (email, ip, last_at) values (?, ?, ?) on conflict (email, ip) do update set last_at = excluded.last_at')
    .run(c.email, c.ip, c.at);
}

/** Whether the account signed in from this client at or after `since`. */
export function isKnownClient(db: Db, q: { email: string; ip: string; since: number }): boolean {
  return db.$client.prepare('select 1 from sign_in_known_clients where email = ? and ip = ? and last_at >= ?').get(q.email, q.ip, q.since) !== undefined;
}

export function deleteKnownClientsBefore(db: Db, before: number): number {
  return db.$client.prepare('delete from sign_in_known_clients where last_at < ?').run(before).changes;
}
