// Outgoing mail and SMS from the console (Admin → Outgoing mail and SMS): save, switch off, and
// send a test (a mail to the admin, an SMS to a number they type) that answers at once with what
// the server said. The environment's settings take precedence and cannot be changed here.
import { z } from 'zod';
import { parseInput } from './validate.ts';
import type { Ctx } from './context.ts';
import { requirePermission } from './tickets.ts';
import { recordAudit } from './audit.ts';
import { inTransaction } from '../db/client.ts';
import { AppError, invalid } from '../domain/errors.ts';
import { parseAddress } from '../domain/mail-address.ts';
import { toE164 } from '../domain/phone.ts';
import {
  applyDeliverySettings, clearDelivery, getStoredSmtp, getStoredTwilio, saveSmtp, saveTwilio, SMTP_SECURITY,
} from '../outbox/delivery-settings.ts';
import type { ChannelSender, TestResult } from '../outbox/types.ts';
import type { User } from '../store/users.ts';

/** The messages of a refused form, by id: the console shows each in the reader's language (outbox.delivery.errors.<id>). */
export const DELIVERY_ERRORS = {
  host: 'Enter a host name, without smtp:// or a port',
  port: 'Enter a port number',
  security: 'Choose how the connection is secured',
  from: 'Enter an address, e.g. Support <support@example.com>',
  password: 'Enter the password',
  passwordAgain: 'Enter the password again: the server or user name changed',
  accountSid: 'An Account SID starts with AC and has 32 more letters and digits',
  authToken: 'Enter the auth token',
  authTokenAgain: 'Enter the auth token again: the Account SID changed',
  smsFrom: 'Enter a number in international form (+1…) or a Messaging Service SID (MG…)',
  to: 'Enter a phone number in international form (+1…)',
} as const;
const E = DELIVERY_ERRORS;

const secret = z.preprocess((v) => (typeof v === 'string' && v !== '' ? v : undefined), z.string().max(500).optional());

export const smtpSchema = z.object({
  host: z.string({ message: E.host }).trim().min(1, E.host).max(255, E.host).regex(/^[a-z0-9.-]+$|^\[?[0-9a-f:.]+\]?$/i, E.host),
  port: z.coerce.number({ message: E.port }).int(E.port).min(1, E.port).max(65535, E.port),
  security: z.enum(SMTP_SECURITY, { message: E.security }),
  username: z.string().trim().max(300).default(''),
  password: secret,
  from: z.string({ message: E.from }).trim().max(300, E.from).refine((v) => parseAddress(v) !== null, E.from),
});

export const twilioSchema = z.object({
  accountSid: z.string({ message: E.accountSid }).trim().regex(/^AC[0-9a-f]{32}$/i, E.accountSid),
  authToken: secret,
  from: z.string({ message: E.smsFrom }).trim().max(64, E.smsFrom).refine((v) => /^MG[0-9a-f]{32}$/i.test(v) || toE164(v) !== undefined, E.smsFrom),
});

export type DeliveryForm = Record<string, unknown>;

/** The schema's values, or every problem of the form at once: the schema's and those `more` finds in the raw input. */
function parseAll<T extends z.ZodTypeAny>(schema: T, input: DeliveryForm, more: (raw: DeliveryForm) => Record<string, string> | undefined): z.infer<T> {
  let fields: Record<string, string> = {};
  let values: z.infer<T> | undefined;
  try {
    values = parseInput(schema, input);
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'validation') throw err;
    fields = { ...(err.details.fields as Record<string, string>) };
  }
  fields = { ...fields, ...more(input ?? {}) };
  if (Object.keys(fields).length || values === undefined) throw invalid(Object.values(fields).join('; '), fields);
  return values;
}


function editable(ctx: Ctx, user: User, which: 'smtp' | 'twilio'): void {
  requirePermission(user, 'settings.manage');
  const fromEnv = which === 'smtp' ? ctx.config.delivery.smtpFromEnv : ctx.config.delivery.twilioFromEnv;
  if (fromEnv) throw new AppError('conflict', which === 'smtp' ? 'Outgoing mail is set by SMTP_URL and MAIL_FROM in the environment' : 'SMS is set by TWILIO_* in the environment');
}

const storedSettings = (ctx: Ctx, which: 'smtp' | 'twilio') => (which === 'smtp' ? getStoredSmtp(ctx.db) : getStoredTwilio(ctx.db));

