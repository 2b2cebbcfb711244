import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { startSmtpServer, type TestSmtp } from '../../test/helpers/smtp.ts';
import { waitUntil } from '../../test/helpers/mail.ts';
import { buildServices, type Services } from '../services.ts';
import { createTicket } from '../actions/tickets.ts';
import { retryOutbox } from '../actions/outbox.ts';
import { createUser } from '../actions/users.ts';
import { readMessageId } from '../domain/reply-token.ts';
import { getOutbox, listOutbox, type OutboxRow } from '../store/outbox.ts';
import { findMessage, listTicketMessages } from '../store/messages.ts';
import { findContactEmail, insertContact } from '../store/contacts.ts';
import { contactEmails } from '../db/schema.ts';
import { eq } from 'drizzle-orm';
import { getChannelHealth } from './settings.ts';
import { createOutboxWorker, type OutboxWorker } from './worker.ts';
import { DatabaseUnavailableError, preparing } from './types.ts';
import { recordingLogger } from '../../test/helpers/log.ts';

const FROM = 'Acme IT <support@desk.example>';
const retry = { maxAttempts: 3, baseMs: 60_000, maxMs: 600_000 };

describe('outbox worker (real SMTP server on loopback)', () => {
  let deps: TestDeps;
  let smtp: TestSmtp;
  let services: Services;
  let workers: OutboxWorker[];

  // each worker has its own SMTP connection, as separate desk processes would
  const worker = (opts: { leaseMs?: number } = {}) => {
    const w = createOutboxWorker(services.ctx, { senders: buildServices(deps).senders, retry, ...opts });
    workers.push(w);
    return w;
  };
  const webTicket = async (email = 'anna@client.example', subject = 'Printer jammed') =>
    await createTicket(services.ctx, { kind: 'system' }, { subject, body: 'It jams on every page.', requesterEmail: email, requesterName: 'Anna' });
  const rows = async (): Promise<OutboxRow[]> => (await listOutbox(deps.db, {}, { limit: 100 })).reverse();

  beforeEach(async () => {
    smtp = await startSmtpServer();
    deps = await makeTestDeps({ SMTP_URL: smtp.url, MAIL_FROM: FROM, PUBLIC_URL: 'https://help.desk.example' });
    services = buildServices(deps);
    workers = [];
  });
  afterEach(async () => {
    for (const w of workers) await w.stop();
    await smtp.close();
    deps.close();
  });

  it('sends a queued mail once and records its signed Message-ID on the ticket thread', async () => {
    const t = await webTicket();
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'pending', event: 'ack', recipient: 'anna@client.example', attempts: 0 });
    const w = worker();
    expect(await w.runOnce()).toMatchObject({ sent: 1 });
    expect(await w.runOnce()).toMatchObject({ sent: 0 });
    await smtp.waitFor(1);
    const sent = await getOutbox(deps.db, row.id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, sentAt: deps.clock.now() });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0];
    expect(mail.messageId).toBe(sent.headerMessageId);
    expect(mail.messageId).toMatch(/@help\.desk\.example$/);
    expect(readMessageId(deps.secrets.token, mail.messageId)).toBe(t.id);
    expect(mail.from).toBe('support@desk.example');
    expect(mail.to).toEqual(['anna@client.example']);
    // the thread event that stands for the mail carries the Message-ID (email intake threads by it)
    const ev = (await findMessage(deps.db, sent.messageId!))!;
    expect(ev).toMatchObject({ kind: 'event', eventType: 'outbox', deliveryStatus: 'sent', headerMessageId: mail.messageId });
  });

  it('sends each queued mail exactly once when several workers claim at the same time', { timeout: 60_000 }, async () => {
    for (let i = 0; i < 24; i++) await webTicket(`user${i}@client.example`, `Question ${i}`);
    expect((await rows()).filter((r) => r.status === 'pending')).toHaveLength(24);
    const ws = [worker(), worker(), worker()];
    const results = await Promise.all(ws.map((w) => w.runOnce()));
    // every row claimed by one worker: sent once, on its first attempt
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(24);
    await smtp.waitFor(24);
    expect(smtp.received).toHaveLength(24);
    expect(new Set(smtp.received.map((m) => m.to[0])).size).toBe(24);
    expect((await rows()).every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });

  it('retries a temporary refusal with exponential backoff and marks the row dead after the last attempt', async () => {
    smtp.behaviour.respond = () => ({ code: 451, message: 'try again later' });
    const t = await webTicket();
    const [row] = await rows();
    const w = worker();
    const start = deps.clock.now();
    expect(await w.runOnce()).toMatchObject({ retried: 1 });
    expect(await getOutbox(deps.db, row.id)).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: start + 60_000 });
    expect((await getOutbox(deps.db, row.id)).lastError).toMatch(/451 try again later/);
    expect(await w.runOnce()).toMatchObject({ retried: 0 }); // not due yet
    deps.clock.advance(60_000);
    await w.runOnce();
    expect(await getOutbox(deps.db, row.id)).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: start + 60_000 + 120_000 });
    deps.clock.advance(120_000);
    expect(await w.runOnce()).toMatchObject({ dead: 1 });
    const dead = await getOutbox(deps.db, row.id);
    expect(dead).toMatchObject({ status: 'dead', attempts: 3 });
    expect(dead.lastError).toMatch(/gave up after 3 attempts/);
    expect(smtp.refused).toHaveLength(3);
    expect(await findMessage(deps.db, dead.messageId!)).toMatchObject({ deliveryStatus: 'failed' });

    // an admin sends it again once the server accepts mail
    smtp.behaviour.respond = undefined;
    const admin = await createUser(services.ctx, { email: 'admin@desk.example', name: 'Admin', role: 'admin', password: 'correct horse battery' });
    await retryOutbox(services.ctx, { kind: 'user', user: admin }, row.id);
    expect(await w.runOnce()).toMatchObject({ sent: 1 });
    expect(await getOutbox(deps.db, row.id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(smtp.messageIds()).toEqual([dead.headerMessageId]);
    expect(t.id).toBe(dead.ticketId);
  });

  it('gives up at once on a permanent refusal', async () => {
    smtp.behaviour.respond = () => ({ code: 550, message: 'mailbox unavailable' });
    await webTicket();
    const w = worker();
    expect(await w.runOnce()).toMatchObject({ dead: 1 });
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'dead', attempts: 1 });
    expect(row.lastError).toMatch(/550 mailbox unavailable/);
  });

  it('keeps mail queued while the server is unreachable, without using up attempts, and sends each once when it is back', async () => {
    await smtp.stop();
    for (const who of ['a', 'b', 'c']) await webTicket(`${who}@client.example`);
    const w = worker();
    expect(await w.runOnce()).toMatchObject({ deferred: 1, sent: 0 });
    expect((await rows()).map((r) => [r.status, r.attempts])).toEqual([['pending', 0], ['pending', 0], ['pending', 0]]);
    expect((await rows())[0].lastError).toMatch(/unreachable/);
    expect(await getChannelHealth(deps.db, 'email')).toMatchObject({ ok: false });
    // the paused channel is left alone until the pause is over, then tried again
    expect(await w.runOnce()).toMatchObject({ deferred: 0, sent: 0 });
    deps.clock.advance(5_000);
    expect(await w.runOnce()).toMatchObject({ deferred: 1 });
    await smtp.start();
    deps.clock.advance(10_000);
    expect(await w.runOnce()).toMatchObject({ sent: 3 });
    expect((await rows()).map((r) => [r.status, r.attempts])).toEqual([['sent', 1], ['sent', 1], ['sent', 1]]);
    const ids = smtp.messageIds();
    expect(new Set(ids).size).toBe(3);
    expect(ids.sort()).toEqual((await rows()).map((r) => r.headerMessageId).sort());
    expect(await getChannelHealth(deps.db, 'email')).toMatchObject({ ok: true });
  });

  it('keeps a mail queued, its attempt uncounted and due at once, when the database goes out of reach while the mail is prepared', async () => {
    await webTicket();
    const [email] = buildServices(deps).senders.filter((s) => s.channel === 'email');
    let lost = 0;
    // the mail's preparation meets a PostgreSQL restart (the driver's own words), once
    const sender = { ...email, configured: true, send: (row: OutboxRow) => (lost++ === 0 ? preparing(() => Promise.reject(new Error('Connection terminated unexpectedly'))) : email.send(row)) };
    const w = createOutboxWorker(services.ctx, { senders: [sender], retry });
    workers.push(w);
    expect(await w.runOnce()).toMatchObject({ deferred: 1, retried: 0, sent: 0 });
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: deps.clock.now() });
    expect(row.lastError).toMatch(/database was out of reach/);
    // the channel is not paused: the very next pass sends it, on its first counted attempt
    expect(await getChannelHealth(deps.db, 'email')).not.toMatchObject({ ok: false });
    expect(await w.runOnce()).toMatchObject({ sent: 1 });
    expect(await rows()).toMatchObject([{ status: 'sent', attempts: 1 }]);
    await smtp.waitFor(1);
    // anything else thrown while preparing is not taken for the database
    await expect(preparing(() => Promise.reject(new Error('no such template')))).rejects.not.toBeInstanceOf(DatabaseUnavailableError);
  });

  it('sends a mail whose claim was committed though the answer to the COMMIT was lost, instead of leaving it for the lease', async () => {
    await webTicket();
    // the first transaction (the claim) commits, then the connection breaks before its answer
    let transactions = 0;
    const db = new Proxy(deps.db, {
      get(target, key) {
        const value = Reflect.get(target, key, target) as unknown;
        if (key !== 'transaction' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
        return async (fn: () => unknown) => {
          const result = await value.call(target, fn);
          if (transactions++ === 0) throw new Error('Connection terminated unexpectedly');
          return result;
        };
      },
    });
    const { log, lines } = recordingLogger();
    const w = createOutboxWorker({ ...services.ctx, db, log }, { senders: buildServices(deps).senders, retry });
    workers.push(w);
    expect(await w.runOnce()).toMatchObject({ sent: 1 });
    expect(transactions).toBeGreaterThan(1);
    await smtp.waitFor(1);
    expect(await rows()).toMatchObject([{ status: 'sent', attempts: 1 }]);
    expect(lines.map((l) => l.msg)).toContain('outbox: the claim was written though its commit went unanswered; sending it');
  });

  it('leaves mail queued while outgoing mail is not set up, and says so at start in the sender\'s words', async () => {
    const off = await makeTestDeps({});
    try {
      const { log, lines } = recordingLogger();
      off.log = log;
      const s = buildServices(off);
      await createTicket(s.ctx, { kind: 'system' }, { subject: 'x', body: 'y', requesterEmail: 'anna@client.example' });
      const w = createOutboxWorker(s.ctx, { senders: s.senders });
      expect(await w.runOnce()).toEqual({ sent: 0, retried: 0, dead: 0, skipped: 0, deferred: 0 });
      expect(await listOutbox(off.db, {}, { limit: 5 })).toMatchObject([{ status: 'pending', attempts: 0 }]);
      w.start();
      await w.stop();
      // only the channel with waiting rows is named: no SMS is queued here
      expect(lines.filter((l) => l.level === 40).map((l) => [l.channel, l.msg])).toEqual([['email', 'outbox: outgoing mail is not set up (Admin → Outgoing mail and SMS, or SMTP_URL and MAIL_FROM); mail stays queued']]);
    } finally {
      off.close();
    }
  });

  it('resumes an attempt interrupted mid-send after its lease, with the same Message-ID, and drops the stale outcome', async () => {
    let first = true;
    smtp.behaviour.hold = () => {
      const hold = first;
      first = false;
      return hold;
    };
    await webTicket();
    const [row] = await rows();
    const stuck = worker();
    const stuckRun = stuck.runOnce();
    await waitUntil('the first attempt to reach the server', () => smtp.held.length === 1);
    expect(await getOutbox(deps.db, row.id)).toMatchObject({ status: 'sending', attempts: 1 });

    // another worker (a restarted desk) leaves the row alone while the lease holds…
    const fresh = worker();
    expect(await fresh.runOnce()).toMatchObject({ sent: 0 });
    // …and sends it again, with the same Message-ID, once the lease is over
    deps.clock.advance(10 * 60_000 + 1);
    expect(await fresh.runOnce()).toMatchObject({ sent: 1 });
    const sent = await getOutbox(deps.db, row.id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 2 });
    expect(smtp.held[0].messageId).toBe(sent.headerMessageId);
    expect(smtp.messageIds()).toEqual([sent.headerMessageId]);

    // the stuck worker's connection breaks; its late failure must not undo the send
    await smtp.stop();
    await stuckRun;
    expect(await getOutbox(deps.db, row.id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  describe('loop backstop', () => {
    it('skips an address marked undeliverable as soon as the mail is queued, visibly on the ticket', async () => {
      await insertContact(deps.db, { name: 'Gone', emails: ['gone@client.example'] }, deps.clock.now());
      await deps.db.update(contactEmails).set({ undeliverableAt: deps.clock.now(), undeliverableReason: '5.1.1 user unknown' }).where(eq(contactEmails.email, 'gone@client.example')).run();
      const t = await webTicket('gone@client.example');
      const [row] = await rows();
      expect(row.status).toBe('skipped');
      expect(row.lastError).toMatch(/undeliverable \(5\.1\.1 user unknown\)/);
      const ev = (await listTicketMessages(deps.db, t.id)).find((m) => m.eventType === 'outbox')!;
      expect(ev).toMatchObject({ deliveryStatus: 'skipped' });
      expect(ev.eventData).toMatchObject({ event: 'ack', recipient: 'gone@client.example' });
      expect(await worker().runOnce()).toMatchObject({ sent: 0 });
      expect(smtp.received).toHaveLength(0);
    });

    it('sends nothing to an address that opted out after the mail was queued', async () => {
      await webTicket('later@client.example');
      await deps.db.update(contactEmails).set({ optedOutAt: deps.clock.now() }).where(eq(contactEmails.email, 'later@client.example')).run();
      expect(await worker().runOnce()).toMatchObject({ skipped: 1 });
      expect((await rows())[0]).toMatchObject({ status: 'skipped', lastError: 'the address opted out of mail' });
      expect((await findContactEmail(deps.db, 'later@client.example'))?.optedOutAt).toBeTruthy();
      expect(smtp.received).toHaveLength(0);
    });

    it('never mails the desk itself', async () => {
      await webTicket('Support+t99.abc@desk.example');
      expect(await worker().runOnce()).toMatchObject({ skipped: 1 });
      expect((await rows())[0].lastError).toMatch(/desk’s own addresses/);
    });

    it('stops automatic mail to one address at the per-recipient limit, across tickets', async () => {
      for (let i = 1; i <= 7; i++) await webTicket('busy@client.example', `Request ${i}`);
      expect(await worker().runOnce()).toMatchObject({ sent: 5, skipped: 2 });
      expect((await rows()).map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent', 'skipped', 'skipped']);
      expect((await rows())[5].lastError).toBe('send limit reached: 5 automatic mails to this address (limit 5 per 10 min)');
      // after the window the next tier still counts them (10 per hour)
      deps.clock.advance(11 * 60_000);
      for (let i = 8; i <= 14; i++) await webTicket('busy@client.example', `Request ${i}`);
      expect(await worker().runOnce()).toMatchObject({ sent: 5, skipped: 2 });
      expect(smtp.received).toHaveLength(10);
      // other addresses are not affected
      await webTicket('calm@client.example');
      expect(await worker().runOnce()).toMatchObject({ sent: 1 });
    });
  });
});
