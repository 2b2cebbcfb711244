// Agent workload on a desk in Moscow whose answers are known by construction: two agents with
// tickets assigned, estimated, worked on, resolved and reopened around the week of 2–8 November
// 2026; an inactive agent who is not shown; two managers who did nothing. Without an SLA policy the
// working week is 8 hours Monday to Friday: 2400 minutes. The page, the CSV, the XLSX and the API
// give the same numbers, and every count opens its tickets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../../test/helpers/web.ts';
import { expectDownloadsMatchApi } from '../../../test/helpers/report-downloads.ts';
import { logWork, seedSla } from '../../../test/helpers/workflow.ts';
import { readXlsx } from '../../../test/helpers/xlsx.ts';
import { createApiToken } from '../../actions/api-tokens.ts';
import { assignTicket, createTicket, writeStatus } from '../../actions/tickets.ts';
import { insertComponent } from '../../store/components.ts';
import { getTicket, updateTicket, type Ticket } from '../../store/tickets.ts';
import { updateUser, type User } from '../../store/users.ts';
import { workloadReport } from './report.ts';

const at = (iso: string) => Date.parse(iso);
const WEEK = '?from=2026-11-02&to=2026-11-08';
const WORKING = 5 * 8 * 60;

type Api = { columns: { key: string; kind: string; labels?: string }[]; rows: Record<string, unknown>[]; totals: Record<string, unknown> };
const KEYS = ['agent', 'open', 'openEstimate', 'openLogged', 'logged', 'working', 'utilisation', 'resolved', 'reopenRate', 'load'];

// [agent, open now, their estimates, logged on them ever, logged in the week, working time, utilisation %, resolved, reopened %, load]
const ANNA = ['Anna', 2, 600 + 300, 1740 + 1200, 2640, WORKING, 110, 0, null, 'overloaded'];
const BORIS = ['Boris', 1, 2000, 50, 1200, WORKING, 50, 2, 50, null];
const IDLE = (name: string) => [name, 0, 0, 0, 0, WORKING, 0, 0, null, 'idle'];
const WEEK_ROWS = [ANNA, BORIS, IDLE('manager user'), IDLE('Ольга')];
const WEEK_TOTAL = [null, 3, 2900, 2990, 3840, 4 * WORKING, 40, 2, 50, null];

