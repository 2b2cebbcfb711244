// Time on a desk in Moscow whose answers are known by construction: two organisations, two
// components, four tickets (three with an estimate), and time logged by two agents and one later
// removed, inside the week, around its midnights and outside it. The page, the CSV, the XLSX and
// the API give the same numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../../test/helpers/web.ts';
import { expectDownloadsMatchApi } from '../../../test/helpers/report-downloads.ts';
import { logWork } from '../../../test/helpers/workflow.ts';
import { readXlsx } from '../../../test/helpers/xlsx.ts';
import { createApiToken } from '../../actions/api-tokens.ts';
import { createTicket } from '../../actions/tickets.ts';
import { insertComponent } from '../../store/components.ts';
import { insertOrganization } from '../../store/organizations.ts';
import { updateTicket, type Ticket } from '../../store/tickets.ts';
import { updateUser, type User } from '../../store/users.ts';

const at = (iso: string) => Date.parse(iso);
const WEEK = '?from=2026-11-02&to=2026-11-08&group=day';

type Api = { columns: { key: string; kind: string }[]; rows: Record<string, unknown>[]; totals: Record<string, unknown> };
const KEYS = ['minutes', 'billable', 'nonBillable', 'tickets', 'estimated', 'spentOnEstimated'];

// all the time ever logged on the estimated tickets: T1 60+30+45 in the week and 100 before it;
// T3 50+40; T4 10 in the week and 25 just after it
const T1 = 235;
const T3 = 90;
const T4 = 35;

// [name, logged, billable, non-billable, tickets, estimated, spent on estimated], minutes
const BY_AGENT = [
  ['Anna', 150, 110, 40, 3, 120 + 60 + 30, T1 + T3 + T4],
  ['Boris', 105, 85, 20, 3, 120 + 60, T1 + T3],
  ['—', 15, 15, 0, 1, 0, 0], // Carl, whose account is gone
];
// each ticket once: T1–T4
const TOTAL = [null, 270, 210, 60, 4, 210, T1 + T3 + T4];
const BY_ORGANIZATION = [
  ['Acme', 170, 120, 50, 2, 120, T1],
  ['Beta', 90, 90, 0, 1, 60, T3],
  ['No organization', 10, 0, 10, 1, 30, T4],
];
const BY_COMPONENT = [
  ['Network', 35, 15, 20, 1, 0, 0],
  ['Printers', 225, 195, 30, 2, 180, T1 + T3],
  ['No component', 10, 0, 10, 1, 30, T4],
];
const BY_TYPE = [
  ['incident', 145, 105, 40, 2, 150, T1 + T4],
  ['service_request', 35, 15, 20, 1, 0, 0],
  ['problem', 90, 90, 0, 1, 60, T3],
];
// per day of the desk: the 5th ends at 21:00 UTC
const BY_DAY = [
  ['2026-11-02', 60, 60, 0, 1, 120, T1],
  ['2026-11-03', 75, 45, 30, 1, 120, T1],
  ['2026-11-04', 20, 0, 20, 1, 0, 0],
  ['2026-11-05', 50, 50, 0, 1, 60, T3],
  ['2026-11-06', 50, 40, 10, 2, 60 + 30, T3 + T4],
  ['2026-11-07', 15, 15, 0, 1, 0, 0],
  ['2026-11-08', 0, 0, 0, 0, 0, 0],
];

