// Refused sign-ins (wrong passwords, wrong setup codes), counted per account and per client
// address for the lock-out (domain/sign-in-throttle.ts).
import type { Db } from '../db/client.ts';

export type LockScope = 'account' | 'ip';

export type SignInLock = { scope: LockScope; key: string; failures: number; others: number; firstAt: number; lastAt: number };

export async function insertSignInFailure(db: Db, f: { email: string | null; ip: string; at: number }): Promise<number> {
  return Number(await db.value('insert into sign_in_failures (email, ip, at) values (?, ?, ?) returning id', f.email, f.ip, f.at));
}

export async function deleteSignInFailure(db: Db, id: number): Promise<void> {
  await db.run('delete from sign_in_failures where id = ?', id);
}

/** Failures since `since` that no admin lifted, of the account (when given) and of the address. */
export async function countSignInFailures(db: Db, q: { email: string | null; ip: string; since: number }): Promise<{ account: number; ip: number }> {
  const ip = (await db.value('select count(*) from sign_in_failures where ip = ? and at >= ? and ip_lifted = 0', q.ip, q.since)) as number;
  const account =
    q.email === null ? 0 : ((await db.value('select count(*) from sign_in_failures where email = ? and at >= ? and email_lifted = 0', q.email, q.since)) as number);
  return { account, ip };
}

/** Lifts the lock of one account or address: its failures no longer count for it (they still count for the other). */
export async function liftSignInFailures(db: Db, scope: LockScope, key: string): Promise<number> {
  const sql = scope === 'account' ? 'update sign_in_failures set email_lifted = 1 where email = ? and email_lifted = 0' : 'update sign_in_failures set ip_lifted = 1 where ip = ? and ip_lifted = 0';
  return (await db.run(sql, key)).changes;
}

/** Accounts and addresses with at least `limit` failures since `since`, most recent first. */
export async function listSignInLocks(db: Db, since: number, limits: { account: number; ip: number }): Promise<SignInLock[]> {
  type Row = { key: string; failures: number; others: number; firstAt: number; lastAt: number };
  const accounts = (await db.all(`select email as key, count(*) as failures, count(distinct ip) as others, min(at) as firstAt, max(at) as lastAt from sign_in_failures
       where email is not null and at >= ? and email_lifted = 0 group by email having count(*) >= ?`, since, limits.account)) as Row[];
  const ips = (await db.all(`select ip as key, count(*) as failures, count(distinct email) as others, min(at) as firstAt, max(at) as lastAt from sign_in_failures
       where at >= ? and ip_lifted = 0 group by ip having count(*) >= ?`, since, limits.ip)) as Row[];
  return [...accounts.map((r) => ({ ...r, scope: 'account' as const })), ...ips.map((r) => ({ ...r, scope: 'ip' as const }))].sort((a, b) => b.lastAt - a.lastAt);
}

export async function deleteSignInFailuresBefore(db: Db, before: number): Promise<number> {
  return (await db.run('delete from sign_in_failures where at < ?', before)).changes;
}
