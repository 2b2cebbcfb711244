// Each person's dashboard: the role's default widgets with figures that open the queue they count,
// arranged with plain forms (add, move, widen, remove, reset) and by a dragged order, kept per
// person, offering only what the person may see, in both languages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../helpers/web.ts';
import { saveView } from '../../../src/actions/saved-views.ts';
import { assignTicket, createTicket } from '../../../src/actions/tickets.ts';
import { updateUser, type User } from '../../../src/store/users.ts';
import { sql } from 'drizzle-orm';

const widgetIds = (html: string) => [...html.matchAll(/<section class="widget (small|wide)" id="widget-([^"]+)"/g)].map((m) => `${m[2]}:${m[1]}`);
const figure = (html: string, id: string) => {
  const m = new RegExp(`id="widget-${id}"[\\s\\S]*?<a class="widget-figure" href="([^"]+)">([^<]+)</a>`).exec(html);
  return m ? { href: m[1].replaceAll('&#x3D;', '=').replaceAll('&amp;', '&'), value: m[2] } : null;
};

describe('the dashboard', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let agent: User;
  const as: Record<'agent' | 'manager', Browser> = {} as never;

  beforeAll(async () => {
    deps = await makeTestDeps();
    srv = await startTestServer(deps);
    agent = await addUser(srv.services, 'agent');
    await addUser(srv.services, 'manager');
    const ctx = srv.services.ctx;
    const by = { kind: 'user', user: agent } as const;
    for (let i = 1; i <= 3; i++) await createTicket(ctx, by, { subject: `Printer ${i}`, body: 'x', requesterEmail: 'anna@client.example', priority: i === 1 ? 'high' : 'normal' });
    const mine = await createTicket(ctx, by, { subject: 'Mine', body: 'x', requesterEmail: 'anna@client.example' });
    await assignTicket(ctx, by, { ticketId: mine.id, assigneeId: agent.id });
    await saveView(ctx, agent, { name: 'High ones', query: { view: 'all', priority: 'high' } });
    for (const role of ['agent', 'manager'] as const) {
      as[role] = new Browser(srv.url);
      await as[role].login(`${role}@desk.test`, TEST_PASSWORD);
    }
  });
  afterAll(async () => {
    await srv?.close();
    deps?.close();
  });

  it('is the staff’s home page, each role starting from its own default', async () => {
    expect((await as.agent.get('/')).headers.get('location')).toBe('/dashboard');
    const a = await as.agent.get('/dashboard');
    expect(a.status).toBe(200);
    expect(widgetIds(a.text)).toEqual(['my-open:small', 'sla-risk:small', 'unassigned:small', 'pending:small', 'my-queue:wide', 'sla-list:wide']);
    const m = await as.manager.get('/dashboard');
    expect(widgetIds(m.text)).toEqual(['sla-risk:small', 'unassigned:small', 'created-today:small', 'done-week:small', 'report:created-resolved:wide', 'report:cost:wide', 'sla-list:wide']);
    expect(m.text).toMatch(/id="widget-report:created-resolved"[\s\S]*?<svg role="img"/);
  });

  it('puts any report with a chart on the dashboard as its chart: SLA, response times, time, trends', async () => {
    const m = new Browser(srv.url);
    await m.login('manager@desk.test', TEST_PASSWORD);
    await m.get('/dashboard');
    const charts = ['report:sla', 'report:response-times', 'report:time', 'report:trends'];
    const offered = (await m.get('/dashboard?lang=en')).text;
    for (const id of charts) {
      expect(offered).toContain(`value="${id}"`);
      expect((await m.post('/dashboard/layout', { op: 'add', id, size: 'wide' })).status).toBe(303);
    }
    const page = (await m.get('/dashboard?lang=en')).text;
    for (const id of charts) expect(widgetIds(page)).toContain(`${id}:wide`);
    // tickets created in the last 30 days: their SLA compliance by priority and the trend per component are charts
    expect(page).toMatch(/id="widget-report:sla"[\s\S]*?<svg role="img"/);
    expect(page).toMatch(/id="widget-report:trends"[\s\S]*?<svg role="img"/);
    // no time logged and nothing answered yet: they say so, and open their report
    expect(page).toMatch(/id="widget-report:time"[\s\S]*?class="muted">[^<]+<\/p><p class="small"><a href="\/reports\/time">/);
    expect(page).toMatch(/id="widget-report:response-times"[\s\S]*?<a href="\/reports\/response-times">/);
    await m.post('/dashboard/layout', { op: 'reset' });
  });

  it('shows figures that open the queue on the tickets they count', async () => {
    const page = (await as.agent.get('/dashboard')).text;
    expect(figure(page, 'my-open')).toEqual({ href: '/tickets?view=mine', value: '1' });
    expect(figure(page, 'unassigned')).toEqual({ href: '/tickets?view=unassigned', value: '3' });
    expect(page).toMatch(/id="widget-my-queue"[\s\S]*?<a href="\/tickets\/4">#4 Mine<\/a>/);
    const created = figure((await as.manager.get('/dashboard')).text, 'created-today')!;
    expect(created.value).toBe('4');
    const queue = await as.manager.get(created.href);
    expect([...queue.text.matchAll(/>(Printer \d|Mine)</g)].length).toBe(4);
  });

  it('shows any report with a table as one number, its headline (else its first total) as the report opens, opening the tickets behind it', async () => {
    await as.manager.post('/dashboard/layout', { op: 'add', id: 'figure:created-resolved', size: 'small' });
    await as.manager.post('/dashboard/layout', { op: 'add', id: 'figure:time', size: 'small' });
    const page = (await as.manager.get('/dashboard')).text;
    expect(page).toContain('<h2 id="widget-figure:created-resolved-title">Created vs resolved — a number</h2>');
    const created = figure(page, 'figure:created-resolved')!;
    expect(created.value).toBe('4');
    expect(page).toMatch(/id="widget-figure:created-resolved"[\s\S]*?<\/a><p class="small muted">Created<\/p>/);
    expect([...(await as.manager.get(created.href)).text.matchAll(/>(Printer \d|Mine)</g)].length).toBe(4);
    // no time logged: a total the queue cannot list opens the report
    expect(figure(page, 'figure:time')).toEqual({ href: expect.stringMatching(/^\/tickets\?view=all&worked=\d+-\d+$/), value: '0 hr' });
    await as.manager.post('/dashboard/layout', { op: 'reset' });
  });

  it('shows the person’s due dates, planned work and SLA deadlines of the coming week as their calendar does, opening the calendar', async () => {
    await as.agent.post('/dashboard/layout', { op: 'add', id: 'my-deadlines', size: 'wide' });
    const widget = async () => /id="widget-my-deadlines"[\s\S]*?<\/section>/.exec((await as.agent.get('/dashboard')).text)![0].replaceAll('&#x3D;', '=');
    const now = deps.clock.now();
    await deps.db.run(sql`update tickets set resolution_due_at = null, first_response_due_at = null, next_response_due_at = null`);
    expect(await widget()).toContain('Nothing due, planned or at a deadline in the coming week.');
    // the agent's ticket is due in two hours; an unassigned one tomorrow and the agent's next week are not shown
    await deps.db.run(sql`update tickets set resolution_due_at = ${now + 2 * 3_600_000} where subject = 'Mine'`);
    await deps.db.run(sql`update tickets set resolution_due_at = ${now + 86_400_000} where subject = 'Printer 1'`);
    const html = await widget();
    expect([...html.matchAll(/<li><a href="(\/tickets\/\d+)">#\d+ ([^<]+)<\/a> <span class="muted small">([^<]+) · <time datetime="([^"]+)">/g)].map((m) => [m[1], m[2], m[3], m[4]]))
      .toEqual([['/tickets/4', 'Mine', 'Resolution', new Date(now + 2 * 3_600_000).toISOString()]]);
    expect(html).toContain('<a href="/calendar?view=week">Open the calendar</a>');
    // its due date and planned work count too, in time order
    await deps.db.run(sql`update tickets set due_at = ${now + 3 * 3_600_000}, planned_at = ${now + 3_600_000} where subject = 'Mine'`);
    expect([...(await widget()).matchAll(/<li><a href="\/tickets\/4">#\d+ Mine<\/a> <span class="muted small">([^<]+) · /g)].map((m) => m[1]))
      .toEqual(['Planned work', 'Resolution', 'Due']);
    await deps.db.run(sql`update tickets set resolution_due_at = ${now + 8 * 86_400_000}, due_at = ${now + 8 * 86_400_000}, planned_at = null where subject = 'Mine'`);
    expect(await widget()).toContain('Nothing due, planned or at a deadline in the coming week.');
    await as.agent.post('/dashboard/layout', { op: 'reset' });
  });

  it('is arranged with plain forms, kept per person', async () => {
    const arrange = (form: Record<string, string>) => as.agent.post('/dashboard/layout', form);
    expect((await arrange({ op: 'add', id: 'view:1', size: 'small' })).location).toBe('/dashboard');
    await arrange({ op: 'up', id: 'view:1' });
    await arrange({ op: 'resize', id: 'my-open' });
    await arrange({ op: 'remove', id: 'pending' });
    await arrange({ op: 'down', id: 'my-queue' });
    const page = (await as.agent.get('/dashboard')).text;
    expect(widgetIds(page)).toEqual(['my-open:wide', 'sla-risk:small', 'unassigned:small', 'view:1:small', 'my-queue:wide', 'sla-list:wide']);
    // the saved view as a widget: its tickets
    expect(page).toMatch(/id="widget-view:1"[\s\S]*?<h2 id="widget-view:1-title">High ones<\/h2>[\s\S]*?#1 Printer 1/);
    // the manager's dashboard did not change
    expect(widgetIds((await as.manager.get('/dashboard')).text)).toHaveLength(7);
  });

  it('takes a dragged order in the background, and resets to the role’s default', async () => {
    await as.agent.get('/dashboard');
    const drag = await as.agent.post('/dashboard/layout', { op: 'order', ids: 'my-queue,my-open' }, { headers: { 'HX-Request': 'true', 'HX-Trigger': 'dashboard-order' } });
    expect(drag.status).toBe(204);
    expect(widgetIds((await as.agent.get('/dashboard')).text).slice(0, 3)).toEqual(['my-queue:wide', 'my-open:wide', 'sla-risk:small']);
    await as.agent.post('/dashboard/layout', { op: 'reset' });
    expect(widgetIds((await as.agent.get('/dashboard')).text)).toEqual(['my-open:small', 'sla-risk:small', 'unassigned:small', 'pending:small', 'my-queue:wide', 'sla-list:wide']);
  });

  it('offers only the widgets the person may see, and refuses to add another', async () => {
    const page = (await as.agent.get('/dashboard')).text;
    expect(page).not.toContain('value="report:cost"');
    expect((await as.manager.get('/dashboard')).text).not.toContain('value="view:1"');
    await as.agent.post('/dashboard/layout', { op: 'add', id: 'report:cost', size: 'wide' });
    expect(widgetIds((await as.agent.get('/dashboard')).text)).not.toContain('report:cost:wide');
  });

  it('speaks Russian to a Russian speaker', async () => {
    await updateUser(deps.db, agent.id, { locale: 'ru' }, deps.clock.now());
    const page = (await as.agent.get('/dashboard')).text;
    expect(page).toContain('<h1>Обзор</h1>');
    expect(page).toContain('>Мои открытые заявки</h2>');
    await updateUser(deps.db, agent.id, { locale: 'en' }, deps.clock.now());
  });
});
