import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { DatabaseRateLimitStore } from './rate-limit-store.ts';
import { hitRateLimit, purgeRateLimits, readRateLimit, unhitRateLimit } from './rate-limits.ts';

describe('rate-limit counters in the database', () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await makeTestDeps();
  });
  afterEach(() => deps.close());

  it('counts hits in fixed windows and starts a new window after one ends', async () => {
    const t = deps.clock.now();
    expect(await hitRateLimit(deps.db, 'k', t, 60_000)).toEqual({ hits: 1, resetAt: t + 60_000 });
    expect(await hitRateLimit(deps.db, 'k', t + 59_999, 60_000)).toEqual({ hits: 2, resetAt: t + 60_000 });
    expect(await hitRateLimit(deps.db, 'other', t, 60_000)).toEqual({ hits: 1, resetAt: t + 60_000 });
    await unhitRateLimit(deps.db, 'k', t + 1);
    expect(await readRateLimit(deps.db, 'k', t + 1)).toEqual({ hits: 1, resetAt: t + 60_000 });
    // the window is over: the next hit counts from one again, and a read finds nothing current
    expect(await readRateLimit(deps.db, 'k', t + 60_000)).toBeUndefined();
    expect(await hitRateLimit(deps.db, 'k', t + 60_000, 60_000)).toEqual({ hits: 1, resetAt: t + 120_000 });
    expect(await purgeRateLimits(deps.db, t + 60_000)).toBe(1); // 'other' is over, 'k' is not
    expect(await readRateLimit(deps.db, 'k', t + 60_001)).toEqual({ hits: 1, resetAt: t + 120_000 });
  });

  it('loses no hit of requests counted at once, and keeps two limiters apart', async () => {
    const a = new DatabaseRateLimitStore(deps.db, deps.clock, 'a:');
    const b = new DatabaseRateLimitStore(deps.db, deps.clock, 'b:');
    a.init({ windowMs: 60_000 } as never);
    b.init({ windowMs: 60_000 } as never);
    const results = await Promise.all(Array.from({ length: 50 }, () => a.increment('1.2.3.4')));
    expect(results.map((r) => r.totalHits).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect((await b.increment('1.2.3.4')).totalHits).toBe(1);
    await a.resetKey('1.2.3.4');
    expect(await a.get('1.2.3.4')).toBeUndefined();
    expect((await b.get('1.2.3.4'))?.totalHits).toBe(1);
  });
});
