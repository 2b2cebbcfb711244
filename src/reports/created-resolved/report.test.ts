// Created vs resolved on a desk in Moscow whose answers are known by construction: six tickets
// created, resolved, closed and reopened at chosen instants around the desk's midnights. The page,
// the CSV, the XLSX and the API give the same numbers, and every number opens its tickets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../../test/helpers/web.ts';
import { expectDownloadsMatchApi } from '../../../test/helpers/report-downloads.ts';
import { readXlsx } from '../../../test/helpers/xlsx.ts';
import { createApiToken } from '../../actions/api-tokens.ts';
import { createTicket, writeStatus } from '../../actions/tickets.ts';
import { getTicket, type Ticket } from '../../store/tickets.ts';
import { updateUser } from '../../store/users.ts';
import { sql } from 'drizzle-orm';

const at = (iso: string) => Date.parse(iso);
const WEEK = '?from=2026-11-02&to=2026-11-08&group=day';

describe('the created vs resolved report', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let manager: Browser;
  let token: string;
  const t: Record<string, Ticket> = {};

  beforeAll(async () => {
    deps = await makeTestDeps({ TIME_ZONE: 'Europe/Moscow' });
    srv = await startTestServer(deps);
    const agent = await addUser(srv.services, 'agent');
    const boss = await addUser(srv.services, 'manager');
    const ctx = srv.services.ctx;
    const by = { kind: 'user', user: agent } as const;
    const open = async (key: string, when: string, priority: 'normal' | 'high' = 'normal') => {
      deps.clock.set(at(when));
      t[key] = await createTicket(ctx, by, { subject: `Ticket ${key}`, body: 'x', requesterEmail: 'anna@client.example', priority });
    };
    const move = async (key: string, when: string, to: 'resolved' | 'closed' | 'reopened') => {
      deps.clock.set(at(when));
      await writeStatus(ctx, by, await getTicket(deps.db, t[key].id), to);
    };
    await open('T1', '2026-11-01T10:00:00Z'); // before the period, still open
    await open('T2', '2026-11-01T12:00:00Z');
    await move('T2', '2026-11-03T09:00:00Z', 'resolved');
    await open('T3', '2026-11-02T20:30:00Z'); // 23:30 on the 2nd in Moscow
    await move('T3', '2026-11-02T21:30:00Z', 'closed'); // 00:30 on the 3rd in Moscow
    await open('T4', '2026-11-04T08:00:00Z');
    await move('T4', '2026-11-05T08:00:00Z', 'resolved');
    await move('T4', '2026-11-06T08:00:00Z', 'reopened'); // no longer resolved
    await open('T5', '2026-11-05T22:00:00Z', 'high'); // the 6th in Moscow
    await open('T6', '2026-11-09T10:00:00Z'); // after the period
    deps.clock.set(at('2026-11-10T09:00:00Z'));
    manager = new Browser(srv.url);
    await manager.login('manager@desk.test', TEST_PASSWORD);
    token = (await createApiToken(ctx, boss, { name: 'reports' })).token;
  });
  afterAll(async () => {
    await srv?.close();
    deps?.close();
  });

  // per day of the desk: created, resolved or closed, open at the end of the day
  const EXPECTED = [
    ['2026-11-02', 1, 0, 3],
    ['2026-11-03', 0, 2, 1],
    ['2026-11-04', 1, 0, 2],
    ['2026-11-05', 0, 0, 2],
    ['2026-11-06', 1, 0, 3],
    ['2026-11-07', 0, 0, 3],
    ['2026-11-08', 0, 0, 3],
  ];

  const api = async (query: string) => {
    const res = await fetch(`${srv.url}/api/v1/reports/created-resolved${query}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as { columns: { key: string; kind: string }[]; rows: Record<string, unknown>[]; totals: Record<string, unknown> };
  };

  it('counts per day of the desk, with the backlog at the end of each day', async () => {
    const data = await api(WEEK);
    expect(data.columns.map((c) => c.key)).toEqual(['period', 'created', 'resolved', 'backlog']);
    expect(data.rows.map((r) => [r.period, r.created, r.resolved, r.backlog])).toEqual(EXPECTED);
    expect(data.totals).toEqual({ period: null, created: 3, resolved: 2, backlog: 3 });
  });

  it('narrows by the tickets’ fields and groups by week', async () => {
    const high = await api(`${WEEK}&priority=high`);
    expect(high.rows.map((r) => [r.period, r.created, r.backlog])).toEqual(EXPECTED.map(([d]) => [d, d === '2026-11-06' ? 1 : 0, d! >= '2026-11-06' ? 1 : 0]));
    const weeks = await api('?from=2026-10-26&to=2026-11-15&group=week');
    expect(weeks.rows.map((r) => [r.period, r.created, r.resolved, r.backlog])).toEqual([
      ['2026-10-26', 2, 0, 2], ['2026-11-02', 3, 2, 3], ['2026-11-09', 1, 0, 4],
    ]);
  });

  it('gives the same numbers in the CSV and the XLSX, in the viewer’s language', async () => {
    const csv = await manager.get(`/reports/created-resolved.csv${WEEK}`);
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('Period,Created,Resolved,Open at the end');
    expect(lines.slice(1, -1)).toEqual(EXPECTED.map((r) => r.join(',')));
    expect(lines.at(-1)).toBe('Total,3,2,3');
    const ru = await addUser(srv.services, 'manager', 'ru@desk.test', 'Ольга');
    await updateUser(deps.db, ru.id, { locale: 'ru' }, deps.clock.now());
    const olga = new Browser(srv.url);
    await olga.login('ru@desk.test', TEST_PASSWORD);
    const rows = await readXlsx((await olga.getBytes(`/reports/created-resolved.xlsx${WEEK}`)).body);
    expect(rows).toEqual([['Период', 'Поступило', 'Решено', 'Открыто на конец'], ...EXPECTED, ['Итого', 3, 2, 3]]);
  });

  it('gives the API’s rows in the CSV and on every sheet of the XLSX', async () => {
    for (const query of [WEEK, '?from=2026-10-26&to=2026-11-15&group=week', `${WEEK}&priority=high`]) await expectDownloadsMatchApi({ url: srv.url, token, browser: manager, report: 'created-resolved', query });
  });

  it('shows a chart and a table whose numbers open the queue on their tickets', async () => {
    const page = await manager.get(`/reports/created-resolved${WEEK}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<svg role="img" aria-label="Created vs resolved" class="report-chart"/);
    const links = [...page.text.matchAll(/<a href="(\/tickets\?[^"]+)">(\d+)<\/a>/g)].map((m) => ({ href: m[1].replaceAll('&#x3D;', '=').replaceAll('&amp;', '&'), n: Number(m[2]) }));
    // 7 days and the totals, 3 numbers each
    expect(links).toHaveLength(24);
    const subjects = async (href: string) => [...(await manager.get(href)).text.matchAll(/Ticket (T\d)/g)].map((m) => m[1]).sort();
    // the 3rd: T2 and T3 resolved or closed, T1 alone open at its end (T4 came on the 4th)
    expect(await subjects(links[4].href)).toEqual(['T2', 'T3']);
    expect(await subjects(links[5].href)).toEqual(['T1']);
    // the totals: created in the week, open at its end
    expect(await subjects(links[21].href)).toEqual(['T3', 'T4', 'T5']);
    expect(await subjects(links[23].href)).toEqual(['T1', 'T4', 'T5']);
    for (const l of links) expect((await subjects(l.href)).length, l.href).toBe(l.n);
  });

  it('shows the same numbers for a minute, says when they were counted, and counts again after a ticket changes or when asked', async () => {
    const page = async (query = WEEK) => {
      const res = await manager.get(`/reports/created-resolved${query}`);
      expect(res.status).toBe(200);
      const total = /<tfoot><tr><td>Total<\/td><td class="num"><a href="[^"]+">(\d+)<\/a>/.exec(res.text)?.[1];
      const asOf = /Figures as of <time datetime="([^"]+)">/.exec(res.text)?.[1];
      const again = /<a href="([^"]+)">Count again now<\/a>/.exec(res.text)?.[1]?.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
      return { total: Number(total), asOf, again };
    };
    const week = '?from=2026-11-09&to=2026-11-15&group=day';
    deps.clock.set(at('2026-11-10T09:00:00Z'));
    const first = await page(week);
    expect(first).toEqual({ total: 1, asOf: '2026-11-10T09:00:00.000Z', again: `/reports/created-resolved${week}&fresh=1` });
    // a ticket changed straight in the database (as another process would change it) is not seen while the numbers are kept
    const now = at('2026-11-10T09:00:30Z');
    deps.clock.set(now);
    await deps.db.run(sql`update tickets set created_at = ${now} where id = ${t.T1.id}`);
    expect(await page(week)).toEqual(first);
    expect(await page(`${week}&fresh=1`)).toEqual({ ...first, total: 2, asOf: '2026-11-10T09:00:30.000Z' });
    // a minute later, and after any change to a ticket made through the desk, the numbers are counted again
    await deps.db.run(sql`update tickets set created_at = ${t.T1.createdAt} where id = ${t.T1.id}`);
    deps.clock.set(at('2026-11-10T09:01:31Z'));
    expect((await page(week)).total).toBe(1);
    deps.clock.set(at('2026-11-10T09:01:40Z'));
    await createTicket(srv.services.ctx, { kind: 'system' }, { subject: 'Ticket T10', body: 'x', requesterEmail: 'anna@client.example' });
    expect(await page(week)).toEqual({ ...first, total: 2, asOf: '2026-11-10T09:01:40.000Z', again: first.again });
  });
});
