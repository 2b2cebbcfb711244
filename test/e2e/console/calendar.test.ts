// The calendar of work: a month and a week of the SLA deadlines ahead of open tickets, in the
// viewer's time zone, yours by default, anyone's or a component's on request; and the personal
// iCalendar feed of the same deadlines, at an address that works without signing in until renewed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../helpers/web.ts';
import { seedSla } from '../../helpers/workflow.ts';
import { assignTicket, changeStatus, createTicket } from '../../../src/actions/tickets.ts';
import { getTicket, type Ticket } from '../../../src/store/tickets.ts';
import { updateUser, type User } from '../../../src/store/users.ts';
import { zonedParts } from '../../../src/domain/zoned-time.ts';

const MSK = 'Europe/Moscow';
const dayOf = (ms: number) => { const p = zonedParts(ms, MSK); return `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`; };
const timeOf = (ms: number) => { const p = zonedParts(ms, MSK); return `${String(p.hh).padStart(2, '0')}:${String(p.mm).padStart(2, '0')}`; };
const cell = (html: string, day: string) => new RegExp(`<td[^>]*data-day="${day}">([\\s\\S]*?)</td>`).exec(html)?.[1] ?? '';

describe('the calendar of work', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let anna: User;
  let boris: User;
  let mine: Ticket[];
  let browser: Browser;

  beforeAll(async () => {
    deps = await makeTestDeps();
    srv = await startTestServer(deps);
    const ctx = srv.services.ctx;
    await seedSla(ctx, { firstResponse: 60, resolution: 480 });
    anna = await addUser(srv.services, 'agent', 'anna@desk.test', 'Anna');
    boris = await addUser(srv.services, 'agent', 'boris@desk.test', 'Boris');
    await updateUser(deps.db, anna.id, { timeZone: MSK }, deps.clock.now());
    const by = { kind: 'user', user: anna } as const;
    const open = async (subject: string, who: User | null) => {
      const t = await createTicket(ctx, by, { subject, body: 'x', requesterEmail: 'olga@client.example' });
      if (who) await assignTicket(ctx, by, { ticketId: t.id, assigneeId: who.id });
      return await getTicket(deps.db, t.id);
    };
    mine = [await open('Printer jams', anna), await open('VPN drops', anna)];
    await open('Boris laptop', boris);
    const waiting = await open('Waiting on Olga', anna);
    await changeStatus(ctx, by, { ticketId: waiting.id, status: 'pending_requester' });
    mine = await Promise.all(mine.map((t) => getTicket(deps.db, t.id)));
    browser = new Browser(srv.url);
    await browser.login('anna@desk.test', TEST_PASSWORD);
  });
  afterAll(async () => {
    await srv?.close();
    deps?.close();
  });

  it('shows your deadlines on their days and times in your zone', async () => {
    const page = (await browser.get('/calendar?date=2026-11')).text;
    for (const t of mine) {
      expect(cell(page, dayOf(t.firstResponseDueAt!))).toContain(`${timeOf(t.firstResponseDueAt!)} #${t.number} ${t.subject}</a> <span class="muted small">First response</span>`);
      expect(cell(page, dayOf(t.resolutionDueAt!))).toContain(`${timeOf(t.resolutionDueAt!)} #${t.number} ${t.subject}</a> <span class="muted small">Resolution</span>`);
    }
    expect(page).not.toContain('Boris laptop');
    expect(page).not.toContain('Waiting on Olga'); // its clock is paused
    expect(page.match(/data-day="/g)).toHaveLength(42);
  });

  it('shows everyone’s or another person’s, and a week', async () => {
    expect((await browser.get('/calendar?date=2026-11&agent=all')).text).toContain('Boris laptop');
    const boris1 = (await browser.get(`/calendar?date=2026-11&agent=${boris.id}`)).text;
    expect(boris1).toContain('Boris laptop');
    expect(boris1).not.toContain('Printer jams');
    const week = (await browser.get('/calendar?view=week&date=2026-11-04')).text;
    expect(week.match(/data-day="/g)).toHaveLength(7);
    expect(week).toContain('data-day="2026-11-02"');
  });

  it('gives a feed of your deadlines to a calendar app, until you make a new address', async () => {
    const page = (await browser.get('/calendar')).text;
    const url = page.match(/value="(http[^"]+\.ics)"/)![1];
    const feedPath = new URL(url).pathname;
    const res = await fetch(`${srv.url}${feedPath}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const ics = await res.text();
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(4);
    expect(ics).toContain(`SUMMARY:#${mine[0].number} Printer jams (First response)`);
    expect(ics).not.toContain('Boris laptop');
    expect((await fetch(`${srv.url}${feedPath.replace(/\.[^.]+\.ics$/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics')}`)).status).toBe(404);
    await browser.post('/calendar/feed', {});
    expect((await fetch(`${srv.url}${feedPath}`)).status).toBe(404);
    const renewed = (await browser.get('/calendar')).text.match(/value="(http[^"]+\.ics)"/)![1];
    expect(renewed).not.toBe(url);
    expect((await fetch(`${srv.url}${new URL(renewed).pathname}`)).status).toBe(200);
  });
});
