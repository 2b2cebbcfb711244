// The environment contract (README "Configuration"). Only main.ts and the CLI call loadConfig.
import { isIP } from 'node:net';
import { z } from 'zod';
import { isSupportedCountry } from 'libphonenumber-js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number({ message: 'must be a port number' }).int().min(0).max(65535);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const url = (what: string) =>
  z.string().refine((v) => {
    try {
      new URL(v);
      return true;
    } catch {
      return false;
    }
  }, `must be an absolute URL (${what})`);

/**
 * The address of this listener when PUBLIC_URL is not set: HOST and PORT, with a wildcard or
 * loopback host read as localhost (the links are opened on this machine) and an IPv6 literal in
 * brackets.
 */
export function listenerUrl(host: string, port: number): string {
  const h = host.trim().replace(/^\[|\]$/g, '');
  const local = h === '' || h === '0.0.0.0' || h === '::' || h === '::1' || h === 'localhost' || /^127\./.test(h);
  const name = local ? 'localhost' : h.includes(':') ? `[${h}]` : h;
  return `http://${name}:${port}`;
}

export const ROLE_NAMES = ['web', 'intake', 'outbox', 'scheduler'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
    PORT: port.default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    PUBLIC_URL: optional(url('e.g. https://help.example.com')),
    TRUST_PROXY: z
      .string()
      .default('loopback')
      .transform((v, c) => {
        const parsed = parseTrustProxy(v);
        if (parsed === null) c.addIssue({ code: 'custom', message: 'must be a number of proxies (e.g. 1), or a comma-separated list of addresses and networks (e.g. 10.0.0.5, 10.0.0.0/8, loopback, uniquelocal)' });
        return parsed ?? ['loopback'];
      }),
    DATABASE_URL: z
      .string()
      .default('file:./data/helpdesk.sqlite')
      .refine((v) => v.startsWith('file:') || /^postgres(ql)?:\/\/./.test(v), 'must be a file: URL (SQLite, e.g. file:./data/helpdesk.sqlite) or a postgres:// URL (e.g. postgres://desk:secret@db.example:5432/desk)'),
    DATABASE_POOL_SIZE: z.coerce.number({ message: 'must be a number of connections' }).int().min(1).max(200).default(10),
    DATA_DIR: z.string().min(1).default('./data'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ROLES: z
      .string()
      .default(ROLE_NAMES.join(','))
      .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(z.enum(ROLE_NAMES, { message: `each role must be one of ${ROLE_NAMES.join(', ')}` }))),
    DESK_NAME: z.string().min(1).default('Help Desk'),
    DEFAULT_LOCALE: z.enum(['en', 'ru']).default('en'),
    COST_CURRENCY: z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'must be a three-letter currency code (ISO 4217), e.g. RUB').default('RUB'),
    TIME_ZONE: z
      .string()
      .default('UTC')
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'must be an IANA time zone, e.g. Europe/Moscow'),
    ADMIN_EMAIL: optional(z.email({ message: 'must be an email address' })),
    ADMIN_PASSWORD: optional(z.string().min(10, 'must be at least 10 characters')),
    SESSION_SECRET: optional(z.string().min(32, 'must be at least 32 characters')),
    SIGN_IN_FAILURES_PER_ACCOUNT: z.coerce.number({ message: 'must be a number' }).int().min(1).max(1000).default(10),
    SIGN_IN_FAILURES_PER_IP: z.coerce.number({ message: 'must be a number' }).int().min(1).max(10000).default(10),
    SIGN_IN_WINDOW_MINUTES: z.coerce.number({ message: 'must be a number of minutes' }).int().min(1).max(24 * 60).default(15),
    MAX_MAIL_BYTES: z.coerce.number().int().positive().default(25 * 1024 * 1024),
    MAX_ATTACHMENT_BYTES: z.coerce.number().int().positive().default(20 * 1024 * 1024),
    MAX_ATTACHMENTS_PER_MAIL: z.coerce.number().int().min(0).default(100),

    IMAP_HOST: optionalString,
    IMAP_PORT: optional(port),
    IMAP_SECURE: optional(bool),
    IMAP_ALLOW_PLAINTEXT: optional(bool),
    IMAP_USER: optionalString,
    IMAP_PASSWORD: optionalString,
    IMAP_MAILBOX: z.string().min(1).default('INBOX'),
    IMAP_ADDRESS: optional(z.email({ message: 'must be an email address' })),

    SMTP_URL: optional(url('e.g. smtp://user:pass@mail.example.com:587')),
    SMTP_ALLOW_PLAINTEXT: optional(bool),
    MAIL_FROM: optional(z.string().regex(/[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+/, 'must contain an email address, e.g. "Help Desk <support@example.com>"')),
    SMTP_INBOUND_PORT: optional(port),
    SMTP_INBOUND_HOST: z.string().min(1).default('127.0.0.1'),
    SMTP_INBOUND_ADDRESSES: optional(
      z
        .string()
        .transform((v) => v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))
        .pipe(z.array(z.string().regex(/^([^\s@<>,]+)?@[^\s@<>,]+\.[^\s@<>,]+$/, 'each entry must be an address (support@example.com) or a whole domain (@example.com)'))),
    ),
    SMTP_INBOUND_MAX_CLIENTS: z.coerce.number({ message: 'must be a number' }).int().min(1).max(10_000).default(20),
    SMTP_INBOUND_MAX_PER_IP: z.coerce.number({ message: 'must be a number' }).int().min(1).max(10_000).default(5),
    SMTP_INBOUND_USER: optionalString,
    SMTP_INBOUND_PASSWORD: optionalString,
    SMTP_INBOUND_MX: bool.default(false),

    MAIL_SENDER_VERIFY: optional(z.enum(['mailauth', 'authserv', 'off'], { message: 'must be mailauth, authserv or off' })),
    MAIL_AUTHSERV_ID: optional(z.string().trim().toLowerCase().regex(/^[^\s;]+$/, 'must be one authserv-id, e.g. mx.google.com')),
    MAIL_VERIFY_REQUESTERS: z
      .enum(['on', 'off', 'true', 'false', '1', '0', 'yes', 'no'], { message: 'must be on or off' })
      .default('off')
      .transform((v) => v === 'on' || v === 'true' || v === '1' || v === 'yes'),
    MAIL_DNS_TIMEOUT_MS: z.coerce.number({ message: 'must be a number of milliseconds' }).int().min(100).max(60_000).default(5000),

    TWILIO_ACCOUNT_SID: optional(z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex digits')),
    TWILIO_AUTH_TOKEN: optionalString,
    TWILIO_FROM: optional(
      z.string().trim().regex(/^(\+[1-9]\d{4,14}|MG[0-9a-fA-F]{32})$/, 'must be a phone number in +E.164 form or a Messaging Service SID (MG…)'),
    ),
    TWILIO_API_URL: optional(url('e.g. http://127.0.0.1:4010')),
    SMS_DEFAULT_COUNTRY: optional(
      z.string().trim().toUpperCase().refine((v) => isSupportedCountry(v), 'must be a two-letter country code, e.g. RU or US'),
    ),
    SMS_THREAD_WINDOW_HOURS: z.coerce.number({ message: 'must be a number of hours' }).int().min(0).max(24 * 365).default(72),
    PORTAL_LINK_DAYS: z.coerce.number({ message: 'must be a number of days' }).int().min(1).max(3650).default(30),
    KB_PUBLIC: optional(bool),
    REPORT_SLOW_MS: z.coerce.number({ message: 'must be a number of milliseconds' }).int().min(0).max(3_600_000).default(100),
  });

