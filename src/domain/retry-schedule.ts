// When a failed send is tried again: exponential backoff with a cap, then the row is dead.
export type RetryPolicy = {
  /** attempts in all; after the last failure the row is dead */
  maxAttempts: number;
  /** wait after the first failure; doubles after each further one */
  baseMs: number;
  /** longest wait between two attempts */
  maxMs: number;
};

// 1, 2, 4 … 64 min, then 2 h: ten attempts spread over about six hours
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 10, baseMs: 60_000, maxMs: 2 * 3_600_000 };

/** After `attempts` failed attempts: the time of the next one, or null when there is none left. */
export function nextAttemptAt(policy: RetryPolicy, attempts: number, now: number): number | null {
  if (attempts >= policy.maxAttempts) return null;
  const delay = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return now + delay;
}

/** How long a channel that cannot be reached at all (connection refused, login failed) is left alone. */
export function channelPauseMs(consecutiveOutages: number, baseMs = 5_000, maxMs = 5 * 60_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, consecutiveOutages - 1));
}
