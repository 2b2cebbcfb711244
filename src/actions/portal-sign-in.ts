// Requesters sign in to the portal without a password: they type an address the desk knows, and a
// one-time link is mailed to it (the link is made when the mail is sent:
// channels/email/portal-sign-in-vars.ts). The form answers the same whether or not the address is
// known, and is rate-limited per address and per client; a link works once, for 30 minutes.
import { inTransaction } from '../db/client.ts';
import { AppError, invalid } from '../domain/errors.ts';
import { toE164 } from '../domain/phone.ts';
import { hashSignInSecret, judgeSignIn, makeSignInCode, makeSignInToken, readSignInToken, SIGN_IN_LIFETIME_MS, SIGN_IN_LIMITS } from '../domain/portal-sign-in.ts';
import { queueEmail, queueSms } from '../outbox/queue.ts';
import { findContact, findContactEmail, findContactPhone, raisePortalSessionEpoch, type Contact } from '../store/contacts.ts';
import { insertEvent } from '../store/events.ts';
import { countPortalSignInAttempt, findOpenSmsSignIn, findPortalSignIn, insertPortalSignIn, markPortalSignInUsed, updatePortalSignInHash } from '../store/portal-sign-ins.ts';
import { hitRateLimit, readRateLimit } from '../store/rate-limits.ts';
import type { User } from '../store/users.ts';
import type { Ctx } from './context.ts';
import { requirePermission } from './tickets.ts';

export const PORTAL_SIGN_IN_EVENT = 'portal_sign_in';

/** What the mail carries: which sign-in's link to make when it is sent. */
export type PortalSignInVars = { portalSignIn: { id: number } };

export type SignInOutcome = 'queued' | 'unknown' | 'limited';

type Address = { kind: 'email'; email: string } | { kind: 'phone'; phone: string };

function addressOf(ctx: Ctx, input: string): Address {
  const s = input.trim();
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s) && s.length <= 320) return { kind: 'email', email: s.toLowerCase() };
  const phone = /^[+\d][\d\s().-]{5,}$/.test(s) ? toE164(s, ctx.config.sms.defaultCountry) : undefined;
  if (phone) return { kind: 'phone', phone };
  throw invalid('Enter your e-mail address or phone number', { address: 'invalid' });
}

async function contactOf(ctx: Ctx, a: Address): Promise<Contact | undefined> {
  const known = a.kind === 'email' ? await findContactEmail(ctx.db, a.email) : await findContactPhone(ctx.db, a.phone);
  return known ? await findContact(ctx.db, known.contactId) : undefined;
}

/**
 * The sign-in form: a link by mail (or a code by SMS) to a known contact, within the limits. The
 * caller says the same thing whatever happened; what happened goes to the log.
 */
export async function requestPortalSignIn(ctx: Ctx, input: { address: string; client: string }): Promise<SignInOutcome> {
  const address = addressOf(ctx, input.address);
  const now = ctx.clock.now();
  const { windowMs, perClient, perAddress } = SIGN_IN_LIMITS;
  const outcome = await inTransaction(ctx.db, async () => {
    if ((await hitRateLimit(ctx.db, `portal-sign-in:client:${input.client}`, now, windowMs)).hits > perClient) return 'limited' as const;
    const key = address.kind === 'email' ? address.email : address.phone;
    if ((await hitRateLimit(ctx.db, `portal-sign-in:address:${key}`, now, windowMs)).hits > perAddress) return 'limited' as const;
    const contact = await contactOf(ctx, address);
    if (!contact) return 'unknown' as const;
    const row = await insertPortalSignIn(ctx.db, { contactId: contact.id, channel: address.kind === 'email' ? 'email' : 'sms', expiresAt: now + SIGN_IN_LIFETIME_MS }, now);
    const locale = contact.locale ?? ctx.config.defaultLocale;
    if (address.kind === 'email') {
      await updatePortalSignInHash(ctx.db, row.id, hashSignInSecret(makeSignInToken(ctx.secrets.token, row)));
      await queueEmail(ctx.db, {
        ticketId: null, event: PORTAL_SIGN_IN_EVENT, recipient: address.email,
        payload: { template: PORTAL_SIGN_IN_EVENT, locale, auto: true, audience: 'requester', vars: { portalSignIn: { id: row.id } } satisfies PortalSignInVars },
      }, now);
    } else {
      const code = makeSignInCode(ctx.secrets.token, row);
      await updatePortalSignInHash(ctx.db, row.id, hashSignInSecret(code));
      await queueSms(ctx.db, {
        ticketId: null, event: PORTAL_SIGN_IN_EVENT, recipient: address.phone,
        payload: { template: 'portal-sign-in', locale, vars: { deskName: ctx.config.deskName, code, minutes: SIGN_IN_LIFETIME_MS / 60_000 } },
      }, now);
    }
    await insertEvent(ctx.db, { ticketId: null, actor: { kind: 'system' }, type: 'contact.portal_sign_in_sent', data: { contactId: contact.id, channel: address.kind, client: input.client } }, now);
    return 'queued' as const;
  });
  ctx.log.info({ event: 'portal_sign_in_request', outcome, channel: address.kind, client: input.client }, `portal sign-in requested: ${outcome}`);
  return outcome;
}

