import { and, asc, count, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { users, type Locale, type Role } from '../db/schema.ts';
import { notFound } from './errors.ts';
import { findRow } from './rows.ts';

export type User = typeof users.$inferSelect;

export function countUsers(db: Db): number {
  return db.select({ n: count() }).from(users).get()?.n ?? 0;
}

export function findUserByEmail(db: Db, email: string): User | undefined {
  return findRow(db, users, 'where email = ?', email.trim().toLowerCase());
}

export function findUser(db: Db, id: number): User | undefined {
  return findRow(db, users, 'where id = ?', id);
}

export function getUser(db: Db, id: number): User {
  const u = findUser(db, id);
  if (!u) throw notFound('User');
  return u;
}

export function listUsers(db: Db, opts: { activeOnly?: boolean } = {}): User[] {
  const q = db.select().from(users);
  return (opts.activeOnly ? q.where(eq(users.active, true)) : q).orderBy(asc(users.name)).all();
}

export function listActiveUsersByRole(db: Db, role: Role): User[] {
  return db.select().from(users).where(and(eq(users.role, role), eq(users.active, true))).orderBy(asc(users.name)).all();
}

export function insertUser(
  db: Db,
  u: { email: string; name: string; role: Role; passwordHash: string | null; locale?: Locale; timeZone?: string },
  now: number,
): User {
  return db
    .insert(users)
    .values({ ...u, email: u.email.trim().toLowerCase(), createdAt: now, updatedAt: now })
    .returning()
    .get();
}

export function updateUser(db: Db, id: number, patch: Partial<Omit<User, 'id' | 'createdAt'>>, now: number): void {
  db.update(users).set({ ...patch, updatedAt: now }).where(eq(users.id, id)).run();
}
