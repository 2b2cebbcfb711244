// The contract between whoever queues outbound mail/SMS (notification rules, workflow, replies)
// and the outbox worker with the channel senders that deliver the rows.
import type { Locale } from '../db/schema.ts';
import { isConnectionLost } from '../db/connection-lost.ts';
import type { OutboxRow } from '../store/outbox.ts';

/**
 * An email row's payload. The worker renders templates/email/<locale>/<template>.{subject,text,html}.hbs
 * with `vars` at send time and adds the threading headers for the row's ticket.
 */
export type EmailPayload = {
  template: string;
  locale: Locale;
  vars: Record<string, unknown>;
  /** automatic mail (acknowledgements, notices) carries Auto-Submitted and X-Auto-Response-Suppress; agent replies do not */
  auto: boolean;
  /** requester mail threads with the ticket's conversation and carries the reply token; agent notices go to staff */
  audience: 'requester' | 'agent';
  /**
   * RFC 3834 kind of automatic mail: `auto-replied` for a direct answer to an inbound mail (the
   * acknowledgement of a mailed-in ticket, a refused reopen), else `auto-generated` (the default).
   */
  autoSubmitted?: 'auto-replied' | 'auto-generated';
};

/** An SMS row's payload: literal text, or a template under templates/sms/<locale>/<template>.hbs. */
export type SmsPayload = { text: string } | { template: string; locale: Locale; vars: Record<string, unknown> };

export type SendResult = { providerId: string | null; /** recipients the server refused while accepting the rest */ rejected?: string[] };

/**
 * What the admin outbox page says of a sender, in the sender's own words (i18n keys):
 * `notConfigured` what it lacks, with `waitingSince` ({{since}}) after it while rows wait;
 * `down` ({{since}}, {{error}}) while its server cannot be reached; `on` when all is well
 * (without it, a sender that is fine shows nothing).
 */
export type SenderBanners = { notConfigured: string; waitingSince?: string; down: string; on?: string };

/** What a test send answers at once: the server's words, or why it refused. */
export type TestResult = { ok: true; detail: string } | { ok: false; error: string };

export type ChannelSender = {
  channel: OutboxRow['channel'];
  /** false when the channel is not configured (no SMTP_URL, no Twilio): rows stay queued */
  configured: boolean;
  /** what the log says while it is not configured and rows wait, e.g. "outgoing mail is not set up (…); mail stays queued" */
  notConfigured?: string;
  /** the admin outbox page's banner for this sender, in its words */
  banners: SenderBanners;
  send(row: OutboxRow): Promise<SendResult>;
  /** sends one message now, past the outbox, with the settings in use (Admin → Outgoing mail and SMS); never throws */
  test?(to: string, message: { subject: string; text: string }): Promise<TestResult>;
  /** releases connections when the worker stops */
  close?(): Promise<void>;
};

/** A failure that retrying cannot fix (invalid address, number opted out at the provider…). */
export class PermanentSendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentSendError';
  }
}

/**
 * The channel cannot be reached at all (connection refused, login failed, 421): nothing of the
 * row was transmitted, so the attempt does not count; the worker pauses the channel instead.
 */
export class ChannelUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChannelUnavailableError';
  }
}

/** The recipient may not be contacted (opted out at the provider after the row was queued): the row is skipped, not failed. */
export class SkipSendError extends PermanentSendError {
  constructor(message: string) {
    super(message);
    this.name = 'SkipSendError';
  }
}

/**
 * The desk's database went out of reach while a message was being prepared (a PostgreSQL restart):
 * nothing was transmitted, so the attempt does not count, and the row is sent as soon as the
 * database is back instead of waiting out a retry's backoff.
 */
export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the database was out of reach while the message was prepared: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

/** Runs a sender's preparation (reading the row's ticket, settings, contacts): a lost database connection there is a DatabaseUnavailableError. */
export async function preparing<T>(prepare: () => Promise<T>): Promise<T> {
  try {
    return await prepare();
  } catch (err) {
    throw isConnectionLost(err) ? new DatabaseUnavailableError(err) : err;
  }
}