describe('the time report', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let manager: Browser;
  let token: string;
  let acme: number;
  let boris: User;

  beforeAll(async () => {
    deps = await makeTestDeps({ TIME_ZONE: 'Europe/Moscow' });
    srv = await startTestServer(deps);
    const ctx = srv.services.ctx;
    const now = deps.clock.now();
    const anna = await addUser(srv.services, 'agent', 'anna@desk.test', 'Anna');
    boris = await addUser(srv.services, 'agent', 'boris@desk.test', 'Boris');
    const carl = await addUser(srv.services, 'agent', 'carl@desk.test', 'Carl');
    const boss = await addUser(srv.services, 'manager');
    acme = (await insertOrganization(deps.db, { name: 'Acme' }, now, ['acme.example'])).id;
    await insertOrganization(deps.db, { name: 'Beta' }, now, ['beta.example']);
    const printers = (await insertComponent(deps.db, { name: 'Printers' }, now)).id;
    const network = (await insertComponent(deps.db, { name: 'Network' }, now)).id;
    const by = { kind: 'user', user: anna } as const;
    const open = (subject: string, requesterEmail: string, more: { componentId?: number; type?: Ticket['type'] }) => createTicket(ctx, by, { subject, body: 'x', requesterEmail, ...more });
    deps.clock.set(at('2026-10-20T09:00:00Z'));
    const t1 = await open('Ticket T1', 'ann@acme.example', { componentId: printers, type: 'incident' });
    const t2 = await open('Ticket T2', 'bob@acme.example', { componentId: network, type: 'service_request' });
    const t3 = await open('Ticket T3', 'eve@beta.example', { componentId: printers, type: 'problem' });
    const t4 = await open('Ticket T4', 'someone@mail.example', { type: 'incident' });
    await updateTicket(deps.db, t1.id, { estimateMinutes: 120 }, now);
    await updateTicket(deps.db, t3.id, { estimateMinutes: 60 }, now);
    await updateTicket(deps.db, t4.id, { estimateMinutes: 30 }, now);
    const log = (user: User, t: Ticket, minutes: number, when: string, billable = true) => logWork(ctx, user, t.id, minutes, { billable, workedAt: at(when) });
    deps.clock.set(at('2026-11-10T09:00:00Z'));
    await log(anna, t1, 100, '2026-10-30T10:00:00Z'); // before the week
    await log(anna, t1, 60, '2026-11-02T07:00:00Z');
    await log(anna, t1, 30, '2026-11-03T07:00:00Z', false);
    await log(boris, t1, 45, '2026-11-03T10:00:00Z');
    await log(boris, t2, 20, '2026-11-04T10:00:00Z', false);
    await log(anna, t3, 50, '2026-11-05T20:30:00Z'); // 23:30 on the 5th in Moscow
    await log(boris, t3, 40, '2026-11-05T21:30:00Z'); // 00:30 on the 6th in Moscow
    await log(anna, t4, 10, '2026-11-06T10:00:00Z', false);
    await log(carl, t2, 15, '2026-11-07T09:00:00Z');
    await log(boris, t4, 25, '2026-11-08T21:30:00Z'); // 00:30 on the 9th in Moscow: after the week
    // an account removed from the database keeps its time, without a name
    await deps.db.run('delete from users where id = ?', carl.id);
    manager = new Browser(srv.url);
    await manager.login('manager@desk.test', TEST_PASSWORD);
    token = (await createApiToken(ctx, boss, { name: 'reports' })).token;
  });
  afterAll(async () => {
    await srv?.close();
    deps?.close();
  });

  const api = async (query: string): Promise<Api> => {
    const res = await fetch(`${srv.url}/api/v1/reports/time${query}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as Api;
  };
  const table = (data: Api, first: string) => data.rows.map((r) => [r[first], ...KEYS.map((k) => r[k])]);
  const totals = (data: Api, first: string) => [data.totals[first], ...KEYS.map((k) => data.totals[k])];

  it('sums the week’s time per agent who logged it, billable and not, with the estimates of the tickets worked on', async () => {
    const data = await api(WEEK);
    expect(data.columns).toEqual([
      { key: 'agent', kind: 'text' }, { key: 'minutes', kind: 'minutes' }, { key: 'billable', kind: 'minutes' }, { key: 'nonBillable', kind: 'minutes' },
      { key: 'tickets', kind: 'count' }, { key: 'estimated', kind: 'minutes' }, { key: 'spentOnEstimated', kind: 'minutes' },
    ]);
    // the API speaks no language: "—" is the key of its label
    expect(table(data, 'agent')).toEqual(BY_AGENT.map(([name, ...n]) => [name === '—' ? 'reports.time.none.agent' : name, ...n]));
    expect(totals(data, 'agent')).toEqual(TOTAL);
  });

  it('groups by organisation, component, type and day of the desk', async () => {
    const none = (s: unknown) => (s === 'No organization' ? 'reports.time.none.organization' : s === 'No component' ? 'reports.time.none.component' : s);
    const org = await api(`${WEEK}&by=organization`);
    expect(table(org, 'organization')).toEqual(BY_ORGANIZATION.map(([s, ...n]) => [none(s), ...n]));
    expect(totals(org, 'organization')).toEqual(TOTAL);
    const component = await api(`${WEEK}&by=component`);
    expect(table(component, 'component')).toEqual(BY_COMPONENT.map(([s, ...n]) => [none(s), ...n]));
    const type = await api(`${WEEK}&by=type`);
    expect(table(type, 'type')).toEqual(BY_TYPE);
    const days = await api(`${WEEK}&by=period`);
    expect(table(days, 'period')).toEqual(BY_DAY);
    expect(totals(days, 'period')).toEqual(TOTAL);
    const weeks = await api('?from=2026-10-26&to=2026-11-15&group=week&by=period');
    expect(table(weeks, 'period')).toEqual([
      ['2026-10-26', 100, 100, 0, 1, 120, T1],
      ['2026-11-02', ...TOTAL.slice(1)],
      ['2026-11-09', 25, 25, 0, 1, 30, T4],
    ]);
  });

  it('narrows by the tickets’ organisation, and by the agent who logged the time (not the assignee)', async () => {
    const data = await api(`${WEEK}&org=${acme}`);
    expect(table(data, 'agent')).toEqual([
      ['Anna', 90, 60, 30, 1, 120, T1],
      ['Boris', 65, 45, 20, 2, 120, T1],
      ['reports.time.none.agent', 15, 15, 0, 1, 0, 0],
    ]);
    expect(totals(data, 'agent')).toEqual([null, 170, 120, 50, 2, 120, T1]);
    // no ticket is assigned to anyone
    const borisTime = await api(`${WEEK}&agent=${boris.id}&by=organization`);
    expect(table(borisTime, 'organization')).toEqual([['Acme', 65, 45, 20, 2, 120, T1], ['Beta', 40, 40, 0, 1, 60, T3]]);
    expect(totals(borisTime, 'organization')).toEqual([null, 105, 85, 20, 3, 180, T1 + T3]);
  });

  it('gives the same numbers in the CSV and the XLSX, in hours, in the viewer’s language', async () => {
    const h = (n: unknown) => (typeof n === 'number' ? Math.round((n / 60) * 100) / 100 : n);
    const csv = await manager.get(`/reports/time.csv${WEEK}&by=organization`);
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('Organization,"Logged, h","Billable, h","Non-billable, h",Tickets,"Estimated, h","Spent on estimated, h"');
    const asCsv = (r: unknown[]) => r.map((v, i) => (i === 4 ? v : h(v))).join(',');
    expect(lines.slice(1)).toEqual([...BY_ORGANIZATION.map(asCsv), asCsv(['Total', ...TOTAL.slice(1)])]);
    const ru = await addUser(srv.services, 'manager', 'ru@desk.test', 'Ольга');
    await updateUser(deps.db, ru.id, { locale: 'ru' }, deps.clock.now());
    const olga = new Browser(srv.url);
    await olga.login('ru@desk.test', TEST_PASSWORD);
    const rows = await readXlsx((await olga.getBytes(`/reports/time.xlsx${WEEK}`)).body);
    const inHours = (r: unknown[]) => r.map((v, i) => (i === 4 ? v : h(v)));
    expect(rows).toEqual([
      ['Сотрудник', 'Списано, ч', 'Оплачиваемое, ч', 'Неоплачиваемое, ч', 'Заявки', 'Оценка, ч', 'Списано на оценённые, ч'],
      ...BY_AGENT.map(inHours),
      inHours(['Итого', ...TOTAL.slice(1)]),
    ]);
    const types = await readXlsx((await olga.getBytes(`/reports/time.xlsx${WEEK}&by=type`)).body);
    expect(types.slice(1, -1).map((r) => r[0])).toEqual(['Инцидент', 'Запрос на обслуживание', 'Проблема']);
    // the totals row's label is a word, not an id to look up
    expect(types.at(-1)![0]).toBe('Итого');
  });

  it('gives the API’s rows in the CSV and on every sheet of the XLSX', async () => {
    for (const query of [WEEK, `${WEEK}&by=organization`, `${WEEK}&by=component`, `${WEEK}&by=type`, `${WEEK}&by=period`]) await expectDownloadsMatchApi({ url: srv.url, token, browser: manager, report: 'time', query });
  });

  it('shows a chart, the table, the groupings and downloads that keep the grouping', async () => {
    const page = await manager.get(`/reports/time${WEEK}&by=organization`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<svg role="img" aria-label="Time" class="report-chart"/);
    const text = page.text.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
    expect(text).toContain('<a href="/reports/time?from=2026-11-02&to=2026-11-08&group=day&by=organization" aria-current="page">By organization</a>');
    expect(text).toContain('<a href="/reports/time?from=2026-11-02&to=2026-11-08&group=day&by=period">By period</a>');
    expect(text).toContain('href="/reports/time.csv?from=2026-11-02&to=2026-11-08&group=day&by=organization"');
    expect(text).toContain('<input type="hidden" name="by" value="organization">');
    // the table, in hours: Acme 170 min
    expect(text).toMatch(/<td>Acme<\/td><td class="num"><a href="[^"]+">2\.8 hr<\/a><\/td>/);
    expect(text).toContain('<td>No organization</td>');
    const days = await manager.get(`/reports/time${WEEK}&by=period`);
    expect(days.text).toMatch(/<svg role="img" aria-label="Time" class="report-chart"/);
  });

  it('opens the queue on the tickets worked on in the period behind each ticket count', async () => {
    const subjects = async (href: string) => [...(await manager.get(href)).text.matchAll(/>Ticket (T\d)</g)].map((m) => m[1]).sort();
    const expected: Record<string, string[][]> = {
      // Carl's account is gone: his row has no link; the totals are T1–T4
      agent: [['T1', 'T3', 'T4'], ['T1', 'T2', 'T3'], ['T1', 'T2', 'T3', 'T4']],
      // the tickets without an organisation or component last
      organization: [['T1', 'T2'], ['T3'], ['T4'], ['T1', 'T2', 'T3', 'T4']],
      component: [['T2'], ['T1', 'T3'], ['T4'], ['T1', 'T2', 'T3', 'T4']],
      type: [['T1', 'T4'], ['T2'], ['T3'], ['T1', 'T2', 'T3', 'T4']],
    };
    for (const [by, lists] of Object.entries(expected)) {
      const page = (await manager.get(`/reports/time${WEEK}&by=${by}`)).text;
      const links = [...page.matchAll(/<a href="(\/tickets\?[^"]+)">(\d+)<\/a>/g)].map((m) => ({ href: m[1].replaceAll('&#x3D;', '=').replaceAll('&amp;', '&'), n: Number(m[2]) }));
      const got = await Promise.all(links.map((l) => subjects(l.href)));
      expect(got, by).toEqual(lists);
      for (const [i, l] of links.entries()) expect(got[i].length, l.href).toBe(l.n);
    }
    // the hours open the queue on the same tickets, those the time was logged on (per day: the days with time)
    for (const by of ['agent', 'organization', 'component', 'type', 'period']) {
      const page = (await manager.get(`/reports/time${WEEK}&by=${by}`)).text;
      const pairs = [...page.matchAll(/<td class="num"><a href="(\/tickets\?[^"]+)">[\d.,]+ hr<\/a><\/td>(?:<td class="num">[^<]*<\/td>){2}<td class="num"><a href="(\/tickets\?[^"]+)">(\d+)<\/a>/g)];
      // every linked ticket count (all but the row of a gone account) beside its linked hours
      expect(pairs.length, by).toBe([...page.matchAll(/<a href="\/tickets\?[^"]+">\d+<\/a>/g)].length);
      expect(pairs.length, by).toBeGreaterThanOrEqual(3);
      for (const [, hours, tickets] of pairs) expect(hours, by).toBe(tickets);
    }
    // the agent filter is who logged the time: Boris's tickets, whoever they are assigned to
    const boris = await manager.get(`/reports/time${WEEK}&by=type&agent=${(await manager.get('/tickets')).text.match(/<option value="(\d+)"[^>]*>Boris</)![1]}`);
    const total = [...boris.text.matchAll(/<a href="(\/tickets\?[^"]+)">(\d+)<\/a>/g)].at(-1)!;
    expect(await subjects(total[1].replaceAll('&#x3D;', '=').replaceAll('&amp;', '&'))).toEqual(['T1', 'T2', 'T3']);
  });
});
