// Complaints on a desk in Moscow whose answers are known by construction: three clients, three
// components, complaints made through the real actions (by a requester and by an agent, one ticket
// complained about twice, one handled before the week and complained about again in it) before,
// inside and after the week. The API, the CSV and the XLSX agree; a summary number links to the
// queue only when the queue lists exactly its tickets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../../test/helpers/web.ts';
import { expectDownloadsMatchApi } from '../../../test/helpers/report-downloads.ts';
import { readBarChart } from '../../../test/helpers/report-chart.ts';
import { readXlsx, readXlsxSheets } from '../../../test/helpers/xlsx.ts';
import { createApiToken } from '../../actions/api-tokens.ts';
import { escalateTicket, handleComplaint } from '../../actions/resolution.ts';
import { createTicket, writeStatus } from '../../actions/tickets.ts';
import { insertComponent } from '../../store/components.ts';
import { insertOrganization } from '../../store/organizations.ts';
import { getTicket, type Ticket } from '../../store/tickets.ts';
import { updateUser } from '../../store/users.ts';

const at = (iso: string) => Date.parse(iso);
const WEEK = '?from=2026-11-02&to=2026-11-08';
const KEYS = ['ticket', 'subject', 'organization', 'component', 'by', 'reason', 'at', 'handling', 'outcome', 'handlingNote', 'status'];

type Api = { columns: { key: string; kind: string; labels?: string }[]; rows: Record<string, unknown>[]; parts: { key: string; rows: Record<string, unknown>[] }[] };

