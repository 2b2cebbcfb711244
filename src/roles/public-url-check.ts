// At start, when PUBLIC_URL is set: does it lead to this desk? Links in mail, the requester's view
// of a ticket and Twilio's webhooks all use it, and a wrong port or host is otherwise found only
// when someone opens a link. Asks PUBLIC_URL/healthz for a proof only this desk can give
// (domain/desk-proof.ts); never blocks the start, only warns.
import type { Logger } from 'pino';
import { newChallenge, provesDesk } from '../domain/desk-proof.ts';

export type PublicUrlCheck = { ok: true } | { ok: false; url: string; problem: string };

export async function checkPublicUrl(input: { publicUrl: string; secret: string; timeoutMs?: number }): Promise<PublicUrlCheck> {
  const challenge = newChallenge();
  const url = `${input.publicUrl}/healthz?challenge=${challenge}`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(input.timeoutMs ?? 5000), headers: { accept: 'application/json' } });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, url, problem: `no answer: ${cause?.code ?? cause?.message ?? (err as Error).message}` };
  }
  if (!res.ok) return { ok: false, url, problem: `answered HTTP ${res.status}` };
  const body = (await res.json().catch(() => undefined)) as { proof?: unknown } | undefined;
  if (!provesDesk(input.secret, challenge, body?.proof)) return { ok: false, url, problem: 'something else answers there (not this desk)' };
  return { ok: true };
}

/** Runs the check in the background and logs the outcome; a wrong PUBLIC_URL is a warning. */
export function warnIfPublicUrlIsWrong(input: { publicUrl: string; secret: string; log: Pick<Logger, 'warn' | 'info'> }): Promise<PublicUrlCheck> {
  return checkPublicUrl(input).then((r) => {
    if (r.ok) input.log.info({ publicUrl: input.publicUrl }, 'PUBLIC_URL leads to this desk');
    else input.log.warn({ publicUrl: input.publicUrl, tried: r.url, problem: r.problem },
      `PUBLIC_URL (${input.publicUrl}) does not lead to this desk: ${r.url} ${r.problem}. Links in mail and SMS and Twilio's webhooks use it; set PUBLIC_URL to the address people open.`);
    return r;
  });
}
