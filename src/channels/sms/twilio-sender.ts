// Delivers SMS outbox rows through Twilio: the number or Messaging Service of TWILIO_FROM, a
// status callback so delivery is recorded on the message. Numbers that opted out get nothing
// (except the one confirmation of their opt-out).
import type { Deps } from '../../deps.ts';
import { PermanentSendError, preparing, SkipSendError, type ChannelSender, type SmsPayload } from '../../outbox/types.ts';
import { findContactPhone } from '../../store/contacts.ts';
import type { OutboxRow } from '../../store/outbox.ts';
import { advanceDeliveryStatus, updatePhoneOptOut } from '../../store/sms.ts';
import { createSmsTemplates, type SmsTemplates } from './sms-templates.ts';
import { createTwilioClient, type TwilioClient } from './twilio-client.ts';

export const STATUS_CALLBACK_PATH = '/webhooks/twilio/status';
const OPTED_OUT_AT_PROVIDER = 21610; // "Attempt to send to unsubscribed recipient"

/** The recipient sent STOP after the row was queued: not an error, nothing to retry. */
export class OptedOutError extends SkipSendError {
  constructor(recipient: string) {
    super(`${recipient} has opted out of SMS`);
    this.name = 'OptedOutError';
  }
}

/** Where Twilio reports delivery; the message id makes the report independent of timing. */
export function statusCallbackUrl(publicUrl: string, messageId: number | null): string {
  return `${publicUrl}${STATUS_CALLBACK_PATH}${messageId ? `?message=${messageId}` : ''}`;
}

export function smsText(payload: SmsPayload, templates: SmsTemplates): string {
  return 'text' in payload ? payload.text : templates.render(payload.template, payload.locale, payload.vars);
}

/** TWILIO_FROM is a phone number, or a Messaging Service (MG…) that picks one. */
export function twilioSender(from: string): { messagingServiceSid: string } | { from: string } {
  return from.startsWith('MG') ? { messagingServiceSid: from } : { from };
}

export function createTwilioSender(deps: Deps, opts: { client?: TwilioClient; templates?: SmsTemplates } = {}): ChannelSender {
  const templates = opts.templates ?? createSmsTemplates();
  // settings saved in the console change config.twilio while the desk runs: new credentials get a new client
  let client: { key: string; c: TwilioClient } | undefined;
  const clientFor = (tw: NonNullable<typeof deps.config.twilio>) => {
    if (opts.client) return opts.client;
    const key = `${tw.accountSid}|${tw.authToken}|${tw.apiUrl ?? ''}`;
    if (client?.key !== key) client = { key, c: createTwilioClient(tw) };
    return client.c;
  };

  return {
    channel: 'sms',
    get configured() {
      return !!deps.config.twilio;
    },
    notConfigured: 'SMS is not set up (Admin → Outgoing mail and SMS, or TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM); texts stay queued',
    banners: { notConfigured: 'outbox.smsOff', waitingSince: 'outbox.smsWaitingSince', down: 'outbox.smsDown' },
    async send(row: OutboxRow) {
      const tw = deps.config.twilio;
      if (!tw) throw new Error('SMS is not set up');
      const payload = row.payload as SmsPayload;
      const confirmation = 'template' in payload && payload.template === 'opted-out';
      if ((await preparing(async () => await findContactPhone(deps.db, row.recipient)))?.smsOptedOutAt && !confirmation) {
        await fail(row, 'skipped');
        throw new OptedOutError(row.recipient);
      }
      let sid: string;
      try {
        const m = await clientFor(tw).messages.create({
          to: row.recipient,
          body: smsText(payload, templates),
          statusCallback: statusCallbackUrl(deps.config.publicUrl, row.messageId),
          ...twilioSender(tw.from),
        });
        sid = m.sid;
      } catch (err) {
        const e = err as { status?: number; code?: number; message?: string };
        // 400 is Twilio refusing this message (bad or unsubscribed number…); retrying cannot help.
        // Auth errors, 429 and 5xx are retried: a fixed configuration or a calmer API sends it.
        if (e.status === 400) {
          if (e.code === OPTED_OUT_AT_PROVIDER) await updatePhoneOptOut(deps.db, row.recipient, deps.clock.now());
          await fail(row, 'failed');
          throw new PermanentSendError(`Twilio refused the message: ${e.code ?? ''} ${e.message ?? ''}`.trim());
        }
        throw err;
      }
      if (row.messageId) await advanceDeliveryStatus(deps.db, row.messageId, 'sent', sid);
      return { providerId: sid };
    },
    async test(to, message) {
      const tw = deps.config.twilio;
      if (!tw) return { ok: false, error: 'SMS is not set up yet: save the settings first' };
      try {
        const m = await clientFor(tw).messages.create({ to, body: message.text, ...twilioSender(tw.from) });
        return { ok: true, detail: `${to}: ${m.sid}` };
      } catch (err) {
        const e = err as { status?: number; code?: number; message?: string };
        return { ok: false, error: `Twilio: ${[e.status, e.code, e.message].filter((x) => x !== undefined).join(' ')}`.slice(0, 500) };
      }
    },
  };

  // the message shows the outcome; the outbox worker records the failed or skipped send in the thread
  async function fail(row: OutboxRow, status: 'failed' | 'skipped') {
    if (row.messageId) await advanceDeliveryStatus(deps.db, row.messageId, status);
  }
}
