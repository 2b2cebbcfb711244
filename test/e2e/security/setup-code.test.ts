// The first-run setup page when the desk listens beyond loopback: it needs the one-time code
// from the log; wrong codes are refused, logged and count towards the address's lock-out.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { recordingLogger, type LogLine } from '../../helpers/log.ts';
import { Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../helpers/web.ts';
import { countUsers } from '../../../src/store/users.ts';

describe('setup off loopback', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let lines: LogLine[];
  beforeEach(async () => {
    deps = await makeTestDeps({ HOST: '0.0.0.0' });
    ({ log: deps.log, lines } = recordingLogger());
    srv = await startTestServer(deps);
  });
  afterEach(async () => {
    await srv.close();
    deps.close();
  });

  const admin = { name: 'Admin', email: 'admin@desk.test', password: TEST_PASSWORD, passwordConfirm: TEST_PASSWORD };
  const code = () => String(lines.find((l) => l.event === 'setup_code')?.setupCode);

  it('asks for the code from the log and refuses a wrong one', async () => {
    expect(code()).toMatch(/^[A-Z2-9]{4}-/);
    const b = new Browser(srv.url);
    const page = await b.get('/setup');
    expect(page.text).toContain('name="setupCode"');
    expect(page.text).not.toContain(code());
    const missing = await b.post('/setup', admin, { headers: { 'x-forwarded-for': '203.0.113.4' } });
    expect(missing.status).toBe(403);
    expect(missing.text).toContain('setup code is not right');
    const wrong = await b.post('/setup', { ...admin, setupCode: 'AAAA-BBBB-CCCC-DDDD' }, { headers: { 'x-forwarded-for': '203.0.113.4' } });
    expect(wrong.status).toBe(403);
    expect(await countUsers(deps.db)).toBe(0);
    expect(lines.filter((l) => l.event === 'setup_refused').map((l) => [l.reason, l.ip])).toEqual([
      ['wrong_setup_code', '203.0.113.4'],
      ['wrong_setup_code', '203.0.113.4'],
    ]);

    const ok = await b.post('/setup', { ...admin, setupCode: code().toLowerCase() });
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/tickets');
    expect(await countUsers(deps.db)).toBe(1);
    expect((await b.get('/tickets')).status).toBe(200);
  });

  it('locks the address after 10 wrong codes, then refuses even the right one', async () => {
    const b = new Browser(srv.url);
    await b.get('/setup');
    const from = { headers: { 'x-forwarded-for': '203.0.113.5' } };
    for (let i = 0; i < 10; i++) expect((await b.post('/setup', { ...admin, setupCode: `WRONG-${i}` }, from)).status).toBe(403);
    expect((await b.post('/setup', { ...admin, setupCode: code() }, from)).status).toBe(429);
    expect(lines.at(-1)).toMatchObject({ event: 'setup_refused', reason: 'ip_locked', ip: '203.0.113.5' });
    expect(await countUsers(deps.db)).toBe(0);
    // another address with the code gets through
    expect((await b.post('/setup', { ...admin, setupCode: code() }, { headers: { 'x-forwarded-for': '198.51.100.5' } })).status).toBe(303);
  });
});

describe('setup on loopback', () => {
  it('needs no code, as before', async () => {
    const deps = await makeTestDeps({ HOST: '127.0.0.1' });
    const srv = await startTestServer(deps);
    try {
      const b = new Browser(srv.url);
      expect((await b.get('/setup')).text).not.toContain('name="setupCode"');
      expect((await b.post('/setup', { name: 'Admin', email: 'admin@desk.test', password: TEST_PASSWORD, passwordConfirm: TEST_PASSWORD })).status).toBe(303);
    } finally {
      await srv.close();
      deps.close();
    }
  });
});
