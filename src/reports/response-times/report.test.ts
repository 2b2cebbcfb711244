// Response and resolution times on a desk in Moscow whose answers are known by construction: an
// office calendar (Mon–Fri 09:00–18:00) behind the default SLA policy, and five tickets of the week
// answered and resolved at chosen instants through the real actions — over nights, so business
// time and wall-clock time differ. The API, the CSV, the XLSX and the page agree, and every ticket
// count opens its tickets. Without any SLA policy, times are wall-clock time.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../../test/helpers/web.ts';
import { expectDownloadsMatchApi } from '../../../test/helpers/report-downloads.ts';
import { seedSla } from '../../../test/helpers/workflow.ts';
import { readXlsx, readXlsxSheets } from '../../../test/helpers/xlsx.ts';
import { createApiToken } from '../../actions/api-tokens.ts';
import { assignTicket, createTicket, replyToTicket, writeStatus } from '../../actions/tickets.ts';
import type { Priority } from '../../domain/vocabulary.ts';
import { insertComponent } from '../../store/components.ts';
import { insertOrganization } from '../../store/organizations.ts';
import { getTicket, type Ticket } from '../../store/tickets.ts';
import { schedulerTick } from '../../roles/scheduler.ts';
import { updateUser, type User } from '../../store/users.ts';
import { percentile, statsOf } from './report.ts';

const at = (iso: string) => Date.parse(iso);
const WEEK = '?from=2026-11-02&to=2026-11-08';

type Api = { columns: { key: string; kind: string }[]; rows: Record<string, unknown>[]; totals: Record<string, unknown>; parts: { key: string; rows: Record<string, unknown>[] }[] };
const KEYS = ['tickets', 'frCount', 'frMedian', 'frP90', 'frMean', 'resCount', 'resMedian', 'resP90', 'resMean'];

// business minutes: first answers A 20, B 105 (1 h on Monday evening, 45 min on Tuesday), C 40;
// resolutions A 180, B 420, C 1140 (7 h + 9 h + 3 h); D and E unanswered
const D = [1, 0, null, null, null, 0, null, null, null];
const B_E = [2, 1, 105, 105, 105, 1, 420, 420, 420];
const A_C = [2, 2, 20, 40, 30, 2, 180, 1140, 660];
const TOTAL = [null, 5, 3, 40, 105, 55, 3, 420, 1140, 580];

