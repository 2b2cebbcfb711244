import { describe, expect, it } from 'vitest';
import { decideSignIn, lockEndsAt, windowStart } from './sign-in-throttle.ts';

const limits = { failuresPerAccount: 10, failuresPerIp: 20, windowMs: 15 * 60_000 };

describe('sign-in throttle', () => {
  it('allows below both limits', () => {
    expect(decideSignIn({ account: 9, ip: 19 }, limits)).toBe('allow');
  });

  it('locks the account and the address each at its own limit', () => {
    expect(decideSignIn({ account: 10, ip: 0 }, limits)).toBe('account_locked');
    expect(decideSignIn({ account: 0, ip: 20 }, limits)).toBe('ip_locked');
    expect(decideSignIn({ account: 10, ip: 20 }, limits)).toBe('ip_locked');
  });

  it('spares a client the account signed in from lately its account lock, not its address lock', () => {
    expect(decideSignIn({ account: 50, ip: 0 }, limits, true)).toBe('allow');
    expect(decideSignIn({ account: 50, ip: 20 }, limits, true)).toBe('ip_locked');
    expect(decideSignIn({ account: 50, ip: 0 }, limits, false)).toBe('account_locked');
  });

  it('counts failures of the last window, and a lock ends when its oldest failure leaves it', () => {
    expect(windowStart(limits.windowMs, limits)).toBe(1);
    expect(lockEndsAt(1000, limits)).toBe(1000 + limits.windowMs);
    // the failure at 1000 no longer counts at its lock's end
    expect(windowStart(lockEndsAt(1000, limits), limits)).toBeGreaterThan(1000);
  });
});
