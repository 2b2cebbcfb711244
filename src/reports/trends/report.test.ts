// Incident trends on a desk in Moscow whose answers are known by construction: twelve components,
// two organisations and two categories share eighteen tickets created around the desk's month
// boundaries of autumn 2026, with time logged on some of them. The ten biggest groups get a row,
// the rest one row "Other". The page, the CSV, the XLSX and the API give the same numbers, and
// every count opens its tickets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../../test/helpers/web.ts';
import { expectDownloadsMatchApi } from '../../../test/helpers/report-downloads.ts';
import { logWork } from '../../../test/helpers/workflow.ts';
import { readXlsx } from '../../../test/helpers/xlsx.ts';
import { createApiToken } from '../../actions/api-tokens.ts';
import { createTicket } from '../../actions/tickets.ts';
import type { Category, TicketType } from '../../domain/vocabulary.ts';
import { insertComponent } from '../../store/components.ts';
import { insertOrganization } from '../../store/organizations.ts';
import type { Ticket } from '../../store/tickets.ts';
import { updateUser } from '../../store/users.ts';

const at = (iso: string) => Date.parse(iso);
const AUTUMN = '?from=2026-09-01&to=2026-11-30';

type Api = { columns: { key: string; kind: string }[]; rows: Record<string, unknown>[]; totals: Record<string, unknown> };
const KEYS = ['m2026-09', 'm2026-10', 'm2026-11', 'tickets', 'minutes'];

const C = (i: number) => `C${String(i).padStart(2, '0')}`;
// [component, Sep, Oct, Nov, tickets, minutes]: ties of one ticket go by time logged, then name
const BY_COMPONENT = [
  ['Printers', 1, 1, 1, 3, 60],
  ['Network', 0, 1, 1, 2, 90],
  ['No component', 0, 0, 1, 1, 20],
  ['C10', 0, 0, 1, 1, 15],
  ...[1, 2, 3, 4, 5, 6].map((i) => [C(i), 0, 1, 0, 1, 0]),
  ['Other', 1, 2, 0, 3, 0], // C07, C08, C09
];
const TOTAL = [null, 2, 10, 4, 16, 185];

