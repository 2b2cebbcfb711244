// The SMTP intake listener with a real SMTP client (nodemailer): delivered mail becomes a ticket,
// a temporary failure answers 451 so the sender retries, oversized mail is refused with 552, mail
// for anyone but the desk with 550; connections are limited and AUTH can be required.
import { connect, type Socket } from 'node:net';
import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpListener, type SmtpListener } from '../../../src/channels/email/smtp-listener.ts';
import { buildServices } from '../../../src/services.ts';
import { insertComponent } from '../../../src/store/components.ts';
import { insertMailbox } from '../../../src/store/mailboxes.ts';
import { listTicketMessages } from '../../../src/store/messages.ts';
import { findTicket } from '../../../src/store/tickets.ts';
import { currentSignInLocks, liftLock } from '../../../src/actions/sign-in.ts';
import { lockForWrites } from '../../helpers/lock-database.ts';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { recordingLogger } from '../../helpers/log.ts';
import { makeMail, waitUntil } from '../../helpers/mail.ts';
import { dnsTable, fakeResolver, mailDomain } from '../../helpers/mail-auth.ts';

/** A raw client connection and the server's first line (its greeting or refusal). */
function greeting(port: number, localAddress = '127.0.0.1'): Promise<{ socket: Socket; line: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    let buf = '';
    socket.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('\r\n')) resolve({ socket, line: buf.slice(0, buf.indexOf('\r\n')) });
    });
    socket.once('error', reject);
  });
}

const count = async (deps: TestDeps, table: string) => ((await deps.db.get(`select count(*) n from ${table}`)) as { n: number }).n;

