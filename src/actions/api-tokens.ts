// API tokens: "hd_" + 32 random bytes. Only the SHA-256 is stored, with a short prefix so people
// can tell their tokens apart; the token itself is shown once, when it is made.
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { API_TOKEN_SCOPES, type ApiTokenScope } from '../db/schema.ts';
import { can } from '../domain/permissions.ts';
import { findApiToken, findLiveApiToken, insertApiToken, revokeApiToken as revoke, touchApiToken, type ApiToken } from '../store/api-tokens.ts';
import { forbidden, notFound } from '../domain/errors.ts';
import type { User } from '../store/users.ts';
import type { Deps } from '../deps.ts';
import { requirePermission } from './tickets.ts';
import { parseInput } from './validate.ts';
import { pickFields, recordAudit } from './audit.ts';
import { inTransaction } from '../db/client.ts';

/** A token as the audit log keeps it: never the token or its hash. */
function auditToken(deps: Deps, by: User | null, action: string, before: ApiToken | null, after: ApiToken): Promise<void> {
  const fields = ['userId', 'name', 'prefix', 'scope', 'expiresAt', 'revokedAt'] as const;
  return recordAudit(deps, by, { kind: 'api_token', id: after.id, label: `${after.name} (${after.prefix}…)` }, action, {
    before: before && pickFields(before, fields), after: pickFields(after, fields),
  });
}

export const TOKEN_PREFIX = 'hd_';

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const DAY_MS = 24 * 3600 * 1000;

export const newTokenSchema = z.object({
  name: z.string().trim().max(100).default(''),
  /** empty: the token does not expire */
  expiresInDays: z.coerce.number({ message: 'Choose how long the token lasts' }).int().min(1).max(3650).nullish(),
  scope: z.enum(API_TOKEN_SCOPES, { message: 'Choose full access or read-only' }).default('full'),
});

/** `opts.by`: who made it, for the audit log — the owner, unless the command line made it for them (null). */
export async function createApiToken(deps: Deps, user: User, input: z.input<typeof newTokenSchema>, opts: { by?: User | null } = {}): Promise<{ token: string; record: ApiToken }> {
  requirePermission(user, 'token.manage');
  const v = parseInput(newTokenSchema, input);
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  const record = await inTransaction(deps.db, async () => {
    const made = await insertApiToken(
      deps.db,
      { userId: user.id, name: v.name || 'API token', tokenHash: tokenHash(token), prefix: token.slice(0, 10), scope: v.scope, expiresAt: v.expiresInDays ? now + v.expiresInDays * DAY_MS : null },
      now,
    );
    await auditToken(deps, opts.by === undefined ? user : opts.by, 'created', null, made);
    return made;
  });
  return { token, record };
}

/** The user a bearer token belongs to, when the token is live (not revoked or expired) and the user active. */
export async function authenticateApiToken(deps: Deps, token: string): Promise<{ user: User; tokenId: number; scope: ApiTokenScope } | undefined> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return undefined;
  const now = deps.clock.now();
  const found = await findLiveApiToken(deps.db, tokenHash(token), now);
  if (!found) return undefined;
  // "last used" is for people reading the token list; once a minute is precise enough
  if (!found.token.lastUsedAt || now - found.token.lastUsedAt > 60_000) await touchApiToken(deps.db, found.token.id, now);
  return { user: found.user, tokenId: found.token.id, scope: found.token.scope };
}

/** What a token of this scope may do with an HTTP method: a read-only token only reads. */
export function scopeAllows(scope: ApiTokenScope, method: string): boolean {
  return scope === 'full' || ['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

/** Revokes a token: one's own, or anyone's for an admin. */
export async function revokeApiToken(deps: Deps, user: User, id: number): Promise<void> {
  requirePermission(user, 'token.manage');
  await inTransaction(deps.db, async () => {
    const t = await findApiToken(deps.db, id);
    if (!t) throw notFound('API token');
    if (t.userId !== user.id && !can(user.role, 'token.admin')) throw forbidden();
    await revoke(deps.db, id, deps.clock.now());
    const after = await findApiToken(deps.db, id);
    if (after && after.revokedAt !== t.revokedAt) await auditToken(deps, user, 'revoked', t, after);
  });
}
