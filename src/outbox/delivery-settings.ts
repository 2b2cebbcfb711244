// Outgoing mail (SMTP) and SMS (Twilio) as set in the console, kept in the settings table with the
// password and auth token sealed like mailbox passwords. The environment (SMTP_URL + MAIL_FROM,
// TWILIO_*) takes precedence: what is saved here then waits unused. Every desk process applies
// what is saved to its config (config.smtp, config.twilio) at start, at once when a process saves
// (db.notify), and once a minute in case a notification was missed; the senders, the webhook's
// signature check and the console read the config at the moment they need it.
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { openSecret, sealSecret, UnreadableSecretError } from '../domain/stored-secret.ts';
import { findSetting, upsertSetting } from '../store/settings.ts';

/** tls: TLS from the start (usually port 465); starttls: must switch to TLS (587); none: plain text, only for a relay on a trusted network */
export const SMTP_SECURITY = ['tls', 'starttls', 'none'] as const;
export type SmtpSecurity = (typeof SMTP_SECURITY)[number];

const smtpSchema = z.object({
  host: z.string(),
  port: z.number().int(),
  security: z.enum(SMTP_SECURITY),
  username: z.string(),
  /** sealed; empty when the server takes mail without a login */
  password: z.string(),
  from: z.string(),
});
const twilioSchema = z.object({ accountSid: z.string(), authToken: z.string(), from: z.string() });

export type StoredSmtp = z.infer<typeof smtpSchema>;
export type StoredTwilio = z.infer<typeof twilioSchema>;

const KEYS = { smtp: 'delivery.smtp', twilio: 'delivery.twilio' } as const;
/** Settings saved: every desk process applies them at once. */
export const DELIVERY_CHANGED = 'delivery';
const REFRESH_MS = 60_000;

export async function getStoredSmtp(db: Db): Promise<StoredSmtp | undefined> {
  const v = smtpSchema.safeParse(await findSetting(db, KEYS.smtp));
  return v.success ? v.data : undefined;
}

export async function getStoredTwilio(db: Db): Promise<StoredTwilio | undefined> {
  const v = twilioSchema.safeParse(await findSetting(db, KEYS.twilio));
  return v.success ? v.data : undefined;
}

/** `password` in plain text, sealed here; null keeps the stored one. */
export async function saveSmtp(db: Db, s: Omit<StoredSmtp, 'password'> & { password: string | null }, now: number, credentialsKey: string): Promise<void> {
  const stored = await getStoredSmtp(db);
  const password = s.password === null ? (stored?.password ?? '') : s.password === '' ? '' : sealSecret(credentialsKey, s.password);
  await upsertSetting(db, KEYS.smtp, { ...s, password }, now);
  await db.notify(DELIVERY_CHANGED);
}

/** `authToken` in plain text, sealed here; null keeps the stored one. */
export async function saveTwilio(db: Db, s: Omit<StoredTwilio, 'authToken'> & { authToken: string | null }, now: number, credentialsKey: string): Promise<void> {
  const stored = await getStoredTwilio(db);
  const authToken = s.authToken === null ? (stored?.authToken ?? '') : sealSecret(credentialsKey, s.authToken);
  await upsertSetting(db, KEYS.twilio, { ...s, authToken }, now);
  await db.notify(DELIVERY_CHANGED);
}

/** Turns outgoing mail or SMS off (what waits stays in the outbox). */
export async function clearDelivery(db: Db, which: 'smtp' | 'twilio'): Promise<void> {
  await db.run('delete from settings where key = ?', KEYS[which]);
  await db.notify(DELIVERY_CHANGED);
}

/** The nodemailer URL of stored settings, with the password opened. */
export function smtpUrl(s: Pick<StoredSmtp, 'host' | 'port' | 'security' | 'username'>, password: string): string {
  const auth = s.username ? `${encodeURIComponent(s.username)}${password ? `:${encodeURIComponent(password)}` : ''}@` : '';
  const host = s.host.includes(':') ? `[${s.host}]` : s.host;
  return `${s.security === 'tls' ? 'smtps' : 'smtp'}://${auth}${host}:${s.port}`;
}

/** The config's `smtp` for stored settings (throws UnreadableSecretError when the desk's secret changed). */
export function smtpConfigOf(s: StoredSmtp, credentialsKey: string): NonNullable<Config['smtp']> {
  const password = s.password ? openSecret(credentialsKey, s.password, 'SMTP password') : '';
  return { url: smtpUrl(s, password), from: s.from, allowPlaintext: s.security === 'none' };
}

export function twilioConfigOf(s: StoredTwilio, credentialsKey: string, apiUrl: string | undefined): NonNullable<Config['twilio']> {
  return { accountSid: s.accountSid, authToken: openSecret(credentialsKey, s.authToken, 'Twilio auth token'), from: s.from, apiUrl };
}

/** What is saved, applied to this process's config where the environment does not set it. */
export async function applyDeliverySettings(deps: Pick<Deps, 'db' | 'config' | 'secrets' | 'log'>): Promise<void> {
  const { config } = deps;
  const open = <T>(what: string, fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof UnreadableSecretError)) throw err;
      deps.log.error({ err }, `${what} settings saved in the console cannot be used: ${err.message}`);
      return undefined;
    }
  };
  if (!config.delivery.smtpFromEnv) {
    const s = await getStoredSmtp(deps.db);
    config.smtp = s ? open('outgoing mail', () => smtpConfigOf(s, deps.secrets.credentials)) : undefined;
  }
  if (!config.delivery.twilioFromEnv) {
    const s = await getStoredTwilio(deps.db);
    config.twilio = s ? open('SMS', () => twilioConfigOf(s, deps.secrets.credentials, config.delivery.twilioApiUrl)) : undefined;
  }
}

/** Applies the saved settings now, whenever a process saves, and once a minute; the returned function stops that. */
export async function watchDeliverySettings(deps: Pick<Deps, 'db' | 'config' | 'secrets' | 'log'>): Promise<() => Promise<void>> {
  const apply = () => applyDeliverySettings(deps).catch((err: unknown) => deps.log.error({ err }, 'could not read the outgoing mail and SMS settings'));
  await applyDeliverySettings(deps);
  const unlisten = await deps.db.listen(DELIVERY_CHANGED, () => void apply());
  const timer = setInterval(() => void apply(), REFRESH_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await unlisten();
  };
}
