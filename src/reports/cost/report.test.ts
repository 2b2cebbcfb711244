// Cost of service on a desk whose answers are known by construction: two clients in roubles (one
// profitable, one that costs more than it pays), one in euros, three people with and without an
// hourly cost (set through Admin → People), and time logged in October and November.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../../test/helpers/web.ts';
import { logWork } from '../../../test/helpers/workflow.ts';
import { readXlsx } from '../../../test/helpers/xlsx.ts';
import { createApiToken } from '../../actions/api-tokens.ts';
import { createTicket } from '../../actions/tickets.ts';
import { insertOrganization } from '../../store/organizations.ts';
import { getUser } from '../../store/users.ts';

const at = (iso: string) => Date.parse(iso);

describe('the cost of service report', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let manager: Browser;
  let token: string;

  beforeAll(async () => {
    deps = await makeTestDeps({ TIME_ZONE: 'Europe/Moscow' });
    srv = await startTestServer(deps);
    const ctx = srv.services.ctx;
    const now = deps.clock.now();
    await insertOrganization(deps.db, { name: 'Romashka', currency: 'RUB', monthlyFeeCents: 5_000_000, includedMinutes: 600, hourlyRateCents: 250_000 }, now, ['romashka.example']);
    await insertOrganization(deps.db, { name: 'Vasilek', currency: 'RUB', monthlyFeeCents: 1_000_000, includedMinutes: 120, hourlyRateCents: 100_000 }, now, ['vasilek.example']);
    await insertOrganization(deps.db, { name: 'Euro GmbH', currency: 'EUR', monthlyFeeCents: 100_000 }, now, ['euro.example']);
    await insertOrganization(deps.db, { name: 'Idle Ltd', currency: 'RUB' }, now, ['idle.example']);
    const anna = await addUser(srv.services, 'agent', 'anna@desk.test', 'Anna');
    const boris = await addUser(srv.services, 'agent', 'boris@desk.test', 'Boris');
    const chief = await addUser(srv.services, 'manager', 'chief@desk.test', 'Chief');
    await addUser(srv.services, 'admin');
    // the admin sets the hourly costs on the people's pages
    const admin = new Browser(srv.url);
    await admin.login('admin@desk.test', TEST_PASSWORD);
    for (const [who, cost] of [[anna, '1200'], [boris, '1 800,00']] as const) {
      const res = await admin.post(`/admin/users/${who.id}`, { name: who.name, role: 'agent', locale: 'en', timeZone: 'UTC', active: 'on', available: 'on', hourlyCost: cost });
      expect(res.status).toBe(303);
    }
    expect((await getUser(deps.db, boris.id)).hourlyCostCents).toBe(180_000);
    expect((await admin.get(`/admin/users/${boris.id}`)).text).toContain('name="hourlyCost" inputmode="decimal" maxlength="20" value="1800"');

    const ticket = async (email: string) => (await createTicket(ctx, { kind: 'user', user: anna }, { subject: 'Help', body: 'x', requesterEmail: email })).id;
    const romashka = await ticket('ivan@romashka.example');
    const vasilek = await ticket('olga@vasilek.example');
    const euro = await ticket('hans@euro.example');
    const nov = at('2026-11-10T09:00:00Z');
    await logWork(ctx, anna, romashka, 300, { workedAt: nov });
    await logWork(ctx, boris, romashka, 120, { workedAt: nov });
    await logWork(ctx, boris, vasilek, 600, { workedAt: nov });
    await logWork(ctx, chief, vasilek, 60, { workedAt: nov });
    await logWork(ctx, boris, vasilek, 300, { workedAt: nov, billable: false });
    await logWork(ctx, anna, euro, 60, { workedAt: nov });
    await logWork(ctx, anna, romashka, 120, { workedAt: at('2026-10-15T09:00:00Z') });
    // 23:30 on 31 October in Moscow is still October
    await logWork(ctx, anna, romashka, 60, { workedAt: at('2026-10-31T20:30:00Z') });
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
    return (await res.json()) as { rows: Record<string, unknown>[]; totals: Record<string, unknown> };
  };

  it('prices each client’s month, the one that costs more than it pays first', async () => {
    const { rows, totals } = await api('?month=2026-11');
    expect(rows).toEqual([
      // covered 660 min against 120 included: 540 min over at 1 000/h; cost 900 min × 1 800/h, Chief's hour unpriced
      { organization: 'Vasilek', currency: 'RUB', fee: 1_000_000, overage: 900_000, outOfScope: 0, revenue: 1_900_000, logged: 960, uncosted: 60, cost: 2_700_000, margin: -800_000, marginPercent: -42.1 },
      { organization: 'Romashka', currency: 'RUB', fee: 5_000_000, overage: 0, outOfScope: 0, revenue: 5_000_000, logged: 420, uncosted: 0, cost: 960_000, margin: 4_040_000, marginPercent: 80.8 },
      // billed in euros: no margin against costs in roubles
      { organization: 'Euro GmbH', currency: 'EUR', fee: 100_000, overage: 0, outOfScope: 0, revenue: 100_000, logged: 60, uncosted: 0, cost: 120_000, margin: null, marginPercent: null },
    ]);
    expect(totals).toEqual({ organization: null, currency: 'RUB', fee: 6_000_000, overage: 900_000, outOfScope: 0, revenue: 6_900_000, logged: 1380, uncosted: 60, cost: 3_660_000, margin: 3_240_000, marginPercent: 47 });
    const october = await api('?month=2026-10');
    expect(october.totals).toMatchObject({ logged: 180, cost: 360_000, margin: 5_640_000 });
    expect((await api('?month=2026-11&org=2')).rows.map((r) => r.organization)).toEqual(['Vasilek']);
  });

  it('shows the loss, the chart, the table and the six-month trend on the page', async () => {
    const page = await manager.get('/reports/cost?month=2026-11');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<p class="banner warn" id="losing">Cost more than they pay this month: Vasilek<\/p>/);
    expect(page.text).toMatch(/<svg role="img" aria-label="Revenue and cost per client"/);
    expect(page.text).toContain('<a href="/organizations/2/contract?month&#x3D;2026-11">Vasilek</a>');
    // the time logged opens the queue on the client's tickets worked on that month
    const logged = /<a href="(\/tickets\?[^"]*organization&#x3D;2[^"]*)">16 hr<\/a>/.exec(page.text);
    expect(logged, 'Vasilek’s 16 hours link to the queue').not.toBeNull();
    const queue = await manager.get(logged![1].replaceAll('&#x3D;', '=').replaceAll('&amp;', '&'));
    expect(queue.status).toBe(200);
    expect([...new Set([...queue.text.matchAll(/<a href="\/tickets\/(\d+)"/g)].map((m) => Number(m[1])))]).toEqual([2]);
    const trend = /<table class="wf report-table" id="cost-trend">([\s\S]*?)<\/table>/.exec(page.text)![1];
    const cells = [...trend.matchAll(/<tr>(.*?)<\/tr>/g)].slice(1).map((m) => [...m[1].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1]));
    expect(cells.map((c) => c[0])).toEqual(['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11']);
    expect(cells[4].map((c) => c.replace(/\s/g, ' '))).toEqual(['2026-10', 'RUB 60,000', 'RUB 3,600', 'RUB 56,400', '94%']);
    expect(cells[5][4]).toBe('47%');
  });

  it('hands accounting the same numbers as CSV and XLSX, money in whole units', async () => {
    const csv = (await manager.get('/reports/cost.csv?month=2026-11')).text.trim().split('\n');
    expect(csv[0]).toBe('Client,Currency,Fee,Overage,Out of scope,Revenue,"Time logged, h","…without an hourly cost, h",Cost,Margin,"Margin, %"');
    expect(csv[1]).toBe('Vasilek,RUB,10000,9000,0,19000,16,1,27000,-8000,-42.1');
    expect(csv[3]).toBe('Euro GmbH,EUR,1000,0,0,1000,1,0,1200,,');
    expect(csv[4]).toBe('Total,RUB,60000,9000,0,69000,23,1,36600,32400,47');
    const rows = await readXlsx((await manager.getBytes('/reports/cost.xlsx?month=2026-11')).body);
    expect(rows[1]).toEqual(['Vasilek', 'RUB', 10000, 9000, 0, 19000, 16, 1, 27000, -8000, -42.1]);
    expect(rows).toHaveLength(5);
  });
});
