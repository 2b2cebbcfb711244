// A mail loop with a second "desk" that auto-replies to everything: its SMTP server receives our
// mail and answers each one, and its answers are delivered into our intake. The loop must stop on
// our side, within the send limits, even without intake's auto-reply detection (the other desk
// sends no Auto-Submitted header and opens a ticket of its own for every mail): the first case
// runs the pipeline without the detect-auto-reply step to prove the backstop alone holds.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { startSmtpServer, type ReceivedMail, type TestSmtp } from '../../helpers/smtp.ts';
import { rawMail } from '../../helpers/mail.ts';
import { buildServices, type Services } from '../../../src/services.ts';
import { createOutboxWorker, type OutboxWorker } from '../../../src/outbox/worker.ts';
import { DEFAULT_SEND_LIMITS } from '../../../src/domain/send-limits.ts';
import { listOutbox } from '../../../src/store/outbox.ts';
import { listTicketMessages } from '../../../src/store/messages.ts';
import { createIntake, type Intake } from '../../../src/intake/receive.ts';
import { STEPS } from '../../../src/intake/pipeline.ts';
import { parseEmail } from '../../../src/channels/email/parse-email.ts';

const OTHER = 'support@other.example';

describe('mail loop with a desk that answers everything', () => {
  let deps: TestDeps;
  let smtp: TestSmtp;
  let services: Services;
  let worker: OutboxWorker;
  let theirMails: number;
  let inFlight: Promise<unknown>[];
  let intake: Intake;

  /** The other desk: a new ticket of its own for each mail, answered at once from its address. */
  const answerEverything = (keepOurSubject: boolean, opts: { ignoreReplyTo?: boolean; headers?: Record<string, string> } = {}) => async (mail: ReceivedMail) => {
    theirMails++;
    // a careless desk answers the From address and drops our Reply-To token; a careful one uses Reply-To
    const replyTo = !opts.ignoreReplyTo && mail.parsed.replyTo && !Array.isArray(mail.parsed.replyTo) ? mail.parsed.replyTo.value[0].address! : mail.from;
    const answer = rawMail({
      from: `Other Desk <${OTHER}>`,
      to: replyTo,
      subject: keepOurSubject ? `Re: ${mail.parsed.subject}` : `[OTHER-${theirMails}] We have received your message`,
      body: 'Thank you for contacting Other Desk. We will answer within 2 business days.',
      messageId: `other-${theirMails}@other.example`,
      headers: opts.headers,
    });
    inFlight.push(intake.receive({ channel: 'email', source: 'smtp', mailboxId: null, raw: answer, envelopeTo: [replyTo] }));
  };

  /** Sends and lets the other side answer until neither side has anything left to say. */
  const runUntilQuiet = async () => {
    for (let round = 0; round < 100; round++) {
      const s = await worker.runOnce();
      const pending = inFlight.splice(0);
      await Promise.all(pending);
      if (s.sent === 0 && s.skipped === 0 && pending.length === 0) return round;
    }
    throw new Error('the loop did not stop');
  };

  beforeEach(async () => {
    smtp = await startSmtpServer();
    deps = await makeTestDeps({ SMTP_URL: smtp.url, MAIL_FROM: 'Acme IT <support@desk.example>', PUBLIC_URL: 'https://help.desk.example' });
    services = buildServices(deps);
    worker = createOutboxWorker(services.ctx, { senders: services.senders });
    theirMails = 0;
    inFlight = [];
    intake = services.intake;
  });
  afterEach(async () => {
    await worker.stop();
    await smtp.close();
    deps.close();
  });

  it('stops at the per-recipient limit when every answer opens a new ticket, even without auto-reply detection: 11 mails in all', async () => {
    intake = createIntake(deps, { parsers: { email: parseEmail }, steps: STEPS.filter((st) => st.name !== 'detect-auto-reply'), desk: services.ctx });
    smtp.behaviour.onMail = answerEverything(false, { ignoreReplyTo: true });
    const first = await intake.receive({
      channel: 'email', source: 'smtp', mailboxId: null,
      raw: rawMail({ from: `Other Desk <${OTHER}>`, subject: 'Our printer is broken', body: 'Please help.', messageId: 'start@other.example' }),
    });
    expect(first.outcome).toBe('created');
    await runUntilQuiet();

    const limit = DEFAULT_SEND_LIMITS.requester.find((t) => t.scope === 'recipient' && t.windowMinutes === 10)!.max;
    const ours = smtp.received.length;
    const exchanged = 1 + theirMails + ours;
    expect(ours).toBe(limit); // 5 acknowledgements
    expect(theirMails).toBe(limit); // 5 answers
    expect(exchanged).toBe(11);
    const rows = (await listOutbox(deps.db, {}, { limit: 50 })).reverse();
    expect(rows.map((r) => r.status)).toEqual([...Array(limit).fill('sent'), 'skipped']);
    // the ticket opened by the last answer shows why it got no acknowledgement
    const last = rows.at(-1)!;
    const ev = (await listTicketMessages(deps.db, last.ticketId!)).find((m) => m.eventType === 'outbox')!;
    expect(ev.deliveryStatus).toBe('skipped');
    expect(String(ev.eventData?.reason)).toMatch(/send limit reached: 5 automatic mails to this address/);
    const tickets = (await deps.db.get('select count(*) n from tickets')) as { n: number };
    expect(tickets.n).toBe(limit + 1);

    // the loop is over, not paused: nothing is waiting to go out when the window has passed
    deps.clock.advance(11 * 60_000);
    expect(await runUntilQuiet()).toBe(0);
    expect(smtp.received.length).toBe(limit);
  });

  it('ends at once when the other desk marks its answers as automatic (RFC 3834): recognised and never answered (3 mails)', async () => {
    smtp.behaviour.onMail = answerEverything(false, { ignoreReplyTo: true, headers: { 'Auto-Submitted': 'auto-replied' } });
    await intake.receive({
      channel: 'email', source: 'smtp', mailboxId: null,
      raw: rawMail({ from: `Other Desk <${OTHER}>`, subject: 'Our printer is broken', body: 'Please help.', messageId: 'start3@other.example' }),
    });
    await runUntilQuiet();
    expect(smtp.received).toHaveLength(1); // our one acknowledgement
    expect(theirMails).toBe(1); // their one answer, recorded as an automatic reply
    const outcomes = (await deps.db.all('select outcome from inbound_messages order by id')) as { outcome: string }[];
    expect(outcomes.map((o) => o.outcome)).toEqual(['created', 'auto_reply']);
  });

  it('ends after one answer when the other desk answers our Reply-To: the token threads it onto the ticket (3 mails)', async () => {
    smtp.behaviour.onMail = answerEverything(false);
    await intake.receive({
      channel: 'email', source: 'smtp', mailboxId: null,
      raw: rawMail({ from: `Other Desk <${OTHER}>`, subject: 'Our printer is broken', body: 'Please help.', messageId: 'start4@other.example' }),
    });
    await runUntilQuiet();
    expect(smtp.received).toHaveLength(1);
    expect(theirMails).toBe(1);
    const outcomes = (await deps.db.all('select outcome, reason from inbound_messages order by id')) as { outcome: string; reason: string }[];
    expect(outcomes.map((o) => o.outcome)).toEqual(['created', 'appended']);
  });

  it('ends after one answer when the other desk keeps our subject: it threads onto the ticket (3 mails)', async () => {
    smtp.behaviour.onMail = answerEverything(true);
    await services.intake.receive({
      channel: 'email', source: 'smtp', mailboxId: null,
      raw: rawMail({ from: `Other Desk <${OTHER}>`, subject: 'Our printer is broken', body: 'Please help.', messageId: 'start2@other.example' }),
    });
    await runUntilQuiet();
    expect(smtp.received).toHaveLength(1);
    expect(theirMails).toBe(1);
    const tickets = (await deps.db.get('select count(*) n from tickets')) as { n: number };
    expect(tickets.n).toBe(1);
    expect((await listTicketMessages(deps.db, 1)).filter((m) => m.kind === 'reply')).toHaveLength(2);
  });
});
