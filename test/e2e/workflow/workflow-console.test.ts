// The workflow in the console and the portal over HTTP: admin pages, refused moves (422 with
// what is missing, nothing half-applied), the ticket's SLA sidebar and the queue's time left,
// rejecting a resolution, and the requester's portal.
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../helpers/web.ts';
import { logWork, rawMail } from '../../helpers/workflow.ts';
import { useTestDesk } from '../../helpers/test-desk.ts';
import { buildServices } from '../../../src/services.ts';
import { changeStatus, createTicket, replyToTicket, addNote } from '../../../src/actions/tickets.ts';
import { resolveTicket } from '../../../src/actions/resolution.ts';
import { makePortalToken } from '../../../src/domain/portal-link.ts';
import { outbox } from '../../../src/db/schema.ts';
import { insertOrganization } from '../../../src/store/organizations.ts';
import { insertComponent } from '../../../src/store/components.ts';
import { listCalendarExceptions } from '../../../src/store/calendars.ts';
import { listSlaTargets } from '../../../src/store/sla-policies.ts';
import { findOrganization } from '../../../src/store/organizations.ts';
import { findTicketByNumber, getTicket, listTicketLinks } from '../../../src/store/tickets.ts';
import { listTicketMessages } from '../../../src/store/messages.ts';
import { updateContact } from '../../../src/store/contacts.ts';
import type { User } from '../../../src/store/users.ts';
import type { WebRouter } from '../../../src/web/app.ts';

const Z = (iso: string) => Date.parse(iso);

