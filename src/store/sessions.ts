import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { sessions, users } from '../db/schema.ts';
import { oldestLiveSessionStart } from '../domain/session-lifetime.ts';
import { findJoinedRow, updateRows } from './rows.ts';
import type { User } from './users.ts';

export type Session = typeof sessions.$inferSelect;

export async function insertSession(db: Db, s: typeof sessions.$inferInsert): Promise<void> {
  await db.insert(sessions).values(s).run();
}

/** The live session with its active user, or undefined: not expired, and not older than the absolute limit. */
export async function findLiveSession(db: Db, id: string, now: number): Promise<{ session: Session; user: User } | undefined> {
  // every request asks: one statement, two primary-key reads
  const found = await findJoinedRow(db, sessions, users, 'join "users" b on b.id = a.user_id and b.active = 1 where a.id = ? and a.expires_at > ? and a.created_at > ?', id, now, oldestLiveSessionStart(now));
  return found && { session: found[0], user: found[1] };
}

export async function touchSession(db: Db, id: string, now: number, expiresAt: number): Promise<void> {
  await updateRows(db, sessions, { lastSeenAt: now, expiresAt }, 'where id = ?', id);
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, id)).run();
}

/** Ends every session of the user, except the one given (the one that made the change). */
export async function deleteUserSessions(db: Db, userId: number, opts: { except?: string | null } = {}): Promise<number> {
  const sql = opts.except ? 'delete from sessions where user_id = ? and id <> ?' : 'delete from sessions where user_id = ?';
  return (await db.run(sql, ...(opts.except ? [userId, opts.except] : [userId]))).changes;
}

/** Deletes sessions that can no longer be used: expired, or past the absolute limit. */
export async function deleteExpiredSessions(db: Db, now: number): Promise<number> {
  return (await db.run('delete from sessions where expires_at <= ? or created_at <= ?', now, oldestLiveSessionStart(now))).changes;
}
