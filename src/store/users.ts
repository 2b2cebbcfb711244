import { count, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { users, type Locale, type Role } from '../db/schema.ts';
import { notFound } from '../domain/errors.ts';
import { findRow, listRows } from './rows.ts';

export type User = typeof users.$inferSelect;

export async function countUsers(db: Db): Promise<number> {
  return (await db.select({ n: count() }).from(users).get())?.n ?? 0;
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  return await findRow(db, users, 'where email = ?', email.trim().toLowerCase());
}

export async function findUser(db: Db, id: number): Promise<User | undefined> {
  return await findRow(db, users, 'where id = ?', id);
}

export async function getUser(db: Db, id: number): Promise<User> {
  const u = await findUser(db, id);
  if (!u) throw notFound('User');
  return u;
}

export async function listUsers(db: Db, opts: { activeOnly?: boolean } = {}): Promise<User[]> {
  return await listRows(db, users, opts.activeOnly ? 'where active = 1 order by name' : 'order by name');
}

export type UserOption = Pick<User, 'id' | 'name' | 'active' | 'available'>;

/** Ids and names (for lookups and selects): what pages need of every user, without the rest of the row. */
export async function listUserOptions(db: Db, opts: { activeOnly?: boolean } = {}): Promise<UserOption[]> {
  const rows = (await db.all(opts.activeOnly ? 'select id, name, active, available from users where active = 1 order by name' : 'select id, name, active, available from users order by name')) as { id: number; name: string; active: number; available: number }[];
  return rows.map((r) => ({ id: r.id, name: r.name, active: r.active === 1, available: r.available === 1 }));
}

export async function listActiveUsersByRole(db: Db, role: Role): Promise<User[]> {
  return await listRows(db, users, 'where role = ? and active = 1 order by name', role);
}

export async function insertUser(
  db: Db,
  u: { email: string; name: string; role: Role; passwordHash: string | null; locale?: Locale; timeZone?: string },
  now: number,
): Promise<User> {
  return await db
    .insert(users)
    .values({ ...u, email: u.email.trim().toLowerCase(), createdAt: now, updatedAt: now })
    .returning()
    .get();
}

export async function updateUser(db: Db, id: number, patch: Partial<Omit<User, 'id' | 'createdAt'>>, now: number): Promise<void> {
  await db.update(users).set({ ...patch, updatedAt: now }).where(eq(users.id, id)).run();
}

/**
 * Sets a password only if the account still has the hash it had when the link was judged: of two
 * uses of one link at the same moment, one wins. True when this one did.
 */
export async function replacePasswordHash(db: Db, id: number, expected: string | null, next: string, now: number): Promise<boolean> {
  const sql = expected === null
    ? 'update users set password_hash = ?, updated_at = ? where id = ? and password_hash is null'
    : 'update users set password_hash = ?, updated_at = ? where id = ? and password_hash = ?';
  return (await db.run(sql, next, now, id, ...(expected === null ? [] : [expected]))).changes === 1;
}
