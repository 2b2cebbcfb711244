import { describe, expect, it } from 'vitest';
import { oldestLiveSessionStart, SESSION_IDLE_MS, SESSION_MAX_AGE_MS, sessionExpiry } from './session-lifetime.ts';

const DAY = 24 * 3600 * 1000;

describe('session lifetime', () => {
  it('slides with use by the idle limit', () => {
    expect(sessionExpiry(0, 0)).toBe(SESSION_IDLE_MS);
    expect(sessionExpiry(0, 3 * DAY)).toBe(3 * DAY + SESSION_IDLE_MS);
  });

  it('never goes past 30 days after sign-in, however active the session is', () => {
    expect(SESSION_MAX_AGE_MS).toBe(30 * DAY);
    expect(sessionExpiry(0, 20 * DAY)).toBe(30 * DAY);
    expect(sessionExpiry(0, 29 * DAY + 1)).toBe(30 * DAY);
    expect(oldestLiveSessionStart(30 * DAY + 5)).toBe(5);
  });
});