describe('SMTP intake listener', () => {
  let deps: TestDeps;
  let listener: SmtpListener;

  const start = async (env: Record<string, string> = {}) => {
    deps = await makeTestDeps({ SMTP_INBOUND_PORT: '0', SMTP_INBOUND_ADDRESSES: 'support@desk.example', ...env }, { file: true });
    listener = await startSmtpListener({ deps, intake: buildServices(deps).intake, settings: deps.config.smtpInbound! });
  };
  const transport = () => nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true });

  afterEach(async () => {
    await listener?.stop();
    deps?.close();
  });

  describe('with the default limits', () => {
    beforeEach(() => start());

    it('turns a delivered mail into a ticket, routed by the envelope recipient', async () => {
      const printers = await insertComponent(deps.db, { name: 'Printers', emailAliases: ['printers@desk.example'] }, Date.now());
      const info = await transport().sendMail({
        envelope: { from: 'anna@client.example', to: ['printers@desk.example'] },
        raw: makeMail({ to: 'support@desk.example', subject: 'Toner is empty' }),
      });
      expect(info.response).toMatch(/^250 .*Accepted as inbound #1 \(created\)/);
      const t = (await findTicket(deps.db, 1))!;
      expect(t.subject).toBe('Toner is empty');
      expect(t.componentId).toBe(printers.id);
      expect((await listTicketMessages(deps.db, t.id))[0].fromAddress).toBe('anna@client.example');
    });

    it('answers 451 while the desk cannot store mail, and takes the retry', async () => {
      const other = await lockForWrites(deps, { waitMs: 50 });
      const raw = makeMail({ subject: 'Retry me' });
      try {
        const err = await transport().sendMail({ envelope: { from: 'anna@client.example', to: ['support@desk.example'] }, raw }).then(
          () => null,
          (e: unknown) => e as { responseCode?: number; response?: string },
        );
        expect(err?.responseCode).toBe(451);
        expect(err?.response).toMatch(/4\.3\.0 Temporary failure/);
      } finally {
        await other.release();
      }
      expect(await count(deps, 'tickets')).toBe(0);
      // the sending server retries later
      const info = await transport().sendMail({ envelope: { from: 'anna@client.example', to: ['support@desk.example'] }, raw });
      expect(info.response).toMatch(/^250 /);
      expect(await count(deps, 'tickets')).toBe(1);
    });
  });

  it('refuses mail over MAX_MAIL_BYTES with 552 and stores nothing', async () => {
    await start({ MAX_MAIL_BYTES: '2000' });
    const err = await transport()
      .sendMail({ envelope: { from: 'anna@client.example', to: ['support@desk.example'] }, raw: makeMail({ body: 'x'.repeat(5000) }) })
      .then(() => null, (e: unknown) => e as { responseCode?: number; response?: string });
    expect(err?.responseCode).toBe(552);
    expect(err?.response).toMatch(/over the 2000-byte limit/);
    expect(await count(deps, 'inbound_messages')).toBe(0);
  });

  describe('who may deliver, and to whom', () => {
    const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as { responseCode?: number; response?: string; code?: string });

    it('refuses with 550 every recipient that is not the desk’s, and stores nothing', async () => {
      await start();
      const err = await refusal(transport().sendMail({ envelope: { from: 'spammer@evil.example', to: ['victim@elsewhere.example'] }, raw: makeMail({ subject: 'Relay me' }) }));
      expect(err?.responseCode).toBe(550);
      expect(err?.response).toMatch(/5\.1\.1 <victim@elsewhere\.example>: no such mailbox/);
      expect(await count(deps, 'inbound_messages')).toBe(0);
    });

    it('takes the desk’s addresses: configured ones, MAIL_FROM, mailboxes, aliases and plus-address reply tokens', async () => {
      await start({ SMTP_INBOUND_ADDRESSES: '@tickets.desk.example', SMTP_URL: 'smtp://127.0.0.1:9', MAIL_FROM: 'Help <help@desk.example>' });
      await insertMailbox(deps.db, { name: 'IT', address: 'it@desk.example', host: 'imap.desk.example', username: 'it', password: 'x' }, Date.now());
      await insertComponent(deps.db, { name: 'Printers', emailAliases: ['printers@desk.example'] }, Date.now());
      const to = ['anything@tickets.desk.example', 'help@desk.example', 'it@desk.example', 'printers@desk.example', 'help+t1.abcdefghijkl@desk.example', 'outsider@desk.example'];
      const info = await transport().sendMail({ envelope: { from: 'anna@client.example', to }, raw: makeMail({ subject: 'Scanner is broken' }) });
      expect(info.accepted).toEqual(to.slice(0, 5));
      expect(info.rejected).toEqual(['outsider@desk.example']);
      expect(await count(deps, 'tickets')).toBe(1);
    });

    it('limits connections per client address and in total (421)', async () => {
      await start({ SMTP_INBOUND_MAX_PER_IP: '2', SMTP_INBOUND_MAX_CLIENTS: '3' });
      const first = await Promise.all([greeting(listener.port), greeting(listener.port)]);
      expect(first.map((g) => g.line.slice(0, 3))).toEqual(['220', '220']);
      const third = await greeting(listener.port);
      expect(third.line).toMatch(/^421 4\.7\.0 Too many connections from 127\.0\.0\.1/);
      // another address of the same machine is another client, up to the total
      const other = await greeting(listener.port, '127.0.0.2');
      expect(other.line.slice(0, 3)).toBe('220');
      const overTotal = await greeting(listener.port, '127.0.0.3');
      expect(overTotal.line).toMatch(/^421 .*Too many connected clients/);
      for (const g of [...first, third, other, overTotal]) g.socket.destroy();
      // a closed connection frees its slot
      await waitUntil('slots freed', async () => {
        const g = await greeting(listener.port);
        g.socket.destroy();
        return g.line.startsWith('220');
      });
    });

    it('requires AUTH before MAIL FROM when SMTP_INBOUND_USER is set', async () => {
      await start({ SMTP_INBOUND_USER: 'relay', SMTP_INBOUND_PASSWORD: 'relay-secret' });
      const envelope = { from: 'anna@client.example', to: ['support@desk.example'] };
      const anonymous = await refusal(transport().sendMail({ envelope, raw: makeMail() }));
      expect(anonymous?.responseCode).toBe(530);
      const wrong = await refusal(
        nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true, auth: { user: 'relay', pass: 'guess' } }).sendMail({ envelope, raw: makeMail() }),
      );
      expect(wrong?.responseCode).toBe(535);
      expect(await count(deps, 'inbound_messages')).toBe(0);
      const info = await nodemailer
        .createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true, auth: { user: 'relay', pass: 'relay-secret' } })
        .sendMail({ envelope, raw: makeMail({ subject: 'Authenticated' }) });
      expect(info.response).toMatch(/^250 .*\(created\)/);
    });

    it('counts failed AUTH toward the address\'s sign-in lock-out: then even the right password gets 421', async () => {
      await start({ SMTP_INBOUND_USER: 'relay', SMTP_INBOUND_PASSWORD: 'relay-secret', SIGN_IN_FAILURES_PER_IP: '3' });
      const { log, lines } = recordingLogger();
      deps.log = log;
      const envelope = { from: 'anna@client.example', to: ['support@desk.example'] };
      const as = (pass: string) =>
        nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true, auth: { user: 'relay', pass } }).sendMail({ envelope, raw: makeMail() });
      for (let i = 0; i < 3; i++) expect((await refusal(as(`guess ${i}`)))?.responseCode).toBe(535);
      const locked = await refusal(as('relay-secret'));
      expect(locked?.responseCode).toBe(421);
      expect(locked?.response).toMatch(/Too many failed authentications/);
      expect(await count(deps, 'inbound_messages')).toBe(0);
      expect(lines.filter((l) => l.event === 'smtp_auth_refused').map((l) => `${String(l.reason)} ${String(l.email)} ${String(l.ip)}`)).toEqual([
        'wrong_password relay 127.0.0.1', 'wrong_password relay 127.0.0.1', 'wrong_password relay 127.0.0.1', 'ip_locked relay 127.0.0.1',
      ]);
      // the admin sees the lock beside the console's and lifts it the same way
      const services = buildServices(deps);
      expect((await currentSignInLocks(services.ctx)).map((l) => `${l.scope} ${l.key} ${l.failures}`)).toEqual(['ip 127.0.0.1 3']);
      await liftLock(services.ctx, { scope: 'ip', key: '127.0.0.1' }, 'test');
      const info = await as('relay-secret');
      expect(info.response).toMatch(/^250 .*\(created\)/);
    });

    it('does not believe an Authentication-Results header brought to the listener, even of the configured authserv-id', async () => {
      await start({ MAIL_AUTHSERV_ID: 'mx.provider.example', SMTP_INBOUND_ADDRESSES: 'support@desk.example' });
      deps.resolveDns = fakeResolver(dnsTable(mailDomain('desk.example', { dmarc: 'reject' })));
      const forged = makeMail({
        from: 'Alex Agent <agent@desk.example>',
        headers: { 'Authentication-Results': 'mx.provider.example; dkim=pass header.d=desk.example; dmarc=pass header.from=desk.example' },
      });
      await transport().sendMail({ envelope: { from: 'agent@desk.example', to: ['support@desk.example'] }, raw: forged });
      expect((await listTicketMessages(deps.db, 1))[0].senderCheck).toMatchObject({ verdict: 'unverified', method: 'mailauth' });
    });

    // the client here is on loopback: the relay in front of the listener, listed in its own domain's
    // SPF, which would pass every mail it forwards (a forged agent From too)
    for (const [label, env] of [['behind a relay (the default)', {}], ['with SMTP_INBOUND_MX=true', { SMTP_INBOUND_MX: 'true' }]] as const) {
      it(`takes no SPF pass from a client on loopback ${label}: the relay is not the sender`, async () => {
        await start({ MAIL_VERIFY_REQUESTERS: 'on', ...env });
        deps.resolveDns = fakeResolver(dnsTable(mailDomain('desk.example', { dmarc: 'reject', spfIps: ['127.0.0.1'] })));
        await transport().sendMail({ envelope: { from: 'agent@desk.example', to: ['support@desk.example'] }, raw: makeMail({ from: 'Alex Agent <agent@desk.example>' }) });
        expect((await listTicketMessages(deps.db, 1))[0].senderCheck).toEqual({ verdict: 'unverified', reason: 'dmarc-fail', method: 'mailauth', claimsAgent: false });
      });
    }
  });
});
