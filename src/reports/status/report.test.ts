// Status and backlog age on a desk in Moscow whose answers are known by construction: eight tickets
// created and moved at chosen instants around the desk's midnights (one reopened, one resolved then
// closed, one assigned, which moves it to 'assigned' without a status event), and open tickets aged
// 2 hours to 100 days. The page, the CSV, the XLSX and the API give the same numbers, and every
// linked number opens its tickets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../../test/helpers/web.ts';
import { expectDownloadsMatchApi } from '../../../test/helpers/report-downloads.ts';
import { readXlsx, readXlsxSheets } from '../../../test/helpers/xlsx.ts';
import { createApiToken } from '../../actions/api-tokens.ts';
import { assignTicket, createTicket, writeStatus } from '../../actions/tickets.ts';
import type { TicketStatus } from '../../domain/vocabulary.ts';
import { getTicket, type Ticket } from '../../store/tickets.ts';
import { updateUser } from '../../store/users.ts';
import { forgetStatusCounts, statusCountsReady } from '../../store/status-counts.ts';
import { schedulerTick } from '../../roles/scheduler.ts';

const at = (iso: string) => Date.parse(iso);
const WEEK = '?from=2026-11-02&to=2026-11-08&group=day';
const NOW = '2026-11-10T12:00:00Z';

