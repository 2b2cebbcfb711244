// Outbound mail end to end, against a real SMTP server on loopback: mail comes in through intake,
// the acknowledgement goes out, the requester's mail client answers it, an agent replies from the
// console over HTTP with an attachment, both languages, and an SMTP outage.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { startSmtpServer, type ReceivedMail, type TestSmtp } from '../../helpers/smtp.ts';
import { rawMail } from '../../helpers/mail.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../helpers/web.ts';
import { buildServices, type Services } from '../../../src/services.ts';
import { createOutboxWorker, type OutboxWorker } from '../../../src/outbox/worker.ts';
import { replyToTicket } from '../../../src/actions/tickets.ts';
import { makeReplyAddress, readMessageId, readReplyAddress } from '../../../src/domain/reply-token.ts';
import { insertContact } from '../../../src/store/contacts.ts';
import { listTicketMessages } from '../../../src/store/messages.ts';
import { listOutbox } from '../../../src/store/outbox.ts';
import { findTicket } from '../../../src/store/tickets.ts';

const DESK = 'support@desk.example';
const header = (m: ParsedMail, name: string) => {
  const v = m.headers.get(name);
  return typeof v === 'string' ? v : v === undefined ? undefined : JSON.stringify(v);
};
const refsOf = (m: ParsedMail) => (m.references === undefined ? [] : Array.isArray(m.references) ? m.references : [m.references]);
const addressOf = (v: ParsedMail['replyTo']) => (v && !Array.isArray(v) ? v.value[0]?.address : undefined);

