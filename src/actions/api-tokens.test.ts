import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { person } from '../../test/helpers/factories.ts';
import { apiTokens } from '../db/schema.ts';
import { buildServices, type Services } from '../services.ts';
import { updateUser } from '../store/users.ts';
import { authenticateApiToken, createApiToken, revokeApiToken, scopeAllows, tokenHash } from './api-tokens.ts';

describe('API tokens', () => {
  let deps: TestDeps;
  let s: Services;
  beforeEach(async () => {
    deps = await makeTestDeps();
    s = buildServices(deps);
  });
  afterEach(() => deps.close());

  it('stores only a hash, authenticates the live token of an active user, and forgets revoked ones', async () => {
    const agent = await person(s, 'Agent');
    const { token, record } = await createApiToken(s.ctx, agent, { name: 'monitoring' });
    expect(token).toMatch(/^hd_[A-Za-z0-9_-]{43}$/);
    const stored = await deps.db.select().from(apiTokens).all();
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored[0]).toMatchObject({ tokenHash: tokenHash(token), prefix: token.slice(0, 10), name: 'monitoring' });
    expect((await authenticateApiToken(s.ctx, token))?.user.id).toBe(agent.id);
    expect(await authenticateApiToken(s.ctx, `${token}x`)).toBeUndefined();
    await updateUser(deps.db, agent.id, { active: false }, 0);
    expect(await authenticateApiToken(s.ctx, token)).toBeUndefined();
    await updateUser(deps.db, agent.id, { active: true }, 0);
    await revokeApiToken(s.ctx, agent, record.id);
    expect(await authenticateApiToken(s.ctx, token)).toBeUndefined();
  });

  it('refuses a token from the moment it expires; without an expiry it lasts', async () => {
    const agent = await person(s, 'Agent');
    const weekly = await createApiToken(s.ctx, agent, { name: 'weekly', expiresInDays: 7 });
    const lasting = await createApiToken(s.ctx, agent, { name: 'lasting' });
    expect(weekly.record.expiresAt).toBe(deps.clock.now() + 7 * 24 * 3600 * 1000);
    expect(lasting.record.expiresAt).toBeNull();
    deps.clock.advance(7 * 24 * 3600 * 1000 - 1);
    expect(await authenticateApiToken(s.ctx, weekly.token)).toBeDefined();
    deps.clock.advance(1);
    expect(await authenticateApiToken(s.ctx, weekly.token)).toBeUndefined();
    expect(await authenticateApiToken(s.ctx, lasting.token)).toBeDefined();
    await expect(createApiToken(s.ctx, agent, { expiresInDays: 0 })).rejects.toThrow();
    await expect(createApiToken(s.ctx, agent, { scope: 'admin' as 'read' })).rejects.toThrow();
  });

  it('a read-only token may only read', async () => {
    const agent = await person(s, 'Agent');
    const found = await authenticateApiToken(s.ctx, (await createApiToken(s.ctx, agent, { scope: 'read' })).token);
    expect(found?.scope).toBe('read');
    expect(['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE'].filter((m) => scopeAllows('read', m))).toEqual(['GET', 'HEAD']);
    expect(scopeAllows('full', 'PATCH')).toBe(true);
  });

  it('lets people revoke their own tokens and admins anyone\'s', async () => {
    const [a, b, admin] = [await person(s, 'A'), await person(s, 'B'), await person(s, 'Root', 'admin')];
    const t = await createApiToken(s.ctx, a, {});
    await expect(revokeApiToken(s.ctx, b, t.record.id)).rejects.toThrow(/not allowed/);
    await revokeApiToken(s.ctx, admin, t.record.id);
    expect(await authenticateApiToken(s.ctx, t.token)).toBeUndefined();
  });
});
