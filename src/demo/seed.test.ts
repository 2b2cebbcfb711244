// `helpdesk demo` on either engine, seeded on a weekday at noon in Moscow and on a Saturday night:
// the tour is there whenever it runs (tickets overdue and at risk by the queue's own reckoning,
// canned replies, the month's contract figures, a merge, a refused reopen, an SMS thread, a
// complaint), the ticket pages carry no outbox noise, and the printed accounts sign in.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { Browser, startTestServer, type TestServer } from '../../test/helpers/web.ts';
import { parseQueueQuery, queueFilter } from '../domain/queue-query.ts';
import { createUser } from '../actions/users.ts';
import { buildServices } from '../services.ts';
import { contractsReport } from '../reports/contracts/report.ts';
import { listCannedReplies } from '../store/canned-replies.ts';
import { listKbArticles, listKbTranslations } from '../store/kb.ts';
import { listQueue } from '../store/queue.ts';
import { findUserByEmail } from '../store/users.ts';
import { slaCell } from '../web/features/helpers.ts';
import { DEMO_PASSWORD, seedDemo } from './seed.ts';
import { seedWorkflowDemo } from './workflow-demo.ts';

const MOMENTS: [string, number][] = [
  ['on a Monday at noon in Moscow', Date.UTC(2026, 10, 2, 9, 0)],
  ['on a Saturday night', Date.UTC(2026, 11, 5, 20, 30)],
];

type Printed = { email: string; password: string; name: string; role: string; language: string };

/** The rows of the accounts table the demo printed. */
function printedAccounts(out: string): Printed[] {
  const lines = out.split('\n');
  const head = lines.findIndex((l) => /^account\s+password\s+name\s+role\s+language$/.test(l));
  expect(head).toBeGreaterThanOrEqual(0);
  const rows: Printed[] = [];
  for (const line of lines.slice(head + 1)) {
    const m = /^(\S+@\S+)\s{2,}(.+?)\s{2,}(.+?)\s{2,}(admin|manager|agent)\s{2,}(English|Russian)$/.exec(line);
    if (!m) break;
    rows.push({ email: m[1], password: m[2], name: m[3], role: m[4], language: m[5] });
  }
  return rows;
}

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/email');
const count = async (deps: TestDeps, sql: string) => Number(await deps.db.value(sql));

