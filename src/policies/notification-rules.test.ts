import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { signMail, useMailDomain } from '../../test/helpers/mail-auth.ts';
import { rawMail, type RawMailInput } from '../../test/helpers/mail.ts';
import { buildServices, type Services } from '../services.ts';
import { assignTicket, changeStatus, createTicket, replyToTicket } from '../actions/tickets.ts';
import { createUser } from '../actions/users.ts';
import { updateNotificationPrefs } from '../actions/notification-prefs.ts';
import { listOutbox, type OutboxRow } from '../store/outbox.ts';
import { listTicketMessages } from '../store/messages.ts';
import { insertComponent } from '../store/components.ts';
import { insertOrganization } from '../store/organizations.ts';
import { insertContact } from '../store/contacts.ts';
import { findUser, type User } from '../store/users.ts';
import { insertTicket, updateTicket } from '../store/tickets.ts';
import type { EmailPayload } from '../outbox/types.ts';

describe('notification rules', () => {
  let deps: TestDeps;
  let s: Services;
  let agent: User;
  let manager: User;

  const rows = async (): Promise<(OutboxRow & { payload: EmailPayload })[]> => (await listOutbox(deps.db, {}, { limit: 100 })).reverse() as never;
  const mail = (m: Partial<RawMailInput> = {}) =>
    s.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: rawMail({ from: 'Anna Petrova <anna@client.example>', subject: 'Printer jammed', body: 'It jams.', ...m }) });
  const as = (user: User) => ({ kind: 'user' as const, user });

  beforeEach(async () => {
    // nothing is sent in these tests (no worker runs); MAIL_FROM makes the desk's own address known
    deps = await makeTestDeps({ DEFAULT_LOCALE: 'en', SMTP_URL: 'smtp://127.0.0.1:9', MAIL_FROM: 'Support <support@desk.example>' });
    s = buildServices(deps);
    agent = await createUser(s.ctx, { email: 'boris@desk.example', name: 'Boris', role: 'agent', password: 'correct horse battery' });
    manager = await createUser(s.ctx, { email: 'maria@desk.example', name: 'Maria', role: 'manager', password: 'correct horse battery' });
  });
  afterEach(() => deps.close());

  describe('acknowledgement of a new ticket', () => {
    it('answers a mailed-in ticket as an auto-reply, in the requester’s language', async () => {
      await insertContact(deps.db, { name: 'Ivan', locale: 'ru', emails: ['ivan@client.example'] }, deps.clock.now());
      await mail();
      await mail({ from: 'ivan@client.example', subject: 'Не печатает' });
      expect((await rows()).map((r) => [r.event, r.recipient, r.payload.locale, r.payload.auto, r.payload.audience, r.payload.autoSubmitted])).toEqual([
        ['ack', 'anna@client.example', 'en', true, 'requester', 'auto-replied'],
        ['ack', 'ivan@client.example', 'ru', true, 'requester', 'auto-replied'],
      ]);
    });

    it('acknowledges a ticket opened in the console as auto-generated mail', async () => {
      await createTicket(s.ctx, as(agent), { subject: 'Phone call', body: 'Called about VPN', requesterEmail: 'olga@client.example', channel: 'phone' });
      expect(await rows()).toMatchObject([{ event: 'ack', recipient: 'olga@client.example', payload: { autoSubmitted: 'auto-generated' } }]);
    });

    it.each([
      ['an auto-reply', { headers: { 'Auto-Submitted': 'auto-replied' } }],
      ['bulk mail', { headers: { Precedence: 'bulk' } }],
    ])('never answers %s: intake records it as automatic mail without a ticket', async (_what, m) => {
      const r = await mail(m as Partial<RawMailInput>);
      expect(r.outcome).toBe('auto_reply');
      expect(r.ticketId).toBeNull();
      expect(await rows()).toEqual([]);
    });

    it.each([
      ['a mailing list', { headers: { 'List-Id': '<staff.lists.client.example>' } }, /mailing list/],
      ['a bounce', { headers: { 'Return-Path': '<>' } }, /bounce/],
      ['a no-reply sender', { from: 'No Reply <noreply@shop.example>' }, /no-reply address/],
      ['a mailer daemon', { from: 'MAILER-DAEMON@mx.example' }, /no-reply address/],
    ])('never answers %s, and says so on the ticket', async (_what, m, reason) => {
      const r = await mail(m as Partial<RawMailInput>);
      expect(r.outcome).toBe('created');
      expect(await rows()).toEqual([]);
      const ev = (await listTicketMessages(deps.db, r.ticketId!)).find((x) => x.eventType === 'outbox')!;
      expect(ev.deliveryStatus).toBe('skipped');
      expect(String(ev.eventData?.reason)).toMatch(reason);
    });

    it('does not answer mail an agent sends in, and nothing on follow-ups', async () => {
      const raw = await signMail(rawMail({ from: 'boris@desk.example', subject: 'Server room is hot', body: 'It is 35 °C.' }), useMailDomain(deps, 'desk.example'));
      await s.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: Buffer.from(raw) });
      expect(await rows()).toEqual([]);
      const first = await mail({ messageId: 'first@client.example' });
      await mail({ subject: `Re: Printer jammed [#2]`, body: 'Still jams.' });
      expect((await rows()).map((r) => [r.event, r.ticketId])).toEqual([['ack', first.ticketId]]);
    });
  });

  it('sends an agent reply to the requester with the thread’s participants in CC', async () => {
    const r = await mail({ cc: 'Lena <lena@client.example>, support@desk.example' });
    const msg = await replyToTicket(s.ctx, as(agent), { ticketId: r.ticketId!, body: 'Please restart it.', cc: ['boss@client.example'] });
    const reply = (await rows()).find((x) => x.event === 'reply')!;
    expect(reply).toMatchObject({ recipient: 'anna@client.example', messageId: msg.id, payload: { template: 'reply', auto: false, audience: 'requester' } });
    expect(reply.cc?.sort()).toEqual(['boss@client.example', 'lena@client.example']);
    // the desk's own address, CC'd by the requester, is left out (and the thread says so)
    const left = (await listTicketMessages(deps.db, r.ticketId!)).find((m) => m.eventType === 'outbox' && m.eventData?.recipient === 'support@desk.example');
    expect(left?.eventData).toMatchObject({ reason: 'the recipient is one of the desk’s own addresses', reasonKey: 'outbox.reason.ownAddress' });
    expect((await listTicketMessages(deps.db, r.ticketId!)).find((m) => m.id === msg.id)?.deliveryStatus).toBe('queued');
  });

  it('keeps a reply on the ticket, marked not sent, when the requester has no address', async () => {
    const contact = await insertContact(deps.db, { name: 'Walk-in', emails: [] }, deps.clock.now());
    const t = await insertTicket(deps.db, { subject: 'Desk visit', channel: 'web', requesterId: contact.id }, deps.clock.now());
    const msg = await replyToTicket(s.ctx, as(agent), { ticketId: t.id, body: 'Done.' });
    expect(await rows()).toEqual([]);
    const thread = await listTicketMessages(deps.db, t.id);
    expect(thread.find((m) => m.id === msg.id)?.deliveryStatus).toBe('skipped');
    expect(thread.find((m) => m.eventType === 'outbox')?.eventData).toMatchObject({ reason: 'the requester has no email address' });
  });

  it('tells the requester a ticket is resolved, with the contract’s reopen window and the reopens left', async () => {
    const org = await insertOrganization(deps.db, { name: 'Client Ltd', reopenLimit: 2, reopenWindowDays: 14 }, deps.clock.now(), ['client.example']);
    const r = await mail();
    await updateTicket(deps.db, r.ticketId!, { reopenCount: 1, resolutionNote: 'Replaced the fuser.' }, deps.clock.now());
    await changeStatus(s.ctx, as(agent), { ticketId: r.ticketId!, status: 'in_progress' });
    await changeStatus(s.ctx, as(agent), { ticketId: r.ticketId!, status: 'resolved' });
    const resolved = (await rows()).filter((x) => x.event === 'status_resolved');
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toMatchObject({ recipient: 'anna@client.example', payload: { auto: true, vars: { reopenWindowDays: 14, reopensLeft: 1, resolutionNote: 'Replaced the fuser.' } } });
    expect(org.id).toBeGreaterThan(0);
  });

  it('notifies the assignee, not someone who takes the ticket themselves, and honours their choices', async () => {
    const r = await mail();
    await assignTicket(s.ctx, as(manager), { ticketId: r.ticketId!, assigneeId: agent.id });
    expect((await rows()).filter((x) => x.event === 'assigned')).toMatchObject([{ recipient: 'boris@desk.example', payload: { audience: 'agent', vars: { assignedBy: 'Maria' } } }]);
    await assignTicket(s.ctx, as(manager), { ticketId: r.ticketId!, assigneeId: manager.id });
    await assignTicket(s.ctx, as(manager), { ticketId: r.ticketId!, assigneeId: null });
    await assignTicket(s.ctx, as(agent), { ticketId: r.ticketId!, assigneeId: agent.id });
    expect((await rows()).filter((x) => x.event === 'assigned')).toHaveLength(1);

    await updateNotificationPrefs(s.ctx, as(agent), { new_in_component: 'on' }); // everything else off
    expect((await findUser(deps.db, agent.id))?.notifyPrefs).toMatchObject({ assigned: false, new_in_component: true });
    await assignTicket(s.ctx, as(manager), { ticketId: r.ticketId!, assigneeId: null });
    await assignTicket(s.ctx, as(manager), { ticketId: r.ticketId!, assigneeId: (await findUser(deps.db, agent.id))!.id });
    expect((await rows()).filter((x) => x.event === 'assigned')).toHaveLength(1);
  });

  it('tells a component’s manager about a new ticket there, by mail or from the console', async () => {
    const c = await insertComponent(deps.db, { name: 'Printers', managerId: manager.id }, deps.clock.now());
    await createTicket(s.ctx, as(agent), { subject: 'Toner', body: 'Out of toner', requesterEmail: 'anna@client.example', componentId: c.id });
    await createTicket(s.ctx, as(manager), { subject: 'Paper', body: 'Out of paper', requesterEmail: 'anna@client.example', componentId: c.id });
    const notices = (await rows()).filter((x) => x.event === 'new_in_component');
    expect(notices).toMatchObject([{ recipient: 'maria@desk.example', payload: { template: 'new_in_component', vars: { componentName: 'Printers' } } }]);
  });

  it('tells the assignee when the requester writes again', async () => {
    const r = await mail({ messageId: 'orig@client.example' });
    await assignTicket(s.ctx, { kind: 'system' }, { ticketId: r.ticketId!, assigneeId: agent.id });
    await mail({ subject: 'Re: Printer jammed [#1]', body: 'Now it smokes.' });
    expect((await rows()).filter((x) => x.event === 'customer_reply')).toMatchObject([{ recipient: 'boris@desk.example' }]);
  });

  it('leaves SMS tickets to the SMS channel', async () => {
    const contact = await insertContact(deps.db, { name: 'Texter', emails: ['texter@client.example'], phones: ['+79990001122'] }, deps.clock.now());
    const t = await insertTicket(deps.db, { subject: 'SMS', channel: 'sms', requesterId: contact.id }, deps.clock.now());
    await replyToTicket(s.ctx, as(agent), { ticketId: t.id, body: 'On it' });
    await changeStatus(s.ctx, as(agent), { ticketId: t.id, status: 'resolved' });
    // no mail: the reply goes out as a text through the SMS channel's own hook
    expect((await rows()).map((r) => [r.channel, r.event, r.recipient])).toEqual([['sms', 'reply', '+79990001122']]);
  });
});