describe('the status and backlog age report', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let manager: Browser;
  let token: string;
  let agentId: number;
  const t: Record<string, Ticket> = {};

  beforeAll(async () => {
    deps = await makeTestDeps({ TIME_ZONE: 'Europe/Moscow' });
    srv = await startTestServer(deps);
    const agent = await addUser(srv.services, 'agent');
    const boss = await addUser(srv.services, 'manager');
    agentId = agent.id;
    const ctx = srv.services.ctx;
    const by = { kind: 'user', user: agent } as const;
    const open = async (key: string, when: string, priority: 'normal' | 'high' = 'normal') => {
      deps.clock.set(at(when));
      t[key] = await createTicket(ctx, by, { subject: `Case-${key}`, body: 'x', requesterEmail: 'anna@client.example', priority });
    };
    const move = async (key: string, when: string, to: TicketStatus) => {
      deps.clock.set(at(when));
      await writeStatus(ctx, by, await getTicket(deps.db, t[key].id), to);
    };
    await open('G', '2026-08-02T12:00:00Z'); // 100 days old at NOW
    await move('G', '2026-08-03T12:00:00Z', 'triaged');
    await open('A', '2026-10-20T10:00:00Z'); // new all along
    await open('B', '2026-11-01T10:00:00Z');
    await move('B', '2026-11-03T09:00:00Z', 'in_progress');
    await move('B', '2026-11-04T09:00:00Z', 'resolved');
    await move('B', '2026-11-05T09:00:00Z', 'reopened');
    await open('C', '2026-11-02T08:00:00Z');
    await move('C', '2026-11-03T10:00:00Z', 'resolved');
    await move('C', '2026-11-06T10:00:00Z', 'closed');
    await open('D', '2026-11-04T20:30:00Z'); // 23:30 on the 4th in Moscow
    await move('D', '2026-11-04T21:30:00Z', 'pending_requester'); // 00:30 on the 5th in Moscow
    await open('E', '2026-11-06T10:00:00Z', 'high');
    deps.clock.set(at('2026-11-07T10:00:00Z'));
    await assignTicket(ctx, { kind: 'user', user: boss }, { ticketId: t.E.id, assigneeId: agent.id }); // new → assigned
    await open('H', '2026-11-09T12:00:00Z'); // exactly 1 day old at NOW
    await open('F', '2026-11-10T10:00:00Z'); // 2 hours old at NOW
    deps.clock.set(at(NOW));
    manager = new Browser(srv.url);
    await manager.login('manager@desk.test', TEST_PASSWORD);
    token = (await createApiToken(ctx, boss, { name: 'reports' })).token;
  });
  afterAll(async () => {
    await srv?.close();
    deps?.close();
  });

  // per day of the desk, the tickets in each status at its end:
  // new, triaged, assigned, in_progress, pending_requester, pending_third_party, resolved, closed, reopened
  const EXPECTED = [
    ['2026-11-02', 3, 1, 0, 0, 0, 0, 0, 0, 0], // A B C new, G triaged
    ['2026-11-03', 1, 1, 0, 1, 0, 0, 1, 0, 0], // B in progress, C resolved
    ['2026-11-04', 2, 1, 0, 0, 0, 0, 2, 0, 0], // D came at 23:30, B resolved
    ['2026-11-05', 1, 1, 0, 0, 1, 0, 1, 0, 1], // D waits, B reopened
    ['2026-11-06', 2, 1, 0, 0, 1, 0, 0, 1, 1], // E came, C closed
    ['2026-11-07', 1, 1, 1, 0, 1, 0, 0, 1, 1], // E assigned
    ['2026-11-08', 1, 1, 1, 0, 1, 0, 0, 1, 1],
  ];
  // now: A F H new, G triaged, E assigned, D waiting, C closed, B reopened
  const NOW_COUNTS = [3, 1, 1, 0, 1, 0, 0, 1, 1];

  const api = async (query: string) => {
    const res = await fetch(`${srv.url}/api/v1/reports/status${query}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as { columns: { key: string; kind: string }[]; rows: Record<string, unknown>[]; totals: Record<string, unknown> | null; parts: { key: string; rows: Record<string, unknown>[] }[] };
  };
  const STATUS_KEYS = ['new', 'triaged', 'assigned', 'in_progress', 'pending_requester', 'pending_third_party', 'resolved', 'closed', 'reopened'];
  const cells = (r: Record<string, unknown>) => [r.period, ...STATUS_KEYS.map((k) => r[k])];

  it('counts the tickets in each status at the end of each day of the desk', async () => {
    const data = await api(WEEK);
    expect(data.columns).toEqual([{ key: 'period', kind: 'text' }, ...STATUS_KEYS.map((key) => ({ key, kind: 'count' }))]);
    expect(data.rows.map(cells)).toEqual(EXPECTED);
    expect(data.totals).toBeNull();
  });

  it('narrows by the tickets’ fields and groups by week, the last week ending as things are now', async () => {
    const high = await api(`${WEEK}&priority=high`);
    const onlyE = (d: string) => (d < '2026-11-06' ? [0, 0] : d === '2026-11-06' ? [1, 0] : [0, 1]);
    expect(high.rows.map((r) => [r.period, r.new, r.assigned])).toEqual(EXPECTED.map(([d]) => [d, ...onlyE(d as string)]));
    const mine = await api(`${WEEK}&agent=${agentId}`);
    expect(mine.rows.map((r) => [r.period, r.new, r.assigned])).toEqual(high.rows.map((r) => [r.period, r.new, r.assigned]));
    const weeks = await api('?from=2026-10-26&to=2026-11-15&group=week');
    expect(weeks.rows.map(cells)).toEqual([
      ['2026-10-26', 2, 1, 0, 0, 0, 0, 0, 0, 0], // G triaged; A and B (the 1st) new
      ['2026-11-02', ...EXPECTED[6].slice(1)],
      ['2026-11-09', ...NOW_COUNTS],
    ]);
  });

  it('gives the same numbers in the CSV and the XLSX, in the viewer’s language', async () => {
    const csv = await manager.get(`/reports/status.csv${WEEK}`);
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('Period,New,Triaged,Assigned,In progress,Pending requester,Pending third party,Resolved,Closed,Reopened');
    expect(lines.slice(1)).toEqual(EXPECTED.map((r) => r.join(',')));
    const ru = await addUser(srv.services, 'manager', 'ru@desk.test', 'Ольга');
    await updateUser(deps.db, ru.id, { locale: 'ru' }, deps.clock.now());
    const olga = new Browser(srv.url);
    await olga.login('ru@desk.test', TEST_PASSWORD);
    const rows = await readXlsx((await olga.getBytes(`/reports/status.xlsx${WEEK}`)).body);
    expect(rows).toEqual([['Период', 'Новая', 'Разобрана', 'Назначена', 'В работе', 'Ждёт заявителя', 'Ждёт третьей стороны', 'Решена', 'Закрыта', 'Переоткрыта'], ...EXPECTED]);
    const page = await olga.get(`/reports/status${WEEK}`);
    expect(page.text).toContain('<h1>Статусы и возраст очереди</h1>');
    expect(page.text).toContain('<td>Меньше 1 дня</td>');

    // the statuses now and the backlog's age download too: sheets of the workbook, a CSV each, parts of the API
    const sheets = await readXlsxSheets((await olga.getBytes(`/reports/status.xlsx${WEEK}`)).body);
    expect(sheets.map((sh) => sh.name)).toEqual(['Статусы и возраст очереди', 'Заявки по статусам сейчас', 'Возраст очереди']);
    expect(sheets[1].rows.slice(1).map((r) => r[1])).toEqual([...NOW_COUNTS, NOW_COUNTS.reduce((a, b) => a + b, 0)]);
    expect(sheets[2].rows.at(-1)).toEqual(['Итого', 7]);
    const ageHref = /<a href="([^"]+part&#x3D;age)"/.exec(page.text)?.[1].replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
    expect(ageHref).toMatch(/^\/reports\/status\.csv\?/);
    const ageCsv = (await olga.get(ageHref!)).text.trim().split('\n');
    expect(ageCsv.slice(1)).toEqual(sheets[2].rows.slice(1).map((r) => r.join(',')));
    const data = await api(WEEK);
    expect(data.parts.map((p) => p.key)).toEqual(['now', 'age']);
    expect(data.parts[1].rows.map((r) => r.tickets)).toEqual([1, 1, 2, 2, 0, 1]);
  });

  it('gives the API’s rows in the CSV and on every sheet of the XLSX', async () => {
    for (const query of [WEEK, '?from=2026-10-26&to=2026-11-15&group=week']) await expectDownloadsMatchApi({ url: srv.url, token, browser: manager, report: 'status', query });
  });

  it('shows the statuses now, their history and the backlog by age, whose numbers open the queue on their tickets', async () => {
    const page = await manager.get(`/reports/status${WEEK}`);
    expect(page.status).toBe(200);
    for (const label of ['Tickets per status now', 'Status and backlog age', 'Backlog age']) expect(page.text).toContain(`<svg role="img" aria-label="${label}" class="report-chart"`);
    const links = [...page.text.matchAll(/<a href="(\/tickets\?[^"]+)">(\d+)<\/a>/g)].map((m) => ({ href: m[1].replaceAll('&#x3D;', '=').replaceAll('&amp;', '&'), n: Number(m[2]) }));
    // 9 statuses and their total, the history (7 days of 9 statuses), then 6 ages and their total
    const now = links.slice(0, 10);
    const age = links.slice(73);
    expect(now.map((l) => l.n)).toEqual([...NOW_COUNTS, 8]);
    expect(links.slice(10, 73).map((l) => l.n)).toEqual(EXPECTED.flatMap((r) => r.slice(1)));
    expect(age.map((l) => l.n)).toEqual([1, 1, 2, 2, 0, 1, 7]);
    const subjects = async (href: string) => [...(await manager.get(href)).text.matchAll(/Case-([A-H])\b/g)].map((m) => m[1]).sort();
    expect(await subjects(now[0].href)).toEqual(['A', 'F', 'H']);
    expect(await subjects(now[8].href)).toEqual(['B']);
    // the ages: 2 hours, exactly a day, 4 and 5.6 days, 9 and 21 days, 100 days
    expect(await subjects(age[0].href)).toEqual(['F']);
    expect(await subjects(age[1].href)).toEqual(['H']);
    expect(await subjects(age[2].href)).toEqual(['D', 'E']);
    expect(await subjects(age[3].href)).toEqual(['A', 'B']);
    expect(await subjects(age[5].href)).toEqual(['G']);
    for (const l of [...now, ...age]) expect((await subjects(l.href)).length, l.href).toBe(l.n);
  });

  it('opens the queue from each count of the history on the tickets in that status at the end of that day', async () => {
    const subjects = async (href: string) => [...(await manager.get(href)).text.matchAll(/Case-([A-H])\b/g)].map((m) => m[1]).sort();
    const history = async (query: string) => {
      const html = (await manager.get(`/reports/status${query}`)).text;
      const table = html.match(/<table class="wf report-table" id="report-table">[\s\S]*?<\/table>/)![0];
      return [...table.matchAll(/<a href="(\/tickets\?[^"]+)">(\d+)<\/a>/g)].map((m) => ({ href: m[1].replaceAll('&#x3D;', '=').replaceAll('&amp;', '&'), n: Number(m[2]) }));
    };
    const links = await history(WEEK);
    const cell = (day: number, status: string) => links[day * 9 + STATUS_KEYS.indexOf(status)];
    expect(await subjects(cell(0, 'new').href)).toEqual(['A', 'B', 'C']);
    expect(await subjects(cell(0, 'triaged').href)).toEqual(['G']);
    // D came at 23:30 on the 4th (Moscow) and waited from 00:30 on the 5th; B resolved on the 4th, reopened on the 5th
    expect(await subjects(cell(2, 'new').href)).toEqual(['A', 'D']);
    expect(await subjects(cell(2, 'resolved').href)).toEqual(['B', 'C']);
    expect(await subjects(cell(3, 'pending_requester').href)).toEqual(['D']);
    expect(await subjects(cell(3, 'reopened').href)).toEqual(['B']);
    expect(await subjects(cell(5, 'assigned').href)).toEqual(['E']);
    expect(cell(2, 'resolved').href).toContain(`status_at=resolved.${at('2026-11-04T21:00:00Z')}`);
    // every count, also of a filter the kept counts do not answer (two fields: replayed from the events), is its list
    for (const query of [WEEK, `${WEEK}&priority=high&agent=${agentId}`]) {
      for (const l of await history(query)) expect((await subjects(l.href)).length, l.href).toBe(l.n);
    }
    const queue = (await manager.get(cell(2, 'resolved').href)).text;
    expect(queue).toMatch(/data-period="statusAt">Status just before: Resolved, [^<]+<a href="\/tickets\?view&#x3D;all"/);
  });

  it('gives the same numbers while the histories kept before the counts are replayed, and once the scheduler counted them', async () => {
    const queries = [WEEK, `${WEEK}&agent=${agentId}`, `${WEEK}&priority=high`, '?from=2026-10-26&to=2026-11-15&group=week'];
    const before = await Promise.all(queries.map(api));
    // as after an upgrade: every ticket's history left to be counted
    expect(await forgetStatusCounts(deps.db)).toBe(Object.keys(t).length);
    expect(await statusCountsReady(deps.db)).toBe(false);
    expect(await Promise.all(queries.map(api))).toEqual(before);
    expect((await schedulerTick(srv.services.ctx)).statusesCounted).toBe(Object.keys(t).length);
    expect(await statusCountsReady(deps.db)).toBe(true);
    expect(await Promise.all(queries.map(api))).toEqual(before);
  });
});
