// Each report as one number on the dashboard, on a desk whose answers are known by construction:
// two clients (one billed in roubles, one in euros), four incidents created today, one of them
// resolved, one assigned and answered at once (an SLA of an hour to answer), one complained about. Each number is its report's headline, in the
// viewer's language, opening the tickets behind it (or the report). And each chart on the
// dashboard comes with the table of the numbers it draws.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../helpers/web.ts';
import { escalateTicket } from '../../../src/actions/resolution.ts';
import { assignTicket, createTicket, replyToTicket, writeStatus } from '../../../src/actions/tickets.ts';
import { insertOrganization } from '../../../src/store/organizations.ts';
import { updateUser, type User } from '../../../src/store/users.ts';
import { seedSla } from '../../helpers/workflow.ts';

/** A figure widget: its number, its caption and where it leads. */
function figure(html: string, id: string) {
  const m = new RegExp(`id="widget-${id}"[\\s\\S]*?<a class="widget-figure" href="([^"]+)">([^<]+)</a><p class="small muted">([^<]+)</p>`).exec(html);
  const text = (s: string) => s.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&').replace(/[\u00a0\u202f]/g, ' ');
  return m ? { value: text(m[2]), caption: text(m[3]), href: text(m[1]) } : null;
}

/** The subjects of the tickets a queue page lists. */
const subjects = (html: string) => [...html.matchAll(/>(Acme \d|Beta \d)</g)].map((m) => m[1]).sort();

const REPORTS = ['status', 'created-resolved', 'trends', 'complaints', 'difficult-clients', 'contracts', 'cost', 'time', 'sla', 'response-times', 'workload'];

