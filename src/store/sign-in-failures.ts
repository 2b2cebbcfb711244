// Refused sign-ins (wrong passwords, wrong setup codes), counted per account and per client
// address for the lock-out (domain/sign-in-throttle.ts).
import type { Db } from '../db/client.ts';

export type LockScope = 'account' | 'ip';

export type SignInLock = { scope: LockScope; key: string; failures: number; others: number; firstAt: number; lastAt: number };

export function insertSignInFailure(db: Db, f: { email: string | null; ip: string; at: number }): number {
  return Number(db.$client.prepare('insert into sign_in_failures (email, ip, at) values (?, ?, ?)').run(f.email, f.ip, f.at).lastInsertRowid);
}

export function deleteSignInFailure(db: Db, id: number): void {
  db.$client.prepare('delete from sign_in_failures where id = ?').run(id);
}

/** Failures since `since` that no admin lifted, of the account (when given) and of the address. */
export function countSignInFailures(db: Db, q: { email: string | null; ip: string; since: number }): { account: number; ip: number } {
  const ip = db.$client.prepare('select count(*) from sign_in_failures where ip = ? and at >= ? and ip_lifted = 0').pluck().get(q.ip, q.since) as number;
  const account =
    q.email === null ? 0 : (db.$client.prepare('select count(*) from sign_in_failures where email = ? and at >= ? and email_lifted = 0').pluck().get(q.email, q.since) as number);
  return { account, ip };
}

/** Lifts the lock of one account or address: its failures no longer count for it (they still count for the other). */
export function liftSignInFailures(db: Db, scope: LockScope, key: string): number {
  const sql = scope === 'account' ? 'update sign_in_failures set email_lifted = 1 where email = ? and email_lifted = 0' : 'update sign_in_failures set ip_lifted = 1 where ip = ? and ip_lifted = 0';
  return db.$client.prepare(sql).run(key).changes;
}

/** Accounts and addresses with at least `limit` failures since `since`, most recent first. */
export function listSignInLocks(db: Db, since: number, limits: { account: number; ip: number }): SignInLock[] {
  type Row = { key: string; failures: number; others: number; firstAt: number; lastAt: number };
  const accounts = db.$client
    .prepare(
      `select email as key, count(*) as failures, count(distinct ip) as others, min(at) as firstAt, max(at) as lastAt from sign_in_failures
       where email is not null and at >= ? and email_lifted = 0 group by email having count(*) >= ?`,
    )
    .all(since, limits.account) as Row[];
  const ips = db.$client
    .prepare(
      `select ip as key, count(*) as failures, count(distinct email) as others, min(at) as firstAt, max(at) as lastAt from sign_in_failures
       where at >= ? and ip_lifted = 0 group by ip having count(*) >= ?`,
    )
    .all(since, limits.ip) as Row[];
  return [...accounts.map((r) => ({ ...r, scope: 'account' as const })), ...ips.map((r) => ({ ...r, scope: 'ip' as const }))].sort((a, b) => b.lastAt - a.lastAt);
}

export function deleteSignInFailuresBefore(db: Db, before: number): number {
  return db.$client.prepare('delete from sign_in_failures where at < ?').run(before).changes;
}
