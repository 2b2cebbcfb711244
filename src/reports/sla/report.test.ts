// SLA compliance on a desk in Moscow whose answers are known by construction: an office calendar
// (Mon–Fri 09:00–18:00), targets of 1 h to answer and 8 h to resolve (internally 30 min and 4 h),
// and five tickets of the week answered, resolved or left open at chosen instants through the real
// actions and the scheduler's SLA check. The API, the CSV, the XLSX and the page agree, and every
// ticket count opens its tickets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../../test/helpers/web.ts';
import { expectDownloadsMatchApi } from '../../../test/helpers/report-downloads.ts';
import { rawMail, seedSla } from '../../../test/helpers/workflow.ts';
import { readXlsx } from '../../../test/helpers/xlsx.ts';
import { createApiToken } from '../../actions/api-tokens.ts';
import { runSlaChecks } from '../../actions/sla-checks.ts';
import { assignTicket, createTicket, replyToTicket, writeStatus } from '../../actions/tickets.ts';
import type { Priority } from '../../domain/vocabulary.ts';
import { insertComponent } from '../../store/components.ts';
import { insertOrganization } from '../../store/organizations.ts';
import { upsertSlaTarget } from '../../store/sla-policies.ts';
import { getTicket, type Ticket } from '../../store/tickets.ts';
import { updateUser, type User } from '../../store/users.ts';
import { compliancePct } from './report.ts';
import { schedulerTick } from '../../roles/scheduler.ts';
import { forgetSlaMeasures, measureSlaClocks } from '../../store/sla-measures.ts';

const at = (iso: string) => Date.parse(iso);
const WEEK = '?from=2026-11-02&to=2026-11-08';

type Api = { columns: { key: string; kind: string }[]; rows: Record<string, unknown>[]; totals: Record<string, unknown> };
const KEYS = ['tickets', ...['fr', 'frInternal', 'res', 'resInternal', 'nr'].flatMap((p) => ['Met', 'Breached', 'Pending', 'Pct'].map((k) => `${p}${k}`))];

// [group, tickets, then met, breached, running, compliance % for: first response, the same
// internal, resolution, the same internal, and next responses (answers, not tickets)]; "now" is
// Friday 6 Nov, 16:05 in Moscow. Only C's requester wrote again: answered once in 1 h, once in
// 4 h and once by resolving it 2.5 h later, against 2 h.
const NO_NEXT = [0, 0, 0, null];
const D = [1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, null, 0, 1, 0, 0, ...NO_NEXT]; // unanswered since 10:00 today
const B_E = [2, 0, 1, 1, 0, 0, 2, 0, 0, 1, 0, 1, 100, 0, 1, 1, 0, ...NO_NEXT]; // B late in all but resolution; E came at 15:30
const A_C = [2, 2, 0, 0, 100, 1, 1, 0, 50, 1, 1, 0, 50, 1, 1, 0, 50, 1, 2, 0, 33.3]; // A in time; C answered in 40 min, resolved in 19 h
// the API speaks no language: a priority is the key of its label
const BY_PRIORITY = [['priority.urgent', ...D], ['priority.high', ...B_E], ['priority.normal', ...A_C]];
const TOTAL = [null, 5, 2, 2, 1, 50, 1, 4, 0, 20, 2, 1, 2, 66.7, 1, 3, 1, 25, 1, 2, 0, 33.3];
const BY_ORGANIZATION = [
  ['Acme', 2, 1, 1, 0, 50, 1, 1, 0, 50, 2, 0, 0, 100, 1, 1, 0, 50, ...NO_NEXT], // A, B
  ['Beta', 2, 1, 0, 1, 100, 0, 2, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 1, 2, 0, 33.3], // C, E
  ['No organization', ...D],
];

