// Difficult clients on a desk in Moscow whose answers are known by construction: three clients
// that each stand out in their own ways (tickets per person, reopens, complaints, an out-of-scope
// request, an SLA breach while waiting on the client, time that cost more than the fee) and one
// quiet one, set up through the real actions. The API, the CSV and the XLSX agree; the ticket
// counts open the queue on their tickets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../../test/helpers/web.ts';
import { expectDownloadsMatchApi } from '../../../test/helpers/report-downloads.ts';
import { logWork, seedSla } from '../../../test/helpers/workflow.ts';
import { readBarChart } from '../../../test/helpers/report-chart.ts';
import { readXlsx } from '../../../test/helpers/xlsx.ts';
import { createApiToken } from '../../actions/api-tokens.ts';
import { escalateTicket, handleComplaint, setBillable } from '../../actions/resolution.ts';
import { createTicket, writeStatus } from '../../actions/tickets.ts';
import { insertContact } from '../../store/contacts.ts';
import { insertOrganization } from '../../store/organizations.ts';
import { getTicket, updateTicket, type Ticket } from '../../store/tickets.ts';
import { insertComponent } from '../../store/components.ts';
import { updateUser } from '../../store/users.ts';
import { difficultClientsReport } from './report.ts';
import { forgetSlaMeasures, measureSlaClocks } from '../../store/sla-measures.ts';

const at = (iso: string) => Date.parse(iso);
const WEEK = '?from=2026-11-02&to=2026-11-08';
const KEYS = ['organization', 'score', 'reasons', 'tickets', 'contacts', 'ticketsPerContact', 'reopenRate', 'complaints', 'outOfScope', 'slaBreaches', 'waitingBreaches', 'fee', 'cost', 'costOverFee'];
const R = (...keys: string[]) => keys.map((k) => `reports.difficult-clients.reason.${k}`).join(', ');

// medians of the three clients: 1 ticket per person, 25 % reopened, 1 complaint, 0 out of scope, 0 breaches
const ACME = ['Acme', 3, R('ticketsPerContact', 'reopenRate', 'costOverFee'), 4, 2, 2, 50, 1, 0, 0, 0, 1_000_000, 1_200_000, 120];
const GAMMA = ['Gamma', 2, R('outOfScope', 'slaBreaches'), 1, 1, 1, null, 1, 1, 1, 1, null, 120_000, null]; // billed in euros
const BETA = ['Beta', 1, R('complaints'), 2, 4, 0.5, 0, 3, 0, 0, 0, 5_000_000, 120_000, 2.4];

type Api = { columns: { key: string; kind: string }[]; rows: Record<string, unknown>[] };

