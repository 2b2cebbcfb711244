// Whether a sign-in may be tried, from the recent failures of its account and of its client
// address. Each is limited on its own: one address guessing across many accounts and many
// addresses guessing one account are both stopped. A locked account still lets in a client it
// signed in from within KNOWN_CLIENT_MS, so strangers' failures cannot keep its owner out; such a
// client is still held to its address's own limit.

export type SignInLimits = { failuresPerAccount: number; failuresPerIp: number; windowMs: number };

export type SignInDecision = 'allow' | 'account_locked' | 'ip_locked';

/** How long a successful sign-in makes its client known to the account. */
export const KNOWN_CLIENT_MS = 90 * 86_400_000;

/** `account`, `ip`: failures not lifted within the window; `knownClient`: the account signed in from this client lately. */
export function decideSignIn(recent: { account: number; ip: number }, limits: SignInLimits, knownClient = false): SignInDecision {
  if (recent.ip >= limits.failuresPerIp) return 'ip_locked';
  if (recent.account >= limits.failuresPerAccount && !knownClient) return 'account_locked';
  return 'allow';
}

/** Failures at or after this moment count. */
export function windowStart(now: number, limits: SignInLimits): number {
  return now - limits.windowMs + 1;
}

/**
 * When a lock ends by itself: once its oldest counted failure leaves the window, the count is
 * below the limit again (a lock has exactly `limit` failures, as locked attempts add none).
 */
export function lockEndsAt(oldestFailureAt: number, limits: SignInLimits): number {
  return oldestFailureAt + limits.windowMs;
}
