// Three real desk processes on one PostgreSQL database behind nginx, configured by the sample in
// deploy/nginx/helpdesk.conf (only its ports and log path changed): setup and sign-in work through
// any instance, a session and a form's CSRF token work on every instance (no sticky sessions),
// the client address reaches the desk, and when one instance is killed the console goes on
// answering — pages and forms — from the other two.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type DeskProcess } from '../../helpers/desk-process.ts';
import { freePort } from '../../helpers/dovecot.ts';
import { startNginx, type Nginx } from '../../helpers/nginx.ts';
import { startPostgres, type PostgresCluster } from '../../helpers/postgres.ts';
import { Browser, TEST_PASSWORD } from '../../helpers/web.ts';

const SAMPLE = readFileSync(new URL('../../../deploy/nginx/helpdesk.conf', import.meta.url), 'utf8');
const SAMPLE_PORTS = [3001, 3002, 3003];

/**
 * The sample with this run's ports and paths, swapped in on the lines that are not comments: the
 * three instances' ports, nginx's listener (a free port on loopback instead of port 80) and the
 * access log's path.
 */
function siteConfig(ports: number[], listen: number, accessLog: string): string {
  const swaps: [string, string][] = [
    ...SAMPLE_PORTS.map((p, i): [string, string] => [`127.0.0.1:${p} `, `127.0.0.1:${ports[i]} `]),
    ['listen 80;', `listen 127.0.0.1:${listen};`],
    ['/var/log/nginx/helpdesk.access.log', accessLog],
  ];
  return SAMPLE.split('\n')
    .map((line) => (line.trimStart().startsWith('#') ? line : swaps.reduce((l, [from, to]) => l.replace(from, to), line)))
    .join('\n');
}

/** One line of the sample's access log: the request and which instances it went to, in order. */
type Served = { method: string; path: string; status: number; upstreams: number[]; upstreamStatuses: string[] };

function parseAccessLog(text: string): Served[] {
  return text.split('\n').filter(Boolean).map((line) => {
    const m = /"(\S+) (\S+) [^"]*" (\d{3}) \d+ upstream="([^"]*)" upstream_status="([^"]*)"/.exec(line);
    if (!m) throw new Error(`an access log line the sample's format does not make: ${line}`);
    const list = (s: string) => s.split(/,\s*/).filter((x) => x && x !== '-');
    return { method: m[1], path: m[2], status: Number(m[3]), upstreams: list(m[4]).map((a) => Number(a.split(':').pop())), upstreamStatuses: list(m[5]) };
  });
}

/** A request from another loopback address (nginx sees it as the client's), with headers of our choosing. */
function requestFrom(localAddress: string, url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; cookies: string[]; text: string }>((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers, localAddress }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, cookies: res.headers['set-cookie'] ?? [], text }));
    });
    req.once('error', reject);
    req.end(opts.body);
  });
}

let cluster: PostgresCluster;
let nginx: Nginx;
let dataDir: string;
let desks: DeskProcess[] = [];
let ports: number[];
let base: string;
let accessLog: string;
const served = () => parseAccessLog(readFileSync(accessLog, 'utf8'));

/** The access log's lines for the requests that match, once there are `count` of them (nginx writes a line just after the response). */
async function logged(match: (s: Served) => boolean, count: number): Promise<Served[]> {
  await expect.poll(() => served().filter(match).length).toBe(count);
  return served().filter(match);
}

