// Two desks auto-replying to each other, as two real desk processes (ROLES=intake,outbox), each
// reading its own Dovecot mailbox over IMAP and sending through a relay: a real SMTP server on
// loopback that delivers every mail into the recipient desk's mailbox (plus-addresses included).
// Desk B's address writes to desk A (a forwarding rule gone wrong), and the desks answer each other:
//  - through an honest relay, A's acknowledgement is recognised by B as automatic (RFC 3834) and
//    never answered: two mails in all;
//  - through a careless gateway that strips every mark a loop could be recognised by (Auto-Submitted,
//    X-Auto-Response-Suppress, our loop header, Precedence, In-Reply-To, References and the [#N]
//    subject tags), each acknowledgement opens a new ticket on the other side and is acknowledged
//    in turn: the send limits alone end it, after 5 acknowledgements each way (11 mails).
// The loop is over when everything is quiet: no mail waits in either outbox or in the relay, and
// both desks have read their mailboxes to the end — nothing is left that could start it again.
// test/e2e/email/mail-loop.test.ts measures the same limits in-process on a test clock; this is the version
// with the real processes, transports and clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SEND_LIMITS } from '../../src/domain/send-limits.ts';
import { startDovecot, type Dovecot, type DovecotUser } from '../helpers/dovecot.ts';
import { deskDatabase, readDb, startDesk, type DeskProcess } from '../helpers/desk-process.ts';
import { makeMail, waitUntil } from '../helpers/mail.ts';
import { startSmtpServer, type ReceivedMail, type TestSmtp } from '../helpers/smtp.ts';

const LOOP_MARKS = /^(auto-submitted|x-auto-response-suppress|x-helpdesk-loop|precedence|in-reply-to|references):/i;

