import { count, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { users, type Locale, type Role } from '../db/schema.ts';
import { notFound } from '../domain/errors.ts';
import { findRow, listRows } from './rows.ts';

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
  return listRows(db, users, opts.activeOnly ? 'where active = 1 order by name' : 'order by name');
}

export type UserOption = Pick<User, 'id' | 'name' | 'active' | 'available'>;

/** Ids and names (for lookups and selects): what pages need of every user, without the rest of the row. */
export function listUserOptions(db: Db, opts: { activeOnly?: boolean } = {}): UserOption[] {
  const rows = db.$client
    .prepare(opts.activeOnly ? 'select id, name, active, available from users where active = 1 order by name' : 'select id, name, active, available from users order by name')
    .all() as { id: number; name: string; active: number; available: number }[];
  return rows.map((r) => ({ id: r.id, name: r.name, active: r.active === 1, available: r.available === 1 }));
}

export function listActiveUsersByRole(db: Db, role: Role): User[] {
  return listRows(db, users, 'where role = ? and active = 1 order by name', role);
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
