import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { person } from '../../test/helpers/factories.ts';
import { buildServices, type Services } from '../services.ts';
import { listContactEmails, listContactPhones, markEmailUndeliverable } from '../store/contacts.ts';
import { createContact, editContact, normalizePhone } from './contacts.ts';

describe('contacts', () => {
  let deps: TestDeps;
  let s: Services;
  beforeEach(() => {
    deps = makeTestDeps();
    s = buildServices(deps);
  });
  afterEach(() => deps.close());

  it('normalises phone numbers to E.164', () => {
    expect(normalizePhone('+7 (912) 345-67-89')).toBe('+79123456789');
    expect(normalizePhone('+1 415 555 2671')).toBe('+14155552671');
    expect(normalizePhone('call me')).toBeNull();
  });

  it('creates and edits a contact, keeping the marks of addresses that stay', async () => {
    const agent = await person(s, 'Agent');
    const c = createContact(s.ctx, agent, { name: 'Anna', emails: ['Anna@Client.example', 'old@client.example'], phones: ['+7 912 345-67-89'], locale: 'ru' });
    expect(listContactEmails(deps.db, c.id).map((e) => e.email)).toEqual(['anna@client.example', 'old@client.example']);
    markEmailUndeliverable(deps.db, 'anna@client.example', '5.1.1', 1);
    const after = editContact(s.ctx, agent, c.id, { name: 'Anna P.', emails: ['anna@client.example', 'new@client.example'], phones: [], locale: null, note: 'VIP' });
    expect(after).toMatchObject({ name: 'Anna P.', locale: null, note: 'VIP' });
    const emails = listContactEmails(deps.db, c.id);
    expect(emails.map((e) => e.email)).toEqual(['anna@client.example', 'new@client.example']);
    expect(emails[0].undeliverableAt).toBe(1);
    expect(listContactPhones(deps.db, c.id)).toEqual([]);
  });

  it('refuses addresses that belong to someone else, bad phones, and a contact without any address', async () => {
    const agent = await person(s, 'Agent');
    createContact(s.ctx, agent, { name: 'Boris', emails: ['boris@client.example'] });
    expect(() => createContact(s.ctx, agent, { name: 'X', emails: ['boris@client.example'] })).toThrow(/already belongs/);
    expect(() => createContact(s.ctx, agent, { name: 'Y', phones: ['12'] })).toThrow(/not a phone number/);
    expect(() => createContact(s.ctx, agent, { name: 'Z' })).toThrow(/at least an email address or a phone/);
  });
});
