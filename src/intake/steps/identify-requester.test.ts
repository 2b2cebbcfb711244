import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { decide, fixture } from '../../../test/helpers/intake.ts';
import { makeMail } from '../../../test/helpers/mail.ts';
import { addUser } from '../../../test/helpers/web.ts';
import { buildServices } from '../../services.ts';
import { insertComponent } from '../../store/components.ts';
import { identifyRequester } from './identify-requester.ts';

describe('identify-requester', () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await makeTestDeps();
  });
  afterEach(() => deps.close());
  const steps = [identifyRequester];

  it('is the sender, a new contact, named from the From header', async () => {
    const d = await decide(deps, fixture('new-ticket-plain.eml'), { steps });
    expect(d.requester).toEqual({ address: 'anna@client.example', name: 'Anna Petrova', contactId: null, organizationId: null, userId: null });
  });

  it('is the author named in X-Original-Sender for Google Groups mail', async () => {
    expect((await decide(deps, fixture('google-groups-x-original-sender.eml'), { steps })).requester?.address).toBe('jane@client.example');
    expect((await decide(deps, fixture('chatwoot-group-sender.eml'), { steps })).requester).toMatchObject({ address: 'jane@example.com', name: 'ACME group' });
  });

  it('does not believe X-Original-Sender from a stranger, nor take an address named on someone\'s behalf for an agent', async () => {
    const agent = await addUser(buildServices(deps), 'agent', 'agent@desk.example');
    const forged = makeMail({ from: 'Mallory <mallory@evil.example>', headers: { 'X-Original-Sender': 'agent@desk.example' } });
    expect((await decide(deps, forged, { steps })).requester).toMatchObject({ address: 'mallory@evil.example', userId: null });
    const viaForm = makeMail({ from: 'Forms <no-reply@forms.example>', headers: { 'Reply-To': 'agent@desk.example' } });
    expect((await decide(deps, viaForm, { steps })).requester).toMatchObject({ address: 'agent@desk.example', userId: null });
    expect((await decide(deps, makeMail({ from: 'Agent <agent@desk.example>' }), { steps })).requester?.userId).toBe(agent.id);
  });

  it('is the Reply-To person when a web form or no-reply address sent the mail, else the sender', async () => {
    expect((await decide(deps, fixture('web-form-reply-to.eml'), { steps })).requester).toMatchObject({ address: 'peter@visitor.example', name: 'Peter Visitor' });
    const personal = makeMail({ from: 'Anna <anna@client.example>', headers: { 'Reply-To': 'anna.private@home.example' } });
    expect((await decide(deps, personal, { steps })).requester?.address).toBe('anna@client.example');
  });

  it("is the no-reply sender, not the Reply-To, when the Reply-To names the desk's own component alias", async () => {
    await insertComponent(deps.db, { name: 'Printers', emailAliases: ['printers@desk.example'] }, 0);
    const relayed = makeMail({ from: 'Forms <noreply@forms.example>', headers: { 'Reply-To': 'Printers <printers@desk.example>' } });
    expect((await decide(deps, relayed, { steps })).requester?.address).toBe('noreply@forms.example');
    const person = makeMail({ from: 'Forms <noreply@forms.example>', headers: { 'Reply-To': 'Peter <peter@visitor.example>' } });
    expect((await decide(deps, person, { steps })).requester?.address).toBe('peter@visitor.example');
  });

  it('is nobody when the sender has no domain: such an address is never made a contact nor mailed', async () => {
    const d = await decide(deps, 'From: MAILER-DAEMON (Mail Delivery System)\r\nTo: support@desk.example\r\nSubject: Undelivered Mail\r\n\r\nSorry.\r\n', { steps });
    expect(d.msg.from).toEqual({ address: 'mailer-daemon', name: 'Mail Delivery System' });
    expect(d.requester ?? null).toBeNull();
    expect(d.notes).toContain('no requester: the sender "mailer-daemon" has no domain and cannot be answered');
  });

  it('knows agents writing by mail', async () => {
    const agent = await addUser(buildServices(deps), 'agent', 'agent@desk.example');
    expect((await decide(deps, makeMail({ from: 'Agent <agent@desk.example>' }), { steps })).requester?.userId).toBe(agent.id);
  });
});
