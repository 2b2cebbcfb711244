import { eq, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { sessions, users } from '../db/schema.ts';
import { findRow, updateRows } from './rows.ts';
import type { User } from './users.ts';

export type Session = typeof sessions.$inferSelect;

export function insertSession(db: Db, s: typeof sessions.$inferInsert): void {
  db.insert(sessions).values(s).run();
}

/** The live session with its active user, or undefined. */
export function findLiveSession(db: Db, id: string, now: number): { session: Session; user: User } | undefined {
  // every request asks: two primary-key reads
  const session = findRow(db, sessions, 'where id = ? and expires_at > ?', id, now);
  const user = session && findRow(db, users, 'where id = ? and active = 1', session.userId);
  return session && user ? { session, user } : undefined;
}

export function touchSession(db: Db, id: string, now: number, expiresAt: number): void {
  updateRows(db, sessions, { lastSeenAt: now, expiresAt }, 'where id = ?', id);
}

export function deleteSession(db: Db, id: string): void {
  db.delete(sessions).where(eq(sessions.id, id)).run();
}

export function deleteUserSessions(db: Db, userId: number): void {
  db.delete(sessions).where(eq(sessions.userId, userId)).run();
}

export function deleteExpiredSessions(db: Db, now: number): number {
  return db.delete(sessions).where(lt(sessions.expiresAt, now)).run().changes;
}
