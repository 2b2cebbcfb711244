// The SMTP intake listener with a real SMTP client (nodemailer): delivered mail becomes a ticket,
// a temporary failure answers 451 so the sender retries, oversized mail is refused with 552.
import Database from 'better-sqlite3';
import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpListener, type SmtpListener } from '../src/channels/email/smtp-listener.ts';
import { buildServices } from '../src/services.ts';
import { insertComponent } from '../src/store/components.ts';
import { listTicketMessages } from '../src/store/messages.ts';
import { findTicket } from '../src/store/tickets.ts';
import { makeTestDeps, type TestDeps } from './helpers/deps.ts';
import { makeMail } from './helpers/mail.ts';

const count = (deps: TestDeps, table: string) => (deps.db.$client.prepare(`select count(*) n from ${table}`).get() as { n: number }).n;

describe('SMTP intake listener', () => {
  let deps: TestDeps;
  let listener: SmtpListener;

  const start = async (env: Record<string, string> = {}) => {
    deps = makeTestDeps(env, { file: true });
    listener = await startSmtpListener({ deps, intake: buildServices(deps).intake, port: 0, host: '127.0.0.1' });
  };
  const transport = () => nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true });

  afterEach(async () => {
    await listener?.stop();
    deps?.close();
  });

  describe('with the default limits', () => {
    beforeEach(() => start());

    it('turns a delivered mail into a ticket, routed by the envelope recipient', async () => {
      const printers = insertComponent(deps.db, { name: 'Printers', emailAliases: ['printers@desk.example'] }, Date.now());
      const info = await transport().sendMail({
        envelope: { from: 'anna@client.example', to: ['printers@desk.example'] },
        raw: makeMail({ to: 'support@desk.example', subject: 'Toner is empty' }),
      });
      expect(info.response).toMatch(/^250 .*Accepted as inbound #1 \(created\)/);
      const t = findTicket(deps.db, 1)!;
      expect(t.subject).toBe('Toner is empty');
      expect(t.componentId).toBe(printers.id);
      expect(listTicketMessages(deps.db, t.id)[0].fromAddress).toBe('anna@client.example');
    });

    it('answers 451 while the desk cannot store mail, and takes the retry', async () => {
      deps.db.$client.pragma('busy_timeout = 50');
      const other = new Database(deps.config.databasePath);
      other.exec('BEGIN IMMEDIATE');
      const raw = makeMail({ subject: 'Retry me' });
      try {
        const err = await transport().sendMail({ envelope: { from: 'anna@client.example', to: ['support@desk.example'] }, raw }).then(
          () => null,
          (e: unknown) => e as { responseCode?: number; response?: string },
        );
        expect(err?.responseCode).toBe(451);
        expect(err?.response).toMatch(/4\.3\.0 Temporary failure/);
      } finally {
        other.exec('ROLLBACK');
        other.close();
      }
      expect(count(deps, 'tickets')).toBe(0);
      // the sending server retries later
      const info = await transport().sendMail({ envelope: { from: 'anna@client.example', to: ['support@desk.example'] }, raw });
      expect(info.response).toMatch(/^250 /);
      expect(count(deps, 'tickets')).toBe(1);
    });
  });

  it('refuses mail over MAX_MAIL_BYTES with 552 and stores nothing', async () => {
    await start({ MAX_MAIL_BYTES: '2000' });
    const err = await transport()
      .sendMail({ envelope: { from: 'anna@client.example', to: ['support@desk.example'] }, raw: makeMail({ body: 'x'.repeat(5000) }) })
      .then(() => null, (e: unknown) => e as { responseCode?: number; response?: string });
    expect(err?.responseCode).toBe(552);
    expect(err?.response).toMatch(/over the 2000-byte limit/);
    expect(count(deps, 'inbound_messages')).toBe(0);
  });
});