const refused = (reason: 'used' | 'expired' | 'wrong') =>
  new AppError('not_found', reason === 'expired' ? 'This sign-in link has expired' : reason === 'wrong' ? 'This code is not right' : 'This sign-in link has already been used', { reason });

const wrongCodesKey = (contactId: number) => `portal-sign-in:wrong-codes:${contactId}`;

/**
 * Uses a sign-in once: the contact it signs in, or why not (an AppError the page explains). A link
 * opens only a mailed sign-in and a code only an SMS one: a link made up for an SMS sign-in's row is
 * not a way to use up its code's tries.
 */
async function redeem(ctx: Ctx, channel: 'email' | 'sms', id: number | undefined, secret: string, contactId?: number): Promise<Contact> {
  const now = ctx.clock.now();
  // a wrong code is counted (committed), then refused
  const r = await inTransaction(ctx.db, async (): Promise<{ contact: Contact } | { refusal: 'used' | 'expired' | 'wrong' }> => {
    const row = id !== undefined ? await findPortalSignIn(ctx.db, id) : undefined;
    if (!row || row.channel !== channel || (contactId !== undefined && row.contactId !== contactId)) return { refusal: 'used' };
    // a day's wrong codes, over all the contact's sign-ins, end the day's codes: five a sign-in and
    // three sign-ins an hour would otherwise allow a guess in 6,700 a day at each number
    if (channel === 'sms' && ((await readRateLimit(ctx.db, wrongCodesKey(row.contactId), now))?.hits ?? 0) >= SIGN_IN_LIMITS.wrongCodesPerDay) return { refusal: 'wrong' };
    const verdict = judgeSignIn(row, hashSignInSecret(secret), now);
    // wrong codes are counted; a wrong link is a guess at someone's row, which must not use it up
    if (verdict === 'wrong' && channel === 'sms') {
      await countPortalSignInAttempt(ctx.db, row.id);
      await hitRateLimit(ctx.db, wrongCodesKey(row.contactId), now, SIGN_IN_LIMITS.dayMs);
    }
    // a link that does not match its row is one the desk never made: the same answer as a used one
    if (verdict !== 'valid') return { refusal: verdict === 'wrong' && channel === 'email' ? 'used' : verdict };
    const contact = await findContact(ctx.db, row.contactId);
    if (!contact || !(await markPortalSignInUsed(ctx.db, row.id, now))) return { refusal: 'used' };
    await insertEvent(ctx.db, { ticketId: null, actor: { kind: 'contact', contactId: row.contactId }, type: 'contact.portal_signed_in', data: { channel: row.channel } }, now);
    return { contact };
  });
  if ('refusal' in r) throw refused(r.refusal);
  return r.contact;
}

/** Opens a sign-in link. */
export async function redeemPortalSignInLink(ctx: Ctx, token: string): Promise<Contact> {
  return await redeem(ctx, 'email', readSignInToken(token)?.id, token);
}

/**
 * Checks an SMS code typed on the sign-in page for the phone number it was sent to; a client that
 * types more codes an hour than a person would is refused before any is checked.
 */
export async function redeemPortalSignInCode(ctx: Ctx, input: { phone: string; code: string; client: string }): Promise<Contact> {
  const now = ctx.clock.now();
  const tries = await inTransaction(ctx.db, async () => await hitRateLimit(ctx.db, `portal-sign-in:codes:${input.client}`, now, SIGN_IN_LIMITS.windowMs));
  if (tries.hits > SIGN_IN_LIMITS.codesPerClient) throw refused('wrong');
  const phone = toE164(input.phone.trim(), ctx.config.sms.defaultCountry);
  const known = phone ? await findContactPhone(ctx.db, phone) : undefined;
  const open = known ? await findOpenSmsSignIn(ctx.db, known.contactId, now) : undefined;
  return await redeem(ctx, 'sms', open?.id, input.code.replace(/\s/g, ''), known?.contactId);
}

/** Whether a sign-in link would open now, without using it (its page asks to confirm first, so a
 * mail scanner that follows links does not use it up). */
export async function checkPortalSignInLink(ctx: Ctx, token: string): Promise<'valid' | 'used' | 'expired'> {
  const id = readSignInToken(token)?.id;
  const row = id !== undefined ? await findPortalSignIn(ctx.db, id) : undefined;
  if (!row || row.channel !== 'email') return 'used';
  const verdict = judgeSignIn(row, hashSignInSecret(token), ctx.clock.now());
  return verdict === 'wrong' ? 'used' : verdict;
}

/**
 * Ends every portal session of a contact, on every browser: the requester's own "sign out
 * everywhere", or staff who manage contacts (a lost phone, someone who left). Recorded with who did it.
 */
export async function endPortalSessions(ctx: Ctx, by: { kind: 'user'; user: User } | { kind: 'contact'; contactId: number }, contactId: number): Promise<void> {
  if (by.kind === 'user') requirePermission(by.user, 'contact.manage');
  else if (by.contactId !== contactId) throw new AppError('forbidden', 'Only your own sessions');
  const now = ctx.clock.now();
  await inTransaction(ctx.db, async () => {
    await raisePortalSessionEpoch(ctx.db, contactId, now);
    const actor = by.kind === 'user' ? { kind: 'user' as const, userId: by.user.id } : { kind: 'contact' as const, contactId };
    await insertEvent(ctx.db, { ticketId: null, actor, type: 'contact.portal_sessions_ended', data: { contactId } }, now);
  });
}
