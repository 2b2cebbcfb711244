// Requester sign-in for the portal: a one-time link by mail (or a six-digit code by SMS) and the
// requester's session cookie. The secret in a link or code is derived from the desk's key and the
// sign-in row (so the outbox never holds a usable link: the mail gets it when it is sent) and the
// row keeps only its hash. A row opens once, before it expires; a code allows a few wrong tries.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** How long a sign-in link or code works after it was asked for. */
export const SIGN_IN_LIFETIME_MS = 30 * 60_000;
/** Wrong codes allowed on one sign-in before it stops working. */
export const SIGN_IN_CODE_TRIES = 5;
/** How long the requester stays signed in on a device. */
export const REQUESTER_SESSION_MS = 30 * 86_400_000;
/** At most this many sign-in messages per address, and requests per client, in a window. */
export const SIGN_IN_LIMITS = {
  perAddress: 3, perClient: 10, windowMs: 3_600_000,
  /** codes typed per client an hour, right or wrong: a guesser spreading over many numbers */
  codesPerClient: 20,
  /** wrong codes per contact a day, over all their sign-ins: beyond it no code signs them in that day */
  wrongCodesPerDay: 10,
  dayMs: 86_400_000,
};

export type SignInRow = { id: number; contactId: number; createdAt: number };

const mac = (key: string, row: SignInRow) =>
  createHmac('sha256', key).update(`portal-sign-in\n${row.id}\n${row.contactId}\n${row.createdAt}`).digest();

/** The link token of a sign-in row: s<id>.<secret>. */
export function makeSignInToken(key: string, row: SignInRow): string {
  return `s${row.id}.${mac(key, row).subarray(0, 24).toString('base64url')}`;
}

/** The six-digit SMS code of a sign-in row. */
export function makeSignInCode(key: string, row: SignInRow): string {
  return String(mac(key, row).readUInt32BE(24) % 1_000_000).padStart(6, '0');
}

/** The row a link token names, if it is shaped like one of ours. */
export function readSignInToken(token: string): { id: number } | undefined {
  const m = /^s(\d{1,12})\.[A-Za-z0-9_-]{32}$/.exec(token.trim());
  return m ? { id: Number(m[1]) } : undefined;
}

/** What is stored of a token or code: its SHA-256, hex. */
export function hashSignInSecret(secret: string): string {
  return createHash('sha256').update(secret.trim()).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export type SignInVerdict = 'valid' | 'used' | 'expired' | 'wrong';

/** Whether a sign-in row opens now for what was presented (its hash). */
export function judgeSignIn(row: { secretHash: string; expiresAt: number; usedAt: number | null; attempts: number }, presentedHash: string, now: number): SignInVerdict {
  if (row.usedAt !== null) return 'used';
  if (now >= row.expiresAt || row.attempts >= SIGN_IN_CODE_TRIES) return 'expired';
  return sameHash(row.secretHash, presentedHash) ? 'valid' : 'wrong';
}

/**
 * The requester session cookie's value (signed by the cookie layer): contact id, end, and the
 * generation of the contact's sessions it belongs to (contacts.portal_session_epoch; a session
 * of an earlier generation has been ended everywhere). Generation 0 is left out, as in values made
 * before there were generations.
 */
export function requesterSessionValue(contactId: number, expiresAt: number, epoch = 0): string {
  return `c${contactId}.${Math.floor(expiresAt / 1000).toString(36)}${epoch ? `.${epoch.toString(36)}` : ''}`;
}

/** The contact a (signature-checked) requester session value names, and its generation, while it lasts. */
export function readRequesterSession(value: unknown, now: number): { contactId: number; expiresAt: number; epoch: number } | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^c(\d{1,12})\.([0-9a-z]{1,10})(?:\.([0-9a-z]{1,10}))?$/.exec(value);
  if (!m) return undefined;
  const expiresAt = parseInt(m[2], 36) * 1000;
  return now < expiresAt ? { contactId: Number(m[1]), expiresAt, epoch: m[3] ? parseInt(m[3], 36) : 0 } : undefined;
}

/** Who may see a ticket in the portal: its requester, and a designated contact of its organisation. */
export function requesterMaySee(viewer: { contactId: number; organizationId: number | null; seesOrganizationRequests: boolean }, ticket: { requesterId: number | null; organizationId: number | null }): boolean {
  if (ticket.requesterId === viewer.contactId) return true;
  return viewer.seesOrganizationRequests && viewer.organizationId !== null && ticket.organizationId === viewer.organizationId;
}