describe('the agent workload report', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let manager: Browser;
  let token: string;
  let boris: User;
  let printers: number;

  beforeAll(async () => {
    deps = await makeTestDeps({ TIME_ZONE: 'Europe/Moscow' });
    srv = await startTestServer(deps);
    const ctx = srv.services.ctx;
    const anna = await addUser(srv.services, 'agent', 'anna@desk.test', 'Anna');
    boris = await addUser(srv.services, 'agent', 'boris@desk.test', 'Boris');
    const dina = await addUser(srv.services, 'agent', 'dina@desk.test', 'Dina');
    const boss = await addUser(srv.services, 'manager');
    const ru = await addUser(srv.services, 'manager', 'ru@desk.test', 'Ольга');
    await updateUser(deps.db, ru.id, { locale: 'ru' }, deps.clock.now());
    printers = (await insertComponent(deps.db, { name: 'Printers' }, deps.clock.now())).id;
    const network = (await insertComponent(deps.db, { name: 'Network' }, deps.clock.now())).id;
    const by = { kind: 'user', user: boss } as const;
    const t: Record<string, Ticket> = {};
    const open = async (key: string, when: string, to: User | null, more: { componentId?: number; estimate?: number } = {}) => {
      deps.clock.set(at(when));
      t[key] = await createTicket(ctx, by, { subject: `Ticket ${key}`, body: 'x', requesterEmail: 'anna@client.example', componentId: more.componentId });
      if (more.estimate) await updateTicket(deps.db, t[key].id, { estimateMinutes: more.estimate }, deps.clock.now());
      if (to) await assignTicket(ctx, by, { ticketId: t[key].id, assigneeId: to.id });
    };
    const move = async (key: string, when: string, to: 'resolved' | 'reopened') => {
      deps.clock.set(at(when));
      await writeStatus(ctx, by, await getTicket(deps.db, t[key].id), to);
    };
    const log = (user: User, key: string, minutes: number, when: string) => logWork(ctx, user, t[key].id, minutes, { workedAt: at(when) });
    await open('T1', '2026-10-20T09:00:00Z', anna, { componentId: printers, estimate: 600 });
    await open('T2', '2026-10-20T10:00:00Z', anna, { componentId: network, estimate: 300 });
    await open('T3', '2026-10-21T09:00:00Z', boris, { componentId: printers, estimate: 120 });
    await open('T4', '2026-10-22T09:00:00Z', boris);
    await open('T5', '2026-10-23T09:00:00Z', anna);
    await open('T6', '2026-10-23T10:00:00Z', boris, { componentId: printers, estimate: 2000 });
    await open('T7', '2026-10-23T11:00:00Z', null); // nobody's
    await open('T8', '2026-10-23T12:00:00Z', dina); // an inactive agent's
    await log(anna, 'T1', 100, '2026-10-30T10:00:00Z'); // before the week
    await log(anna, 'T1', 1000, '2026-11-02T10:00:00Z');
    await log(anna, 'T1', 640, '2026-11-03T10:00:00Z');
    await log(anna, 'T2', 1000, '2026-11-04T10:00:00Z');
    await log(boris, 'T2', 200, '2026-11-05T10:00:00Z');
    await log(boris, 'T3', 1000, '2026-11-06T10:00:00Z');
    await log(boris, 'T6', 50, '2026-11-08T21:30:00Z'); // 00:30 on the 9th in Moscow: after the week
    await move('T3', '2026-11-06T12:00:00Z', 'resolved');
    await move('T4', '2026-11-03T12:00:00Z', 'resolved');
    await move('T4', '2026-11-04T12:00:00Z', 'reopened');
    await move('T4', '2026-11-05T12:00:00Z', 'resolved'); // resolved in the week, after a reopening
    await move('T5', '2026-11-08T21:30:00Z', 'resolved'); // the 9th in Moscow
    await updateUser(deps.db, dina.id, { active: false }, deps.clock.now());
    // Tuesday the 10th, 12:00 in Moscow
    deps.clock.set(at('2026-11-10T09:00:00Z'));
    manager = new Browser(srv.url);
    await manager.login('manager@desk.test', TEST_PASSWORD);
    token = (await createApiToken(ctx, boss, { name: 'reports' })).token;
  });
  afterAll(async () => {
    await srv?.close();
    deps?.close();
  });

  const api = async (query: string): Promise<Api> => {
    const res = await fetch(`${srv.url}/api/v1/reports/workload${query}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as Api;
  };
  const table = (data: Api) => data.rows.map((r) => KEYS.map((k) => r[k]));
  const totals = (data: Api) => KEYS.map((k) => data.totals[k]);

  it('gives each active staff member their open work, the week’s time against their working time and what they resolved', async () => {
    const data = await api(WEEK);
    expect(data.columns).toEqual([
      { key: 'agent', kind: 'text' }, { key: 'open', kind: 'count' }, { key: 'openEstimate', kind: 'minutes' }, { key: 'openLogged', kind: 'minutes' },
      { key: 'logged', kind: 'minutes' }, { key: 'working', kind: 'minutes' }, { key: 'utilisation', kind: 'percent' }, { key: 'resolved', kind: 'count' },
      { key: 'reopenRate', kind: 'percent' }, { key: 'load', kind: 'text', labels: 'reports.workload.load' },
    ]);
    expect(table(data)).toEqual(WEEK_ROWS);
    expect(totals(data)).toEqual(WEEK_TOTAL);
  });

  it('narrows the tickets by the scope and keeps one person for the agent filter', async () => {
    const data = await api(`${WEEK}&component=${printers}`);
    expect(table(data).slice(0, 2)).toEqual([
      ['Anna', 1, 600, 1740, 1640, WORKING, 68.3, 0, null, null],
      ['Boris', 1, 2000, 50, 1000, WORKING, 41.7, 1, 0, null],
    ]);
    const one = await api(`${WEEK}&agent=${boris.id}`);
    expect(table(one)).toEqual([BORIS]);
    expect(totals(one)).toEqual([null, ...BORIS.slice(1, 9), null]);
  });

  it('marks as overloaded who has more work left on their open tickets than working time left in the period', async () => {
    // the week of the 9th, from Tuesday 12:00: 5 + 3 × 8 hours left; T6 has 2000 − 50 minutes to go
    const data = await api('?from=2026-11-09&to=2026-11-15');
    expect(table(data).slice(0, 2)).toEqual([
      ['Anna', 2, 900, 2940, 0, WORKING, 0, 1, 0, 'idle'],
      ['Boris', 1, 2000, 50, 50, WORKING, 2.1, 0, null, 'overloaded'],
    ]);
  });

  it('gives the same numbers in the CSV and the XLSX, in hours, in the viewer’s language', async () => {
    const h = (v: unknown) => Math.round(((v as number) / 60) * 100) / 100;
    const MINUTES = new Set([2, 3, 4, 5]);
    const out = (r: unknown[], load: Record<string, string>) => r.map((v, i) => (v === null ? null : MINUTES.has(i) ? h(v) : i === 9 ? load[v as string] : v));
    const csv = await manager.get(`/reports/workload.csv${WEEK}`);
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('Agent,Open now,"Estimated (open), h","Logged on open, h","Logged in period, h","Working time, h",Utilisation,Resolved,Reopened,Load');
    const en = { overloaded: 'Overloaded', idle: 'Idle' };
    const asCsv = (r: unknown[]) => out(r, en).map((v) => v ?? '').join(',');
    expect(lines.slice(1)).toEqual([...WEEK_ROWS.map(asCsv), asCsv(['Total', ...WEEK_TOTAL.slice(1)])]);
    const olga = new Browser(srv.url);
    await olga.login('ru@desk.test', TEST_PASSWORD);
    // an empty cell inside a row reads as a hole
    const rows = (await readXlsx((await olga.getBytes(`/reports/workload.xlsx${WEEK}`)).body)).map((r) => Array.from(r, (v) => v ?? null));
    const ru = { overloaded: 'Перегружен', idle: 'Недогружен' };
    // a spreadsheet row ends at its last value; Russian puts Cyrillic names first
    const trim = (r: unknown[]) => r.slice(0, r.findLastIndex((v) => v !== null) + 1);
    const collator = new Intl.Collator('ru');
    expect(rows).toEqual([
      ['Сотрудник', 'Открыто сейчас', 'Оценка открытых, ч', 'Списано на открытые, ч', 'Списано за период, ч', 'Рабочее время, ч', 'Загрузка', 'Решено', 'Переоткрыто', 'Нагрузка'],
      ...[...WEEK_ROWS].sort((a, b) => collator.compare(a[0] as string, b[0] as string)).map((r) => trim(out(r, ru))),
      trim(out(['Итого', ...WEEK_TOTAL.slice(1)], ru)),
    ]);
  });

  it('gives the API’s rows in the CSV and on every sheet of the XLSX', async () => {
    for (const query of [WEEK, `${WEEK}&agent=${boris.id}`]) await expectDownloadsMatchApi({ url: srv.url, token, browser: manager, report: 'workload', query });
  });

  it('shows a chart and a table whose counts and logged time open the queue on their tickets', async () => {
    const page = await manager.get(`/reports/workload${WEEK}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<svg role="img" aria-label="Agent workload" class="report-chart"/);
    expect(page.text).toContain('<td>Overloaded</td>');
    expect(page.text).toContain('<td class="num">110%</td>');
    const decode = (s: string) => s.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
    const subjects = async (href: string) => [...(await manager.get(href)).text.matchAll(/>Ticket (T\d)</g)].map((m) => m[1]).sort();
    const counts = [...page.text.matchAll(/<a href="(\/tickets\?[^"]+)">(\d+)<\/a>/g)].map((m) => ({ href: decode(m[1]), n: Number(m[2]) }));
    // open now and resolved, per person, then the totals: nobody's T7 and the inactive agent's T8 are no one's row
    expect(counts.map((l) => l.n)).toEqual([2, 0, 1, 2, 0, 0, 0, 0, 3, 2]);
    const got = await Promise.all(counts.map((l) => subjects(l.href)));
    expect(got.slice(0, 4)).toEqual([['T1', 'T2'], [], ['T6'], ['T3', 'T4']]);
    expect(got.slice(8)).toEqual([['T1', 'T2', 'T6'], ['T3', 'T4']]);
    for (const [i, l] of counts.entries()) expect(got[i].length, l.href).toBe(l.n);
    // per person and in total: the estimates and the time ever logged of their open tickets (those tickets), and the time
    // they logged in the week (on which tickets)
    const time = [...page.text.matchAll(/<a href="(\/tickets\?[^"]+)">([\d.,]+ hr)<\/a>/g)].map((m) => decode(m[1]));
    const worked = await Promise.all(time.map(subjects));
    expect(worked).toEqual([
      ['T1', 'T2'], ['T1', 'T2'], ['T1', 'T2'], ['T6'], ['T6'], ['T2', 'T3'], [], [], [], [], [], [],
      ['T1', 'T2', 'T6'], ['T1', 'T2', 'T6'], ['T1', 'T2', 'T3'],
    ]);
    // the estimates of the tickets listed add up to the report's sums
    const estimates = new Map((await deps.db.all<{ subject: string; e: number | string | null }>('select subject, estimate_minutes as e from tickets')).map((r) => [r.subject.slice(7), Number(r.e ?? 0)]));
    const listed = (i: number) => worked[i].reduce((a, key) => a + estimates.get(key)!, 0);
    expect([0, 3, 6, 9, 12].map(listed)).toEqual([...WEEK_ROWS.map((r) => r[2]), WEEK_TOTAL[2]]);
    // the reopen rate opens the queue on its reopened part: of Boris's two resolved, T4 (Anna resolved none: no rate, no link)
    const rates = [...page.text.matchAll(/<a href="(\/tickets\?[^"]+)">([\d.,]+%)<\/a>/g)].map((m) => ({ href: decode(m[1]), pct: m[2] }));
    expect(await Promise.all(rates.map(async (r) => [r.pct, await subjects(r.href)]))).toEqual([['50%', ['T4']], ['50%', ['T4']]]);
  });

  it('opens the queue from the totals on the tickets of exactly the people shown', async () => {
    const decode = (s: string) => s.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
    const subjects = async (href: string) => [...(await manager.get(href)).text.matchAll(/>Ticket (T\d)</g)].map((m) => m[1]).sort();
    const totals = async (query: string) => {
      const foot = (await manager.get(`/reports/workload${query}`)).text.match(/<tfoot>([\s\S]*?)<\/tfoot>/)![1];
      return await Promise.all([...foot.matchAll(/<a href="(\/tickets\?[^"]+)">([^<]+)<\/a>/g)].map(async (m) => [m[2], await subjects(decode(m[1]))]));
    };
    const open = (n: string, estimate: string, logged: string, tickets: string[]) => [[n, tickets], [estimate, tickets], [logged, tickets]];
    expect(await totals(WEEK)).toEqual([...open('3', '48.3 hr', '49.8 hr', ['T1', 'T2', 'T6']), ['64 hr', ['T1', 'T2', 'T3']], ['2', ['T3', 'T4']], ['50%', ['T4']]]);
    // one person: their row's tickets
    const borisOnly = [...open('1', '33.3 hr', '0.8 hr', ['T6']), ['20 hr', ['T2', 'T3']], ['2', ['T3', 'T4']], ['50%', ['T4']]];
    expect(await totals(`${WEEK}&agent=${boris.id}`)).toEqual(borisOnly);
    // the queue names the filters, each removable
    const queue = (await manager.get('/tickets?view=all&worked_by=staff&flag=assignedToStaff')).text;
    expect(queue).toContain('data-period="workedBy">Time logged by: active staff <a href="/tickets?view&#x3D;all&amp;flag&#x3D;assignedToStaff"');
    expect(queue).toContain('data-period="flags.assignedToStaff">Assigned to active staff <a href="/tickets?view&#x3D;all&amp;worked_by&#x3D;staff"');
    // a person who leaves is no longer counted, nor listed
    const anna = Number((await deps.db.get<{ id: number | string }>("select id from users where email = 'anna@desk.test'"))!.id);
    await updateUser(deps.db, anna, { active: false }, deps.clock.now());
    expect(await totals(`${WEEK}&fresh=1`)).toEqual(borisOnly);
    await updateUser(deps.db, anna, { active: true }, deps.clock.now());
  });

  it('lists the overloaded and idle people of the last 30 days on a dashboard', async () => {
    // 12 October to 10 November: 22 working days; Anna logged 2740 minutes (26 %), T6 has more left than the 5 hours of today
    const viewer = { locale: 'en' as const, t: (key: string) => key.replace('reports.workload.load.', '') };
    expect(await workloadReport.widget!({ ...srv.services.ctx, viewer })).toEqual({
      kind: 'names', names: ['Anna: idle', 'Boris: overloaded', 'manager user: idle', 'Ольга: idle'], href: '/reports/workload', emptyKey: 'reports.workload.widgetEmpty',
    });
  });

  it('counts working time on the calendar of the desk’s default SLA policy', async () => {
    await seedSla(srv.services.ctx); // 09:00–18:00 Monday to Friday in Moscow
    const data = await api(WEEK);
    expect(table(data)[0]).toEqual(['Anna', 2, 900, 2940, 2640, 2700, 97.8, 0, null, null]);
  });
});