describe('the SLA compliance report', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let manager: Browser;
  let token: string;

  beforeAll(async () => {
    deps = await makeTestDeps({ TIME_ZONE: 'Europe/Moscow' });
    srv = await startTestServer(deps);
    const ctx = srv.services.ctx;
    deps.clock.set(at('2026-10-30T09:00:00Z'));
    const now = deps.clock.now();
    const anna = await addUser(srv.services, 'agent', 'anna@desk.test', 'Anna');
    const boris = await addUser(srv.services, 'agent', 'boris@desk.test', 'Boris');
    const boss = await addUser(srv.services, 'manager');
    const { policy } = await seedSla(ctx, { firstResponse: 60, resolution: 480 });
    for (const priority of ['low', 'normal', 'high', 'urgent'] as const) {
      await upsertSlaTarget(deps.db, policy.id, {
        priority, firstResponseMinutes: 60, nextResponseMinutes: 120, resolutionMinutes: 480, internalFirstResponseMinutes: 30, internalResolutionMinutes: 240,
      });
    }
    await insertOrganization(deps.db, { name: 'Acme' }, now, ['acme.example']);
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
    await reply(a, anna, '2026-11-02T07:20:00Z'); // 20 min
    await resolve(a, '2026-11-02T10:00:00Z'); // 3 h
    const b = await open('B', '2026-11-02T14:00:00Z', 'bob@acme.example', 'high', network, boris);
    await reply(b, boris, '2026-11-03T06:45:00Z'); // 1 h on Monday and 45 min on Tuesday
    await resolve(b, '2026-11-03T12:00:00Z'); // 7 h
    const c = await open('C', '2026-11-03T08:00:00Z', 'eve@beta.example', 'normal', printers, anna);
    await reply(c, anna, '2026-11-03T08:40:00Z'); // 40 min
    const requesterWrites = async (when: string) => {
      deps.clock.set(at(when));
      const raw = rawMail({ from: 'Eve <eve@beta.example>', subject: `Re: [#${c.number}] Ticket C`, body: 'One more thing' });
      await srv.services.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw });
    };
    await requesterWrites('2026-11-04T07:00:00Z');
    await reply(c, anna, '2026-11-04T08:00:00Z'); // 1 h
    await requesterWrites('2026-11-04T10:00:00Z');
    await reply(c, anna, '2026-11-04T14:00:00Z'); // 4 h
    await requesterWrites('2026-11-05T06:30:00Z');
    await resolve(c, '2026-11-05T09:00:00Z'); // 7 h + 9 h + 3 h, less the hours it waited on Eve; the last answer took 2.5 h
    await open('D', '2026-11-06T07:00:00Z', 'someone@mail.example', 'urgent');
    await open('E', '2026-11-06T12:30:00Z', 'ed@beta.example', 'high', network, boris);
    deps.clock.set(at('2026-11-06T13:05:00Z'));
    // the scheduler announces what fell due, as in production
    expect(await runSlaChecks(ctx, deps.clock.now())).toBeGreaterThan(0);
    manager = new Browser(srv.url);
    await manager.login('manager@desk.test', TEST_PASSWORD);
    token = (await createApiToken(ctx, boss, { name: 'reports' })).token;
  });
  afterAll(async () => {
    await srv?.close();
    deps?.close();
  });

  const api = async (query: string): Promise<Api> => {
    const res = await fetch(`${srv.url}/api/v1/reports/sla${query}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as Api;
  };
  const table = (data: Api, first: string) => data.rows.map((r) => [r[first], ...KEYS.map((k) => r[k])]);
  const totals = (data: Api, first: string) => [data.totals[first], ...KEYS.map((k) => data.totals[k])];

  it('computes compliance as met out of met and breached', () => {
    expect(compliancePct(2, 1)).toBe(66.7);
    expect(compliancePct(0, 0)).toBeNull();
  });

  it('counts met, breached and running targets per priority, against the contract and the internal targets', async () => {
    const data = await api(WEEK);
    expect(data.columns.map((c) => [c.key, c.kind])).toEqual([
      ['priority', 'text'],
      ...KEYS.map((k) => [k, k === 'tickets' || !k.endsWith('Pct') ? 'count' : 'percent']),
    ]);
    expect(table(data, 'priority')).toEqual(BY_PRIORITY);
    expect(totals(data, 'priority')).toEqual(TOTAL);
  });

  it('counts clocks not measured yet (kept before their measures) the same, until the scheduler measures them', async () => {
    const measured = async () => Number((await deps.db.get<{ n: number | string }>('select count(*) as n from tickets where sla_next_met is not null'))!.n);
    expect(await measured()).toBe(6);
    expect(await forgetSlaMeasures(deps.db)).toBe(6);
    expect(await measured()).toBe(0);
    const org = await api(`${WEEK}&by=organization&fresh=1`);
    expect(table(org, 'organization').map(([s, ...n]) => [s === 'reports.sla.none.organization' ? 'No organization' : s, ...n])).toEqual(BY_ORGANIZATION);
    expect(totals(await api(WEEK), 'priority')).toEqual(TOTAL);
    // one clock measured, the others not: the two halves add up
    expect(await measureSlaClocks(deps.db, { batch: 1, deadline: 0 })).toBe(1);
    expect(table(await api(WEEK), 'priority')).toEqual(BY_PRIORITY);
    expect((await schedulerTick(srv.services.ctx)).measured).toBe(5);
    expect(await measured()).toBe(6);
    expect(await measureSlaClocks(deps.db)).toBe(0);
    expect(table(await api(WEEK), 'priority')).toEqual(BY_PRIORITY);
    expect(totals(await api(WEEK), 'priority')).toEqual(TOTAL);
  });

  it('groups by organisation, component and assignee, and narrows by the tickets’ fields', async () => {
    const none = (s: unknown) => (s === 'No organization' ? 'reports.sla.none.organization' : s);
    const org = await api(`${WEEK}&by=organization`);
    expect(table(org, 'organization')).toEqual(BY_ORGANIZATION.map(([s, ...n]) => [none(s), ...n]));
    expect(totals(org, 'organization')).toEqual(TOTAL);
    expect(table(await api(`${WEEK}&by=component`), 'component')).toEqual([['Network', ...B_E], ['Printers', ...A_C], ['reports.sla.none.component', ...D]]);
    expect(table(await api(`${WEEK}&by=agent`), 'agent')).toEqual([['Anna', ...A_C], ['Boris', ...B_E], ['reports.sla.none.agent', ...D]]);
    const high = await api(`${WEEK}&priority=high`);
    expect(table(high, 'priority')).toEqual([['priority.high', ...B_E]]);
    expect(totals(high, 'priority')).toEqual([null, ...B_E]);
    // the week before holds F alone, answered in 30 min of Monday morning, unresolved past both resolution targets
    const before = await api('?from=2026-10-26&to=2026-11-01');
    expect(table(before, 'priority')).toEqual([['priority.normal', 1, 1, 0, 0, 100, 1, 0, 0, 100, 0, 1, 0, 0, 0, 1, 0, 0, ...NO_NEXT]]);
  });

  it('gives the same numbers in the CSV and the XLSX, in the viewer’s language', async () => {
    const csv = await manager.get(`/reports/sla.csv${WEEK}&by=organization`);
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split('\n');
    expect(lines[0].split(',').slice(0, 6)).toEqual(['Organization', 'Tickets', 'First response met', 'First response breached', 'First response running', 'First response compliance']);
    const asCsv = (r: unknown[]) => r.map((v) => v ?? '').join(',');
    expect(lines.slice(1)).toEqual([...BY_ORGANIZATION.map(asCsv), asCsv(['Total', ...TOTAL.slice(1)])]);
    const ru = await addUser(srv.services, 'manager', 'ru@desk.test', 'Ольга');
    await updateUser(deps.db, ru.id, { locale: 'ru' }, deps.clock.now());
    const olga = new Browser(srv.url);
    await olga.login('ru@desk.test', TEST_PASSWORD);
    // an empty cell reads as null, also at the end of a row
    const rows = (await readXlsx((await olga.getBytes(`/reports/sla.xlsx${WEEK}`)).body)).map((r) => Array.from({ length: 22 }, (_, i) => r[i] ?? null));
    expect(rows[0].slice(0, 6)).toEqual(['Приоритет', 'Заявки', 'Первый ответ в срок', 'Первый ответ с нарушением', 'Первый ответ: срок идёт', 'Соблюдение первого ответа']);
    expect(rows[0]).toHaveLength(22);
    expect(rows[0].slice(18)).toEqual(['Следующие ответы в срок', 'Следующие ответы с опозданием', 'Следующие ответы: ждут', 'Соблюдение срока следующего ответа']);
    expect(rows.slice(1)).toEqual([['Срочный', ...D], ['Высокий', ...B_E], ['Обычный', ...A_C], ['Итого', ...TOTAL.slice(1)]]);
    const page = await olga.get(`/reports/sla${WEEK}`);
    expect(page.text).toContain('<h1>Соблюдение SLA</h1>');
    expect(page.text).toContain('<td>Высокий</td>');
  });

  it('gives the API’s rows in the CSV and on every sheet of the XLSX', async () => {
    for (const query of [WEEK, `${WEEK}&by=organization`, `${WEEK}&by=component`, `${WEEK}&by=agent`]) await expectDownloadsMatchApi({ url: srv.url, token, browser: manager, report: 'sla', query });
  });

  it('shows a chart and the groupings, and its ticket counts open the queue on their tickets', async () => {
    const page = await manager.get(`/reports/sla${WEEK}&by=agent`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<svg role="img" aria-label="SLA compliance" class="report-chart"/);
    const text = page.text.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
    expect(text).toContain('<a href="/reports/sla?from=2026-11-02&to=2026-11-08&group=day&by=agent" aria-current="page">By agent</a>');
    expect(text).toContain('href="/reports/sla.csv?from=2026-11-02&to=2026-11-08&group=day&by=agent"');
    expect(text).toContain('<input type="hidden" name="by" value="agent">');
    expect(text).toMatch(/<td class="num">50 ?%<\/td>/);
    const expected: Record<string, string[][]> = {
      agent: [['A', 'C'], ['B', 'E'], ['D'], ['A', 'B', 'C', 'D', 'E']],
      priority: [['D'], ['B', 'E'], ['A', 'C'], ['A', 'B', 'C', 'D', 'E']],
      // the tickets without an organisation or component last
      organization: [['A', 'B'], ['C', 'E'], ['D'], ['A', 'B', 'C', 'D', 'E']],
      component: [['B', 'E'], ['A', 'C'], ['D'], ['A', 'B', 'C', 'D', 'E']],
    };
    for (const [by, lists] of Object.entries(expected)) {
      const links = await linkedCounts(`/reports/sla${WEEK}&by=${by}`);
      // per row: its tickets, then met, breached and running for each of the four targets
      const got = await Promise.all(links.map((l) => subjects(l.href)));
      expect(got.filter((_, i) => i % 13 === 0), by).toEqual(lists);
      for (const [i, l] of links.entries()) expect(got[i].length, l.href).toBe(l.n);
    }
    // the queue names the tickets without an organisation, and the chip takes that off
    const none = (await linkedCounts(`/reports/sla${WEEK}&by=organization`)).find((l) => l.href.includes('organization=none'))!;
    const queue = (await manager.get(none.href)).text;
    expect(queue).toContain('data-period="noOrganization">No organisation <a href="');
    expect(queue).toContain('<input type="hidden" name="organization" value="none">');
    const off = /data-period="noOrganization">No organisation <a href="([^"]+)"/.exec(queue)![1].replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
    expect(await subjects(off)).toEqual(['A', 'B', 'C', 'D', 'E']);
  });

  it('opens the queue on the tickets that met, breached or still run for each target, the counts and the lists made of one condition', async () => {
    const links = await linkedCounts(`/reports/sla${WEEK}`);
    const got = await Promise.all(links.map((l) => subjects(l.href)));
    // the totals: A in time everywhere; B late to answer and past the internal resolution target; C answered
    // in time by the contract only and resolved late; D unanswered past both, past the internal resolution
    // target, within the contract's; E still within the contract's first response; D and E still to be resolved
    expect(got.slice(-13)).toEqual([
      ['A', 'B', 'C', 'D', 'E'],
      ['A', 'C'], ['B', 'D'], ['E'],
      ['A'], ['B', 'C', 'D', 'E'], [],
      ['A', 'B'], ['C'], ['D', 'E'],
      ['A'], ['B', 'C', 'D'], ['E'],
    ]);
    expect(links.slice(-13).map((l) => l.n)).toEqual([5, 2, 2, 1, 1, 4, 0, 2, 1, 2, 1, 3, 1]);
    const condition = (href: string) => ['met', 'breached', 'running'].flatMap((k) => new URLSearchParams(href.split('?')[1]).getAll(k).map((v) => `${k}=${v}`));
    expect(links.slice(-13).map((l) => condition(l.href))).toEqual([[], ...['fr', 'frInternal', 'res', 'resInternal'].flatMap((m) => [[`met=${m}`], [`breached=${m}`], [`running=${m}`]])]);
    // the urgent row: D breached both first-response targets and the internal resolution one; its resolution runs
    expect(got.slice(0, 13)).toEqual([['D'], [], ['D'], [], [], ['D'], [], [], [], ['D'], [], ['D'], []]);
    // the queue names what it narrowed to, and the chip takes it off
    const running = (await manager.get(links[links.length - 4].href)).text;
    expect(running).toContain('data-period="running">SLA target still running: Resolution <a href="');
    expect(running).toContain('<input type="hidden" name="running" value="res">');
    const queue = (await manager.get(links[links.length - 8].href)).text;
    expect(queue).toContain('data-period="breached">SLA target breached: First response (internal) <a href="');
    expect(queue).toContain('<input type="hidden" name="breached" value="frInternal">');
    // an hour later E's first response is overdue too: the report and the queue move together
    deps.clock.set(at('2026-11-06T14:05:00Z'));
    const later = await linkedCounts(`/reports/sla${WEEK}&fresh=1`);
    expect(later.slice(-11, -9).map((l) => l.n)).toEqual([3, 0]);
    expect(await subjects(later.slice(-11, -10)[0].href)).toEqual(['B', 'D', 'E']);
    expect(await subjects(later.slice(-10, -9)[0].href)).toEqual([]);
    deps.clock.set(at('2026-11-06T13:05:00Z'));
  });

  const subjects = async (href: string) => [...(await manager.get(href)).text.matchAll(/>Ticket ([A-F])</g)].map((m) => m[1]).sort();
  /** The page's linked counts, in order, with their queue links. */
  const linkedCounts = async (path: string) => {
    const html = (await manager.get(path)).text;
    return [...html.matchAll(/<a href="(\/tickets\?[^"]+)">(\d+)<\/a>/g)].map((m) => ({ href: m[1].replaceAll('&#x3D;', '=').replaceAll('&amp;', '&'), n: Number(m[2]) }));
  };
});
