import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { person } from '../../test/helpers/factories.ts';
import { buildServices, type Services } from '../services.ts';
import { listContactEmails, listContactPhones, markEmailUndeliverable } from '../store/contacts.ts';
import { createContact, editContact } from './contacts.ts';

describe('contacts', () => {
  let deps: TestDeps;
  let s: Services;
  beforeEach(async () => {
    deps = await makeTestDeps();
    s = buildServices(deps);
  });
  afterEach(() => deps.close());

  it('keeps phone numbers in E.164, international forms everywhere and national ones in the default country', async () => {
    const agent = await person(s, 'Agent');
    const a = await createContact(s.ctx, agent, { name: 'Anna', phones: ['+7 (912) 345-67-89', '+1 415 555 2671', ''] });
    expect((await listContactPhones(deps.db, a.id)).map((p) => p.phone)).toEqual(['+79123456789', '+14155552671']);
    // without SMS_DEFAULT_COUNTRY a national form is refused, with the international form as the hint
    await expect(createContact(s.ctx, agent, { name: 'Boris', phones: ['8 916 123-45-67'] })).rejects.toThrow('“8 916 123-45-67” is not a phone number; use the international form');
    await expect(createContact(s.ctx, agent, { name: 'Boris', phones: ['call me'] })).rejects.toThrow(/not a phone number/);

    const ru = await makeTestDeps({ SMS_DEFAULT_COUNTRY: 'RU' });
    try {
      const rs = buildServices(ru);
      const ruAgent = await person(rs, 'Agent');
      const b = await createContact(rs.ctx, ruAgent, { name: 'Boris', phones: ['8 916 123-45-67'] });
      expect((await listContactPhones(ru.db, b.id)).map((p) => p.phone)).toEqual(['+79161234567']);
      // the same number written the other way is the same phone, so it belongs to Boris already
      await expect(createContact(rs.ctx, ruAgent, { name: 'Vera', phones: ['+7 916 123 45 67'] })).rejects.toThrow('+79161234567 already belongs to another contact');
      await expect(createContact(rs.ctx, ruAgent, { name: 'Vera', phones: ['12'] })).rejects.toThrow(/^“12” is not a phone number$/);
    } finally {
      ru.close();
    }
  });

  it('creates and edits a contact, keeping the marks of addresses that stay', async () => {
    const agent = await person(s, 'Agent');
    const c = await createContact(s.ctx, agent, { name: 'Anna', emails: ['Anna@Client.example', 'old@client.example'], phones: ['+7 912 345-67-89'], locale: 'ru' });
    expect((await listContactEmails(deps.db, c.id)).map((e) => e.email)).toEqual(['anna@client.example', 'old@client.example']);
    await markEmailUndeliverable(deps.db, 'anna@client.example', '5.1.1', 1);
    const after = await editContact(s.ctx, agent, c.id, { name: 'Anna P.', emails: ['anna@client.example', 'new@client.example'], phones: [], locale: null, note: 'VIP' });
    expect(after).toMatchObject({ name: 'Anna P.', locale: null, note: 'VIP' });
    const emails = await listContactEmails(deps.db, c.id);
    expect(emails.map((e) => e.email)).toEqual(['anna@client.example', 'new@client.example']);
    expect(emails[0].undeliverableAt).toBe(1);
    expect(await listContactPhones(deps.db, c.id)).toEqual([]);
  });

  it('marks a designated contact of the organisation, and leaves the mark alone when an edit does not say', async () => {
    const manager = await person(s, 'Manager', 'manager');
    const c = await createContact(s.ctx, manager, { name: 'Chief', emails: ['chief@client.example'], seesOrganizationRequests: true });
    expect(c.seesOrganizationRequests).toBe(true);
    expect((await editContact(s.ctx, manager, c.id, { name: 'Chief', emails: ['chief@client.example'] })).seesOrganizationRequests).toBe(true);
    expect((await editContact(s.ctx, manager, c.id, { name: 'Chief', emails: ['chief@client.example'], seesOrganizationRequests: false })).seesOrganizationRequests).toBe(false);
    expect((await createContact(s.ctx, manager, { name: 'Anna', emails: ['anna@client.example'] })).seesOrganizationRequests).toBe(false);
  });

  it('leaves the designation to who manages organisations, and records each change', async () => {
    const manager = await person(s, 'Manager', 'manager');
    const agent = await person(s, 'Agent');
    const c = await createContact(s.ctx, agent, { name: 'Chief', emails: ['chief@client.example'], seesOrganizationRequests: true });
    expect(c.seesOrganizationRequests).toBe(false);
    expect((await editContact(s.ctx, agent, c.id, { name: 'Chief', emails: ['chief@client.example'], seesOrganizationRequests: true })).seesOrganizationRequests).toBe(false);
    expect((await editContact(s.ctx, manager, c.id, { name: 'Chief', emails: ['chief@client.example'], seesOrganizationRequests: true })).seesOrganizationRequests).toBe(true);
    // an agent's edit of other fields (the form's box shown to them unticked and disabled) keeps it
    expect((await editContact(s.ctx, agent, c.id, { name: 'Chief Officer', emails: ['chief@client.example'], seesOrganizationRequests: false })).seesOrganizationRequests).toBe(true);
    const changes = (await deps.db.all<{ actor_user_id: number | string | null; data: string }>(sql`select actor_user_id, data from events where type = 'contact.designation_changed' order by id`));
    expect(changes.map((e) => [Number(e.actor_user_id), JSON.parse(e.data)])).toEqual([[manager.id, { contactId: c.id, seesOrganizationRequests: true }]]);
  });

  it('refuses addresses that belong to someone else, bad phones, and a contact without any address', async () => {
    const agent = await person(s, 'Agent');
    await createContact(s.ctx, agent, { name: 'Boris', emails: ['boris@client.example'] });
    await expect(createContact(s.ctx, agent, { name: 'X', emails: ['boris@client.example'] })).rejects.toThrow(/already belongs/);
    await expect(createContact(s.ctx, agent, { name: 'Y', phones: ['12'] })).rejects.toThrow(/not a phone number/);
    await expect(createContact(s.ctx, agent, { name: 'Z' })).rejects.toThrow(/at least an email address or a phone/);
  });
});
