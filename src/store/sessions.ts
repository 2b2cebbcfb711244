import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { sessions, users } from '../db/schema.ts';
import { oldestLiveSessionStart } from '../domain/session-lifetime.ts';
import { findRow, updateRows } from './rows.ts';
import type { User } from './users.ts';

export type Session = typeof sessions.$inferSelect;

export function insertSession(db: Db, s: typeof sessions.$inferInsert): void {
  db.insert(sessions).values(s).run();
}

/** The live session with its active user, or undefined: not expired, and not older than the absolute limit. */
export function findLiveSession(db: Db, id: string, now: number): { session: Session; user: User } | undefined {
  // every request asks: two primary-key reads
  const session = findRow(db, sessions, 'where id = ? and expires_at > ? and created_at > ?', id, now, oldestLiveSessionStart(now));
  const user = session && findRow(db, users, 'where id = ? and active = 1', session.userId);
  return session && user ? { session, user } : undefined;
}

export function touchSession(db: Db, id: string, now: number, expiresAt: number): void {
  updateRows(db, sessions, { lastSeenAt: now, expiresAt }, 'where id = ?', id);
}

export function deleteSession(db: Db, id: string): void {
  db.delete(sessions).where(eq(sessions.id, id)).run();
}

/** Ends every session of the user, except the one given (the one that made the change). */
export function deleteUserSessions(db: Db, userId: number, opts: { except?: string | null } = {}): number {
  const sql = opts.except ? 'delete from sessions where user_id = ? and id <> ?' : 'delete from sessions where user_id = ?';
  return db.$client.prepare(sql).run(...(opts.except ? [userId, opts.except] : [userId])).changes;
}

/** Deletes sessions that can no longer be used: expired, or past the absolute limit. */
export function deleteExpiredSessions(db: Db, now: number): number {
  return db.$client.prepare('delete from sessions where expires_at <= ? or created_at <= ?').run(now, oldestLiveSessionStart(now)).changes;
}
