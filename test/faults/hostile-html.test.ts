// Hostile input rendered in the console: every vector of xss-vectors.ts goes through the real
// intake in every place an outsider controls — the subject, the sender's name, the text and HTML
// parts, attachment file names (one stored, one over the size limit and named in the parse
// problems) of a mail; a mail without a sender (quarantined); our own mail coming back with a
// hostile subject (ignored); the text of an SMS posted to the signed webhook, and the sender of
// one (an alphanumeric sender id, quarantined with it in the error) — and the pages that show them
// are opened in headless Chromium: the queue, every ticket page (HTML parts opened), search
// results, the quarantined, ignored and parse-problem lists, contacts, the outbox, and the
// requester portal (FAULT_PORTAL_PAGES tickets, a seeded sample: 12 in npm test, all in the
// fault run).
// No script may run. Each vector would call __xss(id) or request ".../xss-beacon/<id>"; dialogs
// are watched too. The pages are opened twice: once with the Content-Security-Policy switched off
// (bypassCSP), so the sanitizer and the templates alone must stop everything, and once as served,
// where the CSP must report no violation at all (a violation would mean something hostile reached
// the page and only the second line of defence stopped it). Every page is also checked for live
// markup that should never be there: event-handler attributes, script/style elements or
// javascript: URLs that are not ours, frames, objects, base and refresh tags, htmx attributes.
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { Browser as Chromium, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePortalToken } from '../../src/domain/portal-link.ts';
import { getTicket } from '../../src/store/tickets.ts';
import { launchChromium, settled } from '../helpers/browser.ts';
import { makeTestDeps, type TestDeps } from '../helpers/deps.ts';
import { waitUntil } from '../helpers/mail.ts';
import { inboundSms, postSigned, startTwilioFake, twilioEnv, type TwilioFake } from '../helpers/twilio-fake.ts';
import { envInt, seededRandom } from '../helpers/desk-process.ts';
import { addUser, startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/web.ts';
import { XSS_VECTORS } from './xss-vectors.ts';

// where a vector was placed: its id is vector index * 10 + place
const PLACES = ['SMS sender', 'subject', 'sender name', 'text part', 'HTML part', 'attachment name', 'mail without a sender', 'SMS text', 'omitted attachment name', 'our own mail coming back'] as const;
const idOf = (vector: number, place: number) => vector * 10 + place;
const describeId = (id: number) => `${XSS_VECTORS[Math.floor(id / 10)]?.name ?? '?'} in the ${PLACES[id % 10]}`;
const SMS_SENDERS = 8;
const PORTAL_PAGES = envInt('FAULT_PORTAL_PAGES', 12);
const SEED = envInt('FAULT_SEED', 20261128);

function compose(mail: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  return new Promise((resolve, reject) => new MailComposer(mail).compile().build((err, msg) => (err ? reject(err) : resolve(msg))));
}

/**
 * Runs in the page (a string: the tests are compiled without the DOM types): markup that could run
 * script or load something and is not the console's own.
 */
const LIVE_MARKUP = String.raw`(() => {
  const out = [];
  const origin = location.origin;
  const ours = (url) => url.startsWith(origin + '/static/');
  const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc', 'background', 'poster', 'codebase', 'ping', 'lowsrc', 'dynsrc']);
  const where = (el) => '<' + el.localName + '> in #' + (el.closest('[id]') ? el.closest('[id]').id : 'page');
  for (const el of document.querySelectorAll('*')) {
    const tag = el.localName;
    if (['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'portal', 'math'].includes(tag)) out.push('element ' + where(el));
    if (tag === 'meta' && /refresh/i.test(el.getAttribute('http-equiv') || '')) out.push('refresh ' + where(el));
    if (tag === 'script' && !ours(el.src)) out.push('script ' + where(el) + ': ' + (el.src || (el.textContent || '').slice(0, 80)));
    if (tag === 'style') out.push('style element ' + where(el));
    if (tag === 'link' && !ours(el.href)) out.push('link ' + where(el) + ': ' + el.href);
    if (tag === 'svg' && el.closest('.mail-html, .thread, .portal-thread')) out.push('svg ' + where(el));
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      const value = a.value.replace(/[\x00-\x20]/g, '').toLowerCase();
      const shown = name + '="' + a.value.slice(0, 60) + '" on ' + where(el);
      if (name.startsWith('on')) out.push('handler ' + shown);
      if (name === 'style') out.push('style attribute ' + shown);
      const dataImage = tag === 'img' && name === 'src' && /^data:image\/(png|gif|jpe?g|webp);/.test(value);
      if (URL_ATTRS.has(name) && /^(javascript|vbscript|data):/.test(value) && !dataImage) out.push('URL ' + shown);
      if (URL_ATTRS.has(name) && value.includes('xss-beacon')) out.push('URL ' + shown);
      if (/^(data-)?hx-/.test(name) && /__xss|xss-beacon/.test(value)) out.push('htmx ' + shown);
    }
  }
  return out;
})()`;

/** Reports CSP violations to the test (added to every page before its own scripts). */
const CSP_LISTENER = `document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolation(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' (' + e.sample + ')');
});`;

type Findings = { fired: string[]; dialogs: string[]; csp: string[]; beacons: string[]; markup: string[]; errors: string[] };

async function watchedContext(chromium: Chromium, baseUrl: string, bypassCSP: boolean): Promise<{ ctx: BrowserContext; page: Page; found: Findings }> {
  const found: Findings = { fired: [], dialogs: [], csp: [], beacons: [], markup: [], errors: [] };
  const ctx = await chromium.newContext({ bypassCSP, viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'UTC' });
  let where = '';
  await ctx.exposeFunction('__xss', (id: unknown) => found.fired.push(`${describeId(Number(id))} (#${String(id)}) on ${where}`));
  await ctx.exposeFunction('__cspViolation', (v: string) => found.csp.push(`${v} on ${where}`));
  await ctx.addInitScript(CSP_LISTENER);
  ctx.on('request', (req) => {
    const url = req.url();
    if (url.includes('xss-beacon') || !(url.startsWith(baseUrl) || url.startsWith('data:'))) found.beacons.push(`${req.method()} ${url} from ${where}`);
  });
  const page = await ctx.newPage();
  page.on('dialog', (d) => {
    found.dialogs.push(`${d.type()}: ${d.message()} on ${where}`);
    void d.dismiss().catch(() => undefined);
  });
  page.on('pageerror', (e) => found.errors.push(`${e.message} on ${where}`));
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) where = f.url().replace(baseUrl, '');
  });
  return { ctx, page, found };
}

