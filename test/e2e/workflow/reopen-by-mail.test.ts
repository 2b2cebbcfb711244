// End to end through the real intake (raw mail → parser → steps → apply → hooks): replies to a
// resolved ticket reopen it within the contract's limits; beyond them a linked ticket is opened
// and the requester is told why, in their language, exactly once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { rawMail, seedSla } from '../../helpers/workflow.ts';
import { buildServices, type Services } from '../../../src/services.ts';
import { createUser } from '../../../src/actions/users.ts';
import { replyToTicket } from '../../../src/actions/tickets.ts';
import { resolveTicket } from '../../../src/actions/resolution.ts';
import { outbox } from '../../../src/db/schema.ts';
import { findContactEmail, updateContact } from '../../../src/store/contacts.ts';
import { insertOrganization } from '../../../src/store/organizations.ts';
import { findTicketByNumber, getTicket, listTicketLinks } from '../../../src/store/tickets.ts';
import { listTicketMessages } from '../../../src/store/messages.ts';
import { getInbound } from '../../../src/store/inbound.ts';
import type { User } from '../../../src/store/users.ts';
import type { EmailPayload } from '../../../src/outbox/types.ts';
import { createOutboxWorker } from '../../../src/outbox/worker.ts';
import { startSmtpServer } from '../../helpers/smtp.ts';
import { waitUntil } from '../../helpers/mail.ts';

const DAY = 86_400_000;

