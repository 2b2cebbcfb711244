// API tokens over HTTP: an expiry chosen when the token is made, read-only tokens, and both
// shown in the token lists.
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestDesk } from '../../helpers/test-desk.ts';
import { createApiToken } from '../../../src/actions/api-tokens.ts';
import { listApiTokens } from '../../../src/store/api-tokens.ts';
import type { User } from '../../../src/store/users.ts';

const DAY = 24 * 3600 * 1000;

describe('API token expiry and scope', () => {
  const desk = useTestDesk();
  let agent: User;
  beforeEach(async () => {
    agent = await desk.person('Agent');
  });

  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${desk.srv.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as { error?: { code: string; message: string } } };
  };

  it('answers 401 once a token has expired', async () => {
    const { token } = await createApiToken(desk.srv.services.ctx, agent, { expiresInDays: 30 });
    expect((await call(token, 'GET', '/me')).status).toBe(200);
    desk.deps.clock.advance(30 * DAY);
    const r = await call(token, 'GET', '/me');
    expect(r.status).toBe(401);
    expect(r.json.error?.message).toMatch(/expired/);
  });

  it('answers 403 to a read-only token on every unsafe method, and reads for it', async () => {
    const { token } = await createApiToken(desk.srv.services.ctx, agent, { scope: 'read' });
    const full = (await createApiToken(desk.srv.services.ctx, agent, {})).token;
    const ticket = { subject: 'Printer', body: 'Jams', requester_email: 'anna@client.example' };
    expect((await call(full, 'POST', '/tickets', ticket)).status).toBe(201);
    expect((await call(token, 'GET', '/tickets')).status).toBe(200);
    expect((await call(token, 'GET', '/tickets/1')).status).toBe(200);
    for (const [method, path, body] of [['POST', '/tickets', ticket], ['PATCH', '/tickets/1', { priority: 'high' }], ['POST', '/tickets/1/notes', { body: 'x' }], ['DELETE', '/tickets/1', undefined]] as const) {
      const r = await call(token, method, path, body);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.json.error).toMatchObject({ code: 'forbidden', message: 'This token is read-only' });
    }
  });

  it('makes tokens with a lifetime and a scope on the profile page and lists both', async () => {
    const b = await desk.signIn(agent);
    const page = await b.get('/profile');
    expect(page.text).toContain('name="expiresInDays"');
    expect(page.text).toContain('name="scope"');
    const made = await b.post('/profile/tokens', { name: 'reports', scope: 'read', expiresInDays: '7' });
    expect(made.status).toBe(200);
    await b.post('/profile/tokens', { name: 'deploy', scope: 'full', expiresInDays: '' });
    const [deploy, reports] = await listApiTokens(desk.deps.db, { userId: agent.id });
    expect(reports).toMatchObject({ name: 'reports', scope: 'read', expiresAt: desk.deps.clock.now() + 7 * DAY });
    expect(deploy).toMatchObject({ name: 'deploy', scope: 'full', expiresAt: null });
    const row = (html: string, name: string) => html.slice(html.indexOf(`<td>${name}</td>`), html.indexOf('</tr>', html.indexOf(`<td>${name}</td>`)));
    const list = (await b.get('/profile')).text;
    expect(row(list, 'reports')).toContain('Read-only');
    expect(row(list, 'reports')).toContain(new Date(reports.expiresAt!).toISOString());
    expect(row(list, 'deploy')).toContain('Full');
    expect(row(list, 'deploy')).toContain('Never');
    desk.deps.clock.advance(7 * DAY);
    expect(row((await b.get('/profile')).text, 'reports')).toContain('expired');
    expect((await b.post('/profile/tokens', { name: 'bad', expiresInDays: 'soon' })).status).toBe(422);

    const admin = await desk.person('Root', 'admin');
    const ab = await desk.signIn(admin);
    const all = (await ab.get('/admin/tokens')).text;
    expect(all).toContain('Read-only');
    expect(all).toContain('expired');
  });
});