describe('hostile input in the console (headless Chromium)', () => {
  let chromium: Chromium;
  let fake: TwilioFake;
  let deps: TestDeps;
  let srv: TestServer;
  const ticketNumbers: number[] = [];
  const portalTokens: string[] = [];
  const expectedText: { probe: string; path: string }[] = [];

  beforeAll(async () => {
    // its own watch: the canary provokes CSP violations on purpose, and the tests run concurrently
    chromium = await launchChromium({ watch: false });
    fake = await startTwilioFake();
    // small enough that the second attachment of each mail is left out and named in the parse problems
    deps = await makeTestDeps(twilioEnv(fake, { MAX_ATTACHMENT_BYTES: '4096' }));
    deps.clock.set(Date.now());
    srv = await startTestServer(deps);
    await addUser(srv.services, 'admin', 'admin@desk.test', 'Admin');
    const { intake } = srv.services;

    for (const [i, v] of XSS_VECTORS.entries()) {
      const raw = await compose({
        from: { name: v.make(idOf(i, 2)), address: `sender${i}@evil.example` },
        to: 'support@desk.example',
        subject: `xssprobe${i} ${v.make(idOf(i, 1))}`,
        text: `xssprobe${i}\n${v.make(idOf(i, 3))}`,
        html: `<p>xssprobe${i}</p>${v.make(idOf(i, 4))}`,
        messageId: `<xss-${i}@evil.example>`,
        attachments: [
          { filename: `${v.make(idOf(i, 5))}.html`, content: `<script>__xss(${idOf(i, 5)})</script>`, contentType: 'text/html' },
          { filename: `${v.make(idOf(i, 8))}.txt`, content: Buffer.alloc(6000, 'x'), contentType: 'text/plain' },
        ],
      });
      const r = await intake.receive({ channel: 'email', source: 'imap', mailboxId: null, raw });
      expect(r.outcome, v.name).toBe('created');
      const q = await compose({
        to: 'support@desk.example',
        subject: `xssquarantine${i} ${v.make(idOf(i, 6))}`,
        html: `<p>xssquarantine${i}</p>${v.make(idOf(i, 6))}`,
        messageId: `<xssq-${i}@evil.example>`,
      });
      const qr = await intake.receive({ channel: 'email', source: 'imap', mailboxId: null, raw: q });
      expect(qr.outcome, `${v.name} without a sender`).toBe('quarantined');
      const loop = await compose({
        from: 'support@desk.example', to: 'support@desk.example',
        subject: `xssloop${i} ${v.make(idOf(i, 9))}`, text: v.make(idOf(i, 9)),
        messageId: `<xssl-${i}@evil.example>`, headers: { 'X-Helpdesk-Loop': 'help.example.test' },
      });
      const lr = await intake.receive({ channel: 'email', source: 'imap', mailboxId: null, raw: loop });
      expect(lr.outcome, `${v.name} coming back`).toBe('ignored');
    }
    for (const [i, v] of XSS_VECTORS.entries()) {
      const from = `+7912000${String(i % SMS_SENDERS).padStart(4, '0')}`;
      const r = await postSigned(srv.url, '/webhooks/twilio/sms', inboundSms({ from, body: `xsssms${i} ${v.make(idOf(i, 7))}` }));
      expect(r.status, v.name).toBe(200);
      // an alphanumeric sender id is the sender's to choose
      const q = await postSigned(srv.url, '/webhooks/twilio/sms', inboundSms({ from: v.make(idOf(i, 0)), body: `xsssender${i}` }));
      expect(q.status, v.name).toBe(200);
    }
    await waitUntil('the texts to be through intake', async () => ((await deps.db.get('select count(*) n from sms_inbox')) as { n: number }).n === 0);
    const tickets = (await deps.db.all('select id, number, channel from tickets order by id')) as { id: number; number: number; channel: string }[];
    expect(tickets).toHaveLength(XSS_VECTORS.length + SMS_SENDERS);
    const rand = seededRandom(SEED + 4);
    const sample = [...tickets].sort(() => rand() - 0.5).slice(0, PORTAL_PAGES);
    for (const t of tickets) ticketNumbers.push(t.number);
    for (const t of sample) portalTokens.push(makePortalToken(deps.secrets.token, await getTicket(deps.db, t.id), deps.clock.now()));
    const outcomes = (await deps.db.all("select outcome, count(*) n from inbound_messages group by outcome order by outcome")) as { outcome: string; n: number }[];
    expect(Object.fromEntries(outcomes.map((o) => [o.outcome, o.n]))).toEqual({
      created: XSS_VECTORS.length + SMS_SENDERS, appended: XSS_VECTORS.length - SMS_SENDERS, quarantined: 2 * XSS_VECTORS.length, ignored: XSS_VECTORS.length,
    });
    for (const i of XSS_VECTORS.keys()) expectedText.push({ probe: `xssprobe${i}`, path: `/tickets/${tickets[i].number}` });
  });

  afterAll(async () => {
    await chromium?.close();
    await srv?.close();
    deps?.close();
    await fake?.close();
  });

  /** Every page an agent, an admin and a requester would see this input on. */
  const pagesToVisit = () => [
    '/tickets?view=all',
    ...ticketNumbers.map((n) => `/tickets/${n}`),
    '/search?q=xssprobe*', '/search?q=xsssms*', '/search?q=script',
    '/admin/inbound?view=quarantined', '/admin/inbound?view=ignored', '/admin/inbound?view=problems', '/admin/inbound?view=all',
    '/contacts', '/admin/outbox',
    ...portalTokens.map((t) => `/portal/${t}`),
  ];

  const visitAll = async (page: Page, found: Findings) => {
    const seen = new Set<string>();
    const queue = pagesToVisit();
    const texts = new Map<string, string>();
    while (queue.length) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const res = await page.goto(srv.url + path, { waitUntil: 'load' });
      expect(res?.status(), path).toBe(200);
      // open the folded mail HTML and quoted text, as a reader would
      await page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })");
      // let what opening, focusing or loading queues run (a frame and a turn of the event loop)
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))');
      for (const m of await page.evaluate<string[]>(LIVE_MARKUP)) found.markup.push(`${m} on ${path}`);
      texts.set(path, await page.innerText('body'));
      // follow the list pages further ("next", "older")
      const next = await page.$$eval('nav.pager a', (as) => as.map((a) => a.getAttribute('href') ?? '').filter((h) => h && !h.includes('xss-beacon')));
      for (const h of next) if (h.startsWith('/') && !seen.has(h) && /^\/(tickets\?|search\?|admin\/inbound\?|contacts|admin\/outbox)/.test(h)) queue.push(h);
    }
    return texts;
  };

  /**
   * The watchers must see a vector that gets through, or the test proves nothing: a page of our
   * origin with three live ones. Without the CSP they run; with it, the CSP reports them.
   */
  const canary = async (page: Page, found: Findings, csp: boolean) => {
    // served like a console page, with the console's own Content-Security-Policy
    const policy = (await page.request.get(`${srv.url}/login`)).headers()['content-security-policy'];
    expect(policy).toContain("script-src 'self'");
    await page.route(`${srv.url}/canary`, (route) =>
      route.fulfill({
        status: 200, contentType: 'text/html', headers: { 'Content-Security-Policy': policy },
        body: '<!doctype html><title>canary</title><img src="x" onerror="__xss(-1)"><a href="javascript:__xss(-2)">x</a><script>alert("canary")</script>',
      }),
    );
    await page.goto(`${srv.url}/canary`);
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50)))');
    const markup = await page.evaluate<string[]>(LIVE_MARKUP);
    expect(markup.some((m) => m.startsWith('handler onerror'))).toBe(true);
    expect(markup.some((m) => m.startsWith('URL href="javascript:'))).toBe(true);
    expect(markup.some((m) => m.startsWith('script'))).toBe(true);
    if (csp) {
      await expect.poll(() => found.csp.length).toBeGreaterThanOrEqual(2);
      expect(found.fired).toEqual([]);
    } else {
      await expect.poll(() => found.fired.length).toBe(1);
      await expect.poll(() => found.dialogs.length).toBe(1);
    }
    await page.unroute(`${srv.url}/canary`);
    for (const list of Object.values(found)) list.length = 0;
  };

  const login = async (page: Page) => {
    await page.goto(`${srv.url}/login`);
    await page.fill('input[name=email]', 'admin@desk.test');
    await page.fill('input[name=password]', TEST_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/tickets$/);
    await settled(page);
  };

  it.concurrent(`stops all ${XSS_VECTORS.length} vectors in every place with the CSP switched off: the sanitizer and the templates alone`, { timeout: 600_000 }, async () => {
    const { ctx, page, found } = await watchedContext(chromium, srv.url, true);
    try {
      await canary(page, found, false);
      await login(page);
      const texts = await visitAll(page, found);
      console.log(`[hostile-html] vectors=${XSS_VECTORS.length} places=${PLACES.length} mails=${3 * XSS_VECTORS.length} sms=${2 * XSS_VECTORS.length} pages=${texts.size} (portal ${portalTokens.length}) csp=off fired=${found.fired.length} dialogs=${found.dialogs.length} beacons=${found.beacons.length} live-markup=${found.markup.length}`);
      expect(found.fired).toEqual([]);
      expect(found.dialogs).toEqual([]);
      expect(found.beacons).toEqual([]);
      expect(found.markup).toEqual([]);
      expect(found.errors).toEqual([]);
      // not vacuous: the hostile text is on the pages, shown as text
      for (const { probe, path } of expectedText) expect(texts.get(path), path).toContain(probe);
      const ticketText = texts.get(`/tickets/${ticketNumbers[0]}`)!;
      expect(ticketText).toContain(XSS_VECTORS[0].make(idOf(0, 3)));
      expect(texts.get('/admin/inbound?view=quarantined')).toContain(`sender "${XSS_VECTORS.at(-1)!.make(idOf(XSS_VECTORS.length - 1, 0))}" is not a phone number`);
      expect(texts.get('/admin/inbound?view=ignored')).toContain(`xssloop${XSS_VECTORS.length - 1} ${XSS_VECTORS.at(-1)!.make(idOf(XSS_VECTORS.length - 1, 9))}`);
      expect(texts.get('/admin/inbound?view=problems')).toContain(`${XSS_VECTORS.at(-1)!.make(idOf(XSS_VECTORS.length - 1, 8))}.txt`);
      expect(texts.get('/search?q=xsssms*')).toContain('xsssms');
    } finally {
      await ctx.close();
    }
  });

  it.concurrent('reports no Content-Security-Policy violation on the same pages as served, and serves the hostile attachments only as sandboxed downloads', { timeout: 600_000 }, async () => {
    const { ctx, page, found } = await watchedContext(chromium, srv.url, false);
    try {
      await canary(page, found, true);
      await login(page);
      const texts = await visitAll(page, found);
      console.log(`[hostile-html] pages=${texts.size} csp=on violations=${found.csp.length} fired=${found.fired.length}`);
      expect(found.csp).toEqual([]);
      expect(found.fired).toEqual([]);
      expect(found.dialogs).toEqual([]);
      expect(found.beacons).toEqual([]);
      expect(found.markup).toEqual([]);
      const atts = (await deps.db.all('select id, filename, content_type type from attachments')) as { id: number; filename: string; type: string }[];
      expect(atts.length).toBe(XSS_VECTORS.length);
      for (const a of atts) {
        for (const q of ['', '?inline=1']) {
          const res = await page.request.get(`${srv.url}/attachments/${a.id}${q}`);
          expect(res.status()).toBe(200);
          const h = res.headers();
          expect(h['content-type'], a.filename).toBe('application/octet-stream');
          expect(h['content-disposition'], a.filename).toMatch(/^attachment;/);
          expect(h['content-security-policy']).toBe("default-src 'none'; sandbox");
        }
      }
    } finally {
      await ctx.close();
    }
  });
});
