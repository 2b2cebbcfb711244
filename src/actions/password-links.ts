// People set their own passwords: an admin invites a member of staff by mail (no password is ever
// chosen for them), and anyone with an account can have a reset link mailed to them. The links are
// made when the mail is sent (channels/email/password-link-vars.ts) and work once
// (domain/password-link.ts); the forgotten-password form answers the same whether or not the
// address has an account, and is rate-limited by address and by client.
import { z } from 'zod';
import { inTransaction } from '../db/client.ts';
import { AppError } from '../domain/errors.ts';
import { judgePasswordToken, readPasswordToken, type PasswordLinkPurpose } from '../domain/password-link.ts';
import { queueEmail } from '../outbox/queue.ts';
import { revokeUserApiTokens } from '../store/api-tokens.ts';
import { insertEvent } from '../store/events.ts';
import { hitRateLimit } from '../store/rate-limits.ts';
import { deleteUserSessions } from '../store/sessions.ts';
import { findUser, findUserByEmail, getUser, replacePasswordHash, type User } from '../store/users.ts';
import type { Ctx } from './context.ts';
import { requirePermission } from './tickets.ts';
import { hashPassword } from './users.ts';
import { parseInput } from './validate.ts';

export const PASSWORD_LINK_EVENT: Record<PasswordLinkPurpose, string> = { invite: 'staff_invite', reset: 'password_reset' };

/** At most this many reset mails per address, and requests per client, in a window. */
export const RESET_LIMITS = { perAddress: 3, perClient: 10, windowMs: 3_600_000 };

/** What the mail carries: which link to make when it is sent. */
export type PasswordLinkVars = { passwordLink: { userId: number; purpose: PasswordLinkPurpose }; inviterName?: string };

async function queuePasswordMail(ctx: Ctx, user: User, purpose: PasswordLinkPurpose, vars: Omit<PasswordLinkVars, 'passwordLink'> = {}): Promise<void> {
  await queueEmail(ctx.db, {
    ticketId: null, event: PASSWORD_LINK_EVENT[purpose], recipient: user.email,
    payload: {
      template: PASSWORD_LINK_EVENT[purpose], locale: user.locale, auto: true, audience: 'agent',
      vars: { passwordLink: { userId: user.id, purpose }, ...vars } satisfies PasswordLinkVars,
    },
  }, ctx.clock.now());
}

/** An admin (re)sends the invitation of someone who has not set a password yet. */
export async function sendInvitation(ctx: Ctx, admin: User, userId: number): Promise<User> {
  requirePermission(admin, 'user.manage');
  return await inTransaction(ctx.db, async () => {
    const user = await getUser(ctx.db, userId);
    if (!user.active) throw new AppError('conflict', 'This account is deactivated; activate it before inviting');
    if (user.passwordHash) throw new AppError('conflict', 'This person has already set a password; they can use "Forgot your password?" on the sign-in page');
    await queuePasswordMail(ctx, user, 'invite', { inviterName: admin.name });
    await insertEvent(ctx.db, { ticketId: null, actor: { kind: 'user', userId: admin.id }, type: 'user.invited', data: { userId: user.id } }, ctx.clock.now());
    return user;
  });
}

export type ResetRequest = { email: string; client: string };

/**
 * The forgotten-password form: a reset mail to an active account with that address, within the
 * limits. The caller says the same thing whatever happened; what happened goes to the log.
 */
export async function requestPasswordReset(ctx: Ctx, input: ResetRequest): Promise<'queued' | 'unknown' | 'limited'> {
  const email = parseInput(z.object({ email: z.email({ message: 'Enter a valid email address' }) }), { email: input.email.trim() }).email.toLowerCase();
  const now = ctx.clock.now();
  const outcome = await inTransaction(ctx.db, async () => {
    const client = await hitRateLimit(ctx.db, `password-reset:client:${input.client}`, now, RESET_LIMITS.windowMs);
    if (client.hits > RESET_LIMITS.perClient) return 'limited' as const;
    const user = await findUserByEmail(ctx.db, email);
    if (!user || !user.active) return 'unknown' as const;
    const address = await hitRateLimit(ctx.db, `password-reset:user:${user.id}`, now, RESET_LIMITS.windowMs);
    if (address.hits > RESET_LIMITS.perAddress) return 'limited' as const;
    await queuePasswordMail(ctx, user, 'reset');
    await insertEvent(ctx.db, { ticketId: null, actor: { kind: 'system' }, type: 'user.password_reset_requested', data: { userId: user.id, client: input.client } }, now);
    return 'queued' as const;
  });
  ctx.log.info({ event: 'password_reset_request', outcome, email, client: input.client }, `password reset requested: ${outcome}`);
  return outcome;
}

export type OpenedPasswordLink = { user: User; purpose: PasswordLinkPurpose };

/** The account a link opens for, or why it does not open (an AppError the page explains). */
export async function openPasswordLink(ctx: Ctx, token: string): Promise<OpenedPasswordLink> {
  const claim = readPasswordToken(token);
  const user = claim ? await findUser(ctx.db, claim.userId) : undefined;
  if (!claim || !user) throw new AppError('not_found', 'This link is not valid', { reason: 'used' });
  const verdict = judgePasswordToken(ctx.secrets.token, token, user, ctx.clock.now());
  if (verdict.kind !== 'valid') throw new AppError('not_found', verdict.kind === 'expired' ? 'This link has expired' : 'This link has already been used', { reason: verdict.kind, purpose: claim.purpose });
  return { user, purpose: claim.purpose };
}

const newPassword = z.object({
  password: z.string().min(10, 'The password needs at least 10 characters').max(200),
  confirm: z.string(),
}).refine((v) => v.password === v.confirm, { message: 'The two passwords differ', path: ['confirm'] });

/**
 * Sets the password a link was given for. Every session of the account ends and its API tokens
 * are revoked (a reset follows a suspicion); the caller signs the person in.
 */
export async function setPasswordWithLink(ctx: Ctx, input: { token: string; password: string; confirm: string }): Promise<User> {
  const opened = await openPasswordLink(ctx, input.token);
  const v = parseInput(newPassword, { password: input.password, confirm: input.confirm });
  const hash = await hashPassword(v.password);
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, async () => {
    if (!(await replacePasswordHash(ctx.db, opened.user.id, opened.user.passwordHash, hash, now))) {
      throw new AppError('not_found', 'This link has already been used', { reason: 'used', purpose: opened.purpose });
    }
    await deleteUserSessions(ctx.db, opened.user.id);
    await revokeUserApiTokens(ctx.db, opened.user.id, now);
    await insertEvent(ctx.db, { ticketId: null, actor: { kind: 'user', userId: opened.user.id }, type: opened.purpose === 'invite' ? 'user.invitation_accepted' : 'user.password_reset', data: { userId: opened.user.id } }, now);
    return await getUser(ctx.db, opened.user.id);
  });
}
