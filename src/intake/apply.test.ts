// What intake stores for the mail the steps classified: bounces and auto-replies on their ticket
// without touching its status, unmatched ones recorded without a ticket, problems on the thread.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { decide, fixture, seedTicketOne } from '../../test/helpers/intake.ts';
import { buildServices, type Services } from '../services.ts';
import { findContactEmail } from '../store/contacts.ts';
import { getInbound } from '../store/inbound.ts';
import { listTicketMessages } from '../store/messages.ts';
import { getTicket, updateTicket } from '../store/tickets.ts';
import { applyDraft } from './apply.ts';
import type { RawInbound } from './receive.ts';

const pipe = (raw: Buffer): RawInbound => ({ channel: 'email', source: 'pipe', mailboxId: null, raw });
const inboundOf = async (deps: TestDeps, ticketId: number) =>
  ((await deps.db.get('select id from inbound_messages where ticket_id = ? order by id limit 1', ticketId)) as { id: number } | undefined)?.id;
const count = async (deps: TestDeps, table: string) => ((await deps.db.get(`select count(*) n from ${table}`)) as { n: number }).n;

describe('apply', () => {
  let deps: TestDeps;
  let services: Services;
  let ticketId: number;
  beforeEach(async () => {
    deps = await makeTestDeps();
    services = buildServices(deps);
    ticketId = await seedTicketOne(deps);
  });
  afterEach(() => deps.close());

  it('puts a permanent bounce on its ticket and stops mail to the address', async () => {
    const r = await services.intake.receive(pipe(fixture('bounce-5.1.1.eml')));
    expect(r).toMatchObject({ outcome: 'bounce', ticketId });
    const event = (await listTicketMessages(deps.db, ticketId)).at(-1)!;
    expect(event).toMatchObject({ kind: 'event', eventType: 'delivery.failed' });
    expect(event.eventData).toMatchObject({ status: '5.1.1', recipients: ['anna@client.example'] });
    expect((await findContactEmail(deps.db, 'anna@client.example'))?.undeliverableReason).toMatch(/^5\.1\.1 550 5\.1\.1/);
    expect((await getTicket(deps.db, ticketId)).status).toBe('new');
  });

  it('records each inbound mail with the ticket it created or continued, and dates the ticket by it', async () => {
    const created = await getTicket(deps.db, ticketId);
    expect(await inboundOf(deps, ticketId)).toBeDefined();
    expect(created.lastActivityAt).toBe(created.createdAt);
    expect(created.updatedAt).toBe(created.createdAt);

    deps.clock.advance(60_000);
    const reply = await services.intake.receive(pipe(fixture('gmail-reply.eml')));
    expect(reply).toMatchObject({ outcome: 'appended', ticketId });
    expect((await getInbound(deps.db, reply.inboundId!)).ticketId).toBe(ticketId);
    expect((await getTicket(deps.db, ticketId)).lastActivityAt).toBe(deps.clock.now());

    const unmatched = await services.intake.receive(pipe(fixture('bounce-null-sender-dragonfly.eml')));
    expect((await getInbound(deps.db, unmatched.inboundId!)).ticketId).toBeNull();
  });

  it('records a transient bounce (4.4.1) without stopping mail', async () => {
    const r = await services.intake.receive(pipe(fixture('bounce-4.4.1.eml')));
    expect(r).toMatchObject({ outcome: 'bounce', ticketId });
    expect((await listTicketMessages(deps.db, ticketId)).at(-1)).toMatchObject({ eventType: 'delivery.delayed' });
    expect((await findContactEmail(deps.db, 'anna@client.example'))?.undeliverableAt).toBeNull();
  });

  it('records a bounce that matches nothing without a ticket and without stopping anyone', async () => {
    const r = await services.intake.receive(pipe(fixture('bounce-null-sender-dragonfly.eml')));
    expect(r).toMatchObject({ outcome: 'bounce', ticketId: null });
    expect(await count(deps, 'tickets')).toBe(1);
  });

  it('stores an out-of-office reply on its ticket and never changes the ticket status', async () => {
    await updateTicket(deps.db, ticketId, { status: 'resolved', resolvedAt: 1 }, 1);
    for (const name of ['exchange-oof.eml', 'zimbra-oof.eml']) {
      const r = await services.intake.receive(pipe(fixture(name)));
      expect(r).toMatchObject({ outcome: 'auto_reply', ticketId });
    }
    const t = await getTicket(deps.db, ticketId);
    expect(t.status).toBe('resolved');
    expect(t.reopenCount).toBe(0);
    expect((await listTicketMessages(deps.db, ticketId)).filter((m) => m.isAutoReply)).toHaveLength(2);
  });

  it('records an auto-reply that matches nothing without opening a ticket', async () => {
    const r = await services.intake.receive(pipe(fixture('exchange-oof-unmatched.eml')));
    expect(r).toMatchObject({ outcome: 'auto_reply', ticketId: null });
    expect((await getInbound(deps.db, r.inboundId!)).reason).toMatch(/automatic mail \(X-Auto-Response-Suppress: All\)/);
    expect(await count(deps, 'tickets')).toBe(1);
  });

  it('ignores our own mail coming back', async () => {
    const r = await services.intake.receive(pipe(fixture('own-loop.eml')));
    expect(r.outcome).toBe('ignored');
    expect(await listTicketMessages(deps.db, ticketId)).toHaveLength(2);
  });

  it('opens a ticket for mailing-list mail (it is only never acknowledged)', async () => {
    expect((await services.intake.receive(pipe(fixture('mailing-list.eml')))).outcome).toBe('created');
  });

  it('shows on the thread what intake could not store, and keeps it on the inbound record', async () => {
    const small = { ...deps, config: { ...deps.config, limits: { ...deps.config.limits, attachmentBytes: 10 } } };
    const r = await buildServices(small).intake.receive(pipe(fixture('html-inline-image.eml')));
    expect(r.outcome).toBe('created');
    const [msg, event] = await listTicketMessages(deps.db, r.ticketId!);
    expect(msg.kind).toBe('reply');
    expect(event).toMatchObject({ kind: 'event', eventType: 'intake.problems' });
    expect(event.eventData).toMatchObject({ inboundId: r.inboundId, omitted: [{ filename: 'screenshot.png', size: 70 }] });
    expect((await getInbound(deps.db, r.inboundId!)).problems).toEqual([expect.stringMatching(/over the 10-byte limit/)]);
    expect(await count(deps, 'attachments')).toBe(0);
  });

  it('threads the client replies onto the ticket and stores the new content apart', async () => {
    const r = await services.intake.receive(pipe(fixture('gmail-reply.eml')));
    expect(r).toMatchObject({ outcome: 'appended', ticketId });
    const m = (await listTicketMessages(deps.db, ticketId)).at(-1)!;
    expect(m.newText).toBe('Thanks, it prints again.\n\nAnna');
    expect(m.bodyText).toContain('> We replaced the fuser unit.');
  });

  it('records a message once when another process committed it after the duplicate check (two desks on one mailbox)', async () => {
    const raw = fixture('gmail-reply.eml');
    // this desk's steps ran and found nothing; meanwhile the other desk stores the same mail
    const draft = await decide(deps, raw);
    expect(draft.drop).toBeNull();
    const other = await services.intake.receive(pipe(raw));
    expect(other.outcome).toBe('appended');
    const before = { inbound: await count(deps, 'inbound_messages'), messages: await count(deps, 'messages') };

    const r = await applyDraft(services.ctx, draft);
    expect(r).toMatchObject({ outcome: 'duplicate', ticketId, inboundId: null });
    expect(r.reason).toBe(`already received as inbound #${other.inboundId}`);
    // neither a second message nor a quarantined copy
    expect({ inbound: await count(deps, 'inbound_messages'), messages: await count(deps, 'messages') }).toEqual(before);
  });
});