/** Saves outgoing mail or SMS settings and records them before → after (the password and auth token only as "set" or "changed"). */
async function audited(ctx: Ctx, user: User, which: 'smtp' | 'twilio', save: () => Promise<void>): Promise<void> {
  await inTransaction(ctx.db, async () => {
    const before = (await storedSettings(ctx, which)) ?? null;
    await save();
    const after = (await storedSettings(ctx, which)) ?? null;
    const action = !after ? 'removed' : before ? 'updated' : 'created';
    await recordAudit(ctx, user, { kind: 'delivery', id: null, label: which === 'smtp' ? 'SMTP' : 'Twilio' }, action, { before, after });
  });
}

export async function saveSmtpSettings(ctx: Ctx, user: User, input: DeliveryForm): Promise<void> {
  editable(ctx, user, 'smtp');
  const stored = await getStoredSmtp(ctx.db);
  const v = parseAll(smtpSchema, input, (raw) => {
    const username = String(raw.username ?? '').trim();
    if (raw.password || !username) return undefined;
    if (!stored?.password) return { password: E.password };
    // the stored password is only ever sent to the server and user it was saved for
    const sameServer = stored.host.toLowerCase() === String(raw.host ?? '').trim().replace(/^\[|\]$/g, '').toLowerCase() && stored.username === username;
    return sameServer ? undefined : { password: E.passwordAgain };
  });
  // no user name: the server takes mail without a login (a relay), and no password is kept
  const password = !v.username ? '' : v.password ?? null;
  await audited(ctx, user, 'smtp', () => saveSmtp(ctx.db, { host: v.host.replace(/^\[|\]$/g, ''), port: v.port, security: v.security, username: v.username, password, from: v.from }, ctx.clock.now(), ctx.secrets.credentials));
  await applyDeliverySettings(ctx);
}

export async function saveTwilioSettings(ctx: Ctx, user: User, input: DeliveryForm): Promise<void> {
  editable(ctx, user, 'twilio');
  const stored = await getStoredTwilio(ctx.db);
  const v = parseAll(twilioSchema, input, (raw) => {
    if (raw.authToken) return undefined;
    if (!stored) return { authToken: E.authToken };
    return stored.accountSid === String(raw.accountSid ?? '').trim() ? undefined : { authToken: E.authTokenAgain };
  });
  const from = /^MG/i.test(v.from) ? v.from : toE164(v.from)!;
  await audited(ctx, user, 'twilio', () => saveTwilio(ctx.db, { accountSid: v.accountSid, authToken: v.authToken ?? null, from }, ctx.clock.now(), ctx.secrets.credentials));
  await applyDeliverySettings(ctx);
}

/** Switches outgoing mail or SMS off; what waits stays in the outbox until it is set up again. */
export async function clearDeliverySettings(ctx: Ctx, user: User, which: 'smtp' | 'twilio'): Promise<void> {
  editable(ctx, user, which);
  await audited(ctx, user, which, () => clearDelivery(ctx.db, which));
  await applyDeliverySettings(ctx);
}

export type { TestResult };

/** The desk's sender for a channel, if it can send a test. */
function tester(senders: readonly ChannelSender[], channel: ChannelSender['channel']) {
  const test = senders.find((s) => s.channel === channel)?.test;
  if (!test) throw new AppError('conflict', `This desk does not send ${channel === 'email' ? 'mail' : 'SMS'}`);
  return test;
}

/** A mail to the admin's own address through the settings in use (saved or from the environment). */
export async function sendTestMail(ctx: Ctx, user: User, senders: readonly ChannelSender[]): Promise<TestResult> {
  requirePermission(user, 'settings.manage');
  return tester(senders, 'email')(user.email, {
    subject: `${ctx.config.deskName}: test mail`,
    text: `This mail was sent from ${ctx.config.publicUrl} to check the outgoing mail settings. Mail from the desk reaches you.`,
  });
}

/** An SMS to the number typed, through the Twilio account in use. */
export async function sendTestSms(ctx: Ctx, user: User, senders: readonly ChannelSender[], to: unknown): Promise<TestResult> {
  requirePermission(user, 'settings.manage');
  const test = tester(senders, 'sms');
  if (!ctx.config.twilio) return { ok: false, error: 'SMS is not set up yet: save the settings first' };
  const number = typeof to === 'string' ? toE164(to, ctx.config.sms.defaultCountry) : undefined;
  if (!number) throw invalid(E.to, { to: E.to });
  return test(number, { subject: '', text: `${ctx.config.deskName}: test SMS. Texts from the desk reach this number.` });
}
