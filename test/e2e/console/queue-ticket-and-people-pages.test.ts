// The console over HTTP as a browser without JavaScript uses it (forms, 303s, 422s), plus the
// htmx regions: queue views and filters, saved views, bulk changes, the "N new" poll, the ticket
// page's forms, presence, canned replies, search, people pages, profile and language.
import { beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { Browser, startTestServer } from '../../helpers/web.ts';
import { component, PASSWORD, person, ticket } from '../../helpers/factories.ts';
import { useTestDesk } from '../../helpers/test-desk.ts';
import { createCannedReply } from '../../../src/actions/canned-replies.ts';
import { createContact } from '../../../src/actions/contacts.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { findTicketByNumber, listParticipants, type Ticket } from '../../../src/store/tickets.ts';
import { listAttachmentsForMessages, listTicketMessages } from '../../../src/store/messages.ts';
import { listTicketWorklogs } from '../../../src/store/worklogs.ts';
import { listSavedViews } from '../../../src/store/saved-views.ts';
import { findUserByEmail } from '../../../src/store/users.ts';
import { listApiTokens } from '../../../src/store/api-tokens.ts';
import type { User } from '../../../src/store/users.ts';

describe('console', () => {
  const desk = useTestDesk();
  let agent: User;
  let boss: User;
  beforeEach(async () => {
    agent = await desk.person('Dmitry Ivanov');
    boss = await desk.person('Olga Smirnova', 'manager');
  });
  const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=').replace(/&#x27;/g, "'").replace(/&quot;/g, '"');
  const rows = (html: string) => [...html.matchAll(/<tr class="[^"]*" data-ticket="(\d+)"/g)].map((m) => Number(m[1]));

  it('shows the queues: unassigned, mine, my components, pending, resolved — with tab counts', async () => {
    const printers = await component(desk.srv.services, 'Printers', [agent]);
    const t1 = await ticket(desk.srv.services, boss, { subject: 'Unassigned one' });
    const t2 = await ticket(desk.srv.services, boss, { subject: 'Printer for Dmitry', componentId: printers.id });
    const b = await desk.signIn(agent);
    await b.post(`/tickets/${t2.number}/assign`, { assigneeId: 'me' });
    await b.post(`/tickets/${t1.number}/status`, { status: 'pending_requester' });
    expect(rows((await b.get('/tickets?view=unassigned')).text)).toEqual([t1.number]);
    expect(rows((await b.get('/tickets?view=mine')).text)).toEqual([t2.number]);
    expect(rows((await b.get('/tickets?view=components')).text)).toEqual([t2.number]);
    expect(rows((await b.get('/tickets?view=pending')).text)).toEqual([t1.number]);
    await b.post(`/tickets/${t2.number}/status`, { status: 'resolved' });
    const resolved = await b.get('/tickets?view=resolved');
    expect(rows(resolved.text)).toEqual([t2.number]);
    expect(resolved.text).toMatch(/Mine <span class="count">0<\/span>/);
    expect(resolved.text).toMatch(/Unassigned <span class="count">1<\/span>/);
  });

  it('sorts by clicking a column, priority and SLA due in every view, and says what to do when a list is empty', async () => {
    const b = await desk.signIn(agent);
    // empty lists say why and what to do
    expect((await b.get('/tickets?view=mine')).text).toContain('Nothing assigned to you. Take a ticket from Unassigned');
    expect((await b.get('/tickets?view=all')).text).toContain('No tickets yet. Connect a mailbox');
    const low = await ticket(desk.srv.services, boss, { subject: 'Low one', priority: 'low' });
    const urgent = await ticket(desk.srv.services, boss, { subject: 'Urgent one', priority: 'urgent' });
    const normal = await ticket(desk.srv.services, boss, { subject: 'Normal one', priority: 'normal' });
    const filtered = (await b.get('/tickets?view=open&priority=high')).text;
    expect(filtered).toContain('No tickets match these filters.');
    expect(unescape(filtered)).toContain('<a class="button" href="/tickets?view=open">Clear filters</a>');

    await b.post(`/tickets/${urgent.number}/status`, { status: 'resolved' });
    await b.post(`/tickets/${low.number}/status`, { status: 'resolved' });
    const heads = (html: string) => Object.fromEntries([...html.matchAll(/<th scope="col" class="[^"]*"(?: aria-sort="(\w+)")?><a href="([^"]+)" class="sort[^"]*">([^<]+)<\/a><\/th>/g)].map((m) => [m[3], { href: unescape(m[2]), sort: m[1] ?? null }]));
    for (const view of ['open', 'resolved', 'all']) {
      const h = heads((await b.get(`/tickets?view=${view}`)).text);
      expect(h['Updated'], view).toEqual({ href: `/tickets?view=${view}`, sort: 'descending' });
      expect(h['Priority'].href, view).toBe(`/tickets?view=${view}&sort=priority`);
      expect(h['Time left'].href, view).toBe(`/tickets?view=${view}&sort=due`);
      expect(h['#'].href, view).toBe(`/tickets?view=${view}&sort=created`);
    }
    const byPriority = (await b.get('/tickets?view=all&sort=priority')).text;
    expect(rows(byPriority)).toEqual([urgent.number, normal.number, low.number]);
    expect(heads(byPriority)['Priority'].sort).toBe('ascending');
    expect(rows((await b.get('/tickets?view=resolved&sort=priority')).text)).toEqual([urgent.number, low.number]);
    // the number column toggles newest and oldest first
    const newest = (await b.get('/tickets?view=all&sort=created')).text;
    expect(rows(newest)).toEqual([normal.number, urgent.number, low.number]);
    expect(heads(newest)['#'].href).toBe('/tickets?view=all&sort=oldest');
    // a text search orders by match: no sort links then
    expect(heads((await b.get('/tickets?view=all&q=one')).text)).toEqual({});
  });

  it('filters through the URL, saves the view, pages with a cursor', async () => {
    for (let i = 1; i <= 60; i++) await ticket(desk.srv.services, boss, { subject: `Ticket ${i}`, priority: i % 3 === 0 ? 'urgent' : 'normal' });
    const b = await desk.signIn(boss);
    const urgent = await b.get('/tickets?view=open&priority=urgent&sort=oldest');
    expect(rows(urgent.text)).toEqual(Array.from({ length: 20 }, (_, i) => (i + 1) * 3));
    expect(urgent.text).toContain('<option value="urgent" selected>');
    const saved = await b.post('/views', { name: 'Urgent first', query: 'view=open&priority=urgent&sort=oldest' });
    expect(saved.location).toBe('/tickets?view=open&priority=urgent&sort=oldest');
    expect((await listSavedViews(desk.deps.db, boss.id)).map((v) => v.name)).toEqual(['Urgent first']);
    expect((await b.get('/tickets')).text).toContain('Urgent first');
    const first = await b.get('/tickets?view=open');
    expect(rows(first.text)).toHaveLength(50);
    const next = unescape(/href="(\/tickets\?view[^"]+cursor[^"]+)"/.exec(first.text)![1]);
    const second = await b.get(next, { 'HX-Request': 'true' });
    expect(second.text.startsWith('<section id="ticket-list">')).toBe(true);
    expect(rows(second.text)).toEqual(Array.from({ length: 10 }, (_, i) => 10 - i));
  });

  it('the poll tells how many tickets are new or changed in the view since the page was drawn', async () => {
    const b = await desk.signIn(agent);
    await ticket(desk.srv.services, boss);
    const page = await b.get('/tickets?view=unassigned');
    const poll = unescape(/hx-get="(\/tickets\/poll\?[^"]+)"/.exec(page.text)![1]);
    expect((await b.get(poll, { 'HX-Request': 'true' })).text).not.toContain('new:');
    desk.deps.clock.advance(60_000);
    await ticket(desk.srv.services, boss, { subject: 'Fresh one' });
    await ticket(desk.srv.services, boss, { subject: 'Another' });
    const after = await b.get(poll, { 'HX-Request': 'true' });
    expect(after.text).toContain('new: 2');
    expect(after.text).toContain('hx-trigger="every 15s"');
    expect((await b.get(poll)).status).toBe(303); // without htmx: the queue itself
  });

  it('changes many tickets at once and says what it could not change', async () => {
    const ts = [await ticket(desk.srv.services, boss), await ticket(desk.srv.services, boss), await ticket(desk.srv.services, boss)];
    desk.srv.services.ctx.hooks.validateChange.push((_tx, c) => {
      if (c.type === 'status' && c.ticket.id === ts[2].id) throw new AppError('transition_refused', 'Needs a component');
    });
    const b = await desk.signIn(boss);
    const body = new URLSearchParams({ back: '/tickets?view=open', action: 'status', status: 'in_progress', assigneeId: 'me', priority: 'low' });
    for (const t of ts) body.append('ids', String(t.id));
    const res = await b.postParams('/tickets/bulk', body);
    expect(res.status).toBe(303);
    expect(res.location).toBe('/tickets?view=open');
    expect(await Promise.all(ts.map(async (t) => (await findTicketByNumber(desk.deps.db, t.number))!.status))).toEqual(['in_progress', 'in_progress', 'new']);
    const flash = await b.get('/tickets?view=open');
    expect(flash.text).toContain(`Changed 2 tickets; 1 left as they were: #${ts[2].number}: Needs a component`);

    // the bar's choices start empty, and pressing a button without choosing changes nothing
    for (const name of ['assigneeId', 'status', 'priority']) {
      expect(flash.text).toMatch(new RegExp(`<select name="${name}">\\s*<option value="" selected>— choose —</option>`));
    }
    const assigned = ts[0];
    await b.post(`/tickets/${assigned.number}/assign`, { assigneeId: 'me' });
    for (const [action, what] of [['assign', 'whom to assign the tickets to'], ['status', 'a status'], ['priority', 'a priority']]) {
      const empty = new URLSearchParams({ back: '/tickets?view=open', action, status: '', assigneeId: '', priority: '' });
      for (const t of ts) empty.append('ids', String(t.id));
      expect((await b.postParams('/tickets/bulk', empty)).status).toBe(303);
      expect((await b.get('/tickets?view=open')).text).toContain(`Nothing changed: choose ${what} first.`);
    }
    expect(await Promise.all(ts.map(async (t) => (await findTicketByNumber(desk.deps.db, t.number))!)).then((r) => r.map((t) => [t.status, t.priority, t.assigneeId])))
      .toEqual([['in_progress', 'normal', boss.id], ['in_progress', 'normal', null], ['new', 'normal', null]]);
    // unassigning is a choice of its own
    const none = new URLSearchParams({ back: '/tickets?view=open', action: 'assign', assigneeId: 'none' });
    none.append('ids', String(assigned.id));
    await b.postParams('/tickets/bulk', none);
    expect((await findTicketByNumber(desk.deps.db, assigned.number))!.assigneeId).toBeNull();
  });

  it('the properties form shows a refused status change (422) with what was chosen still selected', async () => {
    const printers = await component(desk.srv.services, 'Printers', [agent]);
    const t = await ticket(desk.srv.services, boss);
    desk.srv.services.ctx.hooks.validateChange.push((_tx, c) => {
      if (c.type === 'status' && c.to === 'resolved') throw new AppError('transition_refused', 'Log the time spent before resolving');
    });
    const b = await desk.signIn(agent);
    const r = await b.post(`/tickets/${t.number}/properties`, { status: 'resolved', priority: 'urgent', type: 'problem', category: 'fault', componentId: String(printers.id), assigneeId: String(agent.id), reason: 'fixed it' });
    expect(r.status).toBe(422);
    expect(r.text).toContain('Log the time spent before resolving');
    expect(r.text).toContain('<option value="resolved" selected>');
    expect(r.text).toContain('<option value="urgent" selected>');
    expect(r.text).toContain(`<option value="${printers.id}" selected>`);
    expect(r.text).toContain('value="fixed it"');
    expect(await findTicketByNumber(desk.deps.db, t.number)).toMatchObject({ status: 'new', priority: 'normal', componentId: null });
    const ok = await b.post(`/tickets/${t.number}/properties`, { status: 'in_progress', priority: 'urgent', type: 'problem', category: 'fault', componentId: String(printers.id), assigneeId: 'me' });
    expect(ok.status).toBe(303);
    expect(await findTicketByNumber(desk.deps.db, t.number)).toMatchObject({ status: 'in_progress', priority: 'urgent', componentId: printers.id, assigneeId: agent.id, category: 'fault' });
  });

  it('sends a reply with CC and attachments (multipart) and can set the status after it', async () => {
    const t = await ticket(desk.srv.services, boss);
    const b = await desk.signIn(agent);
    await b.get(`/tickets/${t.number}`);
    const r = await b.postMultipart(`/tickets/${t.number}/replies`, { body: 'Please restart the printer.', cc: 'boss@client.example', statusAfter: 'pending_requester' }, [
      { field: 'attachments', name: 'инструкция.pdf', type: 'application/pdf', content: Buffer.from('%PDF-1.4 fake') },
    ]);
    expect(r.status).toBe(303);
    const after = (await findTicketByNumber(desk.deps.db, t.number))!;
    expect(after.status).toBe('pending_requester');
    const reply = (await listTicketMessages(desk.deps.db, t.id)).find((m) => m.direction === 'out')!;
    expect(reply).toMatchObject({ bodyText: 'Please restart the printer.', deliveryStatus: 'queued', ccAddresses: ['boss@client.example'] });
    expect(await listAttachmentsForMessages(desk.deps.db, [reply.id])).toMatchObject([{ filename: 'инструкция.pdf', size: 13 }]);
    expect(await listParticipants(desk.deps.db, t.id)).toEqual(['boss@client.example']);
    // without the token (a forged cross-site upload) nothing happens
    const forged = await fetch(`${desk.srv.url}/tickets/${t.number}/replies`, { method: 'POST', body: new FormData(), redirect: 'manual' });
    expect(forged.status).toBe(403);
  });

  /** A desk of its own with small upload limits: an agent signed in on a ticket's page. */
  const withSmallDesk = async (env: Record<string, string>, fn: (d: { db: TestDeps['db']; b: Browser; t: Ticket }) => Promise<void>) => {
    const small = await makeTestDeps(env);
    const smallSrv = await startTestServer(small);
    try {
      const sender = await person(smallSrv.services, 'Dmitry Ivanov');
      const t = await ticket(smallSrv.services, sender);
      const b = new Browser(smallSrv.url);
      await b.login(sender.email, PASSWORD);
      await b.get(`/tickets/${t.number}`);
      await fn({ db: small.db, b, t });
    } finally {
      await smallSrv.close();
      small.close();
    }
  };

  it('keeps the reply text when an attachment is too large', async () => {
    await withSmallDesk({ MAX_ATTACHMENT_BYTES: '1000' }, async ({ db, b, t }) => {
      const r = await b.postMultipart(`/tickets/${t.number}/replies`, { body: 'Here is the log', cc: '' }, [{ field: 'attachments', name: 'big.log', type: 'text/plain', content: Buffer.alloc(5000, 'x') }]);
      expect(r.status).toBe(422);
      expect(r.text).toContain('larger than the');
      expect(r.text).toContain('>Here is the log</textarea>');
      expect((await listTicketMessages(db, t.id)).filter((m) => m.direction === 'out')).toHaveLength(0);
    });
  });

  it('refuses a form whose files together exceed MAX_MAIL_BYTES, keeping the reply text; within it, every file is sent', async () => {
    await withSmallDesk({ MAX_ATTACHMENT_BYTES: '1000', MAX_MAIL_BYTES: '1500' }, async ({ db, b, t }) => {
      const file = (name: string) => ({ field: 'attachments', name, type: 'text/plain', content: Buffer.alloc(600, 'x') });
      const r = await b.postMultipart(`/tickets/${t.number}/replies`, { body: 'Three logs', cc: '' }, [file('a.log'), file('b.log'), file('c.log')]);
      expect(r.status).toBe(422);
      expect(r.text).toContain('The files together are larger than the');
      expect(r.text).toContain('>Three logs</textarea>');
      expect((await listTicketMessages(db, t.id)).filter((m) => m.direction === 'out')).toHaveLength(0);
      await b.get(`/tickets/${t.number}`);
      const ok = await b.postMultipart(`/tickets/${t.number}/replies`, { body: 'Two logs', cc: '' }, [file('a.log'), file('b.log')]);
      expect(ok.status).toBe(303);
      const [sent] = (await listTicketMessages(db, t.id)).filter((m) => m.direction === 'out');
      expect((await listAttachmentsForMessages(db, [sent.id])).map((a) => [a.filename, a.size])).toEqual([['a.log', 600], ['b.log', 600]]);
    });
  });

  it('inserts a canned reply with the ticket\'s values, as an htmx region and as a page', async () => {
    const c = await createCannedReply(desk.srv.services.ctx, boss, { title: 'Restart', body: 'Hello {{requester.name}}, about #{{ticket.number}}. {{agent.name}}' });
    const t = await ticket(desk.srv.services, boss);
    const b = await desk.signIn(agent);
    const region = await b.get(`/tickets/${t.number}/canned?id=${c.id}&body=${encodeURIComponent('I checked.')}`, { 'HX-Request': 'true' });
    expect(region.text.startsWith('<form id="reply-form"')).toBe(true);
    expect(region.text).toContain(`I checked.\n\nHello Anna Petrova, about #${t.number}. Dmitry Ivanov</textarea>`);
    const page = await b.get(`/tickets/${t.number}/canned?id=${c.id}&body=&cc=`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<!doctype html>');
    expect(page.text).toContain(`Hello Anna Petrova, about #${t.number}. Dmitry Ivanov</textarea>`);
  });

  it('logs time with the words people type, sets the estimate, and shows it all', async () => {
    const t = await ticket(desk.srv.services, boss);
    const b = await desk.signIn(agent);
    expect((await b.post(`/tickets/${t.number}/estimate`, { estimate: '2h' })).status).toBe(303);
    expect((await b.post(`/tickets/${t.number}/worklogs`, { minutes: '1h 30m', note: 'Cleaned the rollers', billable: 'on' })).status).toBe(303);
    const bad = await b.post(`/tickets/${t.number}/worklogs`, { minutes: 'a while', note: 'keep me' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('value="keep me"');
    expect(await findTicketByNumber(desk.deps.db, t.number)).toMatchObject({ estimateMinutes: 120, loggedMinutes: 90 });
    expect(await listTicketWorklogs(desk.deps.db, t.id)).toMatchObject([{ minutes: 90, note: 'Cleaned the rollers', billable: true }]);
    const page = await b.get(`/tickets/${t.number}`);
    expect(page.text).toContain('1 h 30 min');
    expect(page.text).toContain('Dmitry Ivanov logged 1 h 30 min');
  });

  it('assigns to a free specialist, links and merges tickets from the page', async () => {
    const sarah = await desk.person('Sarah Lee');
    const printers = await component(desk.srv.services, 'Printers', [agent, sarah]);
    await ticket(desk.srv.services, boss, { componentId: printers.id }); // keeps Dmitry busy once assigned
    const t = await ticket(desk.srv.services, boss, { componentId: printers.id });
    const dup = await ticket(desk.srv.services, boss, { subject: 'Same printer' });
    const b = await desk.signIn(boss);
    await b.post('/tickets/1/assign', { assigneeId: String(agent.id) });
    const r = await b.post(`/tickets/${t.number}/assign-free`, {});
    expect(r.status).toBe(303);
    expect((await findTicketByNumber(desk.deps.db, t.number))!.assigneeId).toBe(sarah.id);
    expect((await b.get(`/tickets/${t.number}`)).text).toContain('Assigned to Sarah Lee.');
    expect((await b.post(`/tickets/${t.number}/links`, { number: '#1' })).status).toBe(303);
    expect((await b.get(`/tickets/${t.number}`)).text).toMatch(/Related:<\/span>\s*<a href="\/tickets\/1">#1<\/a>/);
    expect((await b.post(`/tickets/${dup.number}/merge`, { number: '999', understood: 'on' })).status).toBe(422);
    const merged = await b.post(`/tickets/${dup.number}/merge`, { number: String(t.number), understood: 'on' });
    expect(merged.location).toBe(`/tickets/${t.number}`);
    expect((await b.get(`/tickets/${dup.number}`)).text).toContain('This ticket was merged into');
  });

  it('shows who else is viewing or replying, from the presence poll', async () => {
    const t = await ticket(desk.srv.services, boss);
    const olga = await desk.signIn(boss);
    const dmitry = await desk.signIn(agent);
    await olga.get(`/tickets/${t.number}/presence?mode=replying`, { 'HX-Request': 'true' });
    const banner = await dmitry.get(`/tickets/${t.number}/presence`, { 'HX-Request': 'true' });
    expect(banner.text).toContain('Olga Smirnova is writing a reply.');
    expect((await olga.get(`/tickets/${t.number}/presence`, { 'HX-Request': 'true' })).text).toContain('Also looking at this ticket: Dmitry Ivanov.');
    desk.deps.clock.advance(60_000);
    expect((await dmitry.get(`/tickets/${t.number}/presence`, { 'HX-Request': 'true' })).text).not.toContain('Olga');
  });

  it('searches subjects and messages with highlights, and jumps to a ticket by number', async () => {
    await ticket(desk.srv.services, boss, { subject: 'VPN error 809', body: 'The <script>alert(1)</script> VPN client fails' });
    await ticket(desk.srv.services, boss, { subject: 'Printer', body: 'nothing to see' });
    const b = await desk.signIn(agent);
    const r = await b.get('/search?q=vpn');
    // the searched words are marked in the subject too
    expect(r.text).toContain('<mark>VPN</mark> error 809');
    expect(r.text).toContain('<mark>VPN</mark>');
    expect(r.text).not.toContain('<script>alert(1)');
    expect(r.text).toContain('&lt;script&gt;');
    expect((await b.get('/search?q=%232')).headers.get('location')).toBe('/tickets/2');
    const none = unescape((await b.get('/search?q=nomatchhere')).text);
    expect(none).toContain('Nothing found for “nomatchhere”.');
    expect(none).toContain('<a href="/search?q=nomatchhe*">the beginning of the word: nomatchhe*</a>');
    expect(none).toContain('a ticket number, e.g. #123, opens that ticket');

    // one search box: the top bar's, leading here; the results page narrows with the queue's filters
    const queue = (await b.get('/tickets')).text;
    expect(queue).toContain('<form class="quick-search" method="get" action="/search" role="search">');
    expect(queue).not.toMatch(/<nav class="nav"[^]*?href="\/search"[^]*?<\/nav>/);
    expect((await b.get('/search?q=vpn&priority=urgent')).text).not.toContain('</mark> error 809');
    const narrowed = (await b.get('/search?q=vpn&priority=normal')).text;
    expect(narrowed).toContain('<mark>VPN</mark> error 809');
    expect(narrowed).toContain('<option value="normal" selected>');
    // an open-only search that finds nothing offers all tickets and no filters
    await b.post(`/tickets/1/status`, { status: 'resolved' });
    const open = unescape((await b.get('/search?q=vpn&scope=open&priority=normal')).text);
    expect(open).toContain('<a href="/search?q=vpn">searching all tickets, closed ones too</a>');
    expect(open).toContain('<a href="/search?q=vpn&scope=open">the same words without the filters</a>');
  });

  it('searches every form of a word, with phrases, OR, exclusions and fields, and says which field it could not place', async () => {
    expect((await (await desk.signIn(boss)).post('/organizations', { name: 'ООО «Ромашка»', domains: 'romashka.example' })).status).toBe(303);
    const t1 = await ticket(desk.srv.services, boss, { subject: 'Принтер не печатает', body: 'На экране принтера ошибка замятия бумаги.', requesterEmail: 'anna@romashka.example' });
    const t2 = await ticket(desk.srv.services, boss, { subject: 'Заказ картриджей', body: 'Нужны картриджи для принтеров, тонер закончился.', requesterEmail: 'boris@other.example' });
    const t3 = await ticket(desk.srv.services, boss, { subject: 'Paper jam in the printer', body: 'The printers on floor 2 jam.', requesterEmail: 'boris@other.example' });
    const b = await desk.signIn(agent);
    const found = async (q: string, extra = '') => [...(await b.get(`/search?q=${encodeURIComponent(q)}${extra}`)).text.matchAll(/<li class="result" data-ticket="(\d+)">/g)].map((m) => Number(m[1]));
    // other forms of the words
    expect((await found('принтера')).sort()).toEqual([t1.number, t2.number].sort());
    expect(await found('ошибки')).toEqual([t1.number]);
    expect(await found('printers jammed')).toEqual([t3.number]);
    const marked = (await b.get(`/search?q=${encodeURIComponent('принтеры')}`)).text;
    expect(marked).toContain('<mark>принтера</mark>');
    // phrases, OR, exclusions; best match first, or the latest first
    expect(await found('"paper jam"')).toEqual([t3.number]);
    expect(await found('"jam paper"')).toEqual([]);
    expect((await found('тонер OR бумаги')).sort()).toEqual([t1.number, t2.number].sort());
    expect(await found('принтер -картриджи')).toEqual([t1.number]);
    expect((await found('принтер', '&order=date'))[0]).toBe(t2.number);
    expect((await found('принтер'))[0]).toBe(t1.number);
    // fields narrow the search, or list what they select
    expect(await found('принтер org:ромашка')).toEqual([t1.number]);
    expect(await found('from:other.example')).toEqual([t3.number, t2.number]);
    expect(await found('from:anna@romashka.example принтер')).toEqual([t1.number]);
    expect(await found('printer status:open')).toEqual([t3.number]);
    await b.post(`/tickets/${t3.number}/status`, { status: 'resolved' });
    expect(await found('printer status:open')).toEqual([]);
    expect(await found('printer status:resolved')).toEqual([t3.number]);
    expect(await found(`принтер after:${new Date(desk.deps.clock.now() + 86_400_000).toISOString().slice(0, 10)}`)).toEqual([]);
    const unknown = unescape((await b.get(`/search?q=${encodeURIComponent('принтер org:ландыш')}`)).text);
    expect(unknown).toContain('org:ландыш: nothing of that name, so nothing was searched.');
    expect(unknown).not.toContain('data-ticket=');
    expect(unescape((await b.get('/search?q=printer+before:30.11.2026')).text)).toContain('before:30.11.2026: write the date as 2026-11-30.');
    // exclusions alone look for nothing, and say so
    const nothing = unescape((await b.get(`/search?q=${encodeURIComponent('-принтер')}`)).text);
    expect(nothing).toContain('-принтер: nothing to look for');
    expect(nothing).not.toContain('data-ticket=');
    // a prefix reaching past a word's stem (печатает → печата)
    expect(await found('печатае*')).toEqual([t1.number]);
    // the syntax is explained on the page
    expect((await b.get('/search')).text).toContain('<code>"paper jam"</code>');
  });

  it('edits contacts and organizations; agents see the contract read-only; a phone offers "Send SMS"', async () => {
    const b = await desk.signIn(boss);
    const org = await b.post('/organizations', { name: 'Acme', domains: 'acme.example', monthlyFee: '1 500,50', currency: 'usd', includedMinutes: '600', reopenLimit: '1', coveredChannels: 'email' });
    expect(org.status).toBe(303);
    const orgPage = await b.get(org.location!);
    expect(orgPage.text).toContain('value="1500.50"');
    expect(orgPage.text).toContain('value="USD"');
    const bad = await b.post('/organizations', { name: 'Acme', monthlyFee: 'lots' });
    expect(bad.status).toBe(422);
    const contact = await b.post('/contacts', { name: 'Ken Tanaka', emails: 'ken@acme.example', phones: '+1 415 555 2671', organizationId: org.location!.split('/').pop()! });
    expect(contact.status).toBe(303);
    const page = await b.get(contact.location!);
    expect(page.text).toContain(`href="/sms/new?contact=${contact.location!.split('/').pop()}"`);
    expect(page.text).toContain('+14155552671');
    const a = await desk.signIn(agent);
    const ro = await a.get(org.location!);
    expect(ro.text).toMatch(/<fieldset disabled/);
  });

  it('dates follow the user\'s time zone and the profile switches the language to Russian', async () => {
    const t = await ticket(desk.srv.services, boss); // created 2026-11-02 09:00 UTC
    const b = await desk.signIn(agent);
    expect((await b.get(`/tickets/${t.number}`)).text).toContain('Nov 2, 2026, 9:00 AM');
    const r = await b.post('/profile', { name: 'Дмитрий Иванов', locale: 'ru', timeZone: 'Asia/Yekaterinburg', available: 'on' });
    expect(r.status).toBe(303);
    const ru = await b.get(`/tickets/${t.number}`);
    expect(ru.text).toContain('<html lang="ru">');
    expect(ru.text).toContain('Свойства');
    expect(ru.text).toContain('14:00'); // 09:00 UTC in Yekaterinburg (UTC+5)
    expect(await findUserByEmail(desk.deps.db, agent.email)).toMatchObject({ locale: 'ru', timeZone: 'Asia/Yekaterinburg' });
  });

  it('makes API tokens on the profile page (shown once) and revokes them', async () => {
    const b = await desk.signIn(agent);
    const r = await b.post('/profile/tokens', { name: 'monitoring' });
    expect(r.status).toBe(200);
    const token = /<code class="token" data-copy>(hd_[^<]+)<\/code>/.exec(r.text)![1];
    expect((await fetch(`${desk.srv.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const again = await b.get('/profile');
    expect(again.text).not.toContain(token);
    expect(again.text).toContain(token.slice(0, 10));
    const id = (await listApiTokens(desk.deps.db, { userId: agent.id }))[0].id;
    await b.post(`/profile/tokens/${id}/revoke`, {});
    expect((await fetch(`${desk.srv.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('people pages: the admin adds an agent, managers keep components and canned replies', async () => {
    const root = await desk.person('Root', 'admin');
    const a = await desk.signIn(root);
    const add = await a.post('/admin/users', { name: 'Pavel Orlov', email: 'pavel@desk.test', password: 'long enough password', role: 'agent', locale: 'ru', timeZone: 'Europe/Moscow', active: 'on', available: 'on' });
    expect(add.status).toBe(303);
    const pavel = (await findUserByEmail(desk.deps.db, 'pavel@desk.test'))!;
    const m = await desk.signIn(boss);
    const comp = await m.post('/components', { name: '1C', managerId: String(boss.id), agentIds: String(pavel.id), autoAssign: 'least_loaded', keywords: '1c, 1с', active: 'on' });
    expect(comp.status).toBe(303);
    expect((await m.get('/components')).text).toContain('Pavel Orlov');
    expect((await m.post('/canned', { title: 'Thanks', body: 'Thank you, {{requester.name}}!' })).status).toBe(303);
    expect((await m.get('/canned')).text).toContain('Thanks');
    const t = await ticket(desk.srv.services, boss, { componentId: Number(comp.location!.split('/').pop()) });
    expect(t.assigneeId).toBe(pavel.id);
    await createContact(desk.srv.services.ctx, boss, { name: 'Zed', emails: ['zed@x.example'] });
    expect((await m.get('/contacts?q=zed')).text).toContain('Zed');
  });
});
