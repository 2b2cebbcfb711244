// Twilio's webhooks: incoming SMS/MMS and delivery reports. Every request must carry a valid
// X-Twilio-Signature, checked with Twilio's own code against the URL Twilio called: PUBLIC_URL
// plus the path and query exactly as received (right behind a reverse proxy). The check needs
// nothing but the auth token, so numbers in a Messaging Service pool (whose requests carry a
// MessagingServiceSid and a To that is not TWILIO_FROM) validate like any other. A signed message
// is kept in the desk's webhook inbox (src/intake/webhook-inbox.ts) before Twilio gets its answer.
import { Router, type RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import twilio from 'twilio';
import type { Ctx } from '../../actions/context.ts';
import { inTransaction } from '../../db/client.ts';
import type { Intake } from '../../intake/receive.ts';
import { createWebhookInbox, type WebhookInbox, type WebhookInboxOptions, type WebhookMeta } from '../../intake/webhook-inbox.ts';
import { findMessage } from '../../store/messages.ts';
import { rateLimitStore } from '../../store/rate-limit-store.ts';
import { advanceDeliveryStatus, findMessageByExternalId, updatePhoneOptOut, type DeliveryStatus } from '../../store/sms.ts';
import type { ChannelWebhooks } from '../channel.ts';
import { messageSidOf, param, type TwilioParams } from './parse-sms.ts';
import { insertSmsEvent } from './sms-events.ts';
import { isSignedByTwilio, signedUrl } from './twilio-signature.ts';

export const SMS_WEBHOOK_PATH = '/webhooks/twilio/sms';
export const STATUS_WEBHOOK_PATH = '/webhooks/twilio/status';

const EMPTY_TWIML = new twilio.twiml.MessagingResponse().toString();

const STATUS_MAP: Record<string, DeliveryStatus> = {
  sent: 'sent', delivered: 'delivered', read: 'delivered', undelivered: 'failed', failed: 'failed',
};

/** How incoming texts wait for intake: as SMS from Twilio, in order per sending number. */
export const SMS_INBOX: WebhookInboxOptions = { channel: 'sms', source: 'twilio', metaOf: spooledSmsMeta };

export function twilioWebhooks(ctx: Ctx, intake: Intake, opts: { inbox?: WebhookInbox } = {}): ChannelWebhooks {
  return {
    auth: 'webhook',
    build() {
      const r = Router();
      const inbox = opts.inbox ?? createWebhookInbox(ctx, intake, SMS_INBOX);

      const verify: RequestHandler = (req, res, next) => {
        const tw = ctx.config.twilio;
        if (!tw) {
          res.status(404).type('text').send('SMS (Twilio) is not configured on this desk.');
          return;
        }
        const signature = req.get('x-twilio-signature');
        const body = (req.body ?? {}) as TwilioParams;
        res.locals.twilioSigned = isSignedByTwilio(tw.authToken, signature, signedUrl(ctx.config.publicUrl, req.originalUrl), body);
        next();
      };
      // Only requests that fail the check count: Twilio does not resend a message it got an
      // error for, so a signed request is never refused, whatever the rate.
      const limiter = rateLimit({
        windowMs: 10 * 60 * 1000,
        limit: 100,
        standardHeaders: 'draft-8',
        legacyHeaders: false,
        skip: (_req, res) => res.locals.twilioSigned === true,
        keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
        store: rateLimitStore(ctx, 'sms-unsigned'),
        handler: (_req, res) => {
          res.status(429).type('text').send('Too many unsigned requests.');
        },
      });
      const refuseUnsigned: RequestHandler = (req, res, next) => {
        if (res.locals.twilioSigned) return next();
        ctx.log.warn({ path: req.path, ip: req.ip, hasSignature: !!req.get('x-twilio-signature') }, 'Twilio webhook refused: signature missing or invalid');
        res.status(403).type('text').send('Invalid or missing X-Twilio-Signature.');
      };

      r.post(SMS_WEBHOOK_PATH, verify, limiter, refuseUnsigned, (req, res) => {
        const params = req.body as TwilioParams;
        const sid = messageSidOf(params);
        // Twilio gets its answer only once the message is on disk
        inbox.accept(Buffer.from(JSON.stringify(params)), { externalId: sid, sender: param(params, 'From'), hasMedia: Number(param(params, 'NumMedia') ?? '0') > 0 }).then(
          () => res.type('text/xml').send(EMPTY_TWIML),
          (err: unknown) => {
            ctx.log.error({ err, sid }, 'incoming SMS could neither be stored nor spooled');
            res.status(503).type('text').send('Temporarily unable to store the message.');
          },
        );
      });

      r.post(STATUS_WEBHOOK_PATH, verify, limiter, refuseUnsigned, async (req, res) => {
        const params = req.body as TwilioParams;
        const sid = param(params, 'MessageSid') ?? param(params, 'SmsSid');
        const status = STATUS_MAP[(param(params, 'MessageStatus') ?? param(params, 'SmsStatus') ?? '').toLowerCase()];
        const messageId = /^\d{1,12}$/.test(String(req.query.message ?? '')) ? Number(req.query.message) : undefined;
        if (status) await recordStatus(ctx, { sid, status, messageId, errorCode: param(params, 'ErrorCode') ?? null, to: param(params, 'To') ?? null });
        res.status(204).end();
      });

      return r;
    },
  };
}

async function recordStatus(
  ctx: Ctx,
  s: { sid: string | undefined; status: DeliveryStatus; messageId: number | undefined; errorCode: string | null; to: string | null },
): Promise<void> {
  const now = ctx.clock.now();
  await inTransaction(ctx.db, async () => {
    const msg = s.messageId !== undefined ? await findMessage(ctx.db, s.messageId) : s.sid ? await findMessageByExternalId(ctx.db, s.sid) : undefined;
    if (!msg || msg.channel !== 'sms' || msg.direction !== 'out') return;
    // a report about an earlier attempt of the same message (sent twice after a timeout)
    if (s.sid && msg.externalId && msg.externalId !== s.sid) return;
    const changed = await advanceDeliveryStatus(ctx.db, msg.id, s.status, s.sid);
    if (!changed || s.status !== 'failed') return;
    const code = s.errorCode && /^\d+$/.test(s.errorCode) ? Number(s.errorCode) : null;
    const phone = s.to ?? '';
    if (code === 21610 && phone) await updatePhoneOptOut(ctx.db, phone, now);
    await insertSmsEvent(ctx.db, msg.ticketId, { what: 'failed', phone, error: '', code }, now);
  });
}

/** SID, sender and media flag of a webhook's JSON form fields (for spooled files). */
function spooledSmsMeta(raw: Buffer): WebhookMeta {
  try {
    const p = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    const s = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : undefined);
    return { externalId: s('MessageSid') || s('SmsMessageSid') || s('SmsSid'), sender: s('From'), hasMedia: Number(s('NumMedia') ?? '0') > 0 };
  } catch {
    return { externalId: undefined, sender: undefined, hasMedia: false };
  }
}
