// Hit counters of the web's rate limits, one row per limiter and client key, in fixed windows: the
// first hit after a window ended starts a new one. One statement counts a hit, so concurrent
// requests on any desk process never lose one.
import type { Db } from '../db/client.ts';

export type RateLimitCount = { hits: number; resetAt: number };

/** Counts a hit of `key` at `now`; the hits in the current window and when it ends. */
export async function hitRateLimit(db: Db, key: string, now: number, windowMs: number): Promise<RateLimitCount> {
  const row = await db.get<RateLimitCount>(
    `insert into rate_limits (key, hits, reset_at) values (?, 1, ?)
     on conflict (key) do update set
       hits = case when rate_limits.reset_at <= ? then 1 else rate_limits.hits + 1 end,
       reset_at = case when rate_limits.reset_at <= ? then excluded.reset_at else rate_limits.reset_at end
     returning hits, reset_at as "resetAt"`,
    key, now + windowMs, now, now,
  );
  return row!;
}

/** The hits of `key` in the window current at `now`, if any. */
export async function readRateLimit(db: Db, key: string, now: number): Promise<RateLimitCount | undefined> {
  return await db.get<RateLimitCount>('select hits, reset_at as "resetAt" from rate_limits where key = ? and reset_at > ?', key, now);
}

/** Takes back one hit (a request the limiter was told not to count after all). */
export async function unhitRateLimit(db: Db, key: string, now: number): Promise<void> {
  await db.run('update rate_limits set hits = hits - 1 where key = ? and reset_at > ? and hits > 0', key, now);
}

export async function resetRateLimit(db: Db, key: string): Promise<void> {
  await db.run('delete from rate_limits where key = ?', key);
}

/** Forgets the windows that ended before `now`; the rows deleted. */
export async function purgeRateLimits(db: Db, now: number): Promise<number> {
  return (await db.run('delete from rate_limits where reset_at <= ?', now)).changes;
}
