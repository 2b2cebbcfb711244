// The new-ticket form's contact picker over HTTP: search by name (any case, any alphabet), address
// or phone (national or international form), a pick that fills the requester in place (htmx) or
// through the page (without script), and the ticket opened for the picked contact.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../helpers/web.ts';
import { createContact } from '../../../src/actions/contacts.ts';
import { createOrganization } from '../../../src/actions/organizations.ts';
import { listContacts } from '../../../src/store/contacts.ts';
import { findTicket } from '../../../src/store/tickets.ts';
import type { Contact } from '../../../src/store/contacts.ts';

const HX = { 'hx-request': 'true' };

describe('the contact picker on the new-ticket form', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let agent: Browser;
  let maria: Contact;
  let ivan: Contact;

  beforeEach(async () => {
    deps = await makeTestDeps({ SMS_DEFAULT_COUNTRY: 'RU' });
    srv = await startTestServer(deps);
    const admin = await addUser(srv.services, 'admin', 'ada@desk.example', 'Ada');
    await addUser(srv.services, 'agent', 'boris@desk.example', 'Boris');
    const org = await createOrganization(srv.services.ctx, admin, { name: 'Ромашка', domains: ['romashka.ru'] });
    maria = await createContact(srv.services.ctx, admin, { name: 'Мария Волкова', emails: ['m.volkova@romashka.ru'], phones: ['+7 916 123-45-67'], organizationId: org.id, locale: 'ru', note: null });
    await createContact(srv.services.ctx, admin, { name: 'Anna Petrova', emails: ['anna@client.example'], phones: [], organizationId: null, locale: null, note: null });
    ivan = await createContact(srv.services.ctx, admin, { name: 'Ivan Orlov', emails: [], phones: ['+79035550101'], organizationId: null, locale: null, note: null });
    agent = new Browser(srv.url);
    await agent.login('boris@desk.example', TEST_PASSWORD);
  });
  afterEach(async () => {
    await srv.close();
    deps.close();
  });

  const picks = async (q: string) => {
    const r = await agent.get(`/tickets/new/contacts?${new URLSearchParams({ q })}`, HX);
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/^<div id="contact-picks"/);
    return r.text;
  };

  it('finds contacts by name in any case and alphabet, by address and by phone in any form', async () => {
    for (const q of ['волк', 'ВОЛКОВА', 'm.volkova@', '8 916 123-45-67', '+7 (916) 123 45 67', '1234567']) {
      const text = await picks(q);
      expect(text, q).toContain('Мария Волкова');
      expect(text, q).toContain(`hx-get="/tickets/new/requester?contact=${maria.id}"`);
      expect(text, q).toContain('m.volkova@romashka.ru · +7 916 123 45 67 · Ромашка');
      expect(text, q).not.toContain('Anna Petrova');
    }
    expect(await picks('anna')).toContain('Anna Petrova');
    expect(await picks('PETROVA')).toContain('Anna Petrova');
    // a contact without an address cannot be the requester of a mail ticket: it offers an SMS
    const phoneOnly = await picks('orlov');
    expect(phoneOnly).toContain('no email address');
    expect(phoneOnly).toContain(`href="/sms/new?contact=${ivan.id}"`);
    expect(phoneOnly).not.toContain('/tickets/new/requester');
    expect(await picks('nobody like this')).toContain('No contact matches.');
  });

  it('a pick fills the requester in place and clears the list; without script the page does the same', async () => {
    const swap = await agent.get(`/tickets/new/requester?contact=${maria.id}`, HX);
    expect(swap.status).toBe(200);
    expect(swap.text).toMatch(/^<div id="requester-fields"/);
    expect(swap.text).toContain('value="m.volkova@romashka.ru"');
    expect(swap.text).toContain('value="Мария Волкова"');
    expect(swap.text).toContain('Requester: Мария Волкова');
    expect(swap.text).toContain('<div id="contact-picks" class="picks" aria-live="polite" hx-swap-oob="true"></div>');
    expect((await agent.get(`/tickets/new/requester?contact=${ivan.id}`, HX)).status).toBe(404);

    const search = await agent.get('/tickets/new?q=%D0%B2%D0%BE%D0%BB%D0%BA');
    expect(search.text).toContain(`href="/tickets/new?contact=${maria.id}"`);
    const page = await agent.get(`/tickets/new?contact=${maria.id}`);
    expect(page.text).toContain('value="m.volkova@romashka.ru"');

    const before = (await listContacts(deps.db, { limit: 100 })).length;
    const created = await agent.post('/tickets', { requesterEmail: 'm.volkova@romashka.ru', requesterName: 'Мария Волкова', subject: 'Нет доступа к 1С', body: 'С утра не пускает.', priority: 'normal', type: 'incident', category: '', componentId: '' });
    expect(created.status).toBe(303);
    const ticket = await findTicket(deps.db, 1);
    expect(ticket?.requesterId).toBe(maria.id);
    expect((await listContacts(deps.db, { limit: 100 })).length).toBe(before);
  });
});
