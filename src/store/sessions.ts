import { and, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { sessions, users } from '../db/schema.ts';
import type { User } from './users.ts';

export type Session = typeof sessions.$inferSelect;

export function insertSession(db: Db, s: typeof sessions.$inferInsert): void {
  db.insert(sessions).values(s).run();
}

/** The live session with its active user, or undefined. */
export function findLiveSession(db: Db, id: string, now: number): { session: Session; user: User } | undefined {
  const row = db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, now), eq(users.active, true)))
    .get();
  return row ?? undefined;
}

export function touchSession(db: Db, id: string, now: number, expiresAt: number): void {
  db.update(sessions).set({ lastSeenAt: now, expiresAt }).where(eq(sessions.id, id)).run();
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