describe('workflow in the console', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let admin: User;
  let agent: User;
  beforeEach(async () => {
    deps = await makeTestDeps();
    const services = buildServices(deps);
    // an API-style endpoint, to see how a refusal reads for API clients
    const api: WebRouter = {
      auth: 'public',
      build: () =>
        express.Router().post('/api/test/tickets/:id/status', async (req, res) => {
          const t = await changeStatus(services.ctx, { kind: 'user', user: agent }, { ticketId: Number(req.params.id), status: String((req.body as { status: string }).status) });
          res.json({ status: t.status });
        }),
    };
    services.web.routers = [...(services.web.routers ?? []), api];
    srv = await startTestServer(deps, services);
    admin = await addUser(srv.services, 'admin');
    agent = await addUser(srv.services, 'agent', 'agent@desk.test', 'Alex Agent');
    await addUser(srv.services, 'manager', 'manager@desk.test', 'Maria Manager');
  });
  afterEach(async () => {
    await srv.close();
    deps.close();
  });

  const signIn = async (email: string) => {
    const b = new Browser(srv.url);
    await b.login(email, TEST_PASSWORD);
    return b;
  };
  const ctx = () => srv.services.ctx;

  async function configure(b: Browser) {
    await b.get('/admin/calendars');
    const bad = await b.post('/admin/calendars', { name: 'Moscow', timeZone: 'Moscow', hours0: '09:00-18:00' });
    expect(bad.status, bad.text.slice(0, 3000)).toBe(422);
    expect(bad.text).toContain('“Moscow” is not a time zone');
    const hours = { hours0: '09:00-18:00', hours1: '09:00-18:00', hours2: '09:00-18:00', hours3: '09:00-18:00', hours4: '09:00-18:00', hours5: '', hours6: '' };
    const cal = await b.post('/admin/calendars', { name: 'Moscow office', timeZone: 'Europe/Moscow', ...hours });
    expect(cal.status).toBe(303);
    const calUrl = cal.location!;
    expect((await b.get(calUrl)).status).toBe(200);
    expect((await b.post(`${calUrl}/exceptions`, { date: '2026-11-04', kind: 'holiday', hours: '', note: 'National Unity Day' })).status).toBe(303);
    const imported = await b.post(`${calUrl}/import`, { text: '2026-11-03,short\n2026-12-31,holiday,,New Year’s Eve' });
    expect(imported.status).toBe(303);
    const badImport = await b.post(`${calUrl}/import`, { text: '2026-11-05,party' });
    expect(badImport.status).toBe(422);
    expect(badImport.text).toContain('“party” is not one of holiday, workday, short');
    const calId = Number(calUrl.split('/').pop());
    expect((await listCalendarExceptions(deps.db, calId)).map((e) => [e.date, e.kind, e.hours])).toEqual([
      ['2026-11-03', 'workday', [['09:00', '17:00']]], ['2026-11-04', 'holiday', null], ['2026-12-31', 'holiday', null],
    ]);
    const preview = await b.get(`${calUrl}?from=2026-11-03T16:00&add=3h`);
    expect(preview.text).toMatch(/id="preview-result"[^]*2026-11-05 11:00/);

    await b.get('/admin/sla-policies');
    const targets = { 'normal.firstResponseMinutes': '1h', 'normal.resolutionMinutes': '8h', 'normal.internalResolutionMinutes': '4h', 'urgent.firstResponseMinutes': '15m', 'urgent.resolutionMinutes': '2h' };
    const badPolicy = await b.post('/admin/sla-policies', { name: 'Standard', calendarId: String(calId), warningPercent: '80', ...targets, 'normal.internalResolutionMinutes': '9h', 'high.resolutionMinutes': 'soon' });
    expect(badPolicy.status).toBe(422);
    expect(badPolicy.text).toContain('An internal target must not be longer than the contract’s');
    expect(badPolicy.text).toContain('“soon” is not a duration');
    const policy = await b.post('/admin/sla-policies', { name: 'Standard', calendarId: String(calId), warningPercent: '80', escalation: '2h', isDefault: 'on', ...targets });
    expect(policy.status).toBe(303);
    const policyId = Number(policy.location!.split('/').pop());
    const policyPage = await b.get(policy.location!);
    expect(policyPage.status).toBe(200);
    expect(policyPage.text).toMatch(/name="normal\.resolutionMinutes" value="8h"/);
    expect(policyPage.text).toMatch(/name="isDefault" checked/);
    expect((await b.get('/admin/calendars')).text).toMatch(/Moscow office[^]*Europe\/Moscow[^]*Standard/);
    expect((await listSlaTargets(deps.db, policyId)).find((t) => t.priority === 'normal')).toMatchObject({ firstResponseMinutes: 60, resolutionMinutes: 480, internalResolutionMinutes: 240 });
    return { calId, policyId };
  }

  it('admin pages: a calendar with holidays and an import, a policy with targets, a contract; others may not', async () => {
    const a = await signIn('admin@desk.test');
    const { policyId } = await configure(a);
    const org = await insertOrganization(deps.db, { name: 'Client Ltd' }, deps.clock.now(), ['client.example']);
    const printers = await insertComponent(deps.db, { name: 'Printers' }, deps.clock.now());
    const servers = await insertComponent(deps.db, { name: 'Servers' }, deps.clock.now());
    await a.get(`/organizations/${org.id}/contract`);
    const bad = await a.post(`/organizations/${org.id}/contract`, { monthlyFee: 'lots', currency: 'RUB', allChannels: 'on' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('“lots” is not an amount');
    expect(bad.text).toContain('Tick the covered components');
    const ok = await a.post(`/organizations/${org.id}/contract`, {
      monthlyFee: '60 000', currency: 'rub', includedTime: '20h', hourlyRate: '2500', reopenLimit: '1', reopenWindowDays: '14', timeBudget: '4h',
      slaPolicyId: String(policyId), componentIds: String(printers.id), allChannels: 'on',
    });
    expect(ok.status).toBe(303);
    expect(await findOrganization(deps.db, org.id)).toMatchObject({
      monthlyFeeCents: 6_000_000, currency: 'RUB', includedMinutes: 1200, hourlyRateCents: 250_000, reopenLimit: 1, reopenWindowDays: 14,
      ticketTimeBudgetMinutes: 240, slaPolicyId: policyId, coveredComponentIds: [printers.id], coveredChannels: null,
    });
    // usage: 21 h logged on a covered request, 1 h on one outside the contract
    const covered = await createTicket(ctx(), { kind: 'user', user: agent }, { subject: 'Printer', body: 'x', requesterEmail: 'anna@client.example', componentId: printers.id });
    const outside = await createTicket(ctx(), { kind: 'user', user: agent }, { subject: 'Website', body: 'x', requesterEmail: 'anna@client.example', componentId: servers.id });
    expect((await getTicket(deps.db, outside.id)).billable).toBe(true); // a component the contract does not cover
    expect((await getTicket(deps.db, covered.id)).billable).toBe(false);
    await logWork(ctx(), agent, covered.id, 21 * 60);
    await logWork(ctx(), agent, outside.id, 60);
    const report = await a.get('/reports/contracts?month=2026-11');
    expect(report.status).toBe(200);
    expect(report.text).toMatch(/data-org="\d+">[^]*Client Ltd[^]*20 h[^]*21 h[^]*\(105 %\)[^]*1 h · RUB[^]*2,500.00[^]*1 h · RUB[^]*2,500.00[^]*RUB[^]*60,000.00[^]*RUB[^]*65,000.00/);
    expect(report.text).toContain('Website');
    const contractPage = await a.get(`/organizations/${org.id}/contract?month=2026-11`);
    expect(contractPage.text).toContain('Website');
    expect(contractPage.text).not.toMatch(/billable-list[^]*>Printer</);

    const ag = await signIn('agent@desk.test');
    for (const url of ['/admin/calendars', '/admin/sla-policies', '/admin/workflow', `/organizations/${org.id}/contract`, '/reports/contracts']) {
      expect((await ag.get(url)).status, url).toBe(403);
    }
    const m = await signIn('manager@desk.test');
    expect((await m.get('/admin/workflow')).status).toBe(403); // settings are the admin's
    expect((await m.get(`/organizations/${org.id}/contract`)).status).toBe(200);
  });

  it('every workflow page is translated: no raw string keys in English or Russian', async () => {
    const a = await signIn('admin@desk.test');
    await configure(a);
    const org = await insertOrganization(deps.db, { name: 'Client Ltd' }, deps.clock.now(), ['client.example']);
    await srv.services.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: rawMail({ from: 'Anna <anna@client.example>', subject: 'Printer jammed', body: 'Paper stuck' }) });
    const pages = ['/tickets', '/tickets/1', '/admin/calendars', '/admin/calendars/1', '/admin/sla-policies', '/admin/sla-policies/1', '/admin/workflow', `/organizations/${org.id}/contract`, '/reports/contracts', `/portal/${makePortalToken(deps.secrets.token, await getTicket(deps.db, 1), deps.clock.now())}`];
    for (const locale of ['en', 'ru'] as const) {
      await deps.db.run('update users set locale = ? where id = ?', locale, admin.id);
      for (const url of pages) {
        const r = await a.get(url.startsWith('/portal') ? `${url}?lang=${locale}` : url);
        expect(r.status, url).toBe(200);
        expect(r.text, `${url} in ${locale}`).not.toMatch(/>[^<]*\bworkflow\.[a-zA-Z]/);
        expect(r.text, `${url} in ${locale}`).not.toMatch(/"[^"]*\bworkflow\.[a-zA-Z][^"]*"/);
      }
    }
    expect((await a.get('/admin/workflow')).text).toContain('Правила процесса');
  });

  it('refuses a move in the console with 422 naming what is missing, and nothing is half-applied', async () => {
    const a = await signIn('admin@desk.test');
    await a.get('/admin/workflow');
    expect((await a.post('/admin/workflow', { recommend: 'all', 'incident.autoCloseDays': '5' })).status).toBe(303);
    const page = await a.get('/admin/workflow');
    expect(page.text).toMatch(/name="incident\.assigned" value="estimate" checked/);

    const t = await createTicket(ctx(), { kind: 'user', user: agent }, { subject: 'VPN', body: 'down', requesterEmail: 'anna@client.example' });
    const b = await signIn('agent@desk.test');
    await b.get(`/tickets/${t.number}`);
    const refused = await b.post(`/tickets/${t.number}/status`, { status: 'resolved' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('To move the ticket from New to Resolved, fill in: component, estimate, resolution note, logged time');
    const closing = await b.post(`/tickets/${t.number}/status`, { status: 'closed' });
    expect(closing.status).toBe(422);
    expect(closing.text).toContain('An agent may not move a ticket from New to Closed');
    const assign = await b.post(`/tickets/${t.number}/assign`, { assigneeId: 'me' });
    expect(assign.status).toBe(422);
    expect(assign.text).toContain('fill in: component, estimate');
    const resolve = await b.post(`/tickets/${t.number}/resolve`, { note: 'Restarted it' });
    expect(resolve.status).toBe(422);
    expect(resolve.text).toMatch(/id="ticket-sla"[^]*class="error" role="alert">To move the ticket from New to Resolved, fill in: component, estimate, logged time/);
    expect(resolve.text).toContain('Restarted it'); // the note is kept in the form
    expect(await getTicket(deps.db, t.id)).toMatchObject({ status: 'new', assigneeId: null, resolutionNote: null });
    expect((await listTicketMessages(deps.db, t.id)).filter((m) => m.kind === 'event')).toEqual([]);

    // an API client gets the same refusal as JSON, with the missing fields
    const res = await fetch(`${srv.url}/api/test/tickets/${t.id}/status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'resolved' }) });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ error: { code: 'transition_refused', message: expect.stringContaining('fill in: component'), missing: ['component', 'estimate', 'resolution_note', 'logged_time'], from: 'new', to: 'resolved', refusal: 'missing' } });
  });

  it('one resolve form asks for exactly what the workflow still needs, with errors at the fields, and applies it all at once', async () => {
    const a = await signIn('admin@desk.test');
    await a.get('/admin/workflow');
    expect((await a.post('/admin/workflow', { recommend: 'all', 'incident.autoCloseDays': '5' })).status).toBe(303);
    const printers = await insertComponent(deps.db, { name: 'Printers' }, deps.clock.now());
    const t = await createTicket(ctx(), { kind: 'user', user: agent }, { subject: 'VPN', body: 'down', requesterEmail: 'anna@client.example' });
    const b = await signIn('agent@desk.test');
    const page = (await b.get(`/tickets/${t.number}`)).text;
    const form = /<form method="post" action="\/tickets\/\d+\/resolve"[^]*?<\/form>/.exec(page)![0];
    // what the workflow demands and the ticket lacks, in the form itself; nothing it has already
    expect([...form.matchAll(/name="(\w+)"/g)].map((m) => m[1])).toEqual(['_csrf', 'componentId', 'estimate', 'spent', 'billable', 'note']);
    expect(form).toContain('What was done (the resolution note)');
    // the quick "Resolve" leads to this form instead of refusing elsewhere
    expect(page).toMatch(/<a class="button subtle" href="#resolve-note"[^>]*>Resolve<\/a>/);

    const bad = await b.post(`/tickets/${t.number}/resolve`, { componentId: String(printers.id), estimate: 'soon', spent: '45m', billable: 'on', note: 'Restarted the gateway' });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/name="estimate"[^>]*aria-invalid="true" aria-describedby="resolve-estimateMinutes-error"/);
    expect(bad.text).toContain('id="resolve-estimateMinutes-error"');
    expect(bad.text).toContain('Restarted the gateway');
    expect(bad.text).toMatch(new RegExp(`<option value="${printers.id}" selected>Printers`));
    // nothing of it was applied
    expect(await getTicket(deps.db, t.id)).toMatchObject({ status: 'new', componentId: null, estimateMinutes: null, loggedMinutes: 0, resolutionNote: null });

    const ok = await b.post(`/tickets/${t.number}/resolve`, { componentId: String(printers.id), estimate: '1h', spent: '45m', billable: 'on', note: 'Restarted the gateway' });
    expect(ok.status).toBe(303);
    expect(await getTicket(deps.db, t.id)).toMatchObject({ status: 'resolved', componentId: printers.id, estimateMinutes: 60, loggedMinutes: 45, resolutionNote: 'Restarted the gateway' });

    // an internal note is not shown as sent by mail
    await addNote(ctx(), { kind: 'user', user: agent }, { ticketId: t.id, body: 'Called the ISP' });
    const thread = (await b.get(`/tickets/${t.number}`)).text;
    const note = /<li class="msg note[^]*?<\/header>/.exec(thread)![0];
    expect(note).toContain('Internal note');
    // (a plain badge is the channel's; the requester's message has one)
    expect(note).not.toContain('<span class="badge">');
    expect(/<li class="msg reply[^]*?<\/header>/.exec(thread)![0]).toContain('<span class="badge">');
  });

  it('shows the SLA on the ticket and the time left in the queue, red once breached', async () => {
    const a = await signIn('admin@desk.test');
    await configure(a);
    await srv.services.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: rawMail({ from: 'Anna <anna@client.example>', subject: 'Printer jammed', body: 'Paper stuck' }) });
    const b = await signIn('agent@desk.test');
    const queue = await b.get('/tickets');
    expect(queue.text).toContain('Time left');
    expect(queue.text).toMatch(/<td class="sla sla-ok" title="First response: [^"]+">1 h<\/td>/);
    const ticket = await b.get('/tickets/1');
    expect(ticket.text).toMatch(/id="sla-firstResponse" class="sla-running">[^]*1 h left/);
    expect(ticket.text).toMatch(/id="sla-internalResolution" class="sla-running internal">[^]*4 h left/);
    // time left is wall-clock time to the due moment: 8 business hours end tomorrow at 11:00 Moscow time
    expect(ticket.text).toMatch(/id="sla-resolution" class="sla-running">[^]*23 h left[^]*datetime="2026-11-03T08:00:00.000Z"/);

    deps.clock.set(Z('2026-11-02T09:40:00Z'));
    expect((await b.get('/tickets')).text).toMatch(/<td class="sla sla-soon"[^>]*>20 min<\/td>/);
    deps.clock.set(Z('2026-11-02T10:30:00Z'));
    expect((await b.get('/tickets')).text).toMatch(/<td class="sla sla-breached"[^>]*><strong>overdue 30 min<\/strong><\/td>/);
    expect((await b.get('/tickets/1')).text).toMatch(/id="sla-firstResponse" class="sla-breached">[^]*overdue 30 min/);

    // the htmx region alone
    const part = await b.get('/tickets/1/workflow', { 'HX-Request': 'true' });
    expect(part.text.startsWith('<section id="ticket-sla"')).toBe(true);
  });

  it('a manager rejects a resolution from the ticket page; the ticket goes back to its assignee', async () => {
    const t = await createTicket(ctx(), { kind: 'user', user: agent }, { subject: 'VPN', body: 'down', requesterEmail: 'anna@client.example' });
    const b = await signIn('agent@desk.test');
    await b.get(`/tickets/${t.number}`);
    expect((await b.post(`/tickets/${t.number}/assign`, { assigneeId: 'me' })).status).toBe(303);
    expect((await b.post(`/tickets/${t.number}/resolve`, { note: 'Restarted the gateway' })).status).toBe(303);
    expect((await b.get(`/tickets/${t.number}`)).text).not.toContain('reject-resolution');
    expect((await b.post(`/tickets/${t.number}/reject-resolution`, { reason: 'x' })).status).toBe(403);

    const m = await signIn('manager@desk.test');
    const page = await m.get(`/tickets/${t.number}`);
    expect(page.text).toContain(`action="/tickets/${t.number}/reject-resolution"`);
    expect((await m.post(`/tickets/${t.number}/reject-resolution`, { reason: '' })).status).toBe(422);
    const r = await m.post(`/tickets/${t.number}/reject-resolution`, { reason: 'Users still report drops' });
    expect(r.status).toBe(303);
    expect(await getTicket(deps.db, t.id)).toMatchObject({ status: 'in_progress', assigneeId: agent.id });
    const thread = (await m.get(`/tickets/${t.number}`)).text;
    expect(thread).toContain('Maria Manager changed the status from Resolved to In progress: Resolution rejected: Users still report drops');
    expect((await deps.db.select().from(outbox).all()).filter((o) => o.event === 'resolution_rejected').map((o) => o.recipient)).toEqual(['agent@desk.test']);
    // escalating on the requester's behalf and taking it up
    expect((await b.post(`/tickets/${t.number}/escalate`, { reason: 'The client called, angry' })).status).toBe(303);
    expect((await m.get(`/tickets/${t.number}`)).text).toContain('Complaint open');
    expect((await m.post(`/tickets/${t.number}/complaint/handled`, { note: 'Calling back' })).status).toBe(303);
    expect((await m.get(`/tickets/${t.number}`)).text).toContain('Complaint handled');
  });
});

describe('the requester portal', () => {
  const desk = useTestDesk();
  let agent: User;
  beforeEach(async () => {
    agent = await addUser(desk.srv.services, 'agent', 'agent@desk.test', 'Alex Agent');
    await insertOrganization(desk.deps.db, { name: 'ООО «Ромашка»', reopenLimit: 1 }, desk.deps.clock.now(), ['romashka.ru']);
  });

  const ctx = () => desk.srv.services.ctx;
  const resolvedTicket = async () => {
    const t = await createTicket(ctx(), { kind: 'user', user: agent }, { subject: 'Принтер', body: 'Застревает бумага', requesterEmail: 'ivan@romashka.ru', requesterName: 'Иван' });
    await updateContact(desk.deps.db, t.requesterId!, { locale: 'ru' }, desk.deps.clock.now());
    await replyToTicket(ctx(), { kind: 'user', user: agent }, { ticketId: t.id, body: 'Почистили ролики, попробуйте.' });
    await addNote(ctx(), { kind: 'user', user: agent }, { ticketId: t.id, body: 'SECRET internal remark' });
    await resolveTicket(ctx(), { kind: 'user', user: agent }, { ticketId: t.id, note: 'Почистили ролики' });
    return t;
  };
  const portal = async (ticketId: number) => `/portal/${makePortalToken(desk.deps.secrets.token, await getTicket(desk.deps.db, ticketId), desk.deps.clock.now())}`;

  it('shows the public conversation in the requester’s language, never internal notes; confirm closes', async () => {
    const t = await resolvedTicket();
    const b = desk.browser();
    const page = await b.get(await portal(t.id));
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="ru">');
    expect(page.text).toContain('Почистили ролики, попробуйте.');
    expect(page.text).toContain('Застревает бумага');
    expect(page.text).not.toContain('SECRET');
    expect(page.text).toContain('Да, решена');
    expect(page.headers.get('x-robots-tag')).toBe('noindex');
    expect((await b.get(`${await portal(t.id)}?lang=en`)).text).toContain('Yes, it is solved');
    expect((await b.get(await portal(t.id))).text).toContain('Yes, it is solved'); // the choice sticks

    expect((await b.post(`${await portal(t.id)}/confirm`, {}, { csrf: false })).status).toBe(403);
    const done = await b.post(`${await portal(t.id)}/confirm`, {});
    expect(done.status).toBe(303);
    expect((await getTicket(desk.deps.db, t.id)).status).toBe('closed');
    expect((await b.get(done.location!)).text).toContain('Thank you! The request is closed.');
    expect((await b.post(`${await portal(t.id)}/confirm`, {})).status).toBe(422);
  });

  it('reopens within the contract, then opens a linked request; a complaint reaches the managers', async () => {
    const t = await resolvedTicket();
    const b = desk.browser();
    await b.get(await portal(t.id));
    expect((await b.post(`${await portal(t.id)}/reopen`, { message: '' })).status).toBe(422);
    const reopened = await b.post(`${await portal(t.id)}/reopen`, { message: 'Снова застревает' });
    expect(reopened.status).toBe(303);
    expect(await getTicket(desk.deps.db, t.id)).toMatchObject({ status: 'reopened', reopenCount: 1 });
    expect((await listTicketMessages(desk.deps.db, t.id)).at(-2)).toMatchObject({ kind: 'reply', direction: 'in', channel: 'web', bodyText: 'Снова застревает' });

    await resolveTicket(ctx(), { kind: 'user', user: agent }, { ticketId: t.id, note: 'Заменили ролики' });
    const limit = await b.get(await portal(t.id));
    expect(limit.text).toContain('уже открывали повторно 1 раз');
    const form = { message: 'И опять', submission: 'reopen-form-0123456789' };
    const follow = await b.post(`${await portal(t.id)}/reopen`, form);
    expect(follow.status).toBe(303);
    const next = (await findTicketByNumber(desk.deps.db, t.number + 1))!;
    expect(follow.location).toBe(await portal(next.id));
    // the same form sent again (a double click, Back and send) opens no second request
    const again = await b.post(`${await portal(t.id)}/reopen`, form);
    expect(again.location).toBe(await portal(next.id));
    expect(await findTicketByNumber(desk.deps.db, t.number + 2)).toBeUndefined();
    expect((await listTicketMessages(desk.deps.db, next.id)).filter((m) => m.bodyText === 'И опять')).toHaveLength(1);
    expect(await listTicketLinks(desk.deps.db, next.id)).toEqual([{ ticketId: t.id, kind: 'follow_up', direction: 'to' }]);
    expect((await getTicket(desk.deps.db, t.id)).status).toBe('resolved');
    expect((await b.get(follow.location!)).text).toContain('Мы открыли для вашего сообщения новую заявку');

    await addUser(desk.srv.services, 'manager', 'manager@desk.test', 'Maria Manager');
    const complaint = await b.post(`${await portal(next.id)}/escalate`, { reason: 'Третий раз одно и то же' });
    expect(complaint.status).toBe(303);
    expect((await getTicket(desk.deps.db, next.id)).escalatedAt).not.toBeNull();
    expect((await desk.deps.db.select().from(outbox).all()).filter((o) => o.event === 'escalated').map((o) => o.recipient)).toEqual(['manager@desk.test']);
    expect((await b.get(await portal(next.id))).text).toContain('Ваша жалоба у руководителя.');
  });

  it('refuses forged or unknown links', async () => {
    const t = await resolvedTicket();
    const b = desk.browser();
    expect((await b.get(`/portal/t${t.id}.aaaaaaaaaaaa`)).status).toBe(404);
    expect((await b.get(`/portal/${makePortalToken(desk.deps.secrets.token, { id: 999, portalNonce: '' }, desk.deps.clock.now())}`)).status).toBe(404);
    expect((await b.get('/portal/nonsense')).status).toBe(404);
  });
});
