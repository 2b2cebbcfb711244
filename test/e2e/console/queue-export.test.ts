// The queue as a download: every ticket of the view and its filters, across many pages of the
// keyset path, as CSV and XLSX with the same rows, headers in the person's language, times in
// their zone, and a subject that a spreadsheet would run as a formula defused.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../helpers/web.ts';
import { readXlsx } from '../../helpers/xlsx.ts';
import { createTicket } from '../../../src/actions/tickets.ts';
import { insertBulkTickets, type BulkTicket } from '../../../src/store/bulk-load.ts';
import { updateUser } from '../../../src/store/users.ts';

const MANY = 4_202; // many pages of the download (250 rows each)

describe('the queue as a download', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let agent: Browser;

  beforeAll(async () => {
    deps = await makeTestDeps();
    srv = await startTestServer(deps);
    const dmitry = await addUser(srv.services, 'agent');
    await updateUser(deps.db, dmitry.id, { timeZone: 'Europe/Moscow' }, deps.clock.now());
    const first = await createTicket(srv.services.ctx, { kind: 'user', user: dmitry }, { subject: '=HYPERLINK("http://evil.example")', body: 'x', requesterEmail: 'anna@client.example', priority: 'high' });
    const at = Date.parse('2026-11-02T09:00:00Z');
    const many: BulkTicket[] = Array.from({ length: MANY }, (_, i) => ({
      number: i + 2, subject: `Bulk ${i + 2}`, status: 'new', priority: i % 3 === 0 ? 'high' : 'normal', type: 'incident', category: null, channel: 'email',
      componentId: null, requesterId: first.requesterId!, organizationId: null, assigneeId: null, estimateMinutes: i === 0 ? 90 : null, loggedMinutes: 0,
      firstResponseDueAt: at + 3_600_000, firstRespondedAt: null, slaFrMark: null, slaResMark: null, resolutionDueAt: at + 86_400_000, slaPausedAt: null, resolvedAt: null, closedAt: null,
      lastActivityAt: at + i, createdAt: at + i, updatedAt: at + i, messages: [],
    }));
    await insertBulkTickets(deps.db, many);
    agent = new Browser(srv.url);
    await agent.login('agent@desk.test', TEST_PASSWORD);
  });
  afterAll(async () => {
    await srv?.close();
    deps?.close();
  });

  const csv = async (query: string) => {
    const res = await agent.get(`/tickets.csv?${query}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const rows = parse(res.text) as string[][];
    // the total announced before the rows, for the page's progress, is the number of rows that came;
    // a text search announces none (it has no exact count before it runs)
    if (new URLSearchParams(query).has('q')) expect(res.headers.get('x-total-count')).toBeNull();
    else expect(Number(res.headers.get('x-total-count'))).toBe(rows.length - 1);
    return rows;
  };

  it('streams every ticket of the view, page after page', async () => {
    const rows = await csv('view=all');
    expect(rows[0]).toEqual(['Number', 'Subject', 'Status', 'Priority', 'Type', 'Category', 'Channel', 'Organization', 'Requester', 'Assignee', 'Component', 'Created', 'Last activity', 'Resolved or closed', 'SLA due', 'Logged, h', 'Estimate, h']);
    const numbers = rows.slice(1).map((r) => Number(r[0]));
    expect(numbers).toHaveLength(MANY + 1);
    expect(new Set(numbers).size).toBe(MANY + 1);
    // newest activity first, as the view sorts; times in the person's zone (Moscow)
    const bulk2 = rows.find((r) => r[0] === '2')!;
    expect(bulk2.slice(1, 5)).toEqual(['Bulk 2', 'New', 'High', 'Incident']);
    expect(bulk2[11]).toBe('2026-11-02 12:00');
    expect(bulk2[16]).toBe('1.5');
    // the stranger's subject is text, not a formula
    expect(rows.find((r) => r[0] === '1')![1]).toBe('\'=HYPERLINK("http://evil.example")');
  });

  it('keeps the filters and the view, as the queue lists them', async () => {
    const high = await csv('view=all&priority=high');
    expect(high.length - 1).toBe(1 + Math.ceil(MANY / 3));
    for (const r of high.slice(1)) expect(r[3]).toBe('High');
    const text = await csv('view=all&q=HYPERLINK');
    expect(text.slice(1).map((r) => r[0])).toEqual(['1']);
    expect((await csv('view=mine')).length).toBe(1); // the header alone
  });

  it('gives the same rows as XLSX, in Russian for a Russian speaker', async () => {
    const me = await addUser(srv.services, 'agent', 'olga@desk.test', 'Ольга');
    await updateUser(deps.db, me.id, { locale: 'ru' }, deps.clock.now());
    const olga = new Browser(srv.url);
    await olga.login('olga@desk.test', TEST_PASSWORD);
    const res = await olga.getBytes('/tickets.xlsx?view=all&priority=high');
    expect(res.status).toBe(200);
    const rows = await readXlsx(res.body);
    expect(rows[0]!.slice(0, 4)).toEqual(['Номер', 'Тема', 'Статус', 'Приоритет']);
    expect(rows.length - 1).toBe(1 + Math.ceil(MANY / 3));
    expect(rows.find((r) => r[0] === 2)!.slice(1, 4)).toEqual(['Bulk 2', 'Новая', 'Высокий']);
  });

  describe('with the progress the page asks for', () => {
    const progressOf = async (who: Browser, id: string) => {
      const res = await who.get(`/tickets/export-progress/${encodeURIComponent(id)}`);
      return { status: res.status, body: res.status === 200 ? (JSON.parse(res.text) as unknown) : null, headers: res.headers };
    };
    const done = async (who: Browser, id: string) => {
      // the entry is done once the last byte has gone out, which the client may see a moment before the desk
      await expect.poll(async () => ((await progressOf(who, id)).body as { state?: string } | null)?.state).toBe('done');
      return progressOf(who, id);
    };

    it('tells the person the rows sent of the total, done at the end, as CSV and as XLSX', async () => {
      const rows = await csv('view=all&progress=0f1e2d3c4b5a6978');
      const all = await done(agent, '0f1e2d3c4b5a6978');
      expect(all.body).toEqual({ rows: MANY + 1, total: MANY + 1, state: 'done' });
      expect(rows.length - 1).toBe(MANY + 1);
      expect(all.headers.get('content-type')).toMatch(/^application\/json/);
      expect(all.headers.get('cache-control')).toBe('no-store');

      const id = crypto.randomUUID();
      const xlsx = await agent.getBytes(`/tickets.xlsx?view=all&priority=high&progress=${id}`);
      expect(xlsx.status).toBe(200);
      const high = (await readXlsx(xlsx.body)).length - 1;
      expect(high).toBe(1 + Math.ceil(MANY / 3));
      expect((await done(agent, id)).body).toEqual({ rows: high, total: high, state: 'done' });

      // a text search has no total: the rows are counted without one
      await csv('view=all&q=HYPERLINK&progress=text-search-1');
      expect((await done(agent, 'text-search-1')).body).toEqual({ rows: 1, total: null, state: 'done' });
    });

    it('shows a download to its person only, and nothing for an unknown or malformed id', async () => {
      await csv('view=all&priority=high&progress=only-mine-42');
      await done(agent, 'only-mine-42');
      await addUser(srv.services, 'agent', 'pavel@desk.test', 'Pavel');
      const pavel = new Browser(srv.url);
      await pavel.login('pavel@desk.test', TEST_PASSWORD);
      const unknown = { rows: 0, total: null, state: 'unknown' };
      expect((await progressOf(pavel, 'only-mine-42')).body).toEqual(unknown);
      expect((await progressOf(agent, 'never-started')).body).toEqual(unknown);

      // a malformed id does not stop the download; it is just not tracked
      for (const bad of ['short', 'has space 123', 'x'.repeat(65), '../../../etc']) {
        const rows = await csv(`view=all&priority=high&progress=${encodeURIComponent(bad)}`);
        expect(rows.length - 1).toBe(1 + Math.ceil(MANY / 3));
        expect((await progressOf(agent, bad)).body).toEqual(unknown);
      }
    });
  });

  it('is offered on the queue page with the view’s query', async () => {
    const page = await agent.get('/tickets?view=all&priority=high');
    // a plain download link (not boosted by htmx), with the progress the page shows while it comes down
    expect(page.text).toMatch(/<a href="\/tickets\.csv\?view&#x3D;all&amp;priority&#x3D;high" download hx-boost="false" data-progress="#download-progress">CSV<\/a>/);
    expect(page.text).toContain('<span id="download-progress" class="muted" role="status" aria-live="polite" hidden');
  });
});
