// Console sessions: the 30-day limit after sign-in, the scheduler's purge, sessions ended by a
// password change or a deactivation, and __Host- cookies behind https.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { PASSWORD, person } from '../../helpers/factories.ts';
import { Browser, startTestServer, type TestServer } from '../../helpers/web.ts';
import { useTestDesk } from '../../helpers/test-desk.ts';
import { createApiToken } from '../../../src/actions/api-tokens.ts';
import { startSession } from '../../../src/actions/users.ts';
import { sessions } from '../../../src/db/schema.ts';
import { schedulerTick } from '../../../src/roles/scheduler.ts';
import { insertSession } from '../../../src/store/sessions.ts';
import { insertSignInFailure } from '../../../src/store/sign-in-failures.ts';
import type { User } from '../../../src/store/users.ts';

const DAY = 24 * 3600 * 1000;

describe('sessions', () => {
  const desk = useTestDesk();
  let agent: User;
  beforeEach(async () => {
    await desk.person('Root', 'admin');
    agent = await desk.person('Agent');
  });

  const signedIn = (email: string) => desk.signIn({ email });
  const isSignedIn = async (b: Browser) => (await b.get('/tickets')).status === 200;

  it('ends a session 30 days after sign-in even when it is used every day', async () => {
    const b = await signedIn(agent.email);
    for (let day = 1; day < 30; day++) {
      desk.deps.clock.advance(DAY);
      expect(await isSignedIn(b), `day ${day}`).toBe(true);
    }
    desk.deps.clock.advance(DAY);
    const r = await b.get('/tickets');
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toMatch(/^\/login/);
  });

  it('ends an idle session after 14 days', async () => {
    const b = await signedIn(agent.email);
    desk.deps.clock.advance(14 * DAY);
    expect(await isSignedIn(b)).toBe(false);
  });

  it('the scheduler deletes expired sessions, sessions past 30 days and failures that no longer count', async () => {
    const ctx = desk.srv.services.ctx;
    const t0 = desk.deps.clock.now();
    await startSession(ctx, agent, {}); // idle: expires after 14 days
    // written before the absolute limit existed: its expiry is far off, but it is 31 days old at the purge
    await insertSession(desk.deps.db, { id: 'old', userId: agent.id, createdAt: t0 - 16 * DAY, lastSeenAt: t0, expiresAt: t0 + 365 * DAY });
    await insertSignInFailure(desk.deps.db, { email: agent.email, ip: '192.0.2.1', at: t0 });
    desk.deps.clock.advance(15 * DAY);
    await startSession(ctx, agent, {}); // fresh
    await insertSignInFailure(desk.deps.db, { email: agent.email, ip: '192.0.2.1', at: desk.deps.clock.now() });
    expect((await schedulerTick(ctx)).purged).toEqual({ sessions: 2, failures: 1, knownClients: 0, rateLimits: 0, portalSignIns: 0 });
    expect((await desk.deps.db.select().from(sessions).all()).map((s) => s.createdAt)).toEqual([desk.deps.clock.now()]);
    expect((await schedulerTick(ctx)).purged).toEqual({ sessions: 0, failures: 0, knownClients: 0, rateLimits: 0, portalSignIns: 0 });
  });

  const tokenStatus = async (token: string) => (await fetch(`${desk.srv.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status;

  it('a password change by the user ends their other sessions, keeps the one that made it, and revokes their API tokens', async () => {
    const { token } = await createApiToken(desk.srv.services.ctx, agent, { name: 'made with the old password' });
    expect(await tokenStatus(token)).toBe(200);
    const here = await signedIn(agent.email);
    const elsewhere = await signedIn(agent.email);
    await here.get('/profile');
    const r = await here.post('/profile/password', { current: PASSWORD, password: 'a brand new password' });
    expect(r.status).toBe(303);
    expect(r.location).toBe('/profile');
    expect(await isSignedIn(here)).toBe(true);
    expect(await isSignedIn(elsewhere)).toBe(false);
    expect(await tokenStatus(token)).toBe(401);
  });

  it('an admin setting a password ends every session of that person and revokes their API tokens', async () => {
    const { token } = await createApiToken(desk.srv.services.ctx, agent, { name: 'made with the old password' });
    const a = await signedIn(agent.email);
    const admin = await signedIn('root@desk.test');
    await admin.get(`/admin/users/${agent.id}`);
    expect((await admin.post(`/admin/users/${agent.id}/password`, { password: 'set by the admin' })).status).toBe(303);
    expect(await isSignedIn(a)).toBe(false);
    expect(await isSignedIn(admin)).toBe(true);
    expect(await tokenStatus(token)).toBe(401);
  });

  it('deactivation ends every session and revokes every API token, for good', async () => {
    const a = await signedIn(agent.email);
    const { token } = await createApiToken(desk.srv.services.ctx, agent, { name: 'script' });
    const me = async () => (await fetch(`${desk.srv.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status;
    expect(await me()).toBe(200);
    const admin = await signedIn('root@desk.test');
    await admin.get(`/admin/users/${agent.id}`);
    const form = { name: agent.name, role: 'agent', locale: 'en', timeZone: 'UTC', available: 'on' };
    expect((await admin.post(`/admin/users/${agent.id}`, form)).status).toBe(303);
    expect(await isSignedIn(a)).toBe(false);
    expect(await me()).toBe(401);
    // signing the person in again does not bring the old token back
    expect((await admin.post(`/admin/users/${agent.id}`, { ...form, active: 'on' })).status).toBe(303);
    expect(await me()).toBe(401);
    expect((await admin.get('/admin/tokens')).text).toContain('revoked');
  });
});

describe('session cookies behind https', () => {
  let deps: TestDeps;
  let srv: TestServer;
  afterEach(async () => {
    await srv.close();
    deps.close();
  });

  const cookieNamed = (headers: Headers, name: string) => headers.getSetCookie().find((c) => c.startsWith(`${name}=`));

  it('names the session and CSRF cookies __Host-: Secure, Path=/, no Domain', async () => {
    deps = await makeTestDeps({ PUBLIC_URL: 'https://help.example.com' });
    srv = await startTestServer(deps);
    const agent = await person(srv.services, 'Agent');
    const b = new Browser(srv.url);
    const page = await b.get('/login');
    for (const name of ['__Host-hd_anon', '__Host-hd.csrf']) {
      const c = cookieNamed(page.headers, name);
      expect(c, name).toMatch(/; Path=\/(;|$)/);
      expect(c, name).toMatch(/; Secure/);
      expect(c, name).not.toMatch(/Domain=/i);
    }
    const r = await b.post('/login', { email: agent.email, password: PASSWORD });
    expect(r.status).toBe(303);
    const session = cookieNamed(r.headers, '__Host-hd_session');
    expect(session).toMatch(/; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    expect(session).not.toMatch(/Domain=/i);
    expect(r.headers.getSetCookie().some((c) => c.startsWith('hd_session='))).toBe(false);
    expect((await b.get('/tickets')).status).toBe(200);
    const out = await b.post('/logout', {});
    expect(cookieNamed(out.headers, '__Host-hd_session')).toMatch(/Expires=Thu, 01 Jan 1970.*; Secure/);
  });

  it('keeps plain names over http (a browser refuses __Host- cookies there)', async () => {
    deps = await makeTestDeps();
    srv = await startTestServer(deps);
    const agent = await person(srv.services, 'Agent');
    const b = new Browser(srv.url);
    await b.get('/login');
    const r = await b.post('/login', { email: agent.email, password: PASSWORD });
    expect(cookieNamed(r.headers, 'hd_session')).not.toMatch(/Secure/);
  });
});
