// The calendar of work: a month and a week of the due dates, planned work and SLA deadlines ahead of
// open tickets, in the viewer's time zone, yours by default, anyone's or a component's on request;
// and the personal iCalendar feed of the same, at an address that works without signing in until
// renewed. Due dates and planned times are set on the ticket page's plain form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../helpers/web.ts';
import { seedSla } from '../../helpers/workflow.ts';
import { assignTicket, changeStatus, createTicket } from '../../../src/actions/tickets.ts';
import { findTicketByNumber, getTicket, updateTicket, type Ticket } from '../../../src/store/tickets.ts';
import { updateUser, type User } from '../../../src/store/users.ts';
import { listTicketEvents } from '../../../src/store/events.ts';
import { zonedParts } from '../../../src/domain/zoned-time.ts';

const MSK = 'Europe/Moscow';
const dayOf = (ms: number) => { const p = zonedParts(ms, MSK); return `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`; };
const timeOf = (ms: number) => { const p = zonedParts(ms, MSK); return `${String(p.hh).padStart(2, '0')}:${String(p.mm).padStart(2, '0')}`; };
/** The events of an iCalendar text, each as its properties (folded lines joined, parameters dropped). */
const vevents = (ics: string) => ics.replace(/\r\n[ \t]/g, '').split('BEGIN:VEVENT').slice(1)
  .map((e) => Object.fromEntries(e.split('\r\n').filter((l) => /^[A-Z-]+[;:]/.test(l)).map((l) => [l.split(/[;:]/)[0], l.slice(l.indexOf(':') + 1)])));
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

  it('takes a due date and a planned time from the ticket page, shows them in the month, the week and the feed, and clears one', async () => {
    const t = mine[0];
    const feedPath = new URL((await browser.get('/calendar')).text.match(/value="(http[^"]+\.ics)"/)![1]).pathname;
    const form = (await browser.get(`/tickets/${t.number}`)).text;
    expect(form).toContain(`action="/tickets/${t.number}/schedule"`);
    expect(form).toContain('<input type="date" name="dueDate" value="">');
    await browser.post(`/tickets/${t.number}/estimate`, { estimate: '1h 30m' });
    // an unreadable time is refused with the typed values kept
    const refused = await browser.post(`/tickets/${t.number}/schedule`, { dueDate: '2026-11-13', dueTime: '25:00', plannedDate: '', plannedTime: '' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Enter the due date as a date and a time');
    expect(refused.text).toContain('name="dueTime" value="25:00"');
    const saved = await browser.post(`/tickets/${t.number}/schedule`, { dueDate: '2026-11-13', dueTime: '17:00', plannedDate: '2026-11-12', plannedTime: '10:00' });
    expect(saved.location).toBe(`/tickets/${t.number}`);
    // in Anna's zone (Moscow, UTC+3)
    expect(await getTicket(deps.db, t.id)).toMatchObject({ dueAt: Date.parse('2026-11-13T14:00:00Z'), plannedAt: Date.parse('2026-11-12T07:00:00Z') });
    const page = (await browser.get(`/tickets/${t.number}`)).text;
    expect(page).toContain('name="dueDate" value="2026-11-13"');
    expect(page).toContain('name="dueTime" value="17:00"');
    expect(page).toContain('name="plannedTime" value="10:00"');
    expect(page).toMatch(/When the assignee plans to do it, for the estimate \(1 h\w* 30 min\)/);

    for (const url of ['/calendar?date=2026-11', '/calendar?view=week&date=2026-11-12']) {
      const cal = (await browser.get(url)).text;
      expect(cell(cal, '2026-11-13')).toMatch(new RegExp(`<li class="prio-\\w+ kind-due" data-kind="due"><span class="mark" title="Due">Due</span> <a href="/tickets/${t.number}">17:00 #${t.number} Printer jams</a>`));
      expect(cell(cal, '2026-11-12')).toMatch(new RegExp(`<li class="prio-\\w+ kind-planned" data-kind="planned"><span class="mark" title="Planned">Planned</span> <a href="/tickets/${t.number}">10:00–11:30 #${t.number} Printer jams</a> <span class="muted small">Planned work</span>`));
    }
    expect((await browser.get('/calendar?date=2026-11')).text).toContain('kind-sla" data-kind="resolution"><span class="mark" title="SLA">SLA</span>');
    expect((await browser.get(`/calendar?date=2026-11&agent=${boris.id}`)).text).not.toContain('data-kind="due"');

    const events = vevents(await (await fetch(`${srv.url}${feedPath}`)).text());
    expect(events.filter((e) => e.SUMMARY.startsWith(`#${t.number} Printer jams (`)).map((e) => [e.SUMMARY, e.DTSTART, e.DURATION]).sort()).toEqual([
      [`#${t.number} Printer jams (Due)`, '20261113T140000Z', 'PT15M'],
      [`#${t.number} Printer jams (First response)`, expect.any(String), 'PT15M'],
      [`#${t.number} Printer jams (Planned work)`, '20261112T070000Z', 'PT90M'],
      [`#${t.number} Printer jams (Resolution)`, expect.any(String), 'PT15M'],
    ]);

    // clearing the planned time: the date and the time left empty
    await browser.post(`/tickets/${t.number}/schedule`, { dueDate: '2026-11-13', dueTime: '17:00', plannedDate: '', plannedTime: '' });
    expect(await getTicket(deps.db, t.id)).toMatchObject({ dueAt: Date.parse('2026-11-13T14:00:00Z'), plannedAt: null });
    const after = (await browser.get('/calendar?view=week&date=2026-11-12')).text;
    expect(after).toContain('data-kind="due"');
    expect(after).not.toContain('data-kind="planned"');
    expect(vevents(await (await fetch(`${srv.url}${feedPath}`)).text()).some((e) => e.SUMMARY.includes('(Planned work)'))).toBe(false);

    // the history keeps each change, with who made it; in both languages
    const changes = (await listTicketEvents(deps.db, t.id)).filter((e) => e.type === 'ticket.updated').map((e) => (e.data as { changes: unknown[] }).changes);
    expect(changes.slice(-2)).toEqual([
      [{ field: 'dueAt', from: null, to: Date.parse('2026-11-13T14:00:00Z') }, { field: 'plannedAt', from: null, to: Date.parse('2026-11-12T07:00:00Z') }],
      [{ field: 'plannedAt', from: Date.parse('2026-11-12T07:00:00Z'), to: null }],
    ]);
    const english = (await browser.get(`/tickets/${t.number}`)).text;
    expect(english).toContain('changed Due, Planned');
    expect(english).toContain('Planned: ');
    await updateUser(deps.db, anna.id, { locale: 'ru' }, deps.clock.now());
    const russian = (await browser.get(`/tickets/${t.number}`)).text;
    expect(russian).toContain('изменено: Срок, Запланировано');
    expect(russian).toContain('Сохранить даты');
    const cal = (await browser.get('/calendar?view=week&date=2026-11-12')).text;
    expect(cell(cal, '2026-11-13')).toContain('<span class="mark" title="Срок">Срок</span>');
    await updateUser(deps.db, anna.id, { locale: 'en' }, deps.clock.now());
  });

  it('shows the due date and planned time, without the form, to whom may not change the ticket', async () => {
    const theirs = (await findTicketByNumber(deps.db, 3))!;
    expect(theirs.subject).toBe('Boris laptop');
    await updateTicket(deps.db, theirs.id, { dueAt: Date.parse('2026-11-13T14:00:00Z') }, deps.clock.now());
    const page = (await browser.get(`/tickets/${theirs.number}`)).text;
    expect(page).toContain('data-read-only');
    expect(page).not.toContain(`action="/tickets/${theirs.number}/schedule"`);
    expect(page).toMatch(/<dt>Due<\/dt><dd><time datetime="2026-11-13T14:00:00.000Z">Nov 13, 2026, 5:00 PM<\/time><\/dd>/);
    expect(page).not.toContain('<dt>Planned</dt>');
    expect((await browser.post(`/tickets/${theirs.number}/schedule`, { dueDate: '', dueTime: '', plannedDate: '', plannedTime: '' })).status).toBe(403);
  });
});