describe('the reports on the dashboard', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let manager: User;
  let as: Browser;

  beforeAll(async () => {
    deps = await makeTestDeps();
    srv = await startTestServer(deps);
    const ctx = srv.services.ctx;
    const now = deps.clock.now();
    const agent = await addUser(srv.services, 'agent');
    manager = await addUser(srv.services, 'manager');
    await seedSla(ctx, { firstResponse: 60 });
    await insertOrganization(deps.db, { name: 'Acme', currency: 'RUB', monthlyFeeCents: 100_000 }, now, ['acme.example']);
    await insertOrganization(deps.db, { name: 'Beta', currency: 'EUR', monthlyFeeCents: 50_000 }, now, ['beta.example']);
    const by = { kind: 'user', user: agent } as const;
    const open = (subject: string, requesterEmail: string) => createTicket(ctx, by, { subject, body: 'x', requesterEmail });
    const a1 = await open('Acme 1', 'ann@acme.example');
    const a2 = await open('Acme 2', 'ann@acme.example');
    await open('Acme 3', 'ann@acme.example');
    const b1 = await open('Beta 1', 'bob@beta.example');
    await assignTicket(ctx, by, { ticketId: a1.id, assigneeId: agent.id });
    await replyToTicket(ctx, by, { ticketId: a1.id, body: 'On it' });
    await writeStatus(ctx, by, b1, 'resolved');
    await escalateTicket(ctx, { kind: 'requester', contactId: a2.requesterId! }, { ticketId: a2.id, reason: 'Nobody answers' });
    as = new Browser(srv.url);
    await as.login('manager@desk.test', TEST_PASSWORD);
    await as.get('/dashboard');
    for (const id of REPORTS) expect((await as.post('/dashboard/layout', { op: 'add', id: `figure:${id}`, size: 'small' })).status).toBe(303);
    await as.post('/dashboard/layout', { op: 'add', id: 'report:status', size: 'wide' });
  });
  afterAll(async () => {
    await srv?.close();
    deps?.close();
  });

  it('shows each report’s headline, opening the tickets behind it or else the report', async () => {
    const page = (await as.get('/dashboard')).text;
    const figures = Object.fromEntries(REPORTS.map((id) => [id, figure(page, `figure:${id}`)]));
    expect(figures).toMatchObject({
      status: { value: '3', caption: 'Open tickets now' },
      'created-resolved': { value: '4', caption: 'Created' },
      trends: { value: '4', caption: 'Incidents in the last 12 months' },
      complaints: { value: '1', caption: 'Complaints in the last 30 days', href: '/reports/complaints' },
      'difficult-clients': { value: '2', caption: 'Clients ranked, first: Acme', href: '/reports/difficult-clients' },
      // money in two currencies is two sums
      contracts: { value: '€500 + RUB 1,000', caption: 'Billed this month', href: '/reports/contracts' },
      // the clients billed in roubles (the cost currency), no time logged: the margin is the fee
      cost: { value: 'RUB 1,000', caption: 'Margin', href: '/reports/cost' },
      // no time logged: the hours open the (empty) queue of the tickets worked in the period
      time: { value: '0 hr', href: expect.stringMatching(/^\/tickets\?view=all&worked=\d+-\d+$/) },
      // one answered at once, the others' first response not yet due
      sla: { value: '100%', caption: 'First response compliance', href: '/reports/sla' },
      'response-times': { value: '4', caption: 'Tickets' },
      workload: { value: '1', caption: 'Open now' },
    });
    const behind = async (id: string) => subjects((await as.get(figures[id]!.href)).text);
    expect(await behind('status')).toEqual(['Acme 1', 'Acme 2', 'Acme 3']);
    expect(await behind('created-resolved')).toEqual(['Acme 1', 'Acme 2', 'Acme 3', 'Beta 1']);
    expect(await behind('trends')).toEqual(['Acme 1', 'Acme 2', 'Acme 3', 'Beta 1']);
    expect(await behind('workload')).toEqual(['Acme 1']);
    expect(await behind('time')).toEqual([]);
  });

  it('says its headlines in Russian to a Russian speaker', async () => {
    await updateUser(deps.db, manager.id, { locale: 'ru' }, deps.clock.now());
    try {
      const page = (await as.get('/dashboard')).text;
      expect(figure(page, 'figure:status')).toMatchObject({ value: '3', caption: 'Открытых заявок сейчас' });
      expect(figure(page, 'figure:trends')).toMatchObject({ value: '4', caption: 'Инцидентов за последние 12 месяцев' });
      expect(figure(page, 'figure:complaints')).toEqual({ value: '1', caption: 'Жалоб за последние 30 дней', href: '/reports/complaints' });
      expect(figure(page, 'figure:difficult-clients')).toEqual({ value: '2', caption: 'Клиентов в рейтинге, первый: Acme', href: '/reports/difficult-clients' });
      expect(figure(page, 'figure:contracts')).toEqual({ value: '500 € + 1 000 ₽', caption: 'Начислено за этот месяц', href: '/reports/contracts' });
    } finally {
      await updateUser(deps.db, manager.id, { locale: 'en' }, deps.clock.now());
    }
  });

  it('gives each chart the table of its numbers, the picture hidden from screen readers', async () => {
    const page = (await as.get('/dashboard')).text;
    const chart = (id: string) => new RegExp(`id="widget-${id}"[\\s\\S]*?</section>`).exec(page)![0];
    const table = (html: string) => ({
      caption: /<div class="chart-data"><table><caption>([^<]+)<\/caption>/.exec(html)?.[1],
      headers: [...html.matchAll(/<th scope="col">([^<]+)<\/th>/g)].map((m) => m[1]),
      rows: [...html.matchAll(/<tr><th scope="row">([^<]+)<\/th>((?:<td>[^<]*<\/td>)+)<\/tr>/g)].map((m) => [m[1], ...[...m[2].matchAll(/<td>([^<]*)<\/td>/g)].map((c) => c[1])]),
    });
    // the last 30 days, a day each: four created and one resolved today, three open at its end
    const cr = chart('report:created-resolved');
    expect(cr).toContain('<div aria-hidden="true"><svg role="img"');
    const days = table(cr);
    expect(days).toMatchObject({ caption: 'Created vs resolved', headers: ['Created', 'Resolved', 'Open at the end'] });
    expect(days.rows).toHaveLength(30);
    expect(days.rows.filter((r) => r[1] !== '0')).toEqual([[days.rows[29][0], '4', '1', '3']]);
    // the open tickets by age: three less than a day old
    expect(table(chart('report:status'))).toEqual({
      caption: 'Backlog age',
      headers: ['Tickets'],
      rows: [['Under 1 day', '3'], ['1–3 days', '0'], ['3–7 days', '0'], ['7–30 days', '0'], ['30–90 days', '0'], ['90 days or more', '0']],
    });
  });
});
