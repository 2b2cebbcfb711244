// The calendar narrowed by ticket type, priority, organisation and kind of item, on its plain GET
// form and in its links; its items as CSV and XLSX downloads that read back as the API's JSON; and
// the API showing a person what the page shows them.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../helpers/web.ts';
import { seedSla } from '../../helpers/workflow.ts';
import { readXlsxSheets } from '../../helpers/xlsx.ts';
import { createApiToken } from '../../../src/actions/api-tokens.ts';
import { assignTicket, createTicket } from '../../../src/actions/tickets.ts';
import { insertComponent } from '../../../src/store/components.ts';
import { insertOrganization } from '../../../src/store/organizations.ts';
import { getTicket, updateTicket, type Ticket } from '../../../src/store/tickets.ts';
import { updateUser, type User } from '../../../src/store/users.ts';
import { localDateTimeOf } from '../../../src/domain/zoned-time.ts';
import * as schemas from '../../../src/web/api/schemas.ts';

const MSK = 'Europe/Moscow';
type Item = z.infer<typeof schemas.calendarItemOut>;
const KIND_WORDS: Record<string, string> = { due: 'Due', planned: 'Planned work', first_response: 'First response', next_response: 'Next response', resolution: 'Resolution' };
/** The subjects of the page's items, each with its kind, in the page's order. */
const shown = (html: string) => [...html.matchAll(/data-kind="(\w+)"><span class="mark"[^>]*>[^<]*<\/span> <a href="\/tickets\/\d+">[\d:–]+ #\d+ ([^<]+)<\/a>/g)].map((m) => `${m[2]} ${m[1]}`);
const unescape = (href: string) => href.replaceAll('&amp;', '&').replaceAll('&#x3D;', '=');

describe('the calendar’s filters, downloads and API', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let anna: User;
  let boris: User;
  let romashka: number;
  let billing: number;
  let annaBrowser: Browser;
  let annaToken: string;
  let chiefToken: string;
  const tickets: Record<string, Ticket> = {};

  beforeAll(async () => {
    deps = await makeTestDeps();
    srv = await startTestServer(deps);
    const ctx = srv.services.ctx;
    const now = deps.clock.now();
    await seedSla(ctx, { firstResponse: 60, resolution: 480 });
    romashka = (await insertOrganization(deps.db, { name: 'Romashka', currency: 'RUB' }, now, ['romashka.example'])).id;
    await insertOrganization(deps.db, { name: 'Vasilek', currency: 'RUB' }, now, ['vasilek.example']);
    billing = (await insertComponent(deps.db, { name: 'Billing' }, now)).id;
    anna = await addUser(srv.services, 'agent', 'anna@desk.test', 'Anna');
    boris = await addUser(srv.services, 'agent', 'boris@desk.test', 'Boris');
    const chief = await addUser(srv.services, 'manager', 'chief@desk.test', 'Chief');
    await updateUser(deps.db, anna.id, { timeZone: MSK }, now);
    anna = { ...anna, timeZone: MSK };
    const by = { kind: 'user', user: anna } as const;
    const open = async (subject: string, who: User, email: string, more: { priority?: 'low' | 'high'; type?: 'problem'; componentId?: number }, due: string, planned?: string) => {
      const t = await createTicket(ctx, by, { subject, body: 'x', requesterEmail: email, ...more });
      await assignTicket(ctx, by, { ticketId: t.id, assigneeId: who.id });
      await updateTicket(deps.db, t.id, { dueAt: Date.parse(due), plannedAt: planned ? Date.parse(planned) : null }, now);
      tickets[subject] = await getTicket(deps.db, t.id);
    };
    await open('Printer jams', anna, 'ivan@romashka.example', { priority: 'high' }, '2026-11-13T14:00:00Z', '2026-11-12T07:00:00Z');
    await open('Invoice wrong', anna, 'olga@vasilek.example', { priority: 'low', type: 'problem', componentId: billing }, '2026-11-11T09:00:00Z');
    await open('Boris laptop', boris, 'petr@romashka.example', {}, '2026-11-12T12:00:00Z');
    annaBrowser = new Browser(srv.url);
    await annaBrowser.login('anna@desk.test', TEST_PASSWORD);
    annaToken = (await createApiToken(ctx, anna, { name: 'calendar', scope: 'read' })).token;
    chiefToken = (await createApiToken(ctx, chief, { name: 'calendar' })).token;
  });
  afterAll(async () => {
    await srv?.close();
    deps?.close();
  });

  const api = async (query: string, token = annaToken) => {
    const res = await fetch(`${srv.url}/api/v1/calendar?${query}`, { headers: { authorization: `Bearer ${token}` } });
    const json = await res.json();
    return { status: res.status, json: res.status === 200 ? schemas.calendarOut.parse(json) : (json as { error: { code: string; fields?: Record<string, string> } }) };
  };
  const items = async (query: string, token = annaToken) => {
    const res = await api(query, token);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    return (res.json as z.infer<typeof schemas.calendarOut>).data;
  };
  /** An item as a download's row shows it in Anna's zone and words. */
  const asRow = (it: Item) => {
    const at = localDateTimeOf(Date.parse(it.at), MSK);
    return [`${at.date} ${at.time}`, KIND_WORDS[it.kind], it.ticket_number, it.subject, it.assignee, it.component, it.organization];
  };

  it('narrows the page by type, priority, organisation and kind, each on the plain form', async () => {
    const week = '/calendar?view=week&date=2026-11-12&agent=all';
    expect(shown((await annaBrowser.get(week)).text)).toEqual(['Invoice wrong due', 'Printer jams planned', 'Boris laptop due', 'Printer jams due']);
    expect(shown((await annaBrowser.get(`${week}&type=problem`)).text)).toEqual(['Invoice wrong due']);
    expect(shown((await annaBrowser.get(`${week}&priority=high`)).text)).toEqual(['Printer jams planned', 'Printer jams due']);
    expect(shown((await annaBrowser.get(`${week}&org=${romashka}`)).text)).toEqual(['Printer jams planned', 'Boris laptop due', 'Printer jams due']);
    expect(shown((await annaBrowser.get(`${week}&org=${romashka}&kind=planned`)).text)).toEqual(['Printer jams planned']);
    // the SLA deadlines are at the start of the month: only they, or only the others
    const month = '/calendar?date=2026-11';
    const sla = shown((await annaBrowser.get(`${month}&kind=sla`)).text);
    expect(sla.length).toBeGreaterThan(0);
    expect(sla.every((s) => /(first_response|next_response|resolution)$/.test(s))).toBe(true);
    expect(shown((await annaBrowser.get(`${month}&kind=due&kind=planned`)).text)).toEqual(['Invoice wrong due', 'Printer jams planned', 'Printer jams due']);
    // the form shows the choices made: the boxes ticked, the selects selected, its "more" open
    const page = (await annaBrowser.get(`${week}&priority=high&org=${romashka}&kind=due&kind=planned`)).text;
    expect(page).toContain('<option value="high" selected>High</option>');
    expect(page).toContain(`<option value="${romashka}" selected>Romashka</option>`);
    expect(page).toContain('<label class="check"><input type="checkbox" name="kind" value="due" checked> Due</label>');
    expect(page).toContain('<input type="checkbox" name="kind" value="sla" > SLA');
    expect(page).toMatch(/<details class="filter-more" data-collapse-narrow open>/);
    expect(page).toContain('<input type="hidden" name="view" value="week">');
  });

  it('keeps the filters in its month, week, earlier and later links and in its downloads', async () => {
    const page = (await annaBrowser.get(`/calendar?view=week&date=2026-11-12&agent=${boris.id}&type=incident&priority=normal&org=${romashka}&kind=due`)).text;
    const kept = `agent=${boris.id}&type=incident&priority=normal&org=${romashka}&kind=due`;
    const href = (rel: string) => unescape(new RegExp(`<a href="([^"]+)" ${rel}`).exec(page)![1]);
    expect(href('rel="prev"')).toBe(`/calendar?view=week&date=2026-11-02&${kept}`);
    expect(href('rel="next"')).toBe(`/calendar?view=week&date=2026-11-16&${kept}`);
    const links = [...page.matchAll(/<a href="([^"]+)"/g)].map((m) => unescape(m[1]));
    expect(links).toContain(`/calendar?view=month&date=2026-11-09&${kept}`);
    expect(links).toContain(`/calendar.csv?view=week&date=2026-11-09&${kept}`);
    expect(links).toContain(`/calendar.xlsx?view=week&date=2026-11-09&${kept}`);
    // following them keeps showing Boris's incident due at Romashka
    expect(shown((await annaBrowser.get(`/calendar?view=month&date=2026-11-09&${kept}`)).text)).toEqual(['Boris laptop due']);
  });

  it('says it in Russian too', async () => {
    await updateUser(deps.db, anna.id, { locale: 'ru' }, deps.clock.now());
    try {
      const page = (await annaBrowser.get('/calendar?view=week&date=2026-11-12&kind=due')).text;
      expect(page).toContain('<legend>Показывать</legend>');
      expect(page).toContain('<label class="check"><input type="checkbox" name="kind" value="due" checked> Срок</label>');
      expect(page).toContain('Скачать');
      const csv = parse((await annaBrowser.get('/calendar.csv?view=week&date=2026-11-12&kind=due')).text) as string[][];
      expect(csv[0]).toEqual(['Когда', 'Вид', 'Заявка', 'Тема', 'Исполнитель', 'Компонент', 'Организация']);
      expect(csv.slice(1).map((r) => r[1])).toEqual(['Срок', 'Срок']);
    } finally {
      await updateUser(deps.db, anna.id, { locale: 'en' }, deps.clock.now());
    }
  });

  it('downloads the page’s items as CSV and XLSX that read back as the API’s JSON', async () => {
    for (const [page, days] of [
      ['view=week&date=2026-11-12&agent=all', 'from=2026-11-09&to=2026-11-15&agent=all'],
      ['date=2026-11&kind=sla&kind=due', 'from=2026-10-26&to=2026-12-06&kind=sla,due'],
      [`date=2026-11&component=${billing}`, `from=2026-10-26&to=2026-12-06&component=${billing}`],
    ]) {
      const data = await items(days);
      expect(data.length, days).toBeGreaterThan(0);
      const csvRes = await annaBrowser.get(`/calendar.csv?${page}`);
      expect(csvRes.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csvRes.headers.get('content-disposition')).toMatch(/^attachment; filename=calendar-2026-11(-09)?\.csv$/);
      const csv = parse(csvRes.text, { cast: (v, c) => (c.column === 2 && c.header === false && /^\d+$/.test(v) ? Number(v) : v === '' ? null : v) }) as unknown[][];
      expect(csv[0]).toEqual(['When', 'Kind', 'Ticket', 'Subject', 'Assignee', 'Component', 'Organization']);
      expect(csv.slice(1), page).toEqual(data.map(asRow));
      const xlsxRes = await annaBrowser.getBytes(`/calendar.xlsx?${page}`);
      expect(xlsxRes.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const [sheet] = await readXlsxSheets(xlsxRes.body);
      expect(sheet.name).toMatch(/^Calendar 2026-11/);
      expect(sheet.rows[0]).toEqual(['When', 'Kind', 'Ticket', 'Subject', 'Assignee', 'Component', 'Organization']);
      expect(sheet.rows.slice(1).map((r) => Array.from({ length: 7 }, (_, i) => r[i] ?? null)), page).toEqual(data.map(asRow));
    }
    // and the page shows the same items
    const week = await items('from=2026-11-09&to=2026-11-15&agent=all');
    expect(shown((await annaBrowser.get('/calendar?view=week&date=2026-11-12&agent=all')).text)).toEqual(week.map((it) => `${it.subject} ${it.kind}`));
    expect(week.find((it) => it.kind === 'planned')).toMatchObject({
      at: '2026-11-12T07:00:00.000Z', minutes: 60, family: 'planned', subject: 'Printer jams', priority: 'high', assignee_id: anna.id, assignee: 'Anna', organization: 'Romashka',
      url: `${srv.services.ctx.config.publicUrl}/tickets/${tickets['Printer jams'].number}`,
    });
    expect(week.find((it) => it.subject === 'Invoice wrong')).toMatchObject({ component_id: billing, component: 'Billing', organization: 'Vasilek' });
  });

  it('gives a person through the API what the page gives them: their own by default, anyone’s they may see', async () => {
    const subjects = (list: Item[]) => [...new Set(list.map((it) => it.subject))].sort();
    // Anna's own unless she asks for more, as on the page
    expect(subjects(await items('from=2026-11-01&to=2026-11-30'))).toEqual(['Invoice wrong', 'Printer jams']);
    expect(subjects(await items('from=2026-11-01&to=2026-11-30&agent=me'))).toEqual(['Invoice wrong', 'Printer jams']);
    expect(shown((await annaBrowser.get('/calendar?date=2026-11')).text).some((s) => s.startsWith('Boris'))).toBe(false);
    for (const who of [String(boris.id), 'all']) {
      const viaApi = await items(`from=2026-10-26&to=2026-12-06&agent=${who}`);
      expect(shown((await annaBrowser.get(`/calendar?date=2026-11&agent=${who}`)).text), who).toEqual(viaApi.map((it) => `${it.subject} ${it.kind}`));
    }
    expect(subjects(await items(`from=2026-11-01&to=2026-11-30&agent=${boris.id}`))).toEqual(['Boris laptop']);
    // a manager's own calendar is empty; everyone's is everyone's
    expect(await items('from=2026-11-01&to=2026-11-30', chiefToken)).toEqual([]);
    expect(subjects(await items('from=2026-11-01&to=2026-11-30&agent=all', chiefToken))).toEqual(['Boris laptop', 'Invoice wrong', 'Printer jams']);
    // the days in the person's zone: Anna's 12 November starts at 21:00 UTC the day before
    const day = (await api('from=2026-11-12&to=2026-11-12&agent=all')).json as z.infer<typeof schemas.calendarOut>;
    expect([day.from, day.to, day.truncated]).toEqual(['2026-11-11T21:00:00.000Z', '2026-11-12T21:00:00.000Z', false]);
    expect(day.data.map((it) => `${it.subject} ${it.kind}`)).toEqual(['Printer jams planned', 'Boris laptop due']);
  });

  it('refuses days it cannot read, backwards or too many, and callers without a token', async () => {
    for (const [query, field] of [['to=2026-11-30', 'from'], ['from=2026-11-31&to=2026-12-01', 'from'], ['from=2026-11-10&to=2026-11-09', 'to'], ['from=2026-01-01&to=2026-12-31', 'to']]) {
      const res = await api(query);
      expect(res.status, query).toBe(422);
      expect((res.json as { error: { code: string; fields: Record<string, string> } }).error).toMatchObject({ code: 'validation', fields: { [field]: expect.any(String) } });
    }
    expect((await fetch(`${srv.url}/api/v1/calendar?from=2026-11-01&to=2026-11-30`)).status).toBe(401);
    // a signed-out visitor is sent to sign in rather than given a download
    const res = await fetch(`${srv.url}/calendar.csv?date=2026-11`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/login/);
  });
});