/** Every environment variable the desk reads (README "Configuration" and .env.example list them all). */
export const ENV_NAMES: readonly string[] = Object.keys(schema.shape);

// Rules across variables, checked on the raw values so they are reported even when other
// variables are invalid (every problem is listed in one go).
function crossFieldProblems(source: Record<string, string | undefined>): string[] {
  const isSet = (k: string) => source[k] !== undefined && source[k]!.trim() !== '';
  const out: string[] = [];
  const together = (group: string[]) => {
    const set = group.filter(isSet);
    if (set.length > 0 && set.length < group.length) {
      for (const k of group.filter((k) => !isSet(k))) out.push(`${k}: is required when ${set.join(', ')} is set`);
    }
  };
  together(['IMAP_HOST', 'IMAP_USER', 'IMAP_PASSWORD']);
  together(['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM']);
  together(['SMTP_INBOUND_USER', 'SMTP_INBOUND_PASSWORD']);
  if (source.MAIL_SENDER_VERIFY?.trim() === 'authserv' && !isSet('MAIL_AUTHSERV_ID')) {
    out.push('MAIL_AUTHSERV_ID: is required when MAIL_SENDER_VERIFY=authserv (the authserv-id your mailbox provider writes, e.g. mx.google.com)');
  }
  if (isSet('SMTP_URL') && !isSet('MAIL_FROM')) out.push('MAIL_FROM: is required when SMTP_URL is set');
  if (isSet('ADMIN_EMAIL') !== isSet('ADMIN_PASSWORD')) {
    out.push(`${isSet('ADMIN_EMAIL') ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL'}: ADMIN_EMAIL and ADMIN_PASSWORD go together`);
  }
  return out;
}

export type Env = z.infer<typeof schema>;

