// The email ChannelSender: composes the row's mail and hands it to nodemailer over SMTP_URL.
// SMTP failures are sorted for the worker: the server unreachable or refusing us as a whole
// (nothing of the mail left) → ChannelUnavailableError; a 5xx answer to this mail → permanent;
// anything else (4xx, a connection lost mid-mail) → retried with backoff.
import nodemailer from 'nodemailer';
import type { Config } from '../../config.ts';
import type { Deps } from '../../deps.ts';
import { createEmailRenderer, type EmailRenderer } from '../../outbox/render-email.ts';
import { getOutboxSettings } from '../../outbox/settings.ts';
import { ChannelUnavailableError, PermanentSendError, preparing, type ChannelSender } from '../../outbox/types.ts';
import { composeEmail } from './compose-email.ts';

type SmtpError = Error & { code?: string; command?: string; responseCode?: number; response?: string };

// commands before MAIL FROM: a failure there means no mail transaction was started
const SESSION_COMMANDS = /^(CONN|GREET(ING)?|EHLO|HELO|LHLO|STARTTLS|AUTH\b.*)$/i;

/** Sorts an SMTP failure into the worker's three cases. */
export function classifySmtpError(err: unknown): Error {
  const e = err as SmtpError;
  if (!(err instanceof Error)) return new Error(String(err));
  const detail = e.response ?? e.message;
  if (e.code === 'EAUTH') return new ChannelUnavailableError(`SMTP login refused: ${detail}`);
  if (e.responseCode === 421) return new ChannelUnavailableError(`SMTP server unavailable: ${detail}`);
  if (e.code === 'ETLS' && e.command === 'STARTTLS') {
    return new ChannelUnavailableError(`SMTP server did not switch to TLS (STARTTLS), and mail is not sent without it: use smtps:// (port 465), or set SMTP_ALLOW_PLAINTEXT=true only for a relay on a network you trust (${detail})`);
  }
  if (e.code === 'ECONNECTION' || e.code === 'EDNS' || e.code === 'ETLS' || (e.command && SESSION_COMMANDS.test(e.command))) {
    return new ChannelUnavailableError(`SMTP server unreachable: ${e.message}`);
  }
  if (e.responseCode && e.responseCode >= 500 && e.responseCode < 600) return new PermanentSendError(`SMTP ${e.command ?? ''} refused: ${detail}`.replace(/\s+/g, ' '));
  return err;
}

/** A nodemailer transport for the desk's SMTP settings (a pool for the outbox, one connection for a test mail). */
export function smtpTransport(smtp: NonNullable<Config['smtp']>, opts: { pool: boolean }) {
  return nodemailer.createTransport({
    url: smtp.url,
    // smtp:// must switch to TLS: opportunistic STARTTLS can be stripped by anyone on the path.
    // (smtps:// is TLS from the start; options in the URL's query string still take precedence.)
    requireTLS: !smtp.allowPlaintext,
    ...(opts.pool ? { pool: true, maxConnections: 1, maxMessages: 100 } : {}),
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 120_000,
    logger: false,
  });
}

export function createEmailSender(
  deps: Pick<Deps, 'db' | 'files' | 'config' | 'secrets' | 'log' | 'clock'>,
  opts: { renderer?: EmailRenderer } = {},
): ChannelSender {
  const renderer =
    opts.renderer ??
    createEmailRenderer({ cache: deps.config.env !== 'development', defaultLocale: deps.config.defaultLocale, timeZone: deps.config.timeZone });
  // settings saved in the console change config.smtp while the desk runs: a new server gets a new pool
  let transport: { key: string; t: ReturnType<typeof nodemailer.createTransport> } | undefined;
  const getTransport = (smtp: NonNullable<typeof deps.config.smtp>) => {
    const key = `${smtp.allowPlaintext}|${smtp.url}`;
    if (transport?.key === key) return transport.t;
    transport?.t.close();
    transport = { key, t: smtpTransport(smtp, { pool: true }) };
    return transport.t;
  };

  return {
    channel: 'email',
    get configured() {
      return !!deps.config.smtp;
    },
    notConfigured: 'outgoing mail is not set up (Admin → Outgoing mail and SMS, or SMTP_URL and MAIL_FROM); mail stays queued',
    banners: { notConfigured: 'outbox.smtpOff', waitingSince: 'outbox.waitingSince', down: 'outbox.smtpDown', on: 'outbox.smtpOn' },
    async send(row) {
      const smtp = deps.config.smtp;
      if (!smtp) throw new ChannelUnavailableError('outgoing mail is not set up');
      const mail = await preparing(async () => await composeEmail(deps, renderer, await getOutboxSettings(deps.db), row));
      try {
        const info = await getTransport(smtp).sendMail(mail);
        const rejected = ((info.rejected ?? []) as (string | { address: string })[]).map((a) => (typeof a === 'string' ? a : a.address));
        return { providerId: typeof info.response === 'string' ? info.response.slice(0, 200) : null, rejected };
      } catch (err) {
        throw classifySmtpError(err);
      }
    },
    async test(to, message) {
      const smtp = deps.config.smtp;
      if (!smtp) return { ok: false, error: 'Outgoing mail is not set up yet: save the settings first' };
      const once = smtpTransport(smtp, { pool: false });
      try {
        const info = await once.sendMail({ from: smtp.from, to, subject: message.subject, text: message.text, headers: { 'Auto-Submitted': 'auto-generated' } });
        return { ok: true, detail: `${to}: ${String(info.response ?? 'accepted')}`.slice(0, 300) };
      } catch (err) {
        return { ok: false, error: classifySmtpError(err).message.slice(0, 500) };
      } finally {
        once.close();
      }
    },
    async close() {
      transport?.t.close();
      transport = undefined;
    },
  };
}