describe.each(MOMENTS)('helpdesk demo seeded %s', (_when, at) => {
  let deps: TestDeps;
  let srv: TestServer;
  let out: string;

  beforeEach(async () => {
    deps = await makeTestDeps();
    deps.clock.set(at);
    const lines: string[] = [];
    await seedDemo(deps, { log: (s) => lines.push(s) });
    out = lines.join('\n');
    srv = await startTestServer(deps);
  });
  afterEach(async () => {
    await srv.close();
    deps.close();
  });

  it('has tickets overdue and at risk, as the queue reckons them', async () => {
    const now = deps.clock.now();
    const view = queueFilter(parseQueueQuery({ view: 'sla' }), { userId: 1, componentIds: [], now });
    const rows = (await listQueue(deps.db, view, 'due', null, 100)).rows;
    const states = rows.map((r) => slaCell(r, now, (key) => key).state);
    expect(states.filter((s) => s === 'breached').length).toBeGreaterThanOrEqual(2);
    expect(states.filter((s) => s === 'soon').length).toBeGreaterThanOrEqual(2);
    // and the queue page shows them so
    const admin = new Browser(srv.url);
    await admin.login('admin@desk.example', DEMO_PASSWORD);
    const page = (await admin.get('/tickets?view=sla')).text;
    expect(page.match(/class="sla sla-breached"/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(page.match(/class="sla sla-soon"/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
  });

  it('has canned replies in both languages and this month\'s contract figures', async () => {
    const canned = await listCannedReplies(deps.db);
    expect(new Set(canned.map((c) => c.locale))).toEqual(new Set(['en', 'ru']));
    const report = await contractsReport.load({ ...srv.services.ctx, viewer: { locale: 'en', t: (k: string) => k } }, {});
    const bills = (report.rows as { name: string; bill: { coveredMinutes: number; outOfScopeMinutes: number; totalCents: number } }[]);
    expect(bills.map((r) => r.bill.coveredMinutes > 0)).toEqual([true, true, true]);
    expect(bills.some((r) => r.bill.outOfScopeMinutes > 0)).toBe(true);
    expect(bills.every((r) => r.bill.totalCents > 0)).toBe(true);
    const billable = report.billable as { subject: string; minutes: number }[];
    expect(billable.some((t) => t.minutes > 0)).toBe(true);
  });

  it('has knowledge-base articles in both languages, linked as translations, and one for staff only', async () => {
    const forRequesters = await listKbArticles(deps.db, { access: 'public' });
    expect(new Set(forRequesters.map((a) => a.locale))).toEqual(new Set(['en', 'ru']));
    expect(await listKbTranslations(deps.db, forRequesters[0])).toHaveLength(1);
    expect((await listKbArticles(deps.db, { access: 'internal', text: 'принтера' })).map((a) => a.visibility)).toEqual(['internal']);
  });

  it('has a merged ticket, a refused reopen, an SMS thread, an internal note and a complaint', async () => {
    expect(await count(deps, "select count(*) from tickets where merged_into_id is not null and status = 'closed'")).toBe(1);
    // the Outlook ticket was reopened once (Acme's limit), then the next mail opened a linked ticket
    expect(await count(deps, "select count(*) from tickets where reopen_count = 1 and status = 'resolved' and subject like 'Outlook%'")).toBe(1);
    expect(await count(deps, `select count(*) from ticket_links l join tickets t on t.id = l.linked_ticket_id
      where l.kind = 'follow_up' and t.subject like 'Outlook%'`)).toBe(1);
    expect(await count(deps, "select count(*) from messages where kind = 'note' and author_user_id is null and body_text like '%allows 1 reopen%'")).toBe(1);
    const sms = `select count(*) from messages m join tickets t on t.id = m.ticket_id where t.channel = 'sms' and m.channel = 'sms' and m.kind = 'reply'`;
    expect(await count(deps, `${sms} and m.direction = 'in'`)).toBe(2);
    expect(await count(deps, `${sms} and m.direction = 'out'`)).toBe(1);
    expect(await count(deps, "select count(*) from tickets t join contact_phones p on p.contact_id = t.requester_id where t.channel = 'sms'")).toBe(1);
    expect(await count(deps, "select count(*) from messages where kind = 'note' and author_user_id is not null")).toBeGreaterThanOrEqual(1);
    expect(await count(deps, 'select count(*) from tickets where escalated_at is not null')).toBe(1);
  });

  it('keeps the outbox quiet: nothing queued, no delivery or sender noise on any ticket page', async () => {
    expect(await count(deps, 'select count(*) from outbox')).toBe(0);
    const admin = new Browser(srv.url);
    await admin.login('admin@desk.example', DEMO_PASSWORD);
    const numbers = (await deps.db.all<{ number: number }>('select number from tickets order by number')).map((r) => Number(r.number));
    expect(numbers.length).toBeGreaterThanOrEqual(15);
    for (const n of numbers) {
      const page = await admin.get(`/tickets/${n}`);
      expect(page.status).toBe(200);
      // the ticket's outbox block is there, empty: nothing waiting, nothing failed
      const block = /<section id="ticket-outbox"[^>]*>([\s\S]*?)<\/section>/.exec(page.text)?.[1] ?? '';
      expect(block.trim(), `#${n}`).toBe('');
      expect(page.text, `#${n}`).not.toMatch(/class="outbox-event|delivery-(skipped|discarded|failed|queued)/);
      // made-up senders are not flagged on every message either
      expect(page.text, `#${n}`).not.toMatch(/Sender not verified|Sender could not be verified/);
    }
  });

  it('prints accounts that sign in with their role and language, and a requester\'s link that opens', async () => {
    const accounts = printedAccounts(out);
    expect(accounts.map((a) => [a.role, a.language])).toEqual([
      ['admin', 'English'], ['manager', 'English'], ['agent', 'Russian'], ['agent', 'English'], ['agent', 'Russian'],
    ]);
    for (const a of accounts) {
      const user = await findUserByEmail(deps.db, a.email);
      expect(user).toMatchObject({ name: a.name, role: a.role, locale: a.language === 'Russian' ? 'ru' : 'en', active: true });
      expect(a.password).toBe(DEMO_PASSWORD);
      const b = new Browser(srv.url);
      await b.login(a.email, a.password);
      expect((await b.get('/tickets')).status).toBe(200);
    }
    const link = /^\s+(http:\/\/\S+\/portal\/\S+)$/m.exec(out)![1];
    const portal = await fetch(srv.url + new URL(link).pathname);
    expect(portal.status).toBe(200);
    expect(await portal.text()).toContain('Outlook keeps asking for my password');
  });

  it('adds nothing twice when run again', async () => {
    const before = await count(deps, 'select count(*) from tickets');
    const messages = await count(deps, 'select count(*) from messages');
    const lines: string[] = [];
    expect(await seedDemo(deps, { log: (s) => lines.push(s) })).toBe('demo ready: 0 new tickets');
    expect(await count(deps, 'select count(*) from tickets')).toBe(before);
    expect(await count(deps, 'select count(*) from messages')).toBe(messages);
    expect(await count(deps, 'select count(*) from users')).toBe(5);
    expect(printedAccounts(lines.join('\n'))).toEqual(printedAccounts(out));
  });
});

describe('helpdesk demo on a desk that has its administrator', () => {
  let deps: TestDeps;
  afterEach(() => deps.close());

  it('makes no administrator of its own, prints the desk\'s without a password and leaves the desk\'s own mail alone', async () => {
    deps = await makeTestDeps();
    await createUser(deps, { email: 'boss@company.test', name: 'The Boss', role: 'admin', password: 'chosen at setup', locale: 'ru' });
    // a real request under the SLA, whose acknowledgement waits in the outbox
    const services = buildServices(deps);
    await seedWorkflowDemo(services.ctx);
    const real = await services.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: readFileSync(path.join(FIXTURES, 'new-ticket-plain.eml')) });
    expect(real.outcome).toBe('created');
    const waiting = await count(deps, 'select count(*) from outbox');
    expect(waiting).toBeGreaterThan(0);
    deps.clock.advance(7 * 24 * 3_600_000);
    const lines: string[] = [];
    await seedDemo(deps, { log: (s) => lines.push(s) });
    // the demo sets aside its own mail only: the real ticket keeps its acknowledgement, and the
    // breach the demo's SLA run announced for it is queued for the staff
    const mailOfReal = await count(deps, `select count(*) from outbox where ticket_id = ${real.ticketId}`);
    expect(mailOfReal).toBeGreaterThan(waiting);
    expect(await count(deps, 'select count(*) from outbox')).toBe(mailOfReal);
    expect(await findUserByEmail(deps.db, 'admin@desk.example')).toBeUndefined();
    const accounts = printedAccounts(lines.join('\n'));
    expect(accounts[0]).toEqual({ email: 'boss@company.test', password: '(your own)', name: 'The Boss', role: 'admin', language: 'Russian' });
    expect(accounts.slice(1).map((a) => a.password)).toEqual(Array(4).fill(DEMO_PASSWORD));
  });
});
