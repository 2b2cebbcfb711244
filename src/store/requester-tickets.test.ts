// The portal's search over a requester's own requests, on both engines: word forms and the search
// syntax, what the viewer may see (their own tickets, a designated contact's colleagues' too, never
// a stranger's), only the public conversation (never a note or an automatic reply), resolved ones
// alone when asked, the best match first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { addUser } from '../../test/helpers/web.ts';
import { addNote, createTicket, replyToTicket } from '../actions/tickets.ts';
import { resolveTicket } from '../actions/resolution.ts';
import { messages, organizations } from '../db/schema.ts';
import { buildServices, type Services } from '../services.ts';
import { insertContact, updateContact, type Contact } from './contacts.ts';
import { requesterSearchFilter } from '../domain/requester-search.ts';
import { parseSearch } from '../domain/search-query.ts';
import { searchRequesterTickets, type Viewer } from './requester-tickets.ts';
import { MARK_END, MARK_START } from './search.ts';
import type { Ticket } from './tickets.ts';

describe('portal search of a requester’s requests', () => {
  let deps: TestDeps;
  let services: Services;
  let anna: Contact;
  let chief: Contact;
  const t: Record<string, Ticket> = {};

  beforeAll(async () => {
    deps = await makeTestDeps();
    services = buildServices(deps);
    const ctx = services.ctx;
    const agent = await addUser(services, 'agent');
    const now = deps.clock.now();
    const orgId = (await deps.db.insert(organizations).values({ name: 'Romashka', createdAt: now, updatedAt: now }).returning())[0].id;
    anna = await insertContact(deps.db, { name: 'Anna', organizationId: orgId, emails: ['anna@romashka.example'] }, now);
    const boris = await insertContact(deps.db, { name: 'Boris', organizationId: orgId, emails: ['boris@romashka.example'] }, now);
    chief = await insertContact(deps.db, { name: 'Chief', organizationId: orgId, emails: ['chief@romashka.example'] }, now);
    await updateContact(deps.db, chief.id, { seesOrganizationRequests: true }, now);
    chief = { ...chief, seesOrganizationRequests: true };
    const stranger = await insertContact(deps.db, { name: 'Stranger', emails: ['x@elsewhere.example'] }, now);
    const open = async (key: string, c: Contact, subject: string, body: string) => {
      deps.clock.advance(60_000);
      t[key] = await createTicket(ctx, { kind: 'contact', contactId: c.id }, { subject, body, requesterContactId: c.id });
    };
    const user = { kind: 'user' as const, user: agent };
    await open('printer', anna, 'Принтер не печатает', 'Принтер в бухгалтерии молчит с утра');
    await open('vpn', anna, 'VPN drops every hour', 'The VPN disconnects; printing from home fails too');
    await replyToTicket(ctx, user, { ticketId: t.vpn.id, body: 'Please reinstall the VPN client from the portal' });
    await open('mail', anna, 'Mailbox full', 'I cannot send mail');
    await addNote(ctx, user, { ticketId: t.mail.id, body: 'Secret: her archive holds the quokka files' });
    await resolveTicket(ctx, user, { ticketId: t.mail.id, note: 'Archived the old mail; the mailbox has room again' });
    deps.clock.advance(60_000);
    await resolveTicket(ctx, user, { ticketId: t.printer.id, note: 'Заменили картридж в принтере' });
    // an automatic reply on the thread is not part of what the requester sees
    await deps.db.insert(messages).values({ ticketId: t.vpn.id, kind: 'reply', direction: 'in', channel: 'email', bodyText: 'I am away: wombat', isAutoReply: true, createdAt: deps.clock.now() }).run();
    await open('boris', boris, 'Принтеры на складе', 'Ни один принтер не печатает');
    await open('stranger', stranger, 'Printer at home', 'My printer prints blank pages, quokka');
  });
  afterAll(() => deps.close());

  const viewer = (c: Contact): Viewer => ({ contactId: c.id, organizationId: c.organizationId, seesOrganizationRequests: c.seesOrganizationRequests });
  const found = async (c: Contact, text: string, finished = false) =>
    (await searchRequesterTickets(deps.db, viewer(c), text, { limit: 10, finished })).map((h) => h.ticket.id);

  it('finds a requester’s own requests by word forms and syntax, never a colleague’s or a stranger’s', async () => {
    expect(await found(anna, 'принтера')).toEqual([t.printer.id]);
    expect(await found(anna, 'printed')).toEqual([t.vpn.id]); // "printing" in the VPN request
    expect(await found(anna, 'vpn OR mailbox')).toEqual(expect.arrayContaining([t.vpn.id, t.mail.id]));
    expect(await found(anna, 'vpn OR mailbox')).toHaveLength(2);
    expect(await found(anna, 'vpn -reinstall')).toEqual([]); // the desk's reply holds the excluded word
    expect(await found(anna, '"не печатает"')).toEqual([t.printer.id]);
    expect(await found(anna, 'печата*')).toEqual([t.printer.id]);
    expect(await found(anna, 'nothing-like-this')).toEqual([]);
    expect(await found(anna, '')).toEqual([]);
  });

  it('searches the public conversation only: never a note or an automatic reply', async () => {
    expect(await found(anna, 'quokka')).toEqual([]);
    expect(await found(anna, 'wombat')).toEqual([]);
    expect(await found(anna, 'mailbox -quokka')).toEqual([t.mail.id]);
    // the desk's reply is searched (and its words are marked in the excerpt)
    const [hit] = await searchRequesterTickets(deps.db, viewer(anna), 'reinstall', { limit: 10 });
    expect(hit.ticket.id).toBe(t.vpn.id);
    expect(hit.snippet).toContain(`${MARK_START}reinstall${MARK_END}`);
    expect(hit.subject).toBe('VPN drops every hour');
  });

  it('a designated contact finds their colleagues’ requests too, the subject match first', async () => {
    expect(await found(chief, 'принтер')).toEqual([t.boris.id, t.printer.id]);
    expect(await found(chief, 'quokka')).toEqual([]);
  });

  it('resolved ones alone when asked', async () => {
    expect(await found(chief, 'принтер', true)).toEqual([t.printer.id]);
    expect(await found(anna, 'vpn', true)).toEqual([]);
    expect(await found(anna, 'mailbox', true)).toEqual([t.mail.id]);
  });

  it('narrows by the fields a requester types (status, after, before); fields alone list the requests newest first', async () => {
    const typed = async (c: Contact, text: string) =>
      (await searchRequesterTickets(deps.db, viewer(c), text, { limit: 10, filter: requesterSearchFilter(parseSearch(text), 'UTC').filter })).map((h) => h.ticket.id);
    const day = new Date(t.printer.createdAt).toISOString().slice(0, 10);
    const nextDay = new Date(t.printer.createdAt + 86_400_000).toISOString().slice(0, 10);
    expect(await typed(anna, 'status:open')).toEqual([t.vpn.id]);
    expect(await typed(anna, 'status:closed')).toEqual([t.mail.id, t.printer.id]);
    expect(await typed(anna, 'status:resolved status:new')).toEqual([t.mail.id, t.vpn.id, t.printer.id]);
    expect(await typed(chief, 'принтер status:closed')).toEqual([t.printer.id]);
    expect(await typed(chief, 'принтер status:open')).toEqual([t.boris.id]);
    expect(await typed(anna, `after:${day}`)).toEqual([t.mail.id, t.vpn.id, t.printer.id]);
    expect(await typed(anna, `after:${nextDay}`)).toEqual([]);
    expect(await typed(anna, `before:${nextDay} vpn OR mailbox`)).toHaveLength(2);
    expect(await typed(anna, `before:${day}`)).toEqual([]);
    expect(await typed(anna, 'status:open -vpn')).toEqual([]); // exclusions alone look for nothing
    // without a filter (the suggestions beside a new request), fields alone find nothing
    expect(await found(anna, 'status:open')).toEqual([]);
  });
});