describe('the difficult clients report', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let manager: Browser;
  let token: string;
  let acme: number;
  const t: Record<string, Ticket> = {};

  beforeAll(async () => {
    deps = await makeTestDeps({ TIME_ZONE: 'Europe/Moscow' });
    srv = await startTestServer(deps);
    const ctx = srv.services.ctx;
    deps.clock.set(at('2026-10-19T09:00:00Z'));
    const now = deps.clock.now();
    const anna = await addUser(srv.services, 'agent', 'anna@desk.test', 'Anna');
    const boss = await addUser(srv.services, 'manager');
    await updateUser(deps.db, anna.id, { hourlyCostCents: 120_000 }, now);
    // Gamma alone has an SLA: 1 business hour to answer, Mon–Fri 09:00–18:00 Moscow
    const { policy } = await seedSla(ctx, { makeDefault: false, firstResponse: 60, resolution: 480 });
    acme = (await insertOrganization(deps.db, { name: 'Acme', currency: 'RUB', monthlyFeeCents: 1_000_000 }, now, ['acme.example'])).id;
    const beta = (await insertOrganization(deps.db, { name: 'Beta', currency: 'RUB', monthlyFeeCents: 5_000_000 }, now, ['beta.example'])).id;
    await insertOrganization(deps.db, { name: 'Gamma', currency: 'EUR', monthlyFeeCents: 100_000, slaPolicyId: policy.id }, now, ['gamma.example']);
    await insertOrganization(deps.db, { name: 'Delta', currency: 'RUB' }, now, ['delta.example']);
    await insertContact(deps.db, { name: 'Carl', organizationId: acme }, now);
    for (const name of ['Fay', 'Gil', 'Hal']) await insertContact(deps.db, { name, organizationId: beta }, now);
    const agent = { kind: 'user', user: anna } as const;
    const open = async (key: string, email: string) => {
      t[key] = await createTicket(ctx, agent, { subject: `Ticket ${key}`, body: 'x', requesterEmail: email });
    };
    const move = async (key: string, when: string, to: 'resolved' | 'reopened' | 'pending_requester') => {
      deps.clock.set(at(when));
      await writeStatus(ctx, agent, await getTicket(deps.db, t[key].id), to);
    };
    const complain = async (key: string, when: string, who: 'requester' | 'agent') => {
      deps.clock.set(at(when));
      await escalateTicket(ctx, who === 'agent' ? { kind: 'agent', actor: agent } : { kind: 'requester', contactId: t[key].requesterId! }, { ticketId: t[key].id, reason: 'Unhappy' });
    };
    await open('D0', 'dan@delta.example'); // before the week
    deps.clock.set(at('2026-11-02T07:00:00Z')); // Monday, 10:00 in Moscow
    for (const key of ['A1', 'A2', 'A3', 'A4']) await open(key, 'ann@acme.example');
    await open('B1', 'eve@beta.example');
    await open('B2', 'eve@beta.example');
    await open('G1', 'gus@gamma.example');
    // Gamma: no answer by 11:00, then waiting on the client from 12:00; an out-of-scope request
    await move('G1', '2026-11-02T09:00:00Z', 'pending_requester');
    await setBillable(ctx, { kind: 'user', user: boss }, { ticketId: t.G1.id, billable: true });
    // Acme: A1 reopened once, A2 resolved
    await move('A1', '2026-11-03T08:00:00Z', 'resolved');
    await move('A2', '2026-11-03T08:00:00Z', 'resolved');
    await move('B1', '2026-11-03T08:00:00Z', 'resolved');
    await move('A1', '2026-11-04T08:00:00Z', 'reopened');
    await move('A1', '2026-11-05T08:00:00Z', 'resolved');
    // complaints: Beta three (B1 twice), Acme and Gamma one each
    await complain('B1', '2026-11-03T10:00:00Z', 'requester');
    deps.clock.set(at('2026-11-03T11:30:00Z'));
    await handleComplaint(ctx, { kind: 'user', user: boss }, { ticketId: t.B1.id });
    await complain('B2', '2026-11-04T09:00:00Z', 'agent');
    await complain('B1', '2026-11-05T12:00:00Z', 'requester');
    await complain('A1', '2026-11-06T08:00:00Z', 'agent');
    await complain('G1', '2026-11-06T09:00:00Z', 'requester');
    // time: Acme 600 min in November (300 of them after the week) at 1 200 RUB/h against a 10 000 RUB fee
    deps.clock.set(at('2026-11-10T09:00:00Z'));
    await logWork(ctx, anna, t.A1.id, 300, { workedAt: at('2026-11-03T09:00:00Z') });
    await logWork(ctx, anna, t.A1.id, 300, { workedAt: at('2026-11-20T09:00:00Z') });
    await logWork(ctx, anna, t.A1.id, 120, { workedAt: at('2026-10-20T09:00:00Z') }); // October: not the week's months
    await logWork(ctx, anna, t.B1.id, 60, { workedAt: at('2026-11-03T09:00:00Z') });
    await logWork(ctx, anna, t.G1.id, 60, { workedAt: at('2026-11-03T09:00:00Z') });
    manager = new Browser(srv.url);
    await manager.login('manager@desk.test', TEST_PASSWORD);
    token = (await createApiToken(ctx, boss, { name: 'reports' })).token;
  });
  afterAll(async () => {
    await srv?.close();
    deps?.close();
  });

  const api = async (query: string): Promise<Api> => {
    const res = await fetch(`${srv.url}/api/v1/reports/difficult-clients${query}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as Api;
  };
  const table = (data: Api) => data.rows.map((r) => KEYS.map((k) => r[k]));

  it('ranks the clients of the week by the reasons that apply to them', async () => {
    const data = await api(WEEK);
    expect(data.columns.map((c) => c.key)).toEqual(KEYS);
    expect(table(data)).toEqual([ACME, GAMMA, BETA]);
  });

  it('judges a clock not measured yet (kept before its measures) by reading it, the same', async () => {
    expect(await forgetSlaMeasures(deps.db)).toBeGreaterThan(0);
    expect(table(await api(WEEK))).toEqual([ACME, GAMMA, BETA]);
    expect(await measureSlaClocks(deps.db)).toBeGreaterThan(0);
    expect(table(await api(WEEK))).toEqual([ACME, GAMMA, BETA]);
  });

  it('compares a client alone with nobody: only the cost against its fee remains', async () => {
    expect(table(await api(`${WEEK}&org=${acme}`))).toEqual([['Acme', 1, R('costOverFee'), ...ACME.slice(3)]]);
  });

  it('gives the same numbers in the CSV and the XLSX, in the viewer’s language', async () => {
    const csv = (await manager.get(`/reports/difficult-clients.csv${WEEK}`)).text.trim().split('\n');
    expect(csv[0]).toBe('Client,Score,Reasons,Tickets,People,Tickets per person,"Reopened, %",Complaints,Out of scope,SLA breaches,…of them waited on the client,Fee,Cost,"Cost of fee, %"');
    expect(csv[1]).toBe('Acme,3,"many tickets per person, reopens, costs more than the fee",4,2,2,50,1,0,0,0,10000,12000,120');
    expect(csv).toHaveLength(4);
    const ru = await addUser(srv.services, 'manager', 'ru@desk.test', 'Ольга');
    await updateUser(deps.db, ru.id, { locale: 'ru' }, deps.clock.now());
    const olga = new Browser(srv.url);
    await olga.login('ru@desk.test', TEST_PASSWORD);
    const rows = await readXlsx((await olga.getBytes(`/reports/difficult-clients.xlsx${WEEK}`)).body);
    expect(rows[0]).toEqual(['Клиент', 'Балл', 'Причины', 'Заявки', 'Сотрудники', 'Заявок на сотрудника', 'Переоткрыто, %', 'Жалобы', 'Вне договора', 'Нарушения SLA', '…из них ждали клиента', 'Абонентская плата', 'Затраты', 'Затраты от платы, %']);
    const money = (v: unknown) => (typeof v === 'number' ? v / 100 : v);
    const asXlsx = (r: unknown[], reasons: string) => r.map((v, i) => (i === 2 ? reasons : i === 11 || i === 12 ? money(v) : v));
    // empty cells come back as holes, a trailing one not at all
    const norm = (r: unknown[]) => KEYS.map((_, i) => r[i] ?? null);
    expect(rows.slice(1).map(norm)).toEqual([
      asXlsx(ACME, 'много заявок на сотрудника, переоткрытия, дороже абонентской платы'),
      asXlsx(GAMMA, 'запросы вне договора, нарушения SLA'),
      asXlsx(BETA, 'жалобы'),
    ]);
  });

  it('gives the API’s rows in the CSV and on every sheet of the XLSX', async () => {
    for (const query of [WEEK, `${WEEK}&org=${acme}`]) await expectDownloadsMatchApi({ url: srv.url, token, browser: manager, report: 'difficult-clients', query });
  });

  it('draws the ranked clients’ cost beside their fee above the table, in the viewer’s language', async () => {
    const page = (await manager.get(`/reports/difficult-clients${WEEK}`)).text;
    // in roubles, read to the hundred; Gamma pays in euros, so it has no fee to compare
    expect(readBarChart(page, 'Difficult clients', 100)).toEqual({
      title: 'Difficult clients', legend: ['Cost, RUB', 'Fee, RUB'], categories: ['Acme', 'Gamma', 'Beta'], values: [[12_000, 1_200, 1_200], [10_000, null, 50_000]],
    });
    expect(page.indexOf('class="report-chart"')).toBeLessThan(page.indexOf('id="report-table"'));
    const ru = await addUser(srv.services, 'manager', 'ru.chart@desk.test', 'Вера');
    await updateUser(deps.db, ru.id, { locale: 'ru' }, deps.clock.now());
    const vera = new Browser(srv.url);
    await vera.login('ru.chart@desk.test', TEST_PASSWORD);
    const chart = readBarChart((await vera.get(`/reports/difficult-clients${WEEK}`)).text, 'Сложные клиенты');
    expect([chart.legend, chart.categories]).toEqual([['Затраты, RUB', 'Абонентская плата, RUB'], ['Acme', 'Gamma', 'Beta']]);
  });

  it('opens the queue on each client’s tickets of the week', async () => {
    const page = await manager.get(`/reports/difficult-clients${WEEK}`);
    expect(page.status).toBe(200);
    const links = [...page.text.matchAll(/<a href="(\/tickets\?[^"]+)">(\d+)<\/a>/g)].map((m) => ({ href: m[1].replaceAll('&#x3D;', '=').replaceAll('&amp;', '&'), n: Number(m[2]) }));
    const subjects = async (href: string) => [...(await manager.get(href)).text.matchAll(/>Ticket ([A-Z]\d)</g)].map((m) => m[1]).sort();
    expect(await Promise.all(links.map((l) => subjects(l.href)))).toEqual([['A1', 'A2', 'A3', 'A4'], [], [], [], ['G1'], ['G1'], ['G1'], ['G1'], ['B1', 'B2'], [], [], []]);
    for (const l of links) expect((await subjects(l.href)).length, l.href).toBe(l.n);
  });

  it('names the clients that stand out in the last 30 days on a dashboard', async () => {
    const viewer = { locale: 'en' as const, t: (key: string) => key };
    // October and November: Acme's 720 min cost less than its two fees; Delta stands out in nothing
    expect(await difficultClientsReport.widget!({ ...srv.services.ctx, viewer })).toEqual({
      kind: 'names', names: ['Acme', 'Gamma', 'Beta'], href: '/reports/difficult-clients', emptyKey: 'reports.difficult-clients.noneDifficult',
    });
  });

  it('opens the queue on the tickets behind each reason: reopened, out of scope, SLA breaches and those while waiting on the client', async () => {
    // (the last test: it changes B2) B2 of Beta breached nothing; waited on, made billable and reopened now, it is counted and listed alike
    const ctx = srv.services.ctx;
    const boss = { kind: 'user', user: (await addUser(srv.services, 'manager', 'boss2@desk.test', 'Boss')) } as const;
    deps.clock.set(at('2026-11-10T10:00:00Z'));
    await writeStatus(ctx, boss, await getTicket(deps.db, t.B2.id), 'pending_requester');
    await writeStatus(ctx, boss, await getTicket(deps.db, t.B2.id), 'resolved');
    await writeStatus(ctx, boss, await getTicket(deps.db, t.B2.id), 'reopened');
    await setBillable(ctx, boss, { ticketId: t.B2.id, billable: true });
    const rows = [...(await manager.get(`/reports/difficult-clients${WEEK}&fresh=1`)).text.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1]).filter((r) => r.includes('/tickets?'));
    const subjects = async (href: string) => [...(await manager.get(href)).text.matchAll(/>Ticket ([A-Z]\d)</g)].map((m) => m[1]).sort();
    const linked = async (row: string) => await Promise.all([...row.matchAll(/<a href="(\/tickets\?[^"]+)">([^<]*)<\/a>/g)].map(async (m) => {
      const href = m[1].replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
      return { text: m[2], flag: new URLSearchParams(href.split('?')[1]).get('flag'), tickets: await subjects(href) };
    }));
    const rowOf = (name: string) => linked(rows.find((r) => r.includes(`<td>${name}</td>`))!);
    const [acmeRow, gammaRow, betaRow] = await Promise.all(['Acme', 'Gamma', 'Beta'].map(rowOf));
    expect(acmeRow.map((l) => [l.text, l.flag, l.tickets])).toEqual([
      ['4', null, ['A1', 'A2', 'A3', 'A4']], ['50%', 'reopened', ['A1']], ['0', 'billable', []], ['0', 'slaMissed', []], ['0', 'slaMissed,waitedOnClient', []],
    ]);
    // Gamma's one ticket: no reopen rate (nothing resolved), so no link; out of scope, and late to answer before waiting on the client
    expect(gammaRow.map((l) => [l.text, l.flag, l.tickets])).toEqual([
      ['1', null, ['G1']], ['1', 'billable', ['G1']], ['1', 'slaMissed', ['G1']], ['1', 'slaMissed,waitedOnClient', ['G1']],
    ]);
    expect(betaRow.map((l) => [l.text, l.flag, l.tickets])).toEqual([
      ['2', null, ['B1', 'B2']], ['50%', 'reopened', ['B2']], ['1', 'billable', ['B2']], ['0', 'slaMissed', []], ['0', 'slaMissed,waitedOnClient', []],
    ]);
    const queue = (await manager.get('/tickets?view=all&flag=slaMissed,waitedOnClient')).text;
    expect(queue).toContain('data-period="flags.waitedOnClient">Waited on the client <a href="/tickets?view&#x3D;all&amp;flag&#x3D;slaMissed"');
  });

  it('costs the time of the filtered tickets only, as the cost report does', async () => {
    // A2 (no time) and B1 (60 min) in one component: Acme's 600 min on A1 are not its
    const now = deps.clock.now();
    const printers = (await insertComponent(deps.db, { name: 'Printers' }, now)).id;
    for (const key of ['A2', 'B1']) await updateTicket(deps.db, t[key].id, { componentId: printers }, now);
    const cost = (data: Api) => data.rows.map((r) => [r.organization, r.tickets, r.cost, r.costOverFee]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(cost(await api(`${WEEK}&component=${printers}`))).toEqual([['Acme', 1, 0, 0], ['Beta', 1, 120_000, 2.4]]);
    // the cost report's November, narrowed the same: the same cost
    const res = await fetch(`${srv.url}/api/v1/reports/cost?month=2026-11&component=${printers}`, { headers: { authorization: `Bearer ${token}` } });
    const costReport = (await res.json()) as Api;
    expect(costReport.rows.filter((r) => r.organization !== null).map((r) => [r.organization, r.cost]).sort()).toEqual([['Beta', 120_000]]);
    for (const key of ['A2', 'B1']) await updateTicket(deps.db, t[key].id, { componentId: null }, now);
  });
});
