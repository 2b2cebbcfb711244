import { describe, expect, it } from 'vitest';
import { channelPauseMs, DEFAULT_RETRY, nextAttemptAt } from './retry-schedule.ts';

describe('retry schedule', () => {
  const policy = { maxAttempts: 5, baseMs: 1000, maxMs: 5000 };

  it('doubles the wait after each failure up to the cap, then gives up', () => {
    const waits = [1, 2, 3, 4].map((a) => nextAttemptAt(policy, a, 0));
    expect(waits).toEqual([1000, 2000, 4000, 5000]);
    expect(nextAttemptAt(policy, 5, 0)).toBeNull();
  });

  it('spreads the default ten attempts over about six hours', () => {
    let total = 0;
    for (let a = 1; a < DEFAULT_RETRY.maxAttempts; a++) total += nextAttemptAt(DEFAULT_RETRY, a, 0)!;
    expect(total / 3_600_000).toBeGreaterThan(5);
    expect(total / 3_600_000).toBeLessThan(8);
    expect(nextAttemptAt(DEFAULT_RETRY, DEFAULT_RETRY.maxAttempts, 0)).toBeNull();
  });

  it('pauses an unreachable channel a little longer each time, up to five minutes', () => {
    expect([1, 2, 3].map((n) => channelPauseMs(n))).toEqual([5000, 10000, 20000]);
    expect(channelPauseMs(50)).toBe(300_000);
  });
});
