// The sign-in lock-out through the web app: one address guessing across accounts, many addresses
// guessing one account, parallel guesses, the admin's list of locks and its lift button.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { recordingLogger, type LogLine } from '../../helpers/log.ts';
import { PASSWORD, person } from '../../helpers/factories.ts';
import { Browser, startTestServer, type TestServer } from '../../helpers/web.ts';

const WINDOW = 15 * 60_000;

describe('sign-in lock-out', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let lines: LogLine[];
  beforeEach(async () => {
    deps = await makeTestDeps();
    ({ log: deps.log, lines } = recordingLogger());
    srv = await startTestServer(deps);
    await person(srv.services, 'Root', 'admin');
  });
  afterEach(async () => {
    await srv.close();
    deps.close();
  });

  const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
  const attempt = async (b: Browser, email: string, password: string, ip: string) => (await b.post('/login', { email, password }, from(ip))).status;
  const refusals = () => lines.filter((l) => l.event === 'sign_in_refused').map((l) => `${String(l.reason)} ${String(l.email)} ${String(l.ip)}`);

  it('locks an address after 10 wrong passwords on 10 different accounts, a right password included', async () => {
    const people = await Promise.all(Array.from({ length: 11 }, (_, i) => person(srv.services, `Agent ${i}`)));
    const b = new Browser(srv.url);
    await b.get('/login');
    for (const p of people.slice(0, 10)) expect(await attempt(b, p.email, 'not the password', '203.0.113.7')).toBe(401);
    const locked = await b.post('/login', { email: people[10].email, password: PASSWORD }, from('203.0.113.7'));
    expect(locked.status).toBe(429);
    expect(locked.text).toContain('Too many failed sign-ins');
    // the same account from another address is fine: only the address is locked
    expect(await attempt(b, people[10].email, PASSWORD, '198.51.100.1')).toBe(303);
    expect(refusals()).toEqual([...people.slice(0, 10).map((p) => `wrong_password ${p.email} 203.0.113.7`), `ip_locked ${people[10].email} 203.0.113.7`]);
  });

  it('locks an account tried from many addresses, also for its right password, and not the addresses', async () => {
    const victim = await person(srv.services, 'Victim');
    const other = await person(srv.services, 'Other');
    const b = new Browser(srv.url);
    await b.get('/login');
    for (let i = 1; i <= 10; i++) expect(await attempt(b, victim.email, `guess ${i}`, `192.0.2.${i}`)).toBe(401);
    expect(await attempt(b, victim.email, PASSWORD, '198.51.100.9')).toBe(429);
    expect(await attempt(b, other.email, PASSWORD, '192.0.2.1')).toBe(303);
    expect(refusals().at(-1)).toBe(`account_locked ${victim.email} 198.51.100.9`);
    // unknown accounts lock the same way, so the lock tells nothing about which emails exist
    const c = new Browser(srv.url);
    await c.get('/login');
    for (let i = 1; i <= 10; i++) expect(await attempt(c, 'nobody@desk.test', 'x', `192.0.2.${100 + i}`)).toBe(401);
    expect(await attempt(c, 'nobody@desk.test', 'x', '198.51.100.10')).toBe(429);
    expect(refusals()).toContain('unknown_account nobody@desk.test 192.0.2.101');
  });

  it('lets the owner in from where they signed in lately while strangers keep the account locked', async () => {
    const victim = await person(srv.services, 'Victim');
    const b = new Browser(srv.url);
    await b.get('/login');
    expect(await attempt(b, victim.email, PASSWORD, '198.51.100.20')).toBe(303);
    // an IPv6 client is known by its /56 network, as it is counted
    const laptop = new Browser(srv.url);
    await laptop.get('/login');
    expect(await attempt(laptop, victim.email, PASSWORD, '2001:db8:1:2::1')).toBe(303);
    deps.clock.advance(60 * 86_400_000);
    const attacker = new Browser(srv.url);
    await attacker.get('/login');
    for (let i = 1; i <= 10; i++) expect(await attempt(attacker, victim.email, 'guess', `192.0.2.${i}`)).toBe(401);
    expect(await attempt(attacker, victim.email, PASSWORD, '192.0.2.50')).toBe(429);
    const owner = new Browser(srv.url);
    await owner.get('/login');
    expect(await attempt(owner, victim.email, PASSWORD, '198.51.100.20')).toBe(303);
    const ipv6 = new Browser(srv.url);
    await ipv6.get('/login');
    expect(await attempt(ipv6, victim.email, PASSWORD, '2001:db8:1:2:aaaa::7')).toBe(303);

    // a client known too long ago is not: 90 days after its last sign-in
    for (let i = 1; i <= 10; i++) await attempt(attacker, victim.email, 'guess', `192.0.2.${i + 10}`);
    deps.clock.advance(89 * 86_400_000);
    for (let i = 1; i <= 10; i++) await attempt(attacker, victim.email, 'guess', `192.0.2.${i + 20}`);
    const late = new Browser(srv.url);
    await late.get('/login');
    expect(await attempt(late, victim.email, PASSWORD, '198.51.100.20')).toBe(303);
    for (let i = 1; i <= 10; i++) await attempt(attacker, victim.email, 'guess', `192.0.2.${i + 30}`);
    deps.clock.advance(91 * 86_400_000);
    for (let i = 1; i <= 10; i++) await attempt(attacker, victim.email, 'guess', `192.0.2.${i + 40}`);
    expect(await attempt(late, victim.email, PASSWORD, '198.51.100.20')).toBe(429);
  });

  it('counts guesses sent in parallel: exactly 10 are checked', async () => {
    const p = await person(srv.services, 'Agent');
    const b = new Browser(srv.url);
    await b.get('/login');
    const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(b, p.email, `parallel ${i}`, '203.0.113.50')));
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  });

  it('keeps locks in the database: another web process sees them; they end with the window', async () => {
    const p = await person(srv.services, 'Agent');
    const b = new Browser(srv.url);
    await b.get('/login');
    for (let i = 0; i < 10; i++) await attempt(b, p.email, 'wrong', '203.0.113.8');
    const second = await startTestServer(deps);
    try {
      const b2 = new Browser(second.url);
      await b2.get('/login');
      expect(await attempt(b2, p.email, PASSWORD, '198.51.100.2')).toBe(429);
      deps.clock.advance(WINDOW);
      expect(await attempt(b2, p.email, PASSWORD, '198.51.100.2')).toBe(303);
    } finally {
      await second.close();
    }
  });

  it('a right password forgives the account its earlier failures, not the address', async () => {
    const p = await person(srv.services, 'Agent');
    const b = new Browser(srv.url);
    await b.get('/login');
    for (let i = 0; i < 9; i++) await attempt(b, p.email, 'wrong', '203.0.113.9');
    expect(await attempt(b, p.email, PASSWORD, '203.0.113.9')).toBe(303);
    const fresh = new Browser(srv.url);
    await fresh.get('/login');
    expect(await attempt(fresh, p.email, 'wrong again', '198.51.100.3')).toBe(401);
    expect(await attempt(fresh, p.email, PASSWORD, '198.51.100.3')).toBe(303);
    // the address still has its 9 failures: one more locks it
    const again = new Browser(srv.url);
    await again.get('/login');
    expect(await attempt(again, 'someone@desk.test', 'x', '203.0.113.9')).toBe(401);
    expect(await attempt(again, p.email, PASSWORD, '203.0.113.9')).toBe(429);
  });

  it('shows the locks to an admin, who lifts one with a CSRF-protected form; agents may not', async () => {
    const victim = await person(srv.services, 'Victim');
    const agent = await person(srv.services, 'Agent');
    const b = new Browser(srv.url);
    await b.get('/login');
    for (let i = 1; i <= 10; i++) await attempt(b, victim.email, 'wrong', `192.0.2.${i}`);
    for (let i = 1; i <= 10; i++) await attempt(b, `x${i}@desk.test`, 'wrong', '203.0.113.99');

    const admin = new Browser(srv.url);
    await admin.login('root@desk.test', PASSWORD);
    const page = await admin.get('/admin/sign-in-locks');
    expect(page.status).toBe(200);
    expect(page.text).toContain(victim.email);
    expect(page.text).toContain('from 10 addresses');
    expect(page.text).toContain('203.0.113.99');
    expect(page.text).toContain('on 10 accounts');

    const forged = await admin.post('/admin/sign-in-locks/lift', { scope: 'account', key: victim.email }, { csrf: false });
    expect(forged.status).toBe(403);
    const ag = new Browser(srv.url);
    await ag.login(agent.email, PASSWORD);
    expect((await ag.get('/admin/sign-in-locks')).status).toBe(403);
    expect((await ag.post('/admin/sign-in-locks/lift', { scope: 'account', key: victim.email })).status).toBe(403);
    expect(await attempt(b, victim.email, PASSWORD, '198.51.100.4')).toBe(429);

    const lifted = await admin.post('/admin/sign-in-locks/lift', { scope: 'account', key: victim.email });
    expect(lifted.status).toBe(303);
    expect(await attempt(b, victim.email, PASSWORD, '198.51.100.4')).toBe(303);
    const after = await admin.get('/admin/sign-in-locks');
    expect(after.text).not.toContain(victim.email);
    expect(after.text).toContain('203.0.113.99');
    expect(lines.find((l) => l.event === 'sign_in_lock_lifted')).toMatchObject({ scope: 'account', key: victim.email, by: 'root@desk.test' });
  });
});
