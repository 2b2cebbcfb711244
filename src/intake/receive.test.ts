import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { buildServices } from '../services.ts';
import { findTicket, listParticipants } from '../store/tickets.ts';
import { listTicketMessages } from '../store/messages.ts';
import { getInbound } from '../store/inbound.ts';
import type { RawInbound } from './receive.ts';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/email/${name}`, import.meta.url));
const pipe = (raw: Buffer): RawInbound => ({ channel: 'email', source: 'pipe', mailboxId: null, raw });

describe('intake: receive → pipeline → apply', () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await makeTestDeps();
  });
  afterEach(() => deps.close());

  it('creates a ticket with the requester as a new contact', async () => {
    const { intake } = buildServices(deps);
    const r = await intake.receive(pipe(fixture('new-ticket-plain.eml')));
    expect(r.outcome).toBe('created');
    const t = (await findTicket(deps.db, r.ticketId!))!;
    expect(t.number).toBe(1);
    expect(t.subject).toBe('Printer on 3rd floor is jammed');
    expect(t.status).toBe('new');
    const msgs = await listTicketMessages(deps.db, t.id);
    expect(msgs).toHaveLength(1);
    expect(msgs[0].bodyText).toContain('jams on every page');
    expect(msgs[0].headerMessageId).toBe('printer-1@client.example');
    expect(await deps.files.has('raw', (await getInbound(deps.db, r.inboundId!)).rawSha256)).toBe(true);
  });

  it('appends a reply carrying the subject tag from the requester', async () => {
    const { intake } = buildServices(deps);
    const first = await intake.receive(pipe(fixture('new-ticket-plain.eml')));
    const reply = await intake.receive(pipe(fixture('reply-subject-tag.eml')));
    expect(reply.outcome).toBe('appended');
    expect(reply.ticketId).toBe(first.ticketId);
    expect(await listTicketMessages(deps.db, first.ticketId!)).toHaveLength(2);
  });

  it('gives a stranger who quotes [#N] a ticket of their own', async () => {
    const { intake } = buildServices(deps);
    const first = await intake.receive(pipe(fixture('new-ticket-plain.eml')));
    const stranger = await intake.receive(pipe(fixture('stranger-quotes-tag.eml')));
    expect(stranger.outcome).toBe('created');
    expect(stranger.ticketId).not.toBe(first.ticketId);
    expect(await listTicketMessages(deps.db, first.ticketId!)).toHaveLength(1);
    expect(await listParticipants(deps.db, first.ticketId!)).not.toContain('mallory@stranger.example');
    expect(stranger.reason).toMatch(/subject tag \[#1\] ignored/);
  });

  it('records the same mail once, even without a Message-ID', async () => {
    const { intake } = buildServices(deps);
    for (const name of ['new-ticket-plain.eml', 'no-message-id.eml']) {
      const a = await intake.receive(pipe(fixture(name)));
      const b = await intake.receive(pipe(fixture(name)));
      expect(a.outcome).toBe('created');
      expect(b.outcome).toBe('duplicate');
      expect(b.ticketId).toBe(a.ticketId);
    }
    const n = (await deps.db.get('select count(*) n from tickets')) as { n: number };
    expect(n.n).toBe(2);
  });

  it('a re-delivery with extra trace headers is still the same mail without a Message-ID', async () => {
    const { intake } = buildServices(deps);
    const raw = fixture('no-message-id.eml');
    const redelivered = Buffer.concat([Buffer.from('Received: from relay.example by mx.example; Mon, 2 Nov 2026 12:00:05 +0300\r\nDelivered-To: support@desk.example\r\n'), raw]);
    expect((await intake.receive(pipe(raw))).outcome).toBe('created');
    expect((await intake.receive(pipe(redelivered))).outcome).toBe('duplicate');
  });

  it.each(['empty.eml', 'corrupt-no-headers.eml'])('quarantines %s with its error and keeps the raw bytes', async (name) => {
    const { intake } = buildServices(deps);
    const raw = fixture(name);
    const r = await intake.receive(pipe(raw));
    expect(r.outcome).toBe('quarantined');
    expect(r.error).toMatch(/empty message|no mail headers|no sender/);
    const rec = await getInbound(deps.db, r.inboundId!);
    expect(rec.outcome).toBe('quarantined');
    expect((await deps.files.read('raw', rec.rawSha256)).equals(raw)).toBe(true);
    // the same broken bytes again are not quarantined twice
    expect((await intake.receive(pipe(raw))).outcome).toBe('duplicate');
  });

  it('reprocesses a quarantined message once the cause is fixed', async () => {
    const { intake } = buildServices(deps);
    const small = await makeTestDeps({ MAX_MAIL_BYTES: '100' });
    try {
      const r = await buildServices(small).intake.receive(pipe(fixture('new-ticket-plain.eml')));
      expect(r.outcome).toBe('quarantined');
      expect(r.error).toMatch(/over the 100-byte limit/);
      const fixed = { ...small, config: { ...small.config, limits: { ...small.config.limits, mailBytes: 1e6 } } };
      const again = await buildServices(fixed).intake.reprocess(r.inboundId!);
      expect(again.outcome).toBe('created');
      expect(again.inboundId).toBe(r.inboundId);
      expect(await getInbound(small.db, r.inboundId!)).toMatchObject({ outcome: 'created', ticketId: again.ticketId });
      expect(again.ticketId).not.toBeNull();
    } finally {
      small.close();
    }
    void intake;
  });

  it('decodes windows-1251 mail', async () => {
    const { intake } = buildServices(deps);
    const r = await intake.receive(pipe(fixture('ru-windows-1251.eml')));
    const t = (await findTicket(deps.db, r.ticketId!))!;
    expect(t.subject).toBe('Не работает VPN');
    expect((await listTicketMessages(deps.db, t.id))[0].bodyText).toContain('Не работает VPN с утра.');
  });
});
