// An invitation or password reset mail gets its link when it is sent, never when it is queued: no
// usable link is stored in the outbox, and its lifetime counts from the moment it leaves.
import { PASSWORD_LINK_LIFETIME_MS, makePasswordToken, passwordLinkUrl, type PasswordLinkPurpose } from '../../domain/password-link.ts';
import { findUser } from '../../store/users.ts';
import { PermanentSendError } from '../../outbox/types.ts';
import type { ComposeDeps } from './compose-email.ts';

type Claim = { userId: number; purpose: PasswordLinkPurpose };

function claimOf(vars: Record<string, unknown>): Claim | undefined {
  const c = vars.passwordLink as Partial<Claim> | undefined;
  if (!c || typeof c !== 'object') return undefined;
  if (typeof c.userId !== 'number' || (c.purpose !== 'invite' && c.purpose !== 'reset')) throw new PermanentSendError('invalid password link in the payload');
  return { userId: c.userId, purpose: c.purpose };
}

/** `passwordUrl` and `expiresAt` for a mail that asks for a password link; nothing for others. */
export async function passwordLinkVars(deps: ComposeDeps, vars: Record<string, unknown>): Promise<Record<string, unknown>> {
  const claim = claimOf(vars);
  if (!claim) return {};
  const user = await findUser(deps.db, claim.userId);
  if (!user || !user.active) throw new PermanentSendError('the account was removed or deactivated before the mail went out');
  if (claim.purpose === 'invite' && user.passwordHash) throw new PermanentSendError('the person set a password before the invitation went out');
  const now = deps.clock.now();
  return {
    passwordUrl: passwordLinkUrl(deps.config.publicUrl, makePasswordToken(deps.secrets.token, claim.purpose, user, now)),
    expiresAt: now + PASSWORD_LINK_LIFETIME_MS[claim.purpose],
    account: { email: user.email, role: user.role },
  };
}
