// A person's calendar feed address: their id and a signature over it and a nonce only the desk
// keeps, so the address works without signing in (calendar apps cannot) and a new nonce revokes
// every address given out. Pure: the secret and the nonce come in.
import { createHmac, timingSafeEqual } from 'node:crypto';

const sign = (secret: string, userId: number, nonce: string) =>
  createHmac('sha256', secret).update(`helpdesk calendar feed\n${userId}\n${nonce}`).digest('base64url').slice(0, 32);

export function calendarFeedToken(secret: string, userId: number, nonce: string): string {
  return `${userId}.${sign(secret, userId, nonce)}`;
}

/** The user id of a well-formed token (its signature is checked by `checkCalendarFeedToken`). */
export function calendarFeedUser(token: string): number | undefined {
  const m = /^(\d{1,9})\.[A-Za-z0-9_-]{32}$/.exec(token);
  return m ? Number(m[1]) : undefined;
}

export function checkCalendarFeedToken(secret: string, token: string, nonce: string): boolean {
  const userId = calendarFeedUser(token);
  if (userId === undefined) return false;
  const expected = Buffer.from(calendarFeedToken(secret, userId, nonce));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