/** A gateway that forwards mail with every loop mark removed. */
function stripLoopMarks(raw: Buffer): Buffer {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const headers = text.slice(0, end).split(/\r?\n(?![ \t])/);
  const kept = headers
    .filter((h) => !LOOP_MARKS.test(h))
    .map((h) => (/^subject:/i.test(h) ? h.replace(/\s*\[#\d+\]/g, '') : h));
  return Buffer.from(`${kept.join('\r\n')}${text.slice(end)}`, 'latin1');
}

type Desk = { name: string; user: DovecotUser; dataDir: string; db: string; process: DeskProcess };

describe('two desks auto-replying to each other (real processes)', () => {
  let dovecot: Dovecot;
  let relay: TestSmtp;
  const dirs: string[] = [];
  let desks: Desk[] = [];
  let appends: Promise<unknown>[] = [];
  let delivered: { to: string; desk: string; subject: string }[] = [];

  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterAll(async () => {
    await dovecot?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  afterEach(async () => {
    await Promise.all(desks.map((d) => d.process.kill9()));
    await relay?.close();
  });

  const start = async (gateway: (raw: Buffer) => Buffer) => {
    appends = [];
    delivered = [];
    relay = await startSmtpServer();
    const make = (name: string): Desk => {
      const user = dovecot.addUser();
      const dataDir = mkdtempSync(path.join(tmpdir(), `helpdesk-${name}-`));
      dirs.push(dataDir);
      const process = startDesk({
        dataDir, roles: 'intake,outbox',
        env: {
          IMAP_HOST: dovecot.host, IMAP_PORT: String(dovecot.port), IMAP_SECURE: 'false', IMAP_USER: user.user, IMAP_PASSWORD: user.password,
          IMAP_ADDRESS: user.address, SMTP_URL: relay.url, MAIL_FROM: `Desk ${name} <${user.address}>`,
          PUBLIC_URL: `https://desk-${name.toLowerCase()}.example`, DESK_NAME: `Desk ${name}`,
          // two installations: their own secrets sign their own Message-IDs and reply tokens
          SESSION_SECRET: `${name}-secret-`.repeat(4),
        },
      });
      return { name, user, dataDir, db: deskDatabase(dataDir), process };
    };
    desks = [make('A'), make('B')];
    // the relay delivers into the mailbox of the desk the mail is addressed to
    relay.behaviour.onMail = async (mail: ReceivedMail) => {
      for (const rcpt of mail.to) {
        const local = rcpt.toLowerCase().replace(/\+[^@]*@/, '@');
        const desk = desks.find((d) => d.user.address.toLowerCase() === local);
        if (!desk) continue;
        delivered.push({ to: rcpt, desk: desk.name, subject: mail.parsed.subject ?? '' });
        appends.push(dovecot.append(desk.user, gateway(mail.raw)));
      }
    };
    await Promise.all(desks.map((d) => d.process.started));
    return desks;
  };

  const outboxOf = (d: Desk) =>
    readDb(d.db, (db) => db.prepare('select status, recipient, last_error reason from outbox order by id').all() as { status: string; recipient: string; reason: string | null }[]) ?? [];
  const inboundOf = (d: Desk) => readDb(d.db, (db) => db.prepare('select outcome from inbound_messages order by id').all() as { outcome: string }[]) ?? [];
  const cursorOf = (d: Desk) => readDb(d.db, (db) => (db.prepare('select last_uid n from mailboxes where from_env = 1').get() as { n: number } | undefined)?.n) ?? 0;

  /** Quiet: nothing waits to be sent or delivered, and each desk has read its mailbox to the end. */
  const quiet = async () => {
    for (const d of desks) if (!d.process.running()) throw new Error(`desk ${d.name} exited:\n${d.process.log()}`);
    const pending = appends.length;
    await Promise.all(appends);
    if (appends.length !== pending) return false;
    for (const d of desks) {
      if (outboxOf(d).some((r) => r.status === 'pending' || r.status === 'sending')) return false;
      const last = (await dovecot.status(d.user)).uidNext - 1;
      if (cursorOf(d) < last || inboundOf(d).length < last) return false;
    }
    // nothing new was queued or relayed while we looked
    return appends.length === pending && desks.every((d) => outboxOf(d).every((r) => r.status !== 'pending' && r.status !== 'sending'));
  };

  const firstMail = (a: Desk, b: Desk) =>
    dovecot.append(a.user, makeMail({ from: `Desk B <${b.user.address}>`, to: a.user.address, subject: 'Forwarded: printer on the 3rd floor', body: 'A forwarding rule sent this here.' }));

  it('ends after one acknowledgement when the mail keeps its RFC 3834 headers (2 mails)', { timeout: 180_000 }, async () => {
    const [a, b] = await start((raw) => raw);
    await firstMail(a, b);
    await waitUntil('the first ticket at desk A', () => inboundOf(a).length === 1, 90_000, 100);
    await waitUntil('the desks to go quiet', quiet, 120_000, 250);

    expect(inboundOf(a).map((r) => r.outcome)).toEqual(['created']);
    expect(outboxOf(a).map((r) => r.status)).toEqual(['sent']);
    // B recognised A's acknowledgement as automatic: recorded, not a ticket, never answered
    expect(inboundOf(b).map((r) => r.outcome)).toEqual(['auto_reply']);
    expect(outboxOf(b)).toEqual([]);
    expect(relay.received).toHaveLength(1);
    console.log(`[desk-loop] relay=honest mails=${1 + relay.received.length} (A sent ${outboxOf(a).filter((r) => r.status === 'sent').length}, B sent 0)`);
    for (const d of desks) expect(await d.process.stop(), d.process.log()).toBe(0);
  });

  it('is ended by the send limits when a gateway strips every loop mark (5 acknowledgements each way)', { timeout: 300_000 }, async () => {
    const [a, b] = await start(stripLoopMarks);
    await firstMail(a, b);
    await waitUntil('the first ticket at desk A', () => inboundOf(a).length === 1, 90_000, 100);
    await waitUntil('the desks to go quiet', quiet, 240_000, 250);

    const limit = DEFAULT_SEND_LIMITS.requester.find((t) => t.scope === 'recipient' && t.windowMinutes === 10)!.max;
    const sentBy = (d: Desk) => outboxOf(d).filter((r) => r.status === 'sent');
    const skippedBy = (d: Desk) => outboxOf(d).filter((r) => r.status === 'skipped');
    console.log(`[desk-loop] relay=strips-loop-marks mails=${1 + relay.received.length} (A sent ${sentBy(a).length}, skipped ${skippedBy(a).length}; B sent ${sentBy(b).length}, skipped ${skippedBy(b).length}) limit=${limit} per address per 10 min`);
    // every mail opened a new ticket on the other side: nothing recognised the loop but the limits
    expect(inboundOf(a).every((r) => r.outcome === 'created')).toBe(true);
    expect(inboundOf(b).every((r) => r.outcome === 'created')).toBe(true);
    expect(sentBy(a)).toHaveLength(limit);
    expect(sentBy(b)).toHaveLength(limit);
    expect(sentBy(a).every((r) => r.recipient === b.user.address) && sentBy(b).every((r) => r.recipient === a.user.address)).toBe(true);
    // A got the last word in and was stopped there: its next acknowledgement was skipped, not queued for later
    expect(skippedBy(a)).toHaveLength(1);
    expect(skippedBy(a)[0].reason).toMatch(/send limit reached/);
    expect(skippedBy(b)).toHaveLength(0);
    expect(relay.received).toHaveLength(2 * limit);
    expect(delivered.filter((d) => d.desk === 'A')).toHaveLength(limit);
    for (const d of desks) expect(await d.process.stop(), d.process.log()).toBe(0);
  });
});
