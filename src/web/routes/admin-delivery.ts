// Admin → Outgoing mail and SMS: the SMTP server and the Twilio account the outbox sends through,
// each with a test (a mail to yourself, an SMS to a number you type). Values from the environment
// are shown read-only; secrets are never shown, only whether one is stored.
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../actions/context.ts';
import {
  clearDeliverySettings, DELIVERY_ERRORS, saveSmtpSettings, saveTwilioSettings, sendTestMail, sendTestSms, type TestResult,
} from '../../actions/delivery-settings.ts';
import { SMS_WEBHOOK_PATH } from '../../channels/sms/twilio-webhook.ts';
import { AppError } from '../../domain/errors.ts';
import { getStoredSmtp, getStoredTwilio, SMTP_SECURITY } from '../../outbox/delivery-settings.ts';
import type { ChannelSender } from '../../outbox/types.ts';
import type { WebRouter } from '../app.ts';
import { currentUser } from '../context.ts';
import { requirePermission } from '../middleware/auth.ts';
import { redirectWithFlash, type Renderer } from '../render.ts';

type Values = Record<string, unknown>;
type Section = { values?: Values; errors?: Record<string, string>; test?: TestResult & { to?: string } };
const PATH = '/admin/delivery';

/** host:port of an smtp(s):// URL, without its login: what the environment's SMTP_URL points at. */
function serverOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '';
  }
}

/** `senders`: the desk's channel senders, which send the tests. */
export function deliveryRouter(ctx: Ctx, senders: readonly ChannelSender[]): WebRouter {
  return { auth: 'user', build: ({ render }) => deliveryRoutes(ctx, senders, render) };
}

function deliveryRoutes(ctx: Ctx, senders: readonly ChannelSender[], render: Renderer): Router {
  const r = Router();
  r.use(PATH, requirePermission('settings.manage'));

  const page = async (req: Request, res: Response, o: { smtp?: Section; sms?: Section; status?: number } = {}) => {
    const { t } = res.locals.web;
    // a refused field's message in the reader's language
    const tr = (errors: Record<string, string> = {}) => Object.fromEntries(Object.entries(errors).map(([f, m]) => {
      const id = Object.entries(DELIVERY_ERRORS).find(([, text]) => text === m)?.[0];
      return [f, id ? t(`outbox.delivery.errors.${id}`) : m];
    }));
    const smtp = await getStoredSmtp(ctx.db);
    const twilio = await getStoredTwilio(ctx.db);
    const { delivery } = ctx.config;
    const smtpValues = o.smtp?.values ?? (smtp ? { ...smtp, password: '' } : { port: 587, security: 'starttls' });
    render(req, res, 'admin-delivery', {
      title: t('outbox.delivery.title'),
      smtp: {
        fromEnv: delivery.smtpFromEnv,
        env: delivery.smtpFromEnv && ctx.config.smtp ? { server: serverOf(ctx.config.smtp.url), from: ctx.config.smtp.from } : null,
        on: !!ctx.config.smtp,
        stored: !!smtp,
        passwordStored: !!smtp?.password,
        values: smtpValues,
        securities: SMTP_SECURITY.map((id) => ({ id, selected: smtpValues.security === id })),
        errors: tr(o.smtp?.errors),
        test: o.smtp?.test ?? null,
      },
      sms: {
        fromEnv: delivery.twilioFromEnv,
        env: delivery.twilioFromEnv && ctx.config.twilio ? { accountSid: ctx.config.twilio.accountSid, from: ctx.config.twilio.from } : null,
        on: !!ctx.config.twilio,
        stored: !!twilio,
        values: o.sms?.values ?? (twilio ? { accountSid: twilio.accountSid, from: twilio.from } : {}),
        errors: tr(o.sms?.errors),
        test: o.sms?.test ?? null,
        webhook: `${ctx.config.publicUrl}${SMS_WEBHOOK_PATH}`,
      },
    }, { status: o.status });
  };
  const body = (req: Request) => (req.body ?? {}) as Values;
  // a refused form is shown again with the messages at their fields (secrets are never sent back)
  const refused = (err: unknown): Record<string, string> | null => {
    if (!(err instanceof AppError) || err.code !== 'validation') return null;
    const fields = err.details.fields as Record<string, string> | undefined;
    return fields && Object.keys(fields).length ? fields : { form: err.message };
  };

  r.get(PATH, async (req, res) => {
    await page(req, res);
  });

  r.post(`${PATH}/smtp`, async (req, res) => {
    try {
      await saveSmtpSettings(ctx, currentUser(res), body(req));
      redirectWithFlash(res, `${PATH}#mail`, 'outbox.delivery.smtpSaved');
    } catch (err) {
      const errors = refused(err);
      if (!errors) throw err;
      await page(req, res, { smtp: { values: { ...body(req), password: '' }, errors }, status: 422 });
    }
  });

  r.post(`${PATH}/twilio`, async (req, res) => {
    try {
      await saveTwilioSettings(ctx, currentUser(res), body(req));
      redirectWithFlash(res, `${PATH}#sms`, 'outbox.delivery.smsSaved');
    } catch (err) {
      const errors = refused(err);
      if (!errors) throw err;
      await page(req, res, { sms: { values: { ...body(req), authToken: '' }, errors }, status: 422 });
    }
  });

  r.post(`${PATH}/smtp/off`, async (_req, res) => {
    await clearDeliverySettings(ctx, currentUser(res), 'smtp');
    redirectWithFlash(res, `${PATH}#mail`, 'outbox.delivery.smtpOffNow');
  });
  r.post(`${PATH}/twilio/off`, async (_req, res) => {
    await clearDeliverySettings(ctx, currentUser(res), 'twilio');
    redirectWithFlash(res, `${PATH}#sms`, 'outbox.delivery.smsOffNow');
  });

  r.post(`${PATH}/smtp/test`, async (req, res) => {
    const test = await sendTestMail(ctx, currentUser(res), senders);
    await page(req, res, { smtp: { test }, status: test.ok ? 200 : 422 });
  });

  r.post(`${PATH}/twilio/test`, async (req, res) => {
    const to = String(body(req).to ?? '');
    try {
      const test = await sendTestSms(ctx, currentUser(res), senders, to);
      await page(req, res, { sms: { test: { ...test, to } }, status: test.ok ? 200 : 422 });
    } catch (err) {
      const errors = refused(err);
      if (!errors) throw err;
      await page(req, res, { sms: { errors, test: { ok: false, error: '', to } }, status: 422 });
    }
  });

  return r;
}
