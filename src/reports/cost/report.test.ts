// Cost of service on a desk whose answers are known by construction: two clients in roubles (one
// profitable, one that costs more than it pays), one in euros, three people with and without an
// hourly cost (set through Admin → People), and time logged in September, October and November,
// some of it on a Billing ticket of high priority. Each client's margin month by month, the costs
// under the report filters (summed from the worklogs), the exports against the API and the links.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../../test/helpers/web.ts';
import { logWork } from '../../../test/helpers/workflow.ts';
import { expectDownloadsMatchApi } from '../../../test/helpers/report-downloads.ts';
import { createApiToken } from '../../actions/api-tokens.ts';
import { createTicket } from '../../actions/tickets.ts';
import { insertComponent } from '../../store/components.ts';
import { insertOrganization } from '../../store/organizations.ts';
import { getUser } from '../../store/users.ts';

const at = (iso: string) => Date.parse(iso);
const MONTHS = ['m2026-06', 'm2026-07', 'm2026-08', 'm2026-09', 'm2026-10', 'm2026-11'];
const trendOf = (row: Record<string, unknown>) => MONTHS.map((m) => row[m]);
/** The cells of the page's table of revenue, cost and margin by month, as text. */
const trendCells = (html: string) => {
  const trend = /<table class="wf report-table" id="cost-trend">([\s\S]*?)<\/table>/.exec(html)![1];
  return [...trend.matchAll(/<tr>(.*?)<\/tr>/g)].slice(1).map((m) => [...m[1].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1].replace(/<[^>]+>/g, '').replace(/\s/g, ' ')));
};

type Api = { columns: { key: string; kind: string }[]; rows: Record<string, unknown>[]; totals: Record<string, unknown> };