describe('the complaints report', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let manager: Browser;
  let token: string;
  let beta: number;
  const t: Record<string, Ticket> = {};

  beforeAll(async () => {
    deps = await makeTestDeps({ TIME_ZONE: 'Europe/Moscow' });
    srv = await startTestServer(deps);
    const ctx = srv.services.ctx;
    const now = deps.clock.now();
    const anna = await addUser(srv.services, 'agent', 'anna@desk.test', 'Anna');
    const boss = await addUser(srv.services, 'manager');
    await insertOrganization(deps.db, { name: 'Acme' }, now, ['acme.example']);
    beta = (await insertOrganization(deps.db, { name: 'Beta' }, now, ['beta.example'])).id;
    await insertOrganization(deps.db, { name: 'Gamma' }, now, ['gamma.example']);
    const printers = (await insertComponent(deps.db, { name: 'Printers' }, now)).id;
    const network = (await insertComponent(deps.db, { name: 'Network' }, now)).id;
    const billing = (await insertComponent(deps.db, { name: 'Billing' }, now)).id;
    const agent = { kind: 'user', user: anna } as const;
    const open = async (key: string, email: string, componentId?: number) => {
      t[key] = await createTicket(ctx, agent, { subject: `Ticket ${key}`, body: 'x', requesterEmail: email, ...(componentId ? { componentId } : {}) });
    };
    const complain = async (key: string, when: string, who: 'requester' | 'agent', reason: string) => {
      deps.clock.set(at(when));
      await escalateTicket(ctx, who === 'agent' ? { kind: 'agent', actor: agent } : { kind: 'requester', contactId: t[key].requesterId! }, { ticketId: t[key].id, reason });
    };
    const handle = async (key: string, when: string, note?: string) => {
      deps.clock.set(at(when));
      await handleComplaint(ctx, { kind: 'user', user: boss }, { ticketId: t[key].id, note });
    };
    deps.clock.set(at('2026-10-28T09:00:00Z'));
    await open('A0', 'ann@acme.example', network);
    await complain('A0', '2026-10-30T09:00:00Z', 'agent', 'Too slow'); // before the week
    await handle('A0', '2026-10-31T09:00:00Z', 'Taken up');
    deps.clock.set(at('2026-11-02T07:00:00Z'));
    await open('B1', 'eve@beta.example', printers);
    await open('B2', 'eve@beta.example', network);
    await open('G1', 'gus@gamma.example', billing);
    await open('A1', 'ann@acme.example');
    deps.clock.set(at('2026-11-03T08:00:00Z'));
    await writeStatus(ctx, agent, await getTicket(deps.db, t.B1.id), 'resolved');
    await complain('B1', '2026-11-03T10:00:00Z', 'requester', 'Not fixed');
    await handle('B1', '2026-11-03T11:30:00Z', 'Called Eve: a new cartridge is on its way');
    await complain('B2', '2026-11-04T09:00:00Z', 'agent', 'Client angry');
    await complain('B1', '2026-11-05T12:00:00Z', 'requester', 'Still broken'); // the same ticket again
    await complain('A0', '2026-11-06T08:00:00Z', 'agent', 'Again');
    await handle('A0', '2026-11-06T10:00:00Z'); // nothing written
    await complain('G1', '2026-11-06T09:00:00Z', 'requester', 'Wrong invoice');
    await complain('A1', '2026-11-08T21:30:00Z', 'requester', 'Late'); // 00:30 on the 9th in Moscow: after the week
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
    const res = await fetch(`${srv.url}/api/v1/reports/complaints${query}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as Api;
  };
  // the week's complaints, oldest first: [ticket, organisation, component, by, reason, when (Moscow), handling minutes, outcome, handling note, status now]
  const expected = () => [
    [t.B1, 'Beta', 'Printers', 'requester', 'Not fixed', '2026-11-03 13:00', 90, 'handled', 'Called Eve: a new cartridge is on its way', 'resolved'],
    [t.B2, 'Beta', 'Network', 'agent', 'Client angry', '2026-11-04 12:00', null, 'open', null, t.B2.status],
    [t.B1, 'Beta', 'Printers', 'requester', 'Still broken', '2026-11-05 15:00', null, 'open', null, 'resolved'],
    [t.A0, 'Acme', 'Network', 'agent', 'Again', '2026-11-06 11:00', 120, 'handled', null, t.A0.status],
    [t.G1, 'Gamma', 'Billing', 'requester', 'Wrong invoice', '2026-11-06 12:00', null, 'open', null, t.G1.status],
  ].map(([ticket, ...rest]) => [String((ticket as Ticket).number), (ticket as Ticket).subject, ...rest]);

  it('lists each complaint of the week once, with who made it, its handling time and the ticket’s status now', async () => {
    const data = await api(WEEK);
    expect(data.columns.map((c) => [c.key, c.kind, c.labels ?? null])).toEqual([
      ['ticket', 'text', null], ['subject', 'text', null], ['organization', 'text', null], ['component', 'text', null],
      ['by', 'text', 'reports.complaints.by'], ['reason', 'text', null], ['at', 'text', null], ['handling', 'minutes', null],
      ['outcome', 'text', 'reports.complaints.outcome'], ['handlingNote', 'text', null], ['status', 'text', 'status'],
    ]);
    expect(data.rows.map((r) => KEYS.map((k) => r[k]))).toEqual(expected());
    const betaOnly = await api(`${WEEK}&org=${beta}`);
    expect(betaOnly.rows.map((r) => r.reason)).toEqual(['Not fixed', 'Client angry', 'Still broken']);
    // A1's complaint came at 00:30 on the 9th, desk time
    expect((await api('?from=2026-11-09&to=2026-11-09')).rows.map((r) => r.reason)).toEqual(['Late']);
  });

  it('gives the same rows in the CSV and the XLSX, labels and headers in the viewer’s language', async () => {
    const csv = (await manager.get(`/reports/complaints.csv${WEEK}`)).text.trim().split('\n');
    expect(csv[0]).toBe('Ticket,Subject,Organization,Component,Complained,Reason,When,"Handling time, h",Outcome,Handling note,Status now');
    expect(csv[1]).toBe(`${t.B1.number},Ticket B1,Beta,Printers,Requester,Not fixed,2026-11-03 13:00,1.5,Handled,Called Eve: a new cartridge is on its way,Resolved`);
    expect(csv).toHaveLength(6);
    const ru = await addUser(srv.services, 'manager', 'ru@desk.test', 'Ольга');
    await updateUser(deps.db, ru.id, { locale: 'ru' }, deps.clock.now());
    const olga = new Browser(srv.url);
    await olga.login('ru@desk.test', TEST_PASSWORD);
    const rows = await readXlsx((await olga.getBytes(`/reports/complaints.xlsx${WEEK}`)).body);
    expect(rows[0]).toEqual(['Заявка', 'Тема', 'Организация', 'Компонент', 'Кто пожаловался', 'Причина', 'Когда', 'Время рассмотрения, ч', 'Итог', 'Заметка при рассмотрении', 'Статус сейчас']);
    expect(rows.slice(1).map((r) => [r[0], r[4], r[5], r[7] ?? null, r[8], r[9] ?? null])).toEqual([
      [String(t.B1.number), 'Заявитель', 'Not fixed', 1.5, 'Рассмотрена', 'Called Eve: a new cartridge is on its way'],
      [String(t.B2.number), 'Сотрудник', 'Client angry', null, 'Открыта', null],
      [String(t.B1.number), 'Заявитель', 'Still broken', null, 'Открыта', null],
      [String(t.A0.number), 'Сотрудник', 'Again', 2, 'Рассмотрена', null],
      [String(t.G1.number), 'Заявитель', 'Wrong invoice', null, 'Открыта', null],
    ]);
  });

  it('gives the API’s rows in the CSV and on every sheet of the XLSX', async () => {
    for (const query of [WEEK, `${WEEK}&org=${beta}`]) await expectDownloadsMatchApi({ url: srv.url, token, browser: manager, report: 'complaints', query });
  });

  it('draws the complaints per organisation, handled and open, above the table, in the viewer’s language', async () => {
    const page = (await manager.get(`/reports/complaints${WEEK}`)).text;
    // Beta: B1 handled, B2 and B1 again open; Acme: A0 handled; Gamma: G1 open
    expect(readBarChart(page, 'Complaints')).toEqual({ title: 'Complaints', legend: ['Handled', 'Open'], categories: ['Beta', 'Acme', 'Gamma'], values: [[1, 1, 0], [2, 0, 1]] });
    expect(page.indexOf('class="report-chart"')).toBeLessThan(page.indexOf('id="report-table"'));
    const ru = await addUser(srv.services, 'manager', 'ru.chart@desk.test', 'Вера');
    await updateUser(deps.db, ru.id, { locale: 'ru' }, deps.clock.now());
    const vera = new Browser(srv.url);
    await vera.login('ru.chart@desk.test', TEST_PASSWORD);
    const chart = readBarChart((await vera.get(`/reports/complaints${WEEK}`)).text, 'Жалобы');
    expect([chart.legend, chart.categories, chart.values]).toEqual([['Рассмотрена', 'Открыта'], ['Beta', 'Acme', 'Gamma'], [[1, 1, 0], [2, 0, 1]]]);
    // nothing to draw in a period without complaints
    expect((await manager.get('/reports/complaints?from=2026-10-01&to=2026-10-07')).text).not.toContain('class="report-chart"');
  });

  it('counts per organisation and component, linking only the counts the queue can list exactly', async () => {
    const page = await manager.get(`/reports/complaints${WEEK}`);
    expect(page.status).toBe(200);
    const text = page.text.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
    expect(text).toContain('5 complaints, 3 still open.');
    const summaries = [...text.matchAll(/<table class="wf report-table complaints-summary">([\s\S]*?)<\/table>/g)].map((m) =>
      [...m[1].matchAll(/<tr>(.*?)<\/tr>/g)].slice(1).map((r) => [...r[1].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1].replace(/<[^>]+>/g, ''))));
    // Beta: B1 twice; Acme: A0 was created before the week; Network and Printers likewise
    expect(summaries).toEqual([[['Beta', '3'], ['Acme', '1'], ['Gamma', '1']], [['Network', '2'], ['Printers', '2'], ['Billing', '1']]]);
    const links = [...text.matchAll(/<a href="(\/tickets\?[^"]+)">(\d+)<\/a>/g)].map((m) => ({ href: m[1], n: Number(m[2]) }));
    expect(links).toHaveLength(2);
    for (const l of links) {
      const subjects = [...(await manager.get(l.href)).text.matchAll(/>Ticket ([A-Z]\d)</g)].map((m) => m[1]);
      expect(subjects, l.href).toEqual(['G1']);
      expect(subjects.length).toBe(l.n);
    }
    expect(text).toContain(`<a href="/tickets/${t.B1.number}">${t.B1.number}</a>`);
  });

  it('hands the counts per organisation and component to accounting too: a CSV each, sheets of the XLSX, parts of the API', async () => {
    const page = (await manager.get(`/reports/complaints${WEEK}`)).text.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
    const hrefs = [...page.matchAll(/<caption>[^<]*<a class="small" href="([^"]+)"/g)].map((m) => m[1]);
    expect(hrefs).toEqual([`/reports/complaints.csv${WEEK}&group=day&part=byOrganization`, `/reports/complaints.csv${WEEK}&group=day&part=byComponent`]);
    const csvs = await Promise.all(hrefs.map(async (h) => (await manager.get(h)).text.trim().split('\n')));
    expect(csvs).toEqual([['Organization,Complaints', 'Beta,3', 'Acme,1', 'Gamma,1'], ['Component,Complaints', 'Network,2', 'Printers,2', 'Billing,1']]);
    expect((await manager.get(`/reports/complaints.csv${WEEK}&part=nothing`)).status).toBe(404);

    const sheets = await readXlsxSheets((await manager.getBytes(`/reports/complaints.xlsx${WEEK}`)).body);
    expect(sheets.map((sh) => sh.name)).toEqual(['Complaints', 'Complaints per organization', 'Complaints per component']);
    expect(sheets[0].rows).toHaveLength(6);
    expect(sheets.slice(1).map((sh) => sh.rows.map((r) => r.join(',')))).toEqual(csvs);

    const data = await api(WEEK);
    expect(data.rows).toHaveLength(5);
    expect(data.parts.map((p) => [p.key, p.rows.map((r) => Object.values(r).join(','))])).toEqual([
      ['byOrganization', ['Beta,3', 'Acme,1', 'Gamma,1']], ['byComponent', ['Network,2', 'Printers,2', 'Billing,1']],
    ]);
  });

  it('links the count of the tickets without an organisation or component when the queue lists exactly those', async () => {
    // the next week: A1 (Acme, no component, created the week before) and N1 (no organisation, no component)
    const ctx = srv.services.ctx;
    const nina = { kind: 'user', user: await addUser(srv.services, 'agent', 'nina@desk.test', 'Nina') } as const;
    deps.clock.set(at('2026-11-12T09:00:00Z'));
    const n1 = await createTicket(ctx, nina, { subject: 'Ticket N1', body: 'x', requesterEmail: 'nick@nowhere.example' });
    await escalateTicket(ctx, { kind: 'requester', contactId: n1.requesterId! }, { ticketId: n1.id, reason: 'Nobody answers' });
    deps.clock.set(at('2026-11-16T09:00:00Z'));
    const text = (await manager.get('/reports/complaints?from=2026-11-09&to=2026-11-15')).text.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
    // the group without a component holds A1, created before the week: the queue cannot list it exactly
    const links = [...text.matchAll(/<a href="(\/tickets\?[^"]+)">(\d+)<\/a>/g)].map((m) => ({ href: m[1], n: Number(m[2]) }));
    expect(links.map((l) => new URLSearchParams(l.href.split('?')[1]).get('organization'))).toEqual(['none']);
    const subjects = [...(await manager.get(links[0].href)).text.matchAll(/>Ticket ([A-Z]\d)</g)].map((m) => m[1]);
    expect(subjects).toEqual(['N1']);
    expect(links[0].n).toBe(1);
  });
});
