// The clients each account signed in from, for the lock-out (domain/sign-in-throttle.ts): a lock
// on the account does not refuse them.
import type { Db } from '../db/client.ts';

export async function recordKnownClient(db: Db, c: { email: string; ip: string; at: number }): Promise<void> {
  await db.run('insert into sign_in_known_clients (email, ip, last_at) values (?, ?, ?) on conflict (email, ip) do update set last_at = excluded.last_at', c.email, c.ip, c.at);
}

/** Whether the account signed in from this client at or after `since`. */
export async function isKnownClient(db: Db, q: { email: string; ip: string; since: number }): Promise<boolean> {
  return await db.get('select 1 from sign_in_known_clients where email = ? and ip = ? and last_at >= ?', q.email, q.ip, q.since) !== undefined;
}

export async function deleteKnownClientsBefore(db: Db, before: number): Promise<number> {
  return (await db.run('delete from sign_in_known_clients where last_at < ?', before)).changes;
}
