// The REST API end to end over HTTP: tokens, tickets (list with the queue's filters and cursors,
// create, read with messages, patch, replies, notes, time), contacts, organizations with their
// contract, errors as JSON with stable codes — and every route documented in the OpenAPI file.
import { beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { listRoutes } from '../../helpers/routes.ts';
import { component } from '../../helpers/factories.ts';
import { useTestDesk } from '../../helpers/test-desk.ts';
import { createApiToken, revokeApiToken } from '../../../src/actions/api-tokens.ts';
import { createKbArticle, publishKbArticle } from '../../../src/actions/kb.ts';
import { createApp } from '../../../src/web/app.ts';
import { API_ROUTES } from '../../../src/web/api/routes.ts';
import { openApiPath } from '../../../src/web/api/openapi.ts';
import * as schemas from '../../../src/web/api/schemas.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { findTicketByNumber } from '../../../src/store/tickets.ts';
import { listAttachmentsForMessages, listTicketMessages } from '../../../src/store/messages.ts';
import type { User } from '../../../src/store/users.ts';

describe('REST API', () => {
  const desk = useTestDesk();
  let agent: User;
  let token: string;
  beforeEach(async () => {
    agent = await desk.person('Dmitry');
    token = (await createApiToken(desk.srv.services.ctx, agent, { name: 'test' })).token;
  });

  const api = async (method: string, path: string, body?: unknown, tok: string | null = token) => {
    const res = await fetch(`${desk.srv.url}/api/v1${path}`, {
      method,
      headers: { ...(tok ? { authorization: `Bearer ${tok}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, any>, headers: res.headers };
  };
  const valid = <T extends z.ZodTypeAny>(schema: T, value: unknown) => {
    const r = schema.safeParse(value);
    if (!r.success) throw new Error(`response does not match its documented schema: ${JSON.stringify(r.error.issues.slice(0, 3))}`);
    return r.data as z.infer<T>;
  };

  it('finds knowledge-base articles by word forms and reads one with its HTML', async () => {
    const boss = await desk.person('Olga', 'manager');
    const a = await createKbArticle(desk.srv.services.ctx, boss, { title: 'Принтер не печатает', body: 'Проверьте **бумагу**.', locale: 'ru', visibility: 'public' });
    await publishKbArticle(desk.srv.services.ctx, boss, a.id, true);
    await createKbArticle(desk.srv.services.ctx, boss, { title: 'VPN', body: 'Reconnect.' });
    const found = valid(schemas.page(schemas.kbArticleOut), (await api('GET', `/kb/articles?q=${encodeURIComponent('принтера')}`)).json);
    expect(found.data.map((x) => x.id)).toEqual([a.id]);
    expect(found.data[0]).toMatchObject({ status: 'published', visibility: 'public', locale: 'ru', html: '<p>Проверьте <strong>бумагу</strong>.</p>\n' });
    // agents write articles: drafts are listed for them
    expect((await api('GET', '/kb/articles')).json.data).toHaveLength(2);
    expect(valid(schemas.one(schemas.kbArticleOut), (await api('GET', `/kb/articles/${a.id}`)).json).data.title).toBe('Принтер не печатает');
    expect((await api('GET', '/kb/articles/999')).status).toBe(404);
  });

  it('opens a ticket, reads it with its messages, replies, notes, logs time and changes it', async () => {
    const printers = await component(desk.srv.services, 'Printers', [agent]);
    const created = await api('POST', '/tickets', { subject: 'Scanner offline', body: 'Since Monday.', requester_email: 'Ken@Acme.example', priority: 'high', component_id: printers.id });
    expect(created.status).toBe(201);
    const t = valid(schemas.one(schemas.ticketOut), created.json).data;
    expect(t).toMatchObject({ number: 1, subject: 'Scanner offline', priority: 'high', channel: 'api', status: 'new', component_id: printers.id });

    const reply = await api('POST', '/tickets/1/replies', { body: 'Please restart it.', cc: ['boss@acme.example'], attachments: [{ filename: 'steps.txt', content_type: 'text/plain', content_base64: Buffer.from('1. off 2. on').toString('base64') }] });
    expect(reply.status).toBe(201);
    expect(valid(schemas.one(schemas.messageOut), reply.json).data).toMatchObject({ kind: 'reply', direction: 'out', delivery_status: 'queued', cc: ['boss@acme.example'], attachments: [{ filename: 'steps.txt', size: 12 }] });
    const m = (await listTicketMessages(desk.deps.db, (await findTicketByNumber(desk.deps.db, 1))!.id)).find((x) => x.kind === 'reply' && x.direction === 'out')!;
    expect((await desk.srv.services.ctx.files.read('files', (await listAttachmentsForMessages(desk.deps.db, [m.id]))[0].sha256)).toString()).toBe('1. off 2. on');

    expect((await api('POST', '/tickets/1/notes', { body: 'Driver issue, I think.' })).status).toBe(201);
    const work = await api('POST', '/tickets/1/worklogs', { minutes: 25, note: 'Remote session', billable: false });
    expect(valid(schemas.one(schemas.worklogOut), work.json).data).toMatchObject({ minutes: 25, billable: false });

    const patched = await api('PATCH', '/tickets/1', { status: 'in_progress', assignee_id: agent.id, estimate_minutes: 60, category: 'fault' });
    expect(patched.status).toBe(200);
    expect(valid(schemas.one(schemas.ticketOut), patched.json).data).toMatchObject({ status: 'in_progress', assignee_id: agent.id, estimate_minutes: 60, logged_minutes: 25, category: 'fault' });

    const full = await api('GET', '/tickets/1');
    const data = valid(schemas.one(schemas.ticketWithMessagesOut), full.json).data;
    expect(data.messages.map((x) => x.kind)).toEqual(expect.arrayContaining(['reply', 'note', 'event']));
    expect(data.messages[0]).toMatchObject({ direction: 'in', body: 'Since Monday.' });
  });

  it('sets and clears a ticket\'s due date and planned time in ISO 8601, kept in its history', async () => {
    await api('POST', '/tickets', { subject: 'Install the printer', body: 'By Friday.', requester_email: 'ken@acme.example' });
    const set = await api('PATCH', '/tickets/1', { due_at: '2026-11-13T17:00:00+03:00', planned_at: '2026-11-12T07:00:00Z' });
    expect(set.status).toBe(200);
    expect(valid(schemas.one(schemas.ticketOut), set.json).data).toMatchObject({ due_at: '2026-11-13T14:00:00.000Z', planned_at: '2026-11-12T07:00:00.000Z' });
    const bad = await api('PATCH', '/tickets/1', { due_at: 'Friday' });
    expect(bad.status).toBe(422);
    expect(bad.json.error).toMatchObject({ code: 'validation', fields: { due_at: expect.any(String) } });
    expect((await api('PATCH', '/tickets/1', { due_at: '2026-11-13T17:00:00' })).status).toBe(422); // no offset: which zone?
    const cleared = await api('PATCH', '/tickets/1', { planned_at: null });
    expect(valid(schemas.one(schemas.ticketOut), cleared.json).data).toMatchObject({ due_at: '2026-11-13T14:00:00.000Z', planned_at: null });
    const events = valid(schemas.one(schemas.ticketWithMessagesOut), (await api('GET', '/tickets/1')).json).data.messages.filter((m) => m.kind === 'event');
    expect(events.map((m) => m.event_data)).toEqual(expect.arrayContaining([
      { changes: [{ field: 'dueAt', from: null, to: Date.parse('2026-11-13T14:00:00Z') }, { field: 'plannedAt', from: null, to: Date.parse('2026-11-12T07:00:00Z') }] },
      { changes: [{ field: 'plannedAt', from: Date.parse('2026-11-12T07:00:00Z'), to: null }] },
    ]));
  });

  it('lists tickets with the queue filters and keyset cursors, and searches text', async () => {
    for (let i = 0; i < 7; i++) await api('POST', '/tickets', { subject: `Printer ${i}`, body: i % 2 ? 'toner empty' : 'paper jam', requester_email: `u${i}@acme.example`, priority: i < 2 ? 'urgent' : 'normal' });
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await api('GET', `/tickets?view=all&sort=oldest&per_page=3${cursor ? `&cursor=${cursor}` : ''}`);
      const body = valid(schemas.page(schemas.ticketOut), page.json);
      seen.push(...body.data.map((t) => t.number));
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const urgent = await api('GET', '/tickets?priority=urgent&sort=priority');
    expect(urgent.json.data.map((t: { number: number }) => t.number)).toEqual([1, 2]);
    const toner = await api('GET', '/tickets?view=all&q=toner');
    expect(toner.json.data.map((t: { number: number }) => t.number).sort()).toEqual([2, 4, 6]);
    expect((await api('GET', '/tickets?per_page=500')).json.error).toMatchObject({ code: 'validation', fields: { per_page: expect.any(String) } });
    expect((await api('GET', '/tickets?cursor=garbage!')).json.error.code).toBe('validation');
  });

  it('searches as the console does: word forms, the best match first or the latest, snippets marked and escaped, fields, pages', async () => {
    const open = async (subject: string, body: string) => valid(schemas.one(schemas.ticketOut), (await api('POST', '/tickets', { subject, body, requester_email: 'anna@client.example' })).json).data;
    const printer = await open('Принтер не печатает', 'Принтер в бухгалтерии не печатает, принтер мигает <b>красным</b>.');
    desk.deps.clock.advance(60_000);
    const vpn = await open('VPN отключается', 'Кроме того, принтера нет в списке устройств, а VPN отключается каждый час и после обеда снова.');
    await open('Пароль', 'Не могу войти в почту.');
    const hits = async (query: string) => valid(schemas.page(schemas.searchHitOut), (await api('GET', `/search?${query}`)).json);

    const best = await hits(`q=${encodeURIComponent('принтеры')}`);
    expect(best.data.map((h) => h.ticket.number)).toEqual([printer.number, vpn.number]);
    expect(best.data[0].subject_html).toBe('<mark>Принтер</mark> не печатает');
    // the words around each match, the message's own markup escaped
    expect(best.data[0].snippet_html).toBe('<mark>Принтер</mark> в бухгалтерии не печатает, <mark>принтер</mark> мигает &lt;b&gt;красным&lt;/b&gt;.');
    expect(best.data[1].snippet_html).toMatch(/^Кроме того, <mark>принтера<\/mark> нет в списке/);
    expect(best.data.every((h) => h.message_id !== null)).toBe(true);
    const latest = await hits(`q=${encodeURIComponent('принтеры')}&order=date`);
    expect(latest.data.map((h) => h.ticket.number)).toEqual([vpn.number, printer.number]);

    // fields narrow the words, or select alone; a field the desk cannot place is refused, not ignored
    await api('PATCH', `/tickets/${printer.number}`, { status: 'resolved' });
    expect((await hits(`q=${encodeURIComponent('принтер status:open')}`)).data.map((h) => h.ticket.number)).toEqual([vpn.number]);
    expect((await hits(`q=${encodeURIComponent('status:resolved')}`)).data.map((h) => [h.ticket.number, h.snippet_html])).toEqual([[printer.number, null]]);
    const refused = await api('GET', `/search?q=${encodeURIComponent('принтер org:nowhere')}`);
    expect(refused.status).toBe(422);
    expect(refused.json.error).toMatchObject({ code: 'validation', fields: { q: expect.any(String) } });
    expect((await api('GET', `/search?q=${encodeURIComponent('-принтер')}`)).status).toBe(422);

    // one result a page, to the end, each once
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await hits(`q=${encodeURIComponent('принтер OR пароль')}&per_page=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...page.data.map((h) => h.ticket.number));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.sort()).toEqual([printer.number, vpn.number, 3].sort());
    expect((await api('GET', '/search?q=x', undefined, null)).status).toBe(401);
  });

  it('manages contacts and organizations with their contract fields', async () => {
    const boss = await desk.person('Olga', 'manager');
    const bossToken = (await createApiToken(desk.srv.services.ctx, boss, {})).token;
    const org = await api('POST', '/organizations', { name: 'Romashka', domains: ['romashka.ru'], contract: { monthly_fee_cents: 6_000_000, currency: 'RUB', included_minutes: 1200, reopen_limit: 2, covered_channels: ['email'] } }, bossToken);
    expect(org.status).toBe(201);
    const o = valid(schemas.one(schemas.organizationOut), org.json).data;
    expect(o.contract).toMatchObject({ monthly_fee_cents: 6_000_000, included_minutes: 1200, reopen_limit: 2, covered_channels: ['email'], hourly_rate_cents: null });
    const patched = await api('PATCH', `/organizations/${o.id}`, { contract: { hourly_rate_cents: 250_000 } }, bossToken);
    expect(patched.json.data.contract).toMatchObject({ monthly_fee_cents: 6_000_000, hourly_rate_cents: 250_000 });
    expect((await api('PATCH', `/organizations/${o.id}`, { contract: { reopen_limit: 5 } })).status).toBe(403); // agents only read

    const c = await api('POST', '/contacts', { name: 'Anna', emails: ['anna@romashka.ru'], phones: ['+7 912 345-67-89'], organization_id: o.id });
    const contact = valid(schemas.one(schemas.contactOut), c.json).data;
    expect(contact).toMatchObject({ emails: ['anna@romashka.ru'], phones: ['+79123456789'], organization_id: o.id });
    const edited = await api('PATCH', `/contacts/${contact.id}`, { locale: 'ru' });
    expect(edited.json.data).toMatchObject({ name: 'Anna', locale: 'ru', phones: ['+79123456789'] });
    const list = await api('GET', '/contacts?q=anna');
    expect(valid(schemas.page(schemas.contactOut), list.json).data.map((x) => x.id)).toEqual([contact.id]);
    const orgs = await api('GET', '/organizations');
    expect(valid(schemas.page(schemas.organizationOut), orgs.json).data).toHaveLength(1);
  });

  it('answers errors as JSON with stable codes', async () => {
    const none = await api('GET', '/tickets', undefined, null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(valid(schemas.errorOut, none.json).error.code).toBe('unauthenticated');
    expect((await api('GET', '/tickets', undefined, 'hd_not-a-real-token')).json.error.code).toBe('unauthenticated');
    expect((await api('GET', '/tickets/42')).json.error).toMatchObject({ code: 'not_found' });
    expect((await api('GET', '/nothing-here')).status).toBe(404);
    const bad = await api('POST', '/tickets', { subject: '', body: 'x', requester_email: 'nope' });
    expect(bad.status).toBe(422);
    expect(bad.json.error).toMatchObject({ code: 'validation', fields: { subject: expect.any(String), requester_email: expect.any(String) } });
    expect((await api('POST', '/tickets', '{"subject": ')).json.error.code).toBe('invalid_json');
    expect((await api('PATCH', '/tickets/1', { colour: 'red' })).status).toBe(404);
    await api('POST', '/tickets', { subject: 'x', body: 'y', requester_email: 'a@b.example' });
    expect((await api('PATCH', '/tickets/1', { colour: 'red' })).json.error.code).toBe('validation');
    desk.srv.services.ctx.hooks.validateChange.push((_tx, c) => {
      if (c.type === 'status' && c.to === 'resolved') throw new AppError('transition_refused', 'Log the time spent first');
    });
    const refused = await api('PATCH', '/tickets/1', { status: 'resolved', priority: 'low' });
    expect(refused.status).toBe(422);
    expect(refused.json.error).toEqual({ code: 'transition_refused', message: 'Log the time spent first' });
    expect((await findTicketByNumber(desk.deps.db, 1))!.priority).toBe('normal');
  });

  it('refuses a client after 100 bad tokens in 15 minutes, also with a good token, and says so', async () => {
    for (let i = 0; i < 100; i++) expect((await api('GET', '/tickets', undefined, `hd_guess-${i}`)).status).toBe(401);
    const limited = await api('GET', '/tickets', undefined, 'hd_guess-100');
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe('rate_limited');
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    // a good token still works: only failures are counted and refused
    expect((await api('GET', '/tickets')).status).toBe(200);
  });

  it('stops accepting a revoked token and never accepts a session cookie instead', async () => {
    const { token: t2, record } = await createApiToken(desk.srv.services.ctx, agent, {});
    expect((await api('GET', '/me', undefined, t2)).json.data).toMatchObject({ email: agent.email, role: 'agent' });
    await revokeApiToken(desk.srv.services.ctx, agent, record.id);
    expect((await api('GET', '/me', undefined, t2)).status).toBe(401);
    // a signed-in browser's cookies are no credential here (the API skips CSRF, so it must)
    const b = await desk.signIn(agent);
    expect((await b.get('/api/v1/me')).status).toBe(401);
  });

  it('serves an OpenAPI 3.1 document that describes every API route', async () => {
    const doc = (await (await fetch(`${desk.srv.url}/api/v1/openapi.json`)).json()) as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown>; parameters: { name: string }[] }>> };
    expect(doc.openapi).toBe('3.1.0');
    const app = await createApp(desk.srv.services.ctx, desk.srv.services.web);
    const served = listRoutes(app).filter((r) => r.path.startsWith('/api/v1/')).map((r) => `${r.method.toLowerCase()} ${openApiPath(r.path.slice('/api/v1'.length))}`);
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    expect(served.length).toBeGreaterThan(10);
    expect(served.filter((r) => !documented.includes(r)), 'undocumented routes').toEqual([]);
    expect(documented.filter((d) => !served.includes(d)), 'documented but not served').toEqual([]);
    expect(doc.paths['/tickets'].get.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['view', 'status', 'q', 'per_page', 'cursor']));
    for (const r of API_ROUTES) expect(doc.paths[openApiPath(r.path)][r.method].responses).toHaveProperty('401');
  });
});
