import { and, desc, eq, gt, isNull, or } from 'drizzle-orm';
import { changed, type Db } from '../db/client.ts';
import { apiTokens, users, type ApiTokenScope } from '../db/schema.ts';
import type { User } from './users.ts';

export type ApiToken = typeof apiTokens.$inferSelect;

export async function insertApiToken(
  db: Db,
  t: { userId: number; name: string; tokenHash: string; prefix: string; scope: ApiTokenScope; expiresAt: number | null },
  now: number,
): Promise<ApiToken> {
  return await db.insert(apiTokens).values({ ...t, createdAt: now }).returning().get();
}

/** The live token with that hash (not revoked, not expired) and its active user. */
export async function findLiveApiToken(db: Db, tokenHash: string, now: number): Promise<{ token: ApiToken; user: User } | undefined> {
  return (
    await db
      .select({ token: apiTokens, user: users })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now)), eq(users.active, true)))
      .get() ?? undefined
  );
}

export async function touchApiToken(db: Db, id: number, now: number): Promise<void> {
  await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, id)).run();
}

export async function listApiTokens(db: Db, opts: { userId?: number } = {}): Promise<(ApiToken & { userName: string; userEmail: string })[]> {
  const q = db
    .select({ token: apiTokens, userName: users.name, userEmail: users.email })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId));
  return (await (opts.userId !== undefined ? q.where(eq(apiTokens.userId, opts.userId)) : q)
    .orderBy(desc(apiTokens.id))
    .all())
    .map((r) => ({ ...r.token, userName: r.userName, userEmail: r.userEmail }));
}

export async function findApiToken(db: Db, id: number): Promise<ApiToken | undefined> {
  return await db.select().from(apiTokens).where(eq(apiTokens.id, id)).get();
}

export async function revokeApiToken(db: Db, id: number, now: number): Promise<void> {
  await db.update(apiTokens).set({ revokedAt: now }).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt))).run();
}

/** Revokes every live token of the user (deactivation); returns how many. */
export async function revokeUserApiTokens(db: Db, userId: number, now: number): Promise<number> {
  return changed(await db.update(apiTokens).set({ revokedAt: now }).where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt))).run());
}