/** SQLite in one file (the default), or a PostgreSQL server that several desk instances share. */
export type DatabaseConfig = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string; poolSize: number };

/** The database as logs and the CLI name it: the file, or the server's URL without its password. */
export function databaseLabel(db: DatabaseConfig): string {
  if (db.engine === 'sqlite') return db.file;
  try {
    const u = new URL(db.url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** TRUST_PROXY: a number of proxies, or the addresses and networks of trusted proxies; null when neither. */
export function parseTrustProxy(v: string): number | string[] | null {
  const text = v.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const list = text.split(',').map((s) => s.trim()).filter(Boolean);
  const valid = (entry: string) => {
    if (PROXY_NAMES.includes(entry)) return true;
    const [address, bits, more] = entry.split('/');
    const family = isIP(address);
    if (!family || more !== undefined) return false;
    return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
  };
  return list.length > 0 && list.every(valid) ? list : null;
}

export type Config = {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  publicUrl: string;
  /** PUBLIC_URL was set (else publicUrl is this listener's own address) */
  publicUrlConfigured: boolean;
  /** which proxies in front of the web are believed about the client's address (X-Forwarded-For), as Express's `trust proxy` */
  trustProxy: number | string[];
  database: DatabaseConfig;
  dataDir: string;
  logLevel: Env['LOG_LEVEL'];
  roles: RoleName[];
  deskName: string;
  defaultLocale: 'en' | 'ru';
  timeZone: string;
  /** the currency of staff's hourly costs (ISO 4217): the cost-of-service report prices logged time in it */
  costCurrency: string;
  admin: { email: string; password: string } | undefined;
  sessionSecret: string | undefined;
  /** failed sign-ins allowed per account and per client address within the window, before a lock */
  signIn: { failuresPerAccount: number; failuresPerIp: number; windowMs: number };
  /** what one inbound mail may cost: its size, one attachment's size, how many attachments are stored */
  limits: { mailBytes: number; attachmentBytes: number; attachmentsPerMail: number };
  imap:
    | { host: string; port: number; secure: boolean; allowPlaintext: boolean; user: string; password: string; mailbox: string; address: string }
    | undefined;
  /** without TLS from the start (smtp://), STARTTLS is required unless allowPlaintext */
  smtp: { url: string; from: string; allowPlaintext: boolean } | undefined;
  smtpInbound: SmtpInboundConfig | undefined;
  /** how much a mail's From is believed (README "What the desk believes about a mail's sender") */
  senderVerify: SenderVerifyConfig;
  twilio: { accountSid: string; authToken: string; from: string; apiUrl: string | undefined } | undefined;
  /**
   * Where outgoing mail and SMS settings come from: the environment (SMTP_URL + MAIL_FROM, TWILIO_*)
   * wins and the console shows it read-only; otherwise an admin sets them in the console and
   * `smtp`/`twilio` above follow what is saved (outbox/delivery-settings.ts).
   */
  delivery: { smtpFromEnv: boolean; twilioFromEnv: boolean; twilioApiUrl: string | undefined };
  /** SMS: country for numbers written without +country code; how long a text joins the sender's open ticket */
  sms: { defaultCountry: string | undefined; threadWindowHours: number };
  /**
   * a report that takes at least slowMs to count is counted again after a ticket change only once
   * ten times its counting time has passed since it was counted (reports/kit/result-cache.ts); 0: every
   * report is counted again after every change
   */
  reports: { slowMs: number };
  /** requester portal links: how many days after the ticket closes (or the link was sent, if later) a link still opens */
  /** kbWithoutSignIn: the knowledge base's public articles are read in the portal without signing in */
  portal: { linkDays: number; kbWithoutSignIn: boolean };
};

export type SmtpInboundConfig = {
  port: number;
  host: string;
  /** accepted as RCPT besides the desk's own addresses: full addresses or "@domain" */
  addresses: string[];
  maxClients: number;
  maxPerIp: number;
  /** when set, a client must AUTH before MAIL FROM */
  auth: { user: string; password: string } | undefined;
  /**
   * the listener is the internet-facing MX, so a public client is the sender's own server and SPF
   * is checked for it; false (behind a relay): the client is our relay and SPF says nothing
   */
  mx: boolean;
};

export type SenderVerifyConfig = {
  /** mailauth: DKIM/SPF/DMARC checked here; authserv: the provider's Authentication-Results believed; off: From believed as written */
  mode: 'mailauth' | 'authserv' | 'off';
  authservId: string | undefined;
  /** requesters' ticket references (subject tag) and reopening need a verified sender too */
  requesters: boolean;
  dnsTimeoutMs: number;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment; throws ConfigError listing every problem at once. */
export function loadConfig(source: Record<string, string | undefined>): Config {
  const parsed = schema.safeParse(source);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`)),
    ...crossFieldProblems(source),
  ];
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const e = parsed.data;
  const imapSecure = e.IMAP_SECURE ?? true;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? listenerUrl(e.HOST, e.PORT)).replace(/\/+$/, ''),
    publicUrlConfigured: e.PUBLIC_URL !== undefined,
    trustProxy: e.TRUST_PROXY,
    database: e.DATABASE_URL.startsWith('file:') ? { engine: 'sqlite', file: e.DATABASE_URL.slice('file:'.length) } : { engine: 'postgres', url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE },
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    roles: e.ROLES,
    deskName: e.DESK_NAME,
    defaultLocale: e.DEFAULT_LOCALE,
    timeZone: e.TIME_ZONE,
    costCurrency: e.COST_CURRENCY,
    admin: e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD } : undefined,
    sessionSecret: e.SESSION_SECRET,
    signIn: { failuresPerAccount: e.SIGN_IN_FAILURES_PER_ACCOUNT, failuresPerIp: e.SIGN_IN_FAILURES_PER_IP, windowMs: e.SIGN_IN_WINDOW_MINUTES * 60_000 },
    limits: { mailBytes: e.MAX_MAIL_BYTES, attachmentBytes: e.MAX_ATTACHMENT_BYTES, attachmentsPerMail: e.MAX_ATTACHMENTS_PER_MAIL },
    imap:
      e.IMAP_HOST && e.IMAP_USER && e.IMAP_PASSWORD
        ? {
            host: e.IMAP_HOST,
            port: e.IMAP_PORT ?? (imapSecure ? 993 : 143),
            secure: imapSecure,
            // without TLS from the start, STARTTLS is required unless plain text is allowed explicitly
            allowPlaintext: !imapSecure && (e.IMAP_ALLOW_PLAINTEXT ?? false),
            user: e.IMAP_USER,
            password: e.IMAP_PASSWORD,
            mailbox: e.IMAP_MAILBOX,
            address: (e.IMAP_ADDRESS ?? (e.IMAP_USER.includes('@') ? e.IMAP_USER : `${e.IMAP_USER}@${e.IMAP_HOST}`)).toLowerCase(),
          }
        : undefined,
    smtp: e.SMTP_URL && e.MAIL_FROM ? { url: e.SMTP_URL, from: e.MAIL_FROM, allowPlaintext: e.SMTP_ALLOW_PLAINTEXT ?? false } : undefined,
    smtpInbound:
      e.SMTP_INBOUND_PORT !== undefined
        ? {
            port: e.SMTP_INBOUND_PORT,
            host: e.SMTP_INBOUND_HOST,
            addresses: e.SMTP_INBOUND_ADDRESSES ?? [],
            maxClients: e.SMTP_INBOUND_MAX_CLIENTS,
            maxPerIp: e.SMTP_INBOUND_MAX_PER_IP,
            auth: e.SMTP_INBOUND_USER && e.SMTP_INBOUND_PASSWORD ? { user: e.SMTP_INBOUND_USER, password: e.SMTP_INBOUND_PASSWORD } : undefined,
            mx: e.SMTP_INBOUND_MX,
          }
        : undefined,
    senderVerify: {
      // a configured provider id means "believe my provider"; otherwise the desk checks for itself
      mode: e.MAIL_SENDER_VERIFY ?? (e.MAIL_AUTHSERV_ID ? 'authserv' : 'mailauth'),
      authservId: e.MAIL_AUTHSERV_ID,
      requesters: e.MAIL_VERIFY_REQUESTERS,
      dnsTimeoutMs: e.MAIL_DNS_TIMEOUT_MS,
    },
    twilio:
      e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN && e.TWILIO_FROM
        ? { accountSid: e.TWILIO_ACCOUNT_SID, authToken: e.TWILIO_AUTH_TOKEN, from: e.TWILIO_FROM, apiUrl: e.TWILIO_API_URL?.replace(/\/+$/, '') }
        : undefined,
    delivery: {
      smtpFromEnv: !!(e.SMTP_URL && e.MAIL_FROM),
      twilioFromEnv: !!(e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN && e.TWILIO_FROM),
      twilioApiUrl: e.TWILIO_API_URL?.replace(/\/+$/, ''),
    },
    sms: { defaultCountry: e.SMS_DEFAULT_COUNTRY, threadWindowHours: e.SMS_THREAD_WINDOW_HOURS },
    portal: { linkDays: e.PORTAL_LINK_DAYS, kbWithoutSignIn: e.KB_PUBLIC ?? false },
    reports: { slowMs: e.REPORT_SLOW_MS },
  };
}