describe('the incident trends report', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let manager: Browser;
  let token: string;

  beforeAll(async () => {
    deps = await makeTestDeps({ TIME_ZONE: 'Europe/Moscow' });
    srv = await startTestServer(deps);
    const ctx = srv.services.ctx;
    const anna = await addUser(srv.services, 'agent', 'anna@desk.test', 'Anna');
    const boss = await addUser(srv.services, 'manager');
    const now = deps.clock.now();
    await insertOrganization(deps.db, { name: 'Acme' }, now, ['acme.example']);
    await insertOrganization(deps.db, { name: 'Beta' }, now, ['beta.example']);
    const component: Record<string, number> = {};
    for (const name of ['Printers', 'Network', ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(C)]) component[name] = (await insertComponent(deps.db, { name }, now)).id;
    const t: Record<string, Ticket> = {};
    const by = { kind: 'user', user: anna } as const;
    const open = async (key: string, when: string, c: string | null, more: { from?: string; type?: TicketType; category?: Category } = {}) => {
      deps.clock.set(at(when));
      t[key] = await createTicket(ctx, by, {
        subject: `Ticket ${key}`, body: 'x', requesterEmail: more.from ?? 'someone@mail.example', componentId: c ? component[c] : undefined, type: more.type ?? 'incident', category: more.category,
      });
    };
    await open('P0', '2026-08-31T20:00:00Z', 'Printers'); // 23:00 on 31 August in Moscow: before the period
    await open('P1', '2026-09-10T09:00:00Z', 'Printers', { from: 'ann@acme.example', category: 'fault' });
    await open('P2', '2026-09-30T21:30:00Z', 'Printers', { from: 'ann@acme.example' }); // 00:30 on 1 October in Moscow
    await open('P3', '2026-11-05T09:00:00Z', 'Printers', { from: 'eve@beta.example', category: 'consultation' });
    await open('P4', '2026-10-05T09:00:00Z', 'Printers', { type: 'service_request' });
    await open('N1', '2026-10-10T09:00:00Z', 'Network', { from: 'bob@acme.example', category: 'fault' });
    await open('N2', '2026-11-20T09:00:00Z', 'Network');
    for (const i of [1, 2, 3, 4, 5, 6, 7, 8]) await open(C(i), `2026-10-15T0${i}:00:00Z`, C(i));
    await open('C09', '2026-09-15T09:00:00Z', 'C09');
    await open('C10', '2026-11-15T09:00:00Z', 'C10');
    await open('X1', '2026-11-25T09:00:00Z', null);
    const log = (key: string, minutes: number, when: string) => logWork(ctx, anna, t[key].id, minutes, { workedAt: at(when) });
    await log('P1', 30, '2026-08-20T10:00:00Z'); // before the period
    await log('P1', 60, '2026-10-01T10:00:00Z');
    await log('N1', 90, '2026-11-02T10:00:00Z');
    await log('X1', 20, '2026-11-26T10:00:00Z');
    await log('C10', 15, '2026-11-16T10:00:00Z');
    await log('P4', 45, '2026-10-06T10:00:00Z'); // a service request
    deps.clock.set(at('2026-12-10T09:00:00Z'));
    manager = new Browser(srv.url);
    await manager.login('manager@desk.test', TEST_PASSWORD);
    token = (await createApiToken(ctx, boss, { name: 'reports' })).token;
  });
  afterAll(async () => {
    await srv?.close();
    deps?.close();
  });

  const api = async (query: string): Promise<Api> => {
    const res = await fetch(`${srv.url}/api/v1/reports/trends${query}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as Api;
  };
  const table = (data: Api, first: string) => data.rows.map((r) => [r[first], ...KEYS.map((k) => r[k])]);
  const totals = (data: Api, first: string) => [data.totals[first], ...KEYS.map((k) => data.totals[k])];
  // the API speaks no language: names it would translate are their keys
  const keyed = (rows: unknown[][], by: string) =>
    rows.map(([name, ...n]) => [name === 'Other' ? 'reports.trends.other' : name === `No ${by}` ? `reports.trends.none.${by}` : name, ...n]);

  it('counts the incidents of each month per component, the ten biggest apart and the rest as other', async () => {
    const data = await api(AUTUMN);
    expect(data.columns).toEqual([
      { key: 'component', kind: 'text' }, { key: 'm2026-09', kind: 'count' }, { key: 'm2026-10', kind: 'count' }, { key: 'm2026-11', kind: 'count' },
      { key: 'tickets', kind: 'count' }, { key: 'minutes', kind: 'minutes' },
    ]);
    expect(table(data, 'component')).toEqual(keyed(BY_COMPONENT, 'component'));
    expect(totals(data, 'component')).toEqual(TOTAL);
  });

  it('groups by organisation and category, and counts another type when asked', async () => {
    const org = await api(`${AUTUMN}&by=organization`);
    expect(table(org, 'organization')).toEqual(keyed([['No organization', 1, 8, 3, 12, 35], ['Acme', 1, 2, 0, 3, 150], ['Beta', 0, 0, 1, 1, 0]], 'organization'));
    expect(totals(org, 'organization')).toEqual(TOTAL);
    const category = await api(`${AUTUMN}&by=category`);
    expect(table(category, 'category')).toEqual([['reports.trends.none.category', 1, 9, 3, 13, 35], ['category.fault', 1, 1, 0, 2, 150], ['category.consultation', 0, 0, 1, 1, 0]]);
    const requests = await api(`${AUTUMN}&type=service_request`);
    expect(table(requests, 'component')).toEqual([['Printers', 0, 1, 0, 1, 45]]);
    expect(totals(requests, 'component')).toEqual([null, 0, 1, 0, 1, 45]);
  });

  it('covers the last twelve months by default, any months asked for, and at most 36', async () => {
    const months = (y: number, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `m${y}-${String(from + i).padStart(2, '0')}`);
    const year = await api('');
    expect(year.columns.map((c) => c.key)).toEqual(['component', ...months(2026, 1, 12), 'tickets', 'minutes']);
    // P0 came on 31 August in Moscow; P1's time in August counts too
    expect([year.totals['m2026-08'], year.totals['m2026-09'], year.totals.tickets, year.totals.minutes]).toEqual([1, 2, 17, 215]);
    const two = await api('?from=2025-01-01&to=2026-11-30');
    expect(two.columns.map((c) => c.key)).toEqual(['component', ...months(2025, 1, 12), ...months(2026, 1, 11), 'tickets', 'minutes']);
    expect(two.totals.tickets).toBe(17);
    const long = await api('?from=2020-01-01&to=2026-11-30');
    expect(long.columns.map((c) => c.key)).toEqual(['component', 'm2023-12', ...months(2024, 1, 12), ...months(2025, 1, 12), ...months(2026, 1, 11), 'tickets', 'minutes']);
    const page = await manager.get('/reports/trends?from=2020-01-01&to=2026-11-30');
    expect(page.text).toContain('name="from" value="2023-12-01"');
    expect(page.text).toContain('<th scope="col" class="num">Dec 2023</th>');
  });

  it('gives the same numbers in the CSV and the XLSX, in the viewer’s language', async () => {
    const h = (v: unknown) => Math.round(((v as number) / 60) * 100) / 100;
    const out = (r: unknown[]) => r.map((v, i) => (i === 5 ? h(v) : v));
    const csv = await manager.get(`/reports/trends.csv${AUTUMN}`);
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('Component,Sep 2026,Oct 2026,Nov 2026,Tickets,"Logged, h"');
    expect(lines.slice(1)).toEqual([...BY_COMPONENT, ['Total', ...TOTAL.slice(1)]].map((r) => out(r).join(',')));
    const ru = await addUser(srv.services, 'manager', 'ru@desk.test', 'Ольга');
    await updateUser(deps.db, ru.id, { locale: 'ru' }, deps.clock.now());
    const olga = new Browser(srv.url);
    await olga.login('ru@desk.test', TEST_PASSWORD);
    const rows = await readXlsx((await olga.getBytes(`/reports/trends.xlsx${AUTUMN}&by=category`)).body);
    expect(rows).toEqual([
      ['Категория', 'Сен 2026', 'Окт 2026', 'Ноя 2026', 'Заявки', 'Списано, ч'],
      ...[['Без категории', 1, 9, 3, 13, 35], ['Неисправность', 1, 1, 0, 2, 150], ['Консультация', 0, 0, 1, 1, 0], ['Итого', ...TOTAL.slice(1)]].map(out),
    ]);
  });

  it('gives the API’s rows in the CSV and on every sheet of the XLSX', async () => {
    for (const query of [AUTUMN, `${AUTUMN}&by=organization`, `${AUTUMN}&by=category`]) await expectDownloadsMatchApi({ url: srv.url, token, browser: manager, report: 'trends', query });
  });

  it('shows lines per group, the groupings, and counts that open the queue on their tickets', async () => {
    const page = await manager.get(`/reports/trends${AUTUMN}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<svg role="img" aria-label="Incident trends" class="report-chart"/);
    const text = page.text.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
    expect(text).toContain('<a href="/reports/trends?from=2026-09-01&to=2026-11-30&group=month&by=component" aria-current="page">By component</a>');
    expect(text).toContain('href="/reports/trends.csv?from=2026-09-01&to=2026-11-30&group=month&by=component"');
    const subjects = async (href: string) => [...(await manager.get(href)).text.matchAll(/>Ticket ([A-Z]\d+)</g)].map((m) => m[1]).sort();
    const linksOf = (html: string) => [...html.matchAll(/<a href="(\/tickets\?[^"]+)">(\d+)<\/a>/g)].map((m) => ({ href: m[1].replaceAll('&#x3D;', '=').replaceAll('&amp;', '&'), n: Number(m[2]) }));
    // "Other" has no list of its own: 10 rows (the tickets without a component too) and the totals, 4 counts each
    const links = linksOf(page.text);
    expect(links).toHaveLength(44);
    const got = await Promise.all(links.map((l) => subjects(l.href)));
    expect(got.slice(0, 4)).toEqual([['P1'], ['P2'], ['P3'], ['P1', 'P2', 'P3']]);
    expect(got.at(-1)).toEqual(['C01', 'C02', 'C03', 'C04', 'C05', 'C06', 'C07', 'C08', 'C09', 'C10', 'N1', 'N2', 'P1', 'P2', 'P3', 'X1']);
    for (const [i, l] of links.entries()) expect(got[i].length, l.href).toBe(l.n);
    // the tickets without a component
    expect(got.filter((_, i) => links[i].href.includes('component=none'))).toEqual([[], [], ['X1'], ['X1']]);
    const queue = (await manager.get(links.find((l) => l.href.includes('component=none'))!.href)).text;
    expect(queue).toContain('data-period="noComponent">No component <a href="');
    expect(queue).toContain('<input type="hidden" name="component" value="none">');
    // by category: the fault tickets
    const category = linksOf((await manager.get(`/reports/trends${AUTUMN}&by=category`)).text);
    expect(await subjects(category[3].href)).toEqual(['N1', 'P1']);
    for (const l of category) expect((await subjects(l.href)).length, l.href).toBe(l.n);
  });
});
