// The links that let a person set their own password: an invitation to a new member of staff and
// a "forgot password" reset. Nothing is stored: the token names the user and the time it was
// issued and is signed with the desk's key over what the user's account is now (address, whether
// it is active, the password hash). Setting a password changes the hash, so a link works once;
// deactivating the account or changing its address ends every link given for it.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type PasswordLinkPurpose = 'invite' | 'reset';

const HOUR_MS = 3_600_000;
/** How long a link opens after it was issued. */
export const PASSWORD_LINK_LIFETIME_MS: Record<PasswordLinkPurpose, number> = { invite: 7 * 24 * HOUR_MS, reset: HOUR_MS };

const CODE: Record<PasswordLinkPurpose, string> = { invite: 'i', reset: 'r' };

/** What the signature is bound to: the account as it is when the link is used. */
export type PasswordLinkAccount = { id: number; email: string; active: boolean; passwordHash: string | null };

export type PasswordLinkClaim = { userId: number; purpose: PasswordLinkPurpose; issuedAt: number };

export type PasswordLinkVerdict = { kind: 'valid' } | { kind: 'expired' } | { kind: 'used' };

function signature(key: string, purpose: PasswordLinkPurpose, account: PasswordLinkAccount, issued: string): string {
  return createHmac('sha256', key)
    .update(['password-link', CODE[purpose], account.id, issued, account.email.toLowerCase(), account.active ? 1 : 0, account.passwordHash ?? ''].join('\n'))
    .digest('base64url');
}

/** A token for the account as it is now, issued at `issuedAt` (kept to the second). */
export function makePasswordToken(key: string, purpose: PasswordLinkPurpose, account: PasswordLinkAccount, issuedAt: number): string {
  const issued = Math.floor(issuedAt / 1000).toString(36);
  return `${CODE[purpose]}${account.id}.${issued}.${signature(key, purpose, account, issued)}`;
}

/** Who and what a token claims to be for; undefined when it is not shaped like one of ours. */
export function readPasswordToken(token: string): PasswordLinkClaim | undefined {
  const m = /^([ir])(\d{1,12})\.([0-9a-z]{1,10})\.[A-Za-z0-9_-]{43}$/.exec(token.trim());
  if (!m) return undefined;
  return { purpose: m[1] === 'i' ? 'invite' : 'reset', userId: Number(m[2]), issuedAt: parseInt(m[3], 36) * 1000 };
}

/**
 * Whether the token opens now for the account. A signature that does not match the account as it
 * is now is a link already used (or overtaken by a change of password, address or deactivation);
 * a token the desk never made looks the same, and gets the same answer.
 */
export function judgePasswordToken(key: string, token: string, account: PasswordLinkAccount, now: number): PasswordLinkVerdict {
  const claim = readPasswordToken(token);
  if (!claim || claim.userId !== account.id) return { kind: 'used' };
  const [, issued, sig] = token.trim().split('.');
  const expected = Buffer.from(signature(key, claim.purpose, account, issued));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { kind: 'used' };
  if (!account.active) return { kind: 'used' };
  if (now >= claim.issuedAt + PASSWORD_LINK_LIFETIME_MS[claim.purpose] || now < claim.issuedAt - 5 * 60_000) return { kind: 'expired' };
  return { kind: 'valid' };
}

export function passwordLinkUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/password/${token}`;
}