describe('the response and resolution times report', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let manager: Browser;
  let token: string;
  let acme: number;

  beforeAll(async () => {
    deps = await makeTestDeps({ TIME_ZONE: 'Europe/Moscow' });
    srv = await startTestServer(deps);
    const ctx = srv.services.ctx;
    deps.clock.set(at('2026-10-30T09:00:00Z'));
    const now = deps.clock.now();
    const anna = await addUser(srv.services, 'agent', 'anna@desk.test', 'Anna');
    const boris = await addUser(srv.services, 'agent', 'boris@desk.test', 'Boris');
    const boss = await addUser(srv.services, 'manager');
    await seedSla(ctx, { firstResponse: 60, resolution: 480 });
    acme = (await insertOrganization(deps.db, { name: 'Acme' }, now, ['acme.example'])).id;
    await insertOrganization(deps.db, { name: 'Beta' }, now, ['beta.example']);
    const printers = (await insertComponent(deps.db, { name: 'Printers' }, now)).id;
    const network = (await insertComponent(deps.db, { name: 'Network' }, now)).id;
    const as = (user: User) => ({ kind: 'user', user }) as const;
    const open = async (key: string, when: string, requesterEmail: string, priority: Priority, componentId?: number, assignee?: User) => {
      deps.clock.set(at(when));
      const t = await createTicket(ctx, as(boss), { subject: `Ticket ${key}`, body: 'x', requesterEmail, priority, componentId });
      if (assignee) await assignTicket(ctx, as(boss), { ticketId: t.id, assigneeId: assignee.id });
      return t;
    };
    const reply = async (t: Ticket, user: User, when: string) => {
      deps.clock.set(at(when));
      await replyToTicket(ctx, as(user), { ticketId: t.id, body: 'On it' });
    };
    const resolve = async (t: Ticket, when: string) => {
      deps.clock.set(at(when));
      await writeStatus(ctx, as(boss), await getTicket(deps.db, t.id), 'resolved', 'Done');
    };
    // times in UTC; Moscow is 3 hours ahead
    const f = await open('F', '2026-11-01T19:00:00Z', 'fay@acme.example', 'normal', printers, anna); // Sunday 22:00 in Moscow: before the week
    await reply(f, anna, '2026-11-02T06:30:00Z');
    const a = await open('A', '2026-11-02T07:00:00Z', 'ann@acme.example', 'normal', printers, anna);
    await reply(a, anna, '2026-11-02T07:20:00Z');
    await resolve(a, '2026-11-02T10:00:00Z');
    const b = await open('B', '2026-11-02T14:00:00Z', 'bob@acme.example', 'high', network, boris);
    await reply(b, boris, '2026-11-03T06:45:00Z');
    await resolve(b, '2026-11-03T12:00:00Z');
    const c = await open('C', '2026-11-03T08:00:00Z', 'eve@beta.example', 'normal', printers, anna);
    await reply(c, anna, '2026-11-03T08:40:00Z');
    await resolve(c, '2026-11-05T09:00:00Z');
    await open('D', '2026-11-06T07:00:00Z', 'someone@mail.example', 'urgent');
    await open('E', '2026-11-06T12:30:00Z', 'ed@beta.example', 'high', network, boris);
    deps.clock.set(at('2026-11-06T13:05:00Z'));
    manager = new Browser(srv.url);
    await manager.login('manager@desk.test', TEST_PASSWORD);
    token = (await createApiToken(ctx, boss, { name: 'reports' })).token;
  });
  afterAll(async () => {
    await srv?.close();
    deps?.close();
  });

  const api = async (query: string): Promise<Api> => {
    const res = await fetch(`${srv.url}/api/v1/reports/response-times${query}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as Api;
  };
  const table = (data: Api, first: string) => data.rows.map((r) => [r[first], ...KEYS.map((k) => r[k])]);
  const totals = (data: Api, first: string) => [data.totals[first], ...KEYS.map((k) => data.totals[k])];

  it('takes percentiles by nearest rank', () => {
    expect(percentile([20, 40], 50)).toBe(20);
    expect(percentile([20, 40, 105], 90)).toBe(105);
    expect(percentile([], 50)).toBeNull();
    expect(statsOf([null, 10, 11])).toEqual({ count: 2, median: 10, p90: 11, mean: 11 });
  });

  it('measures first answers and resolutions in business minutes, per priority', async () => {
    const data = await api(WEEK);
    expect(data.columns).toEqual([
      { key: 'priority', kind: 'text' },
      ...KEYS.map((key) => ({ key, kind: key === 'tickets' || key.endsWith('Count') ? 'count' : 'minutes' })),
    ]);
    // the API speaks no language: a priority is the key of its label
    expect(table(data, 'priority')).toEqual([['priority.urgent', ...D], ['priority.high', ...B_E], ['priority.normal', ...A_C]]);
    expect(totals(data, 'priority')).toEqual(TOTAL);
  });

  it('groups by organisation, component and assignee, and narrows by the tickets’ fields', async () => {
    expect(table(await api(`${WEEK}&by=organization`), 'organization')).toEqual([
      ['Acme', 2, 2, 20, 105, 63, 2, 180, 420, 300], // A, B: (20 + 105) / 2 rounds to 63
      ['Beta', 2, 1, 40, 40, 40, 1, 1140, 1140, 1140], // C, E
      ['reports.response-times.none.organization', ...D],
    ]);
    expect(table(await api(`${WEEK}&by=component`), 'component')).toEqual([['Network', ...B_E], ['Printers', ...A_C], ['reports.response-times.none.component', ...D]]);
    const agents = await api(`${WEEK}&by=agent`);
    expect(table(agents, 'agent')).toEqual([['Anna', ...A_C], ['Boris', ...B_E], ['reports.response-times.none.agent', ...D]]);
    expect(totals(agents, 'agent')).toEqual(TOTAL);
    expect(totals(await api(`${WEEK}&org=${acme}`), 'priority')).toEqual([null, 2, 2, 20, 105, 63, 2, 180, 420, 300]);
    // the week before holds F alone: created on Sunday night, answered at 09:30 on Monday
    expect(totals(await api('?from=2026-10-26&to=2026-11-01'), 'priority')).toEqual([null, 1, 1, 30, 30, 30, 0, null, null, null]);
  });

  it('gives the same numbers from the times the tickets keep, once the scheduler has measured them', async () => {
    const views = ['', '&by=organization', '&by=component', '&by=agent', `&org=${acme}`];
    const before = await Promise.all(views.map((v) => api(`${WEEK}${v}`)));
    const { timesMeasured } = await schedulerTick(srv.services.ctx);
    // A, B and C answered and resolved, F answered the week before
    expect(timesMeasured).toBe(4);
    expect(await Promise.all(views.map((v) => api(`${WEEK}${v}&fresh=1`)))).toEqual(before);
    expect(table(before[0], 'priority')).toEqual([['priority.urgent', ...D], ['priority.high', ...B_E], ['priority.normal', ...A_C]]);
    // the numbers are those kept: a kept time changed by hand shows
    await deps.db.run(sql`update tickets set fr_minutes = fr_minutes + 60 where subject = 'Ticket B'`);
    expect(table(await api(`${WEEK}&fresh=1`), 'priority')[1]).toEqual(['priority.high', 2, 1, 165, 165, 165, 1, 420, 420, 420]);
    await deps.db.run(sql`update tickets set fr_minutes = fr_minutes - 60 where subject = 'Ticket B'`);
    // kept times and times still to measure together: B's forgotten (answered, not measured) is measured by the report
    await deps.db.run(sql`update tickets set fr_minutes = null, res_minutes = null where subject = 'Ticket B'`);
    expect(await Promise.all(views.map((v) => api(`${WEEK}${v}&fresh=1`)))).toEqual(before);
    expect((await schedulerTick(srv.services.ctx)).timesMeasured).toBe(1);
  });

  it('gives the same numbers in the CSV and the XLSX, in hours, in the viewer’s language', async () => {
    const h = (v: unknown, i: number) => (typeof v === 'number' && ![0, 1, 2, 6].includes(i) ? Math.round((v / 60) * 100) / 100 : v);
    const inHours = (r: unknown[]) => r.map((v, i) => h(v, i));
    const csv = await manager.get(`/reports/response-times.csv${WEEK}&by=agent`);
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('Agent,Tickets,First responses,"First response, median, h","First response, 90th percentile, h","First response, mean, h",Resolutions,"Resolution, median, h","Resolution, 90th percentile, h","Resolution, mean, h"');
    const asCsv = (r: unknown[]) => inHours(r).map((v) => v ?? '').join(',');
    expect(lines.slice(1)).toEqual([asCsv(['Anna', ...A_C]), asCsv(['Boris', ...B_E]), asCsv(['Unassigned', ...D]), asCsv(['Total', ...TOTAL.slice(1)])]);
    const ru = await addUser(srv.services, 'manager', 'ru@desk.test', 'Ольга');
    await updateUser(deps.db, ru.id, { locale: 'ru' }, deps.clock.now());
    const olga = new Browser(srv.url);
    await olga.login('ru@desk.test', TEST_PASSWORD);
    const pad = (r: unknown[]) => Array.from({ length: 10 }, (_, i) => r[i] ?? null);
    const rows = (await readXlsx((await olga.getBytes(`/reports/response-times.xlsx${WEEK}`)).body)).map(pad);
    expect(rows).toEqual([
      ['Приоритет', 'Заявки', 'Первые ответы', 'Первый ответ, медиана, ч', 'Первый ответ, 90-й процентиль, ч', 'Первый ответ, среднее, ч', 'Решения', 'Решение, медиана, ч', 'Решение, 90-й процентиль, ч', 'Решение, среднее, ч'],
      ...[['Срочный', ...D], ['Высокий', ...B_E], ['Обычный', ...A_C], ['Итого', ...TOTAL.slice(1)]].map(inHours),
    ]);
    const page = await olga.get(`/reports/response-times${WEEK}`);
    expect(page.text).toContain('<h1>Время реакции и решения</h1>');
    expect(page.text).toContain('<td>2–5 дней</td>');

    // the histogram downloads too: a sheet of the workbook, a CSV of its own, a part of the API
    const HISTOGRAM = [[2, 0], [1, 1], [0, 1], [0, 0], [0, 1], [0, 0]];
    const sheets = await readXlsxSheets((await olga.getBytes(`/reports/response-times.xlsx${WEEK}`)).body);
    expect(sheets.map((sh) => sh.name)).toEqual(['Время реакции и решения', 'Распределение']);
    expect(sheets[1].rows.slice(1).map((r) => [r[1], r[2]])).toEqual(HISTOGRAM);
    const href = /<a href="([^"]+part&#x3D;histogram)"/.exec(page.text)?.[1].replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
    expect((await olga.get(href!)).text.trim().split('\n').slice(1)).toEqual(sheets[1].rows.slice(1).map((r) => r.join(',')));
    expect((await api(WEEK)).parts.map((p) => [p.key, p.rows.map((r) => Object.values(r).slice(1))])).toEqual([['histogram', HISTOGRAM]]);
  });

  it('gives the API’s rows in the CSV and on every sheet of the XLSX', async () => {
    for (const query of [WEEK, `${WEEK}&by=organization`, `${WEEK}&by=component`, `${WEEK}&by=agent`]) await expectDownloadsMatchApi({ url: srv.url, token, browser: manager, report: 'response-times', query });
  });

  it('shows the histogram of business time and the groupings, whose ticket counts open the queue on their tickets', async () => {
    const page = await manager.get(`/reports/response-times${WEEK}&by=organization`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<svg role="img" aria-label="Response and resolution times" class="report-chart"/);
    // first answers: 20 and 40 min, 105 min; resolutions: 3 h, 7 h, 19 h
    const histogram = page.text.match(/<table class="wf report-table" id="report-response-times-histogram">[\s\S]*?<\/table>/)![0];
    const cells = [...histogram.matchAll(/<tr><td>([^<]+)<\/td><td class="num">(\d+)<\/td><td class="num">(\d+)<\/td><\/tr>/g)].map((m) => [m[1], Number(m[2]), Number(m[3])]);
    expect(cells).toEqual([['Under 1 h', 2, 0], ['1–4 h', 1, 1], ['4–8 h', 0, 1], ['1–2 days', 0, 0], ['2–5 days', 0, 1], ['5 days or more', 0, 0]]);
    const text = page.text.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
    expect(text).toContain('<a href="/reports/response-times?from=2026-11-02&to=2026-11-08&group=day&by=organization" aria-current="page">By organization</a>');
    expect(text).toContain('<input type="hidden" name="by" value="organization">');
    const subjects = async (href: string) => [...(await manager.get(href)).text.matchAll(/>Ticket ([A-F])</g)].map((m) => m[1]).sort();
    const expected: Record<string, string[][]> = {
      priority: [['D'], ['B', 'E'], ['A', 'C'], ['A', 'B', 'C', 'D', 'E']],
      organization: [['A', 'B'], ['C', 'E'], ['D'], ['A', 'B', 'C', 'D', 'E']],
      component: [['B', 'E'], ['A', 'C'], ['D'], ['A', 'B', 'C', 'D', 'E']],
      agent: [['A', 'C'], ['B', 'E'], ['D'], ['A', 'B', 'C', 'D', 'E']],
    };
    for (const [by, lists] of Object.entries(expected)) {
      const html = (await manager.get(`/reports/response-times${WEEK}&by=${by}`)).text;
      const links = [...html.matchAll(/<a href="(\/tickets\?[^"]+)">(\d+)<\/a>/g)].map((m) => ({ href: m[1].replaceAll('&#x3D;', '=').replaceAll('&amp;', '&'), n: Number(m[2]) }));
      const got = await Promise.all(links.map((l) => subjects(l.href)));
      // per row: its tickets, those answered and those resolved
      expect(got.filter((_, i) => i % 3 === 0), by).toEqual(lists);
      for (const [i, l] of links.entries()) expect(got[i].length, l.href).toBe(l.n);
    }
  });

  it('opens the queue on the tickets behind each count of first answers and resolutions', async () => {
    const subjects = async (href: string) => [...(await manager.get(href)).text.matchAll(/>Ticket ([A-F])</g)].map((m) => m[1]).sort();
    const linked = async () => {
      const html = (await manager.get(`/reports/response-times${WEEK}&fresh=1`)).text;
      const links = [...html.matchAll(/<a href="(\/tickets\?[^"]+)">(\d+)<\/a>/g)].map((m) => ({ href: m[1].replaceAll('&#x3D;', '=').replaceAll('&amp;', '&'), n: Number(m[2]) }));
      return { counts: links.map((l) => l.n), lists: await Promise.all(links.map((l) => subjects(l.href))) };
    };
    // per priority (urgent, high, normal) and in total: tickets, answered, resolved
    const before = await linked();
    expect(before.lists).toEqual([['D'], [], [], ['B', 'E'], ['B'], ['B'], ['A', 'C'], ['A', 'C'], ['A', 'C'], ['A', 'B', 'C', 'D', 'E'], ['A', 'B', 'C'], ['A', 'B', 'C']]);
    expect(before.counts).toEqual(before.lists.map((l) => l.length));
    // C reopened: still answered, no longer resolved, in the report and in the queue alike
    deps.clock.set(at('2026-11-06T13:10:00Z'));
    await writeStatus(srv.services.ctx, { kind: 'system' }, await getTicket(deps.db, (await deps.db.get<{ id: number }>(sql`select id from tickets where subject = 'Ticket C'`))!.id), 'reopened');
    const after = await linked();
    expect(after.lists.slice(6)).toEqual([['A', 'C'], ['A', 'C'], ['A'], ['A', 'B', 'C', 'D', 'E'], ['A', 'B', 'C'], ['A', 'B']]);
    expect(after.counts).toEqual(after.lists.map((l) => l.length));
    const queue = (await manager.get(`/tickets?view=all&flag=answered,finished`)).text;
    expect(queue).toContain('data-period="flags.answered">Answered <a href="/tickets?view&#x3D;all&amp;flag&#x3D;finished"');
    expect(queue).toContain('data-period="flags.finished">Resolved or closed, not reopened <a href="/tickets?view&#x3D;all&amp;flag&#x3D;answered"');
  });
});

describe('response times on a desk without an SLA policy', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let token: string;

  beforeAll(async () => {
    deps = await makeTestDeps({ TIME_ZONE: 'Europe/Moscow' });
    srv = await startTestServer(deps);
    const ctx = srv.services.ctx;
    const agent = await addUser(srv.services, 'agent', 'anna@desk.test', 'Anna');
    const boss = await addUser(srv.services, 'manager');
    // created on Saturday at noon, answered at 14:30 and resolved on Sunday at noon
    deps.clock.set(at('2026-11-07T09:00:00Z'));
    const t = await createTicket(ctx, { kind: 'user', user: agent }, { subject: 'Weekend', body: 'x', requesterEmail: 'anna@client.example' });
    deps.clock.set(at('2026-11-07T11:30:00Z'));
    await replyToTicket(ctx, { kind: 'user', user: agent }, { ticketId: t.id, body: 'On it' });
    deps.clock.set(at('2026-11-08T09:00:00Z'));
    await writeStatus(ctx, { kind: 'user', user: boss }, await getTicket(deps.db, t.id), 'resolved', 'Done');
    token = (await createApiToken(ctx, boss, { name: 'reports' })).token;
  });
  afterAll(async () => {
    await srv?.close();
    deps?.close();
  });

  it('measures wall-clock minutes', async () => {
    const res = await fetch(`${srv.url}/api/v1/reports/response-times${WEEK}`, { headers: { authorization: `Bearer ${token}` } });
    const data = (await res.json()) as Api;
    expect([data.totals.frMedian, data.totals.resMedian]).toEqual([150, 1440]);
  });
});