describe('reopening by mail within the contract', () => {
  let deps: TestDeps;
  let s: Services;
  let agent: User;
  beforeEach(async () => {
    deps = await makeTestDeps();
    s = buildServices(deps);
    agent = await createUser(s.ctx, { email: 'agent@desk.test', name: 'Alex Agent', role: 'agent', password: 'long enough password' });
    await seedSla(s.ctx);
  });
  afterEach(() => deps.close());

  const mail = (from: string, subject: string, body: string, messageId?: string) =>
    s.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: rawMail({ from, subject, body, messageId }) });
  const refusals = async () => (await deps.db.select().from(outbox).all()).filter((r) => r.event === 'reopen_refused');
  const resolve = async (id: number) => {
    await replyToTicket(s.ctx, { kind: 'user', user: agent }, { ticketId: id, body: 'Please try again now.' });
    return await resolveTicket(s.ctx, { kind: 'user', user: agent }, { ticketId: id, note: 'Replaced the toner' });
  };

  it('a reopen by mail is the same status change as the console\'s: one event shape for every rule, and the thread shows it', async () => {
    const seen: string[] = [];
    s.ctx.hooks.ticketChanged.push((_tx, c) => {
      if (c.type === 'status') seen.push(`${c.from}->${c.to} by ${c.actor.kind} ticket=${c.ticket.status}`);
    });
    const first = await mail('Anna <anna@client.test>', 'Printer jammed', 'Paper stuck', 'r1@client.test');
    const t = await getTicket(deps.db, first.ticketId!);
    await resolve(t.id);
    deps.clock.advance(DAY);
    await mail('Anna <anna@client.test>', `Re: [#${t.number}] Printer jammed`, 'Stuck again', 'r2@client.test');
    expect(seen).toEqual(['new->resolved by user ticket=resolved', 'resolved->reopened by contact ticket=reopened']);
    const events = (await listTicketMessages(deps.db, t.id)).filter((m) => m.kind === 'event' && m.eventType === 'status').map((m) => m.eventData);
    expect(events.at(-1)).toMatchObject({ from: 'resolved', to: 'reopened' });
    const audit = await deps.db.column("select actor_kind from events where ticket_id = ? and type = 'ticket.status' order by id", t.id);
    expect(audit).toEqual(['user', 'contact']);
  });

  it('M = 1: the first reply reopens, the second opens a linked ticket and tells the requester why in Russian', async () => {
    await insertOrganization(deps.db, { name: 'ООО «Ромашка»', reopenLimit: 1, reopenWindowDays: 14 }, deps.clock.now(), ['romashka.ru']);
    const first = await mail('Иван Петров <ivan@romashka.ru>', 'Принтер не печатает', 'Застревает бумага', 'p1@romashka.ru');
    expect(first.outcome).toBe('created');
    const t = await getTicket(deps.db, first.ticketId!);
    await updateContact(deps.db, t.requesterId!, { locale: 'ru' }, deps.clock.now());
    await resolve(t.id);

    deps.clock.advance(DAY);
    const again = await mail('Иван Петров <ivan@romashka.ru>', `Re: [#${t.number}] Принтер не печатает`, 'Опять застревает', 'p2@romashka.ru');
    expect(again).toMatchObject({ outcome: 'appended', ticketId: t.id });
    const reopened = await getTicket(deps.db, t.id);
    expect(reopened).toMatchObject({ status: 'reopened', reopenCount: 1, resolvedAt: null, resolutionNote: null });
    expect(reopened.resolutionDueAt).not.toBeNull(); // the resolution clock runs again
    expect(await refusals()).toEqual([]);

    await resolve(t.id);
    deps.clock.advance(DAY);
    const third = await mail('Иван Петров <ivan@romashka.ru>', `Re: [#${t.number}] Принтер не печатает`, 'И снова застревает', 'p3@romashka.ru');
    expect(third.outcome).toBe('created');
    const follow = await getTicket(deps.db, third.ticketId!);
    expect(follow.id).not.toBe(t.id);
    expect(follow).toMatchObject({ requesterId: t.requesterId, organizationId: t.organizationId, status: 'new' });
    expect(await getTicket(deps.db, t.id)).toMatchObject({ status: 'resolved', reopenCount: 1 });
    expect(await listTicketLinks(deps.db, follow.id)).toEqual([{ ticketId: t.id, kind: 'follow_up', direction: 'to' }]);
    expect((await getInbound(deps.db, third.inboundId!)).reason).toContain(`reopen of #${t.number} refused (limit)`);
    expect((await listTicketMessages(deps.db, follow.id)).find((m) => m.kind === 'note')?.bodyText).toContain(`Follow-up of #${t.number}`);
    expect((await listTicketMessages(deps.db, follow.id)).find((m) => m.kind === 'reply')?.bodyText).toContain('И снова застревает');

    const rows = await refusals();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'email', recipient: 'ivan@romashka.ru', ticketId: follow.id, status: 'pending' });
    const p = rows[0].payload as unknown as EmailPayload;
    expect(p).toMatchObject({
      template: 'reopen_refused', locale: 'ru', audience: 'requester', auto: true,
      vars: { oldNumber: t.number, newNumber: follow.number, limit: 1, limitText: '1 раз', limitReached: true, windowPassed: false, requesterName: 'Иван Петров' },
    });
    expect(p.vars.portalUrl).toBeUndefined(); // the link is issued when the mail is sent, not queued

    // the same mail delivered again changes nothing and tells nobody twice
    const dup = await mail('Иван Петров <ivan@romashka.ru>', `Re: [#${t.number}] Принтер не печатает`, 'И снова застревает', 'p3@romashka.ru');
    expect(dup.outcome).toBe('duplicate');
    expect(await refusals()).toHaveLength(1);
    expect(await findTicketByNumber(deps.db, follow.number + 1)).toBeUndefined();
  });

  it('past the reopen window a reply opens a linked ticket, explained in English', async () => {
    await insertOrganization(deps.db, { name: 'Acme', reopenLimit: null, reopenWindowDays: 7 }, deps.clock.now(), ['acme.example']);
    const first = await mail('Jane Doe <jane@acme.example>', 'Laptop fan is loud', 'Very loud', 'a1@acme.example');
    const t = await getTicket(deps.db, first.ticketId!);
    await resolve(t.id);
    deps.clock.advance(7 * DAY);
    expect((await mail('Jane Doe <jane@acme.example>', `Re: [#${t.number}] Laptop fan is loud`, 'Still loud', 'a2@acme.example')).outcome).toBe('appended');
    expect((await getTicket(deps.db, t.id)).status).toBe('reopened');
    await resolve(t.id);
    deps.clock.advance(7 * DAY + 60_000);
    const late = await mail('Jane Doe <jane@acme.example>', `Re: [#${t.number}] Laptop fan is loud`, 'Loud again', 'a3@acme.example');
    expect(late.outcome).toBe('created');
    const p = (await refusals())[0].payload as unknown as EmailPayload;
    expect(p).toMatchObject({ locale: 'en', vars: { windowPassed: true, limitReached: false, days: 7, daysText: '7 days' } });
    expect(await findContactEmail(deps.db, 'jane@acme.example')).toBeDefined();
  });

  it('beyond the limit, a reply from a mailing list or a no-reply address opens the linked ticket but gets no explanation mail', async () => {
    await insertOrganization(deps.db, { name: 'Acme', reopenLimit: 0, reopenWindowDays: null }, deps.clock.now(), ['acme.example']);
    const first = await mail('Jane Doe <jane@acme.example>', 'VPN drops', 'Every hour', 'v1@acme.example');
    const t = await getTicket(deps.db, first.ticketId!);
    await resolve(t.id);
    deps.clock.advance(DAY);

    const listed = await s.intake.receive({
      channel: 'email', source: 'pipe', mailboxId: null,
      raw: rawMail({ from: 'Jane Doe <jane@acme.example>', subject: `Re: [#${t.number}] VPN drops`, body: 'Dropped again', messageId: 'v2@acme.example', headers: { 'List-Id': 'IT news <it-news.acme.example>' } }),
    });
    expect(listed.outcome).toBe('created');
    const fromList = await getTicket(deps.db, listed.ticketId!);
    expect(await listTicketLinks(deps.db, fromList.id)).toEqual([{ ticketId: t.id, kind: 'follow_up', direction: 'to' }]);

    const robot = await s.intake.receive({
      channel: 'email', source: 'pipe', mailboxId: null,
      raw: rawMail({ from: 'VPN monitor <noreply@acme.example>', subject: 'Re: VPN drops', body: 'Tunnel down', messageId: 'v3@acme.example', headers: { 'In-Reply-To': '<v1@acme.example>' } }),
    });
    expect(robot.outcome).toBe('created');
    const fromRobot = await getTicket(deps.db, robot.ticketId!);
    expect(await listTicketLinks(deps.db, fromRobot.id)).toEqual([{ ticketId: t.id, kind: 'follow_up', direction: 'to' }]);

    expect(await refusals()).toEqual([]);
    const notSent = async (ticketId: number) =>
      (await listTicketMessages(deps.db, ticketId)).filter((m) => m.eventType === 'outbox').map((m) => ({ status: m.deliveryStatus, ...m.eventData }));
    expect(await notSent(fromList.id)).toEqual([expect.objectContaining({ status: 'skipped', event: 'reopen_refused', recipient: 'jane@acme.example', reasonKey: 'outbox.reason.notAcknowledged', reason: 'not acknowledged: mailing list' })]);
    expect(await notSent(fromRobot.id)).toEqual([
      expect.objectContaining({ status: 'skipped', event: 'reopen_refused', recipient: 'noreply@acme.example', reasonKey: 'outbox.reason.notAcknowledged', reason: 'not acknowledged: no-reply address noreply@acme.example' }),
    ]);
  });

  it('without a contract a resolved ticket reopens as often as the requester writes', async () => {
    const first = await mail('Bob <bob@nowhere.example>', 'Mouse broken', 'Left button', 'b1@nowhere.example');
    const t = await getTicket(deps.db, first.ticketId!);
    for (let i = 2; i <= 4; i++) {
      await resolve(t.id);
      deps.clock.advance(30 * DAY);
      expect((await mail('Bob <bob@nowhere.example>', `Re: [#${t.number}] Mouse broken`, 'Again', `b${i}@nowhere.example`)).outcome).toBe('appended');
    }
    expect(await getTicket(deps.db, t.id)).toMatchObject({ status: 'reopened', reopenCount: 3 });
    expect(await refusals()).toEqual([]);
  });
});