describe('the cost of service report', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let manager: Browser;
  let token: string;
  let boris: { id: number };
  let billing: number;

  beforeAll(async () => {
    deps = await makeTestDeps({ TIME_ZONE: 'Europe/Moscow' });
    srv = await startTestServer(deps);
    const ctx = srv.services.ctx;
    const now = deps.clock.now();
    await insertOrganization(deps.db, { name: 'Romashka', currency: 'RUB', monthlyFeeCents: 5_000_000, includedMinutes: 600, hourlyRateCents: 250_000 }, now, ['romashka.example']);
    await insertOrganization(deps.db, { name: 'Vasilek', currency: 'RUB', monthlyFeeCents: 1_000_000, includedMinutes: 120, hourlyRateCents: 100_000 }, now, ['vasilek.example']);
    await insertOrganization(deps.db, { name: 'Euro GmbH', currency: 'EUR', monthlyFeeCents: 100_000 }, now, ['euro.example']);
    await insertOrganization(deps.db, { name: 'Idle Ltd', currency: 'RUB' }, now, ['idle.example']);
    billing = (await insertComponent(deps.db, { name: 'Billing' }, now)).id;
    const anna = await addUser(srv.services, 'agent', 'anna@desk.test', 'Anna');
    const b = await addUser(srv.services, 'agent', 'boris@desk.test', 'Boris');
    boris = b;
    const chief = await addUser(srv.services, 'manager', 'chief@desk.test', 'Chief');
    await addUser(srv.services, 'admin');
    // the admin sets the hourly costs on the people's pages
    const admin = new Browser(srv.url);
    await admin.login('admin@desk.test', TEST_PASSWORD);
    for (const [who, cost] of [[anna, '1200'], [b, '1 800,00']] as const) {
      const res = await admin.post(`/admin/users/${who.id}`, { name: who.name, role: 'agent', locale: 'en', timeZone: 'UTC', active: 'on', available: 'on', hourlyCost: cost });
      expect(res.status).toBe(303);
    }
    expect((await getUser(deps.db, b.id)).hourlyCostCents).toBe(180_000);
    expect((await admin.get(`/admin/users/${b.id}`)).text).toContain('name="hourlyCost" inputmode="decimal" maxlength="20" value="1800"');

    const ticket = async (email: string, more: { componentId?: number; priority?: 'high'; type?: 'problem' } = {}) =>
      (await createTicket(ctx, { kind: 'user', user: anna }, { subject: 'Help', body: 'x', requesterEmail: email, ...more })).id;
    const romashka = await ticket('ivan@romashka.example');
    const vasilek = await ticket('olga@vasilek.example');
    const euro = await ticket('hans@euro.example');
    const romashkaBilling = await ticket('petr@romashka.example', { componentId: billing, priority: 'high', type: 'problem' });
    const nov = at('2026-11-10T09:00:00Z');
    await logWork(ctx, anna, romashka, 300, { workedAt: nov });
    await logWork(ctx, b, romashka, 120, { workedAt: nov });
    await logWork(ctx, anna, romashkaBilling, 60, { workedAt: at('2026-11-12T09:00:00Z') });
    await logWork(ctx, b, vasilek, 600, { workedAt: nov });
    await logWork(ctx, chief, vasilek, 60, { workedAt: nov });
    await logWork(ctx, b, vasilek, 300, { workedAt: nov, billable: false });
    await logWork(ctx, anna, euro, 60, { workedAt: nov });
    await logWork(ctx, anna, romashka, 120, { workedAt: at('2026-10-15T09:00:00Z') });
    // 23:30 on 31 October in Moscow is still October
    await logWork(ctx, anna, romashka, 60, { workedAt: at('2026-10-31T20:30:00Z') });
    await logWork(ctx, b, romashkaBilling, 240, { workedAt: at('2026-09-10T09:00:00Z') });
    deps.clock.set(at('2026-12-01T09:00:00Z'));
    manager = new Browser(srv.url);
    await manager.login('chief@desk.test', TEST_PASSWORD);
    token = (await createApiToken(ctx, chief, { name: 'reports' })).token;
  });
  afterAll(async () => {
    await srv?.close();
    deps?.close();
  });

  const api = async (query: string) => {
    const res = await fetch(`${srv.url}/api/v1/reports/cost${query}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as Api;
  };
  const follow = async (href: string) => {
    const queue = await manager.get(href.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&'));
    expect(queue.status).toBe(200);
    return [...new Set([...queue.text.matchAll(/<a href="\/tickets\/(\d+)"/g)].map((m) => Number(m[1])))].sort();
  };

  it('prices each client’s month, the one that costs more than it pays first, with its margin in each of the six months', async () => {
    const { rows, totals } = await api('?month=2026-11');
    expect(rows.map(({ organization, currency, fee, overage, outOfScope, revenue, logged, uncosted, cost, margin, marginPercent }) =>
      ({ organization, currency, fee, overage, outOfScope, revenue, logged, uncosted, cost, margin, marginPercent }))).toEqual([
      // covered 660 min against 120 included: 540 min over at 1 000/h; cost 900 min × 1 800/h, Chief's hour unpriced
      { organization: 'Vasilek', currency: 'RUB', fee: 1_000_000, overage: 900_000, outOfScope: 0, revenue: 1_900_000, logged: 960, uncosted: 60, cost: 2_700_000, margin: -800_000, marginPercent: -42.1 },
      // 360 min × 1 200/h and 120 min × 1 800/h
      { organization: 'Romashka', currency: 'RUB', fee: 5_000_000, overage: 0, outOfScope: 0, revenue: 5_000_000, logged: 480, uncosted: 0, cost: 1_080_000, margin: 3_920_000, marginPercent: 78.4 },
      // billed in euros: no margin against costs in roubles
      { organization: 'Euro GmbH', currency: 'EUR', fee: 100_000, overage: 0, outOfScope: 0, revenue: 100_000, logged: 60, uncosted: 0, cost: 120_000, margin: null, marginPercent: null },
    ]);
    // June to August: the fee alone; September: Boris's 4 h on Billing; October: Anna's 3 h
    expect(rows.map(trendOf)).toEqual([
      [1_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000, -800_000],
      [5_000_000, 5_000_000, 5_000_000, 4_280_000, 4_640_000, 3_920_000],
      [null, null, null, null, null, null],
    ]);
    expect(totals).toMatchObject({ organization: null, currency: 'RUB', fee: 6_000_000, overage: 900_000, revenue: 6_900_000, logged: 1440, uncosted: 60, cost: 3_780_000, margin: 3_120_000, marginPercent: 45.2 });
    expect(trendOf(totals)).toEqual([6_000_000, 6_000_000, 6_000_000, 5_280_000, 5_640_000, 3_120_000]);
    const october = await api('?month=2026-10');
    expect(october.totals).toMatchObject({ logged: 180, cost: 360_000, margin: 5_640_000 });
    expect((await api('?month=2026-11&org=2')).rows.map((r) => r.organization)).toEqual(['Vasilek']);
  });

  it('narrows the time and its cost by the filters, summed from the worklogs, and then shows no margin', async () => {
    for (const filter of [`component=${billing}`, 'priority=high', 'type=problem']) {
      const { rows, totals } = await api(`?month=2026-11&${filter}`);
      // only Romashka's Billing ticket: Anna's hour; the revenue stays the whole contract's
      expect(rows.map(({ organization, revenue, logged, cost, margin, marginPercent }) => ({ organization, revenue, logged, cost, margin, marginPercent })), filter)
        .toEqual([{ organization: 'Romashka', revenue: 5_000_000, logged: 60, cost: 120_000, margin: null, marginPercent: null }]);
      // narrowed, the trend is of the cost
      expect(trendOf(rows[0]), filter).toEqual([0, 0, 0, 720_000, 0, 120_000]);
      expect(totals, filter).toMatchObject({ logged: 60, cost: 120_000, margin: null });
    }
    // whose time: Boris's, whoever the tickets are assigned to
    const borisTime = await api(`?month=2026-11&agent=${boris.id}`);
    expect(borisTime.rows.map(({ organization, logged, cost, margin }) => ({ organization, logged, cost, margin }))).toEqual([
      { organization: 'Vasilek', logged: 900, cost: 2_700_000, margin: null },
      { organization: 'Romashka', logged: 120, cost: 360_000, margin: null },
    ]);
    expect(trendOf(borisTime.rows[1])).toEqual([0, 0, 0, 720_000, 0, 360_000]);
    expect((await api(`?month=2026-11&agent=${boris.id}&org=1`)).rows.map((r) => r.cost)).toEqual([360_000]);
    expect((await api(`?month=2026-11&channel=phone`)).rows).toEqual([]);
  });

  it('shows the loss, the chart, the table, each client’s trend and the desk’s months on the page', async () => {
    const page = await manager.get('/reports/cost?month=2026-11');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<p class="banner warn" id="losing">Cost more than they pay this month: Vasilek<\/p>/);
    expect(page.text).toMatch(/<svg role="img" aria-label="Revenue and cost per client"/);
    expect(page.text).toContain('<a href="/organizations/2/contract?month&#x3D;2026-11">Vasilek</a>');
    expect(page.text).toContain('a client&#x27;s contract revenue (fee, overage, out-of-scope work) is the whole organisation&#x27;s');
    // the time logged opens the queue on the client's tickets worked on that month
    const logged = /<a href="(\/tickets\?[^"]*organization&#x3D;2[^"]*)">16 hr<\/a>/.exec(page.text);
    expect(logged, 'Vasilek’s 16 hours link to the queue').not.toBeNull();
    expect(await follow(logged![1])).toEqual([2]);
    // each client's margin for six months: a sparkline read out in words, and the figures
    const clients = /<table class="wf report-table" id="cost-clients-trend">([\s\S]*?)<\/table>/.exec(page.text)![1];
    const romashka = /<tr><th scope="row">Romashka<\/th>(.*?)<\/tr>/.exec(clients)![1];
    expect(romashka).toMatch(/<svg role="img" aria-label="Romashka: Margin, Jun 2026 RUB\s50,000; .*; Margin, Sep 2026 RUB\s42,800; .*" class="sparkline"/);
    const figures = [...romashka.matchAll(/<td class="num"><a href="([^"]*)">(.*?)<\/a><\/td>/g)];
    expect(figures.map((f) => f[2].replace(/\s/g, ' '))).toEqual(['RUB 50,000', 'RUB 50,000', 'RUB 50,000', 'RUB 42,800', 'RUB 46,400', 'RUB 39,200']);
    // September's figure opens the queue on the ticket worked on then
    expect(await follow(figures[3][1])).toEqual([4]);
    // the desk's six months, month by month
    expect(trendCells(page.text).map((c) => c[0])).toEqual(['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11']);
    expect(trendCells(page.text)[4]).toEqual(['2026-10', 'RUB 60,000', 'RUB 3,600', 'RUB 56,400', '94%']);
    expect(trendCells(page.text)[5][4]).toBe('45.2%');
  });

  it('reports on the month picked in its form, this month by default, keeping the other filters', async () => {
    const monthField = (html: string) => /<input type="month" name="month" value="([^"]*)"/.exec(html)?.[1];
    // the desk's clock says 1 December in Moscow
    const now = await manager.get('/reports/cost');
    expect(monthField(now.text)).toBe('2026-12');
    expect(trendCells(now.text).map((c) => c[0]).at(-1)).toBe('2026-12');
    // the plain form sends the month with the filters; an October of Romashka alone
    const picked = await manager.get('/reports/cost?month=2026-10&org=1&component=&agent=&type=&channel=&priority=');
    expect(picked.status).toBe(200);
    expect(monthField(picked.text)).toBe('2026-10');
    expect(picked.text).toContain('<small class="muted">2026-10</small>');
    expect(picked.text).toMatch(/<option value="1" selected>Romashka<\/option>/);
    expect(trendCells(picked.text).map((c) => c[0]).at(-1)).toBe('2026-10');
    expect(trendCells(picked.text).at(-1)).toEqual(['2026-10', 'RUB 50,000', 'RUB 3,600', 'RUB 46,400', '92.8%']);
    expect(picked.text).toContain('/reports/cost.csv?org&#x3D;1&amp;month&#x3D;2026-10');
    // a month that does not parse is this month again
    expect(monthField((await manager.get('/reports/cost?month=2026-13')).text)).toBe('2026-12');
  });

  it('with one client chosen, charts its revenue against its cost over the year', async () => {
    const page = await manager.get('/reports/cost?month=2026-11&org=1');
    expect(page.text).toContain('<h2>Romashka: revenue, cost and margin by month</h2>');
    expect(page.text).toMatch(/<div class="cost-year">\s*<svg role="img" aria-label="Revenue, cost and margin by month"/);
    // twelve months
    expect(trendCells(page.text).map((c) => c[0])).toEqual(['2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11']);
    expect(trendCells(page.text)[9]).toEqual(['2026-09', 'RUB 50,000', 'RUB 7,200', 'RUB 42,800', '85.6%']);
    const trend = /<table class="wf report-table" id="cost-trend">([\s\S]*?)<\/table>/.exec(page.text)![1];
    const sep = /<tr><td>2026-09<\/td>(.*?)<\/tr>/.exec(trend)![1];
    // its cost opens the queue on its tickets worked on that month
    expect(await follow(/<a href="([^"]*)">RUB\s7,200<\/a>/.exec(sep)![1])).toEqual([4]);
    // narrowed to Boris's time: the queue on the tickets he worked on
    const narrowed = await manager.get(`/reports/cost?month=2026-11&org=1&agent=${boris.id}`);
    expect(narrowed.text).toContain('id="cost-narrowing">Narrowed: the time logged and its cost');
    expect(narrowed.text).toContain('<h2>Each client&#x27;s cost, last six months</h2>');
    const cost = /<a href="(\/tickets\?[^"]*)">RUB\s3,600<\/a>/.exec(narrowed.text);
    expect(await follow(cost![1])).toEqual([1]);
    expect(narrowed.text).toContain(`/reports/cost.csv?org&#x3D;1&amp;agent&#x3D;${boris.id}&amp;month&#x3D;2026-11`);
  });

  it('hands accounting the same numbers as CSV, XLSX and the API, money in whole units', async () => {
    const csv = (await manager.get('/reports/cost.csv?month=2026-11')).text.trim().split('\n');
    expect(csv[0]).toBe('Client,Currency,Fee,Overage,Out of scope,Revenue,"Time logged, h","…without an hourly cost, h",Cost,Margin,"Margin, %",'
      + '"Margin, Jun 2026","Margin, Jul 2026","Margin, Aug 2026","Margin, Sep 2026","Margin, Oct 2026","Margin, Nov 2026"');
    expect(csv[1]).toBe('Vasilek,RUB,10000,9000,0,19000,16,1,27000,-8000,-42.1,10000,10000,10000,10000,10000,-8000');
    expect(csv[3]).toBe('Euro GmbH,EUR,1000,0,0,1000,1,0,1200,,,,,,,,');
    expect(csv[4]).toBe('Total,RUB,60000,9000,0,69000,24,1,37800,31200,45.2,60000,60000,60000,52800,56400,31200');
    for (const query of ['?month=2026-11', `?month=2026-11&agent=${boris.id}`]) await expectDownloadsMatchApi({ url: srv.url, token, browser: manager, report: 'cost', query });
  });
});