describe('outbound mail, end to end', () => {
  let deps: TestDeps;
  let smtp: TestSmtp;
  let services: Services;
  let worker: OutboxWorker;

  const send = async (expected: number): Promise<ReceivedMail[]> => {
    const before = smtp.received.length;
    await worker.runOnce();
    return (await smtp.waitFor(before + expected)).slice(before);
  };
  const mailIn = (raw: Buffer, envelopeTo?: string[]) => services.intake.receive({ channel: 'email', source: 'smtp', mailboxId: null, raw, envelopeTo });

  beforeEach(async () => {
    smtp = await startSmtpServer();
    deps = await makeTestDeps({ SMTP_URL: smtp.url, MAIL_FROM: `Acme IT <${DESK}>`, PUBLIC_URL: 'https://help.desk.example', DESK_NAME: 'Acme IT' });
    services = buildServices(deps);
    worker = createOutboxWorker(services.ctx, { senders: services.senders });
  });
  afterEach(async () => {
    await worker.stop();
    await smtp.close();
    deps.close();
  });

  it('acknowledges a mailed-in ticket with threading headers, and the requester’s reply to it threads onto the ticket', async () => {
    const first = await mailIn(rawMail({
      from: 'Anna Petrova <anna@client.example>', to: `Support <${DESK}>`, subject: 'Printer jammed',
      body: 'It jams on every page.', messageId: 'orig-1@client.example', references: ['earlier@client.example'],
    }), [DESK]);
    expect(first.outcome).toBe('created');
    const ticketId = first.ticketId!;

    const [ack] = await send(1);
    const m = ack.parsed;
    expect(ack.to).toEqual(['anna@client.example']);
    expect(ack.from).toBe(DESK);
    expect(m.from?.value[0]).toMatchObject({ address: DESK, name: 'Acme IT' });
    // our Message-ID names the ticket and is signed
    expect(ack.messageId).toMatch(/^hd\.t\d+\.[a-z2-7]+\.[a-z2-7]+@help\.desk\.example$/);
    expect(readMessageId(deps.secrets.token, ack.messageId)).toBe(ticketId);
    expect(readMessageId('another key'.repeat(4), ack.messageId)).toBeUndefined();
    // one thread in the requester's client: in reply to their mail, with their whole conversation
    expect(m.inReplyTo).toBe('<orig-1@client.example>');
    expect(refsOf(m)).toEqual(['<earlier@client.example>', '<orig-1@client.example>']);
    expect(m.subject).toBe('Re: Printer jammed [#1]');
    // replies come back with the signed plus-address token
    const replyTo = addressOf(m.replyTo)!;
    expect(replyTo).toBe(makeReplyAddress(deps.secrets.token, DESK, ticketId));
    expect(readReplyAddress(deps.secrets.token, replyTo)).toBe(ticketId);
    // automatic mail says so, and carries our loop header
    expect(header(m, 'auto-submitted')).toBe('auto-replied');
    expect(header(m, 'x-auto-response-suppress')).toBe('All');
    expect(header(m, 'x-helpdesk-loop')).toBe('help.desk.example');
    expect(header(m, 'content-language')).toBe('en');
    expect(m.text).toContain('we have received your request and opened ticket [#1] "Printer jammed"');
    expect(m.html).toContain('<strong>[#1]</strong>');
    // the Message-ID is on the ticket's thread (email intake recognises replies to it)
    const event = (await listTicketMessages(deps.db, ticketId)).find((x) => x.eventType === 'outbox')!;
    expect(event).toMatchObject({ headerMessageId: ack.messageId, deliveryStatus: 'sent' });

    // the requester presses Reply in their mail client
    const answer = rawMail({
      from: 'Anna Petrova <anna@client.example>', to: `Acme IT <${replyTo}>`, subject: `Re: ${m.subject}`,
      body: 'Thanks! It also smells burnt.\n\n> we have received your request', messageId: 'answer-1@client.example',
      inReplyTo: ack.messageId, references: [...refsOf(m).map((r) => r.slice(1, -1)), ack.messageId],
    });
    const second = await mailIn(answer, [replyTo]);
    expect(second).toMatchObject({ outcome: 'appended', ticketId });
    expect((await listTicketMessages(deps.db, ticketId)).filter((x) => x.kind === 'reply').map((x) => x.headerMessageId)).toEqual(['orig-1@client.example', 'answer-1@client.example']);
    // a follow-up gets no second acknowledgement
    expect(await worker.runOnce()).toMatchObject({ sent: 0 });
  });

  it('delivers an agent reply posted in the console with its attachment, quoted history and no automatic headers', async () => {
    const srv: TestServer = await startTestServer(deps, services);
    try {
      await mailIn(rawMail({ from: 'Anna Petrova <anna@client.example>', subject: 'VPN drops', body: 'The VPN drops every hour.', messageId: 'vpn-1@client.example', cc: 'Lena <lena@client.example>' }));
      const [ack] = await send(1);
      await addUser(srv.services, 'agent', 'boris@desk.example', 'Boris Agent');
      const b = new Browser(srv.url);
      await b.login('boris@desk.example', TEST_PASSWORD);
      // the reply composer on the ticket page answers the requester by mail
      const ticketPage = await b.get('/tickets/1');
      expect(ticketPage.text).toContain('action="/tickets/1/replies"'); // the CSRF token is a field, not in the URL
      expect(ticketPage.text).toContain('anna@client.example');

      const pdf = Buffer.from(`%PDF-1.4\n${'x'.repeat(5000)}\n%%EOF`);
      const form = new FormData();
      form.set('_csrf', b.csrf);
      form.set('body', 'Please update the client to 5.2.\n\nIt fixes the timeout.');
      form.set('cc', 'lena@client.example, it-lead@client.example');
      form.append('attachments', new Blob([pdf], { type: 'application/pdf' }), 'vpn-guide.pdf');
      const posted = await b.postFormData('/tickets/1/replies', form);
      expect(posted.status).toBe(303);
      expect(posted.location).toBe('/tickets/1');

      const [reply] = await send(1);
      const m = reply.parsed;
      expect(reply.to.sort()).toEqual(['anna@client.example', 'it-lead@client.example', 'lena@client.example']);
      expect(m.subject).toBe('Re: VPN drops [#1]');
      expect(header(m, 'auto-submitted')).toBeUndefined();
      expect(header(m, 'x-auto-response-suppress')).toBeUndefined();
      expect(header(m, 'x-helpdesk-loop')).toBeUndefined();
      expect(m.inReplyTo).toBe('<vpn-1@client.example>');
      expect(refsOf(m)).toEqual(['<vpn-1@client.example>', `<${ack.messageId}>`]);
      expect(readMessageId(deps.secrets.token, reply.messageId)).toBe(1);
      expect(m.text).toMatch(/^Please update the client to 5\.2\.\n\nIt fixes the timeout\.\n\nBoris Agent/);
      expect(m.text).toContain('Anna Petrova wrote:\n> The VPN drops every hour.');
      expect(m.attachments).toHaveLength(1);
      expect(m.attachments[0]).toMatchObject({ filename: 'vpn-guide.pdf', contentType: 'application/pdf' });
      expect(createHash('sha256').update(m.attachments[0].content).digest('hex')).toBe(createHash('sha256').update(pdf).digest('hex'));

      const replyMsg = (await listTicketMessages(deps.db, 1)).find((x) => x.kind === 'reply' && x.direction === 'out')!;
      expect(replyMsg).toMatchObject({ headerMessageId: reply.messageId, deliveryStatus: 'sent' });
      const after = await b.get('/tickets/1');
      expect(after.text).toContain('Please update the client to 5.2.');
      expect(after.text).toContain('vpn-guide.pdf');
      expect(after.text).toMatch(/badge delivery-sent">Sent</);
    } finally {
      await srv.close();
    }
  });

  it('writes to a Russian requester in Russian and to an English one in English', async () => {
    await insertContact(deps.db, { name: 'Иван Петров', locale: 'ru', emails: ['ivan@client.example'] }, deps.clock.now());
    await mailIn(rawMail({ from: 'ivan@client.example', subject: 'Не работает принтер', body: 'Принтер зажевал бумагу.', messageId: 'ru-1@client.example' }));
    await mailIn(rawMail({ from: 'john@client.example', subject: 'Printer', body: 'Jammed.', messageId: 'en-1@client.example' }));
    const acks = await send(2);
    const ru = acks.find((a) => a.to[0] === 'ivan@client.example')!.parsed;
    const en = acks.find((a) => a.to[0] === 'john@client.example')!.parsed;
    expect(ru.subject).toBe('Re: Не работает принтер [#1]');
    expect(ru.text).toContain('Здравствуйте, Иван Петров!');
    expect(ru.text).toContain('Мы получили ваше обращение и зарегистрировали заявку [#1] «Не работает принтер»');
    expect(ru.html).toContain('<html lang="ru">');
    expect(header(ru, 'content-language')).toBe('ru');
    expect(en.text).toContain('Hello john,');
    expect(header(en, 'content-language')).toBe('en');

    const agent = await addUser(services, 'agent', 'boris@desk.example', 'Борис');
    await replyToTicket(services.ctx, { kind: 'user', user: agent }, { ticketId: 1, body: 'Перезагрузите принтер.' });
    const [reply] = await send(1);
    expect(reply.parsed.text).toContain('Перезагрузите принтер.');
    expect(reply.parsed.text).toMatch(/Иван Петров пишет:\n> Принтер зажевал бумагу\./);
  });

  it('delivers every mail queued while the SMTP server was down once it is back, none twice', async () => {
    await smtp.stop();
    const agent = await addUser(services, 'agent', 'boris@desk.example', 'Boris');
    for (let i = 1; i <= 5; i++) {
      await mailIn(rawMail({ from: `user${i}@client.example`, subject: `Problem ${i}`, body: `Details ${i}`, messageId: `p${i}@client.example` }));
    }
    await replyToTicket(services.ctx, { kind: 'user', user: agent }, { ticketId: 2, body: 'Looking into it.' });
    await replyToTicket(services.ctx, { kind: 'user', user: agent }, { ticketId: 4, body: 'Fixed, please check.' });
    // the server stays down for a while: the worker keeps trying and keeps everything queued
    for (let round = 0; round < 12; round++) {
      await worker.runOnce();
      deps.clock.advance(30_000);
    }
    const waiting = await listOutbox(deps.db, {}, { limit: 50 });
    expect(waiting).toHaveLength(7);
    expect(waiting.every((r) => r.status === 'pending' && r.attempts === 0)).toBe(true);
    expect(smtp.received).toHaveLength(0);

    await smtp.start();
    deps.clock.advance(5 * 60_000);
    await worker.runOnce();
    await smtp.waitFor(7);
    expect(await worker.runOnce()).toMatchObject({ sent: 0 });
    const ids = smtp.messageIds();
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
    const rows = await listOutbox(deps.db, {}, { limit: 50 });
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    expect(ids.sort()).toEqual(rows.map((r) => r.headerMessageId).sort());
    expect((await findTicket(deps.db, 2))?.subject).toBe('Problem 2');
  });

  it('a restarted worker resumes where the stopped one left off', async () => {
    for (let i = 1; i <= 6; i++) await mailIn(rawMail({ from: `user${i}@client.example`, subject: `Problem ${i}`, body: 'x', messageId: `r${i}@client.example` }));
    const first = createOutboxWorker(services.ctx, { senders: buildServices(deps).senders, batch: 2 });
    expect(await first.runOnce()).toMatchObject({ sent: 2 });
    await first.stop();
    const second = createOutboxWorker(services.ctx, { senders: buildServices(deps).senders });
    expect(await second.runOnce()).toMatchObject({ sent: 4 });
    await second.stop();
    const ids = smtp.messageIds();
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });
});
