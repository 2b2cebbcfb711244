// How long a console session lives: it slides forward with use (idle limit) but never past a
// fixed time after sign-in (absolute limit), so a stolen or forgotten session cannot be kept alive.

export const SESSION_IDLE_MS = 14 * 24 * 3600 * 1000;
export const SESSION_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

/** When a session created at `createdAt` and last used at `now` expires. */
export function sessionExpiry(createdAt: number, now: number): number {
  return Math.min(now + SESSION_IDLE_MS, createdAt + SESSION_MAX_AGE_MS);
}

/** Sessions created before this moment are over, however recently they were used. */
export function oldestLiveSessionStart(now: number): number {
  return now - SESSION_MAX_AGE_MS;
}