beforeAll(async () => {
  cluster = await startPostgres();
  const url = cluster.url(await cluster.createDatabase());
  ports = [await freePort(), await freePort(), await freePort()];
  const listen = await freePort();
  base = `http://127.0.0.1:${listen}`;
  // one machine: the three instances share DATA_DIR (and startDesk gives them one SESSION_SECRET);
  // every role on each, as the README recommends. PUBLIC_URL is not loopback, as in production,
  // so the setup page asks for a code from a desk's log.
  dataDir = mkdtempSync(path.join(tmpdir(), 'helpdesk-nginx-desks-'));
  const start = (port: number) => startDesk({
    dataDir,
    roles: 'web,intake,outbox,scheduler',
    env: { DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://helpdesk.test:${listen}` },
  });
  // the first one on its own, then the other two together, as the README says for a new desk
  desks = [start(ports[0])];
  await desks[0].started;
  desks.push(start(ports[1]), start(ports[2]));
  await Promise.all(desks.map((d) => d.started));
  nginx = await startNginx({
    port: listen,
    site: (dir) => {
      accessLog = path.join(dir, 'helpdesk.access.log');
      return siteConfig(ports, listen, accessLog);
    },
  });
}, 120_000);

afterAll(async () => {
  await nginx?.stop();
  await Promise.all(desks.map((d) => d.stop()));
  cluster?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('three desk instances behind the sample nginx configuration', () => {
  const browser = () => (admin ??= new Browser(base));
  let admin: Browser | undefined;
  let ticket = 0;

  it('runs the sample itself: only its ports and log path are changed', () => {
    const sample = SAMPLE.split('\n');
    const used = readFileSync(path.join(nginx.dir, 'site.conf'), 'utf8').split('\n');
    expect(used).toHaveLength(sample.length);
    const changed = sample.flatMap((line, i) => (line === used[i] ? [] : [`${line.trim()} → ${used[i].trim()}`]));
    expect(changed).toEqual([
      `server 127.0.0.1:3001 max_fails=1 fail_timeout=10s; → server 127.0.0.1:${ports[0]} max_fails=1 fail_timeout=10s;`,
      `server 127.0.0.1:3002 max_fails=1 fail_timeout=10s; → server 127.0.0.1:${ports[1]} max_fails=1 fail_timeout=10s;`,
      `server 127.0.0.1:3003 max_fails=1 fail_timeout=10s; → server 127.0.0.1:${ports[2]} max_fails=1 fail_timeout=10s;`,
      `listen 80; → listen ${new URL(base).host};`,
      `access_log /var/log/nginx/helpdesk.access.log helpdesk; → access_log ${accessLog} helpdesk;`,
    ]);
  });

  it('sets up the desk and signs in through nginx; the session works on every instance', async () => {
    const b = browser();
    expect((await b.get('/')).headers.get('location')).toBe('/setup');
    expect((await b.get('/setup')).text).toContain('name="setupCode"');
    // the code one process printed works on whichever process serves the form
    const code = /"setupCode":"([A-Z0-9-]+)"/.exec(desks[0].log())?.[1];
    expect(code).toBeDefined();
    const setup = await b.post('/setup', { name: 'Admin', email: 'admin@desk.test', password: TEST_PASSWORD, passwordConfirm: TEST_PASSWORD, setupCode: code! });
    expect(setup.status, setup.text).toBe(303);
    expect((await b.get('/tickets')).text).toContain('The desk is ready');

    await b.post('/logout', {});
    expect((await b.get('/tickets')).status).toBe(303);
    await b.login('admin@desk.test', TEST_PASSWORD);
    for (let i = 0; i < 6; i++) {
      const page = await b.get(`/tickets?probe=${i}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Admin');
    }
    // the signed-in pages came from all three instances, one after the other
    const probes = await logged((s) => s.path.startsWith('/tickets?probe='), 6);
    expect(probes.map((s) => s.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(new Set(probes.flatMap((s) => s.upstreams))).toEqual(new Set(ports));
  });

  it('gives the desk the browser\'s address, not nginx\'s or one the browser made up', async () => {
    // a client at 127.0.0.2 claiming to be 203.0.113.9 signs in with a wrong password
    const page = await requestFrom('127.0.0.2', `${base}/login`);
    const cookie = page.cookies.map((c) => c.split(';')[0]).join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const body = new URLSearchParams({ _csrf: csrf, email: 'admin@desk.test', password: 'not the password' }).toString();
    const res = await requestFrom('127.0.0.2', `${base}/login`, {
      method: 'POST', body,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.9' },
    });
    expect(res.status).toBe(401);
    // the desk's log line reaches this process through a pipe, maybe after the answer
    const refusal = () => desks.flatMap((d) => d.log().split('\n')).find((l) => l.includes('"event":"sign_in_refused"'));
    await expect.poll(refusal, { timeout: 10_000 }).toContain('"ip":"127.0.0.2"');
  });

  it('shows a ticket made through one instance through the others, and takes uploads', async () => {
    const b = browser();
    await b.get('/tickets/new');
    const made = await b.post('/tickets', { subject: 'Printer on floor 3 jams', body: 'Every sheet.', requesterEmail: 'ken@acme.example' });
    expect(made.status, made.text).toBe(303);
    ticket = Number(/^\/tickets\/(\d+)$/.exec(made.location ?? '')?.[1]);
    expect(ticket).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) {
      const page = await b.get(`/tickets/${ticket}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Printer on floor 3 jams');
    }
    const views = await logged((s) => s.path === `/tickets/${ticket}` && s.method === 'GET', 3);
    expect(new Set(views.flatMap((s) => s.upstreams))).toEqual(new Set(ports));
    // a form's CSRF token from one instance is good on another
    const [form] = await logged((s) => s.path === '/tickets/new', 1);
    const [post] = await logged((s) => s.path === '/tickets' && s.method === 'POST', 1);
    expect(post.upstreams).not.toEqual(form.upstreams);

    // attachments well over nginx's default 1 MB body limit reach the desk
    const reply = await b.postMultipart(`/tickets/${ticket}/replies`, { body: 'Here is the driver.' }, [
      { field: 'attachments', name: 'driver.zip', type: 'application/zip', content: Buffer.alloc(5 * 1024 * 1024, 7) },
    ]);
    expect(reply.status, reply.text.slice(0, 500)).toBe(303);
    expect((await b.get(`/tickets/${ticket}`)).text).toContain('driver.zip');
  });

  it('goes on answering pages and forms when an instance is killed', async () => {
    const b = browser();
    const dead = ports[1];
    await desks[1].kill9();
    for (let i = 0; i < 6; i++) {
      const page = await b.get(`/tickets/${ticket}?after=${i}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Printer on floor 3 jams');
    }
    const after = await logged((s) => s.path.startsWith(`/tickets/${ticket}?after=`), 6);
    expect(after.map((s) => s.status)).toEqual([200, 200, 200, 200, 200, 200]);
    // the dead instance's turn came: refused, and the same request went to a live one
    const retried = after.filter((s) => s.upstreams.includes(dead));
    expect(retried.length).toBeGreaterThan(0);
    for (const s of retried) {
      expect(s.upstreams).toHaveLength(2);
      expect(s.upstreams[0]).toBe(dead);
      expect(s.upstreamStatuses).toEqual(['502', '200']);
    }

    const note = await b.post(`/tickets/${ticket}/notes`, { body: 'Asked facilities for a new printer.' });
    expect(note.status, note.text.slice(0, 500)).toBe(303);
    const page = await b.get(`/tickets/${ticket}`);
    expect(page.text).toContain('Asked facilities for a new printer.');
    expect(page.text).toContain('Note added.');
    expect(nginx.errors()).toMatch(/connect\(\) failed \(111: Connection refused\) while connecting to upstream/);
  });

  it('passes a form on to a live instance when the one it picked is down, once', async () => {
    // the second of the three goes too, while nginx still counts it as up: a form sent to it is
    // refused at the connection, before nginx sent anything, so nginx sends it to the one left
    const b = browser();
    await desks[2].kill9();
    for (let i = 1; i <= 3; i++) {
      const note = await b.post(`/tickets/${ticket}/notes`, { body: `Printer call ${i} of 3.` });
      expect(note.status, note.text.slice(0, 500)).toBe(303);
    }
    const posts = await logged((s) => s.method === 'POST' && s.path === `/tickets/${ticket}/notes`, 4);
    const passedOn = posts.filter((s) => s.upstreams.length > 1);
    expect(passedOn.length).toBeGreaterThan(0);
    for (const s of passedOn) {
      expect(s.upstreams.at(-1)).toBe(ports[0]);
      expect(s.upstreamStatuses.at(-1)).toBe('303');
      expect(s.upstreamStatuses.slice(0, -1).every((st) => st === '502')).toBe(true);
    }
    const page = await b.get(`/tickets/${ticket}`);
    expect(page.status).toBe(200);
    for (let i = 1; i <= 3; i++) expect(page.text.split(`Printer call ${i} of 3.`)).toHaveLength(2);
  });
});
