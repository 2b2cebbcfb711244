// Signing in with the lock-out: failures are counted per account and per client address in the
// database (so every web process sees the same counts, also after a restart), and every refusal
// is logged with its reason.
import type { User } from '../store/users.ts';
import { inTransaction } from '../db/client.ts';
import { decideSignIn, KNOWN_CLIENT_MS, lockEndsAt, windowStart } from '../domain/sign-in-throttle.ts';
import { deleteExpiredSessions } from '../store/sessions.ts';
import { countSignInFailures, deleteSignInFailure, deleteSignInFailuresBefore, insertSignInFailure, liftSignInFailures, listSignInLocks, type LockScope, type SignInLock } from '../store/sign-in-failures.ts';
import { deleteKnownClientsBefore, isKnownClient, recordKnownClient } from '../store/sign-in-known-clients.ts';
import { invalid } from '../domain/errors.ts';
import type { Deps } from '../deps.ts';
import type { Ctx } from './context.ts';
import { requirePermission } from './tickets.ts';
import { authenticate } from './users.ts';

export type SignInRefusal = 'unknown_account' | 'inactive_account' | 'wrong_password' | 'wrong_setup_code' | 'account_locked' | 'ip_locked';

export type SignInResult = { ok: true; user: User } | { ok: false; reason: SignInRefusal; locked: boolean };

/** What counting attempts needs: the SMTP listener counts its AUTH failures with the same lock-out. */
type AttemptDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

const normalEmail = (email: string) => email.trim().toLowerCase().slice(0, 320);

const REFUSAL_EVENTS = { 'sign-in': 'sign_in_refused', setup: 'setup_refused', 'smtp-auth': 'smtp_auth_refused' } as const;

/** One structured line per refusal, for people watching the log (and fail2ban). */
export function logRefusal(deps: Pick<Deps, 'log'>, what: keyof typeof REFUSAL_EVENTS, reason: SignInRefusal, email: string | null, ip: string): void {
  deps.log.warn({ event: REFUSAL_EVENTS[what], reason, email, ip }, `${what} refused: ${reason}`);
}

/**
 * Counts an attempt as a failure before anything is checked, unless the account or the address
 * is locked (then says which). Check and count are one transaction, so guesses sent in parallel
 * cannot all slip under the limit.
 */
export async function beginAttempt(ctx: AttemptDeps, email: string | null, ip: string): Promise<{ id: number } | { locked: 'account_locked' | 'ip_locked' }> {
  const now = ctx.clock.now();
  const limits = ctx.config.signIn;
  return await inTransaction(ctx.db, async () => {
    const known = email !== null && await isKnownClient(ctx.db, { email, ip, since: now - KNOWN_CLIENT_MS });
    const decision = decideSignIn(await countSignInFailures(ctx.db, { email, ip, since: windowStart(now, limits) }), limits, known);
    return decision === 'allow' ? { id: await insertSignInFailure(ctx.db, { email, ip, at: now }) } : { locked: decision };
  });
}

/**
 * The attempt proved right: it is no failure, the account's earlier failures are forgiven (the
 * address's are not), and the client becomes known to the account.
 */
export async function forgiveAttempt(ctx: AttemptDeps, attempt: { id: number; ip: string }, email: string | null): Promise<void> {
  await inTransaction(ctx.db, async () => {
    await deleteSignInFailure(ctx.db, attempt.id);
    if (email === null) return;
    await liftSignInFailures(ctx.db, 'account', email);
    await recordKnownClient(ctx.db, { email, ip: attempt.ip, at: ctx.clock.now() });
  });
}

/** A correct password is refused too while the account or the address is locked. */
export async function signIn(ctx: Ctx, input: { email: string; password: string; ip: string }): Promise<SignInResult> {
  const email = normalEmail(input.email);
  const attempt = await beginAttempt(ctx, email, input.ip);
  if ('locked' in attempt) {
    logRefusal(ctx, 'sign-in', attempt.locked, email, input.ip);
    return { ok: false, reason: attempt.locked, locked: true };
  }
  const checked = await authenticate(ctx, email, input.password);
  if (!checked.ok) {
    logRefusal(ctx, 'sign-in', checked.reason, email, input.ip);
    return { ok: false, reason: checked.reason, locked: false };
  }
  await forgiveAttempt(ctx, { id: attempt.id, ip: input.ip }, email);
  return { ok: true, user: checked.user };
}

/** An admin lifts the lock of an account (email) or an address. */
export async function liftSignInLock(ctx: Ctx, admin: User, input: { scope: string; key: string }): Promise<number> {
  requirePermission(admin, 'user.manage');
  return await liftLock(ctx, input, admin.email);
}

/**
 * Lifts a lock on behalf of `by` (an admin's email, or the command line on the server, which
 * needs no account: it is how a desk whose every admin is locked out gets back in).
 */
export async function liftLock(ctx: Ctx, input: { scope: string; key: string }, by: string): Promise<number> {
  if (input.scope !== 'account' && input.scope !== 'ip') throw invalid('Choose an account or an address');
  const scope: LockScope = input.scope;
  const key = scope === 'account' ? normalEmail(input.key) : input.key.trim();
  const lifted = await liftSignInFailures(ctx.db, scope, key);
  ctx.log.info({ event: 'sign_in_lock_lifted', scope, key, by, failures: lifted }, 'sign-in lock lifted');
  return lifted;
}

/** The accounts and addresses locked now, with when each lock ends by itself. */
export async function currentSignInLocks(ctx: Ctx): Promise<(SignInLock & { until: number })[]> {
  const limits = ctx.config.signIn;
  const locks = await listSignInLocks(ctx.db, windowStart(ctx.clock.now(), limits), { account: limits.failuresPerAccount, ip: limits.failuresPerIp });
  return locks.map((l) => ({ ...l, until: lockEndsAt(l.firstAt, limits) }));
}

/** Scheduler: deletes sessions that can no longer be used, failures that no longer count and clients no longer known. */
export async function purgeSignInRecords(ctx: Ctx, now: number): Promise<{ sessions: number; failures: number; knownClients: number }> {
  return {
    sessions: await deleteExpiredSessions(ctx.db, now),
    failures: await deleteSignInFailuresBefore(ctx.db, windowStart(now, ctx.config.signIn)),
    knownClients: await deleteKnownClientsBefore(ctx.db, now - KNOWN_CLIENT_MS),
  };
}
