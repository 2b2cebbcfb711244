// A requester's portal sign-in mail gets its link when it is sent, never when it is queued: no
// usable link is stored in the outbox (the sign-in row keeps only its hash).
import { makeSignInToken } from '../../domain/portal-sign-in.ts';
import { PermanentSendError } from '../../outbox/types.ts';
import { findPortalSignIn } from '../../store/portal-sign-ins.ts';
import type { ComposeDeps } from './compose-email.ts';

/** `signInUrl` and `expiresAt` for a mail that asks for a portal sign-in link; nothing for others. */
export async function portalSignInVars(deps: ComposeDeps, vars: Record<string, unknown>): Promise<Record<string, unknown>> {
  const claim = vars.portalSignIn as { id?: unknown } | undefined;
  if (!claim || typeof claim !== 'object') return {};
  if (typeof claim.id !== 'number') throw new PermanentSendError('invalid portal sign-in in the payload');
  const row = await findPortalSignIn(deps.db, claim.id);
  if (!row || row.usedAt !== null) throw new PermanentSendError('the sign-in was removed or used before the mail went out');
  if (row.expiresAt <= deps.clock.now()) throw new PermanentSendError('the sign-in expired before the mail went out');
  return { signInUrl: `${deps.config.publicUrl}/portal/sign-in/${makeSignInToken(deps.secrets.token, row)}`, expiresAt: row.expiresAt };
}
