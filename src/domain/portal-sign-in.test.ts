import { describe, expect, it } from 'vitest';
import {
  hashSignInSecret, judgeSignIn, makeSignInCode, makeSignInToken, readRequesterSession, readSignInToken, requesterMaySee, requesterSessionValue, SIGN_IN_CODE_TRIES,
} from './portal-sign-in.ts';

const KEY = 'k'.repeat(32);
const row = { id: 42, contactId: 7, createdAt: 1_700_000_000_000 };

describe('portal sign-in', () => {
  it('derives a link token and a code from the row and the key alone', () => {
    const token = makeSignInToken(KEY, row);
    expect(token).toMatch(/^s42\.[A-Za-z0-9_-]{32}$/);
    expect(readSignInToken(token)).toEqual({ id: 42 });
    expect(makeSignInToken('other'.repeat(8), row)).not.toBe(token);
    expect(makeSignInToken(KEY, { ...row, createdAt: row.createdAt + 1 })).not.toBe(token);
    expect(makeSignInCode(KEY, row)).toMatch(/^\d{6}$/);
    expect(readSignInToken('t42.abc')).toBeUndefined();
  });

  it('opens once, before it expires, for the right secret; a code allows a few wrong tries', () => {
    const stored = { secretHash: hashSignInSecret('secret'), expiresAt: 1000, usedAt: null, attempts: 0 };
    expect(judgeSignIn(stored, hashSignInSecret('secret'), 999)).toBe('valid');
    expect(judgeSignIn(stored, hashSignInSecret('guess'), 999)).toBe('wrong');
    expect(judgeSignIn(stored, hashSignInSecret('secret'), 1000)).toBe('expired');
    expect(judgeSignIn({ ...stored, usedAt: 500 }, hashSignInSecret('secret'), 999)).toBe('used');
    expect(judgeSignIn({ ...stored, attempts: SIGN_IN_CODE_TRIES }, hashSignInSecret('secret'), 999)).toBe('expired');
  });

  it('reads a requester session while it lasts', () => {
    const v = requesterSessionValue(7, 2_000_000);
    expect(readRequesterSession(v, 1_999_000)).toEqual({ contactId: 7, expiresAt: 2_000_000, epoch: 0 });
    expect(readRequesterSession(requesterSessionValue(7, 2_000_000, 37), 1_999_000)).toEqual({ contactId: 7, expiresAt: 2_000_000, epoch: 37 });
    expect(readRequesterSession(`${v}.`, 0)).toBeUndefined();
    expect(readRequesterSession(v, 2_000_000)).toBeUndefined();
    expect(readRequesterSession('u7.zz', 0)).toBeUndefined();
    expect(readRequesterSession(undefined, 0)).toBeUndefined();
  });

  it('shows a ticket to its requester, and to a designated contact of its organisation only', () => {
    const anna = { contactId: 1, organizationId: 10, seesOrganizationRequests: false };
    const chief = { contactId: 2, organizationId: 10, seesOrganizationRequests: true };
    const loner = { contactId: 3, organizationId: null, seesOrganizationRequests: true };
    expect(requesterMaySee(anna, { requesterId: 1, organizationId: 10 })).toBe(true);
    expect(requesterMaySee(anna, { requesterId: 5, organizationId: 10 })).toBe(false);
    expect(requesterMaySee(chief, { requesterId: 5, organizationId: 10 })).toBe(true);
    expect(requesterMaySee(chief, { requesterId: 5, organizationId: 11 })).toBe(false);
    expect(requesterMaySee(loner, { requesterId: 5, organizationId: null })).toBe(false);
  });
});
