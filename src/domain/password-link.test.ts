import { describe, expect, it } from 'vitest';
import { PASSWORD_LINK_LIFETIME_MS, judgePasswordToken, makePasswordToken, readPasswordToken } from './password-link.ts';

const KEY = 'k'.repeat(32);
const T0 = Date.UTC(2026, 11, 5, 9, 0, 0);
const account = { id: 42, email: 'Olga@Example.com', active: true, passwordHash: '$argon2id$old' };

describe('password links', () => {
  it('opens for the account it was made for, until it expires', () => {
    const token = makePasswordToken(KEY, 'reset', account, T0);
    expect(readPasswordToken(token)).toEqual({ userId: 42, purpose: 'reset', issuedAt: T0 });
    expect(judgePasswordToken(KEY, token, account, T0 + 1000)).toEqual({ kind: 'valid' });
    expect(judgePasswordToken(KEY, token, account, T0 + PASSWORD_LINK_LIFETIME_MS.reset - 1000)).toEqual({ kind: 'valid' });
    expect(judgePasswordToken(KEY, token, account, T0 + PASSWORD_LINK_LIFETIME_MS.reset)).toEqual({ kind: 'expired' });
  });

  it('an invitation lasts a week, a reset an hour', () => {
    const invite = makePasswordToken(KEY, 'invite', { ...account, passwordHash: null }, T0);
    expect(judgePasswordToken(KEY, invite, { ...account, passwordHash: null }, T0 + 6 * 86_400_000)).toEqual({ kind: 'valid' });
    expect(judgePasswordToken(KEY, invite, { ...account, passwordHash: null }, T0 + 7 * 86_400_000)).toEqual({ kind: 'expired' });
  });

  it('works once: a new password, a new address or deactivation ends it', () => {
    const token = makePasswordToken(KEY, 'reset', account, T0);
    expect(judgePasswordToken(KEY, token, { ...account, passwordHash: '$argon2id$new' }, T0 + 1000)).toEqual({ kind: 'used' });
    expect(judgePasswordToken(KEY, token, { ...account, email: 'someone@example.com' }, T0 + 1000)).toEqual({ kind: 'used' });
    expect(judgePasswordToken(KEY, token, { ...account, active: false }, T0 + 1000)).toEqual({ kind: 'used' });
    // the address is compared as the desk stores it, lower case
    expect(judgePasswordToken(KEY, token, { ...account, email: 'olga@example.com' }, T0 + 1000)).toEqual({ kind: 'valid' });
  });

  it('refuses a token for another user, another key, a changed purpose or time, or any other string', () => {
    const token = makePasswordToken(KEY, 'reset', account, T0);
    expect(judgePasswordToken(KEY, token, { ...account, id: 43 }, T0)).toEqual({ kind: 'used' });
    expect(judgePasswordToken('x'.repeat(32), token, account, T0)).toEqual({ kind: 'used' });
    expect(judgePasswordToken(KEY, `i${token.slice(1)}`, account, T0)).toEqual({ kind: 'used' });
    const [head, , sig] = token.split('.');
    const later = Math.floor((T0 + 3_600_000) / 1000).toString(36);
    expect(judgePasswordToken(KEY, `${head}.${later}.${sig}`, account, T0 + 3_600_000)).toEqual({ kind: 'used' });
    for (const bad of ['', 'r42', 'r42.abc.def', `${token}x`, token.replace(/.$/, '!')]) {
      expect(judgePasswordToken(KEY, bad, account, T0)).toEqual({ kind: 'used' });
    }
  });

  it('a token issued in the future (a forged time) does not open', () => {
    const token = makePasswordToken(KEY, 'reset', account, T0 + 3_600_000);
    expect(judgePasswordToken(KEY, token, account, T0)).toEqual({ kind: 'expired' });
  });
});