it('the explanation mail goes out as an automatic answer (Auto-Submitted: auto-replied)', async () => {
  const smtp = await startSmtpServer();
  const deps = await makeTestDeps({ SMTP_URL: smtp.url, MAIL_FROM: 'Acme IT <support@desk.example>', PUBLIC_URL: 'https://help.desk.example' });
  const s = buildServices(deps);
  const worker = createOutboxWorker(s.ctx, { senders: s.senders });
  try {
    const agent = await createUser(s.ctx, { email: 'agent@desk.test', name: 'Alex Agent', role: 'agent', password: 'long enough password' });
    await insertOrganization(deps.db, { name: 'Acme', reopenLimit: 0, reopenWindowDays: null }, deps.clock.now(), ['acme.example']);
    const mail = (subject: string, messageId: string) =>
      s.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: rawMail({ from: 'Jane Doe <jane@acme.example>', subject, body: 'It is broken', messageId }) });
    const first = await mail('Scanner offline', 's1@acme.example');
    const t = await getTicket(deps.db, first.ticketId!);
    await resolveTicket(s.ctx, { kind: 'user', user: agent }, { ticketId: t.id, note: 'Restarted it' });
    deps.clock.advance(DAY);
    expect((await mail(`Re: [#${t.number}] Scanner offline`, 's2@acme.example')).outcome).toBe('created');

    const [row] = (await deps.db.select().from(outbox).all()).filter((r) => r.event === 'reopen_refused');
    expect((row.payload as unknown as EmailPayload).autoSubmitted).toBe('auto-replied');
    const current = async () => (await deps.db.select().from(outbox).all()).find((r) => r.id === row.id)!;
    for (let i = 0; i < 10 && (await current()).status === 'pending'; i++) await worker.runOnce();
    const sent = await current();
    expect(sent.status).toBe('sent');
    await waitUntil('the explanation mail', () => smtp.received.some((m) => m.messageId === sent.headerMessageId));
    const explanation = smtp.received.find((m) => m.messageId === sent.headerMessageId)!;
    expect(explanation.to).toEqual(['jane@acme.example']);
    expect(explanation.parsed.headers.get('auto-submitted')).toBe('auto-replied');
  } finally {
    await worker.stop();
    await smtp.close();
    deps.close();
  }
});
