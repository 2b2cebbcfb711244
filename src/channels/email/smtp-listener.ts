// The optional SMTP listener for intake (a relay's or MX's delivery target): each message goes
// through the same intake as IMAP and the pipe. It takes mail only for the desk's own addresses
// (550 for any other recipient), from a limited number of clients at once, and only after AUTH
// when SMTP_INBOUND_USER is set; failed AUTH counts toward the client address's sign-in lock-out,
// as a wrong console password does. The sender's server keeps the mail and retries when we answer
// 451 (a temporary intake failure); mail over MAX_MAIL_BYTES is refused with 552.
import { timingSafeEqual } from 'node:crypto';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { SmtpInboundConfig } from '../../config.ts';
import type { Deps } from '../../deps.ts';
import { beginAttempt, forgiveAttempt, logRefusal } from '../../actions/sign-in.ts';
import { clientKey } from '../../domain/client-key.ts';
import { ownAddresses } from '../../domain/desk-identity.ts';
import { baseAddress } from '../../intake/mail/our-addresses.ts';
import { TemporaryIntakeError, type Intake } from '../../intake/receive.ts';
import { listDeskAddresses } from '../../store/desk-addresses.ts';
import { listMailboxes } from '../../store/mailboxes.ts';

export type SmtpListener = { port: number; stop(): Promise<void> };

/** More recipients than any real reply has; a mail to more is someone using us as a list. */
const MAX_RECIPIENTS = 50;

type SmtpError = Error & { responseCode?: number };

function smtpError(code: number, message: string): SmtpError {
  const err: SmtpError = new Error(message);
  err.responseCode = code;
  return err;
}

/** The mailbox whose address the envelope names, if any (routing and dedupe are per mailbox). */
async function mailboxFor(deps: Deps, rcpts: string[]): Promise<number | null> {
  const wanted = new Set(rcpts.map(baseAddress));
  return (await listMailboxes(deps.db)).find((m) => wanted.has(baseAddress(m.address)))?.id ?? null;
}

/**
 * Whether mail to `address` is for the desk: one of its own addresses (mailboxes, component
 * aliases, MAIL_FROM, IMAP_ADDRESS) or SMTP_INBOUND_ADDRESSES, plus-tagged (reply tokens) or not.
 * Asked per recipient: an admin's new mailbox or alias counts at once.
 */
export async function isDeskRecipient(deps: Pick<Deps, 'db' | 'config'>, accepted: readonly string[], address: string): Promise<boolean> {
  const base = baseAddress(address);
  const domain = `@${base.slice(base.lastIndexOf('@') + 1)}`;
  if (accepted.some((a) => a === domain || baseAddress(a) === base)) return true;
  return ownAddresses(deps.config, await listDeskAddresses(deps.db)).has(base);
}

/** Open connections per client address (IPv6: per /56 network), so one client cannot take every slot. */
export function perIpLimit(max: number) {
  const open = new Map<string, number>();
  const counted = new Map<string, string>();
  return {
    onConnect(session: SMTPServerSession, callback: (err?: Error | null) => void) {
      const key = clientKey(session.remoteAddress);
      const n = open.get(key) ?? 0;
      if (n >= max) return callback(smtpError(421, `4.7.0 Too many connections from ${session.remoteAddress}, try again later`));
      open.set(key, n + 1);
      counted.set(session.id, key);
      callback();
    },
    onClose(session: SMTPServerSession) {
      const key = counted.get(session.id);
      if (key === undefined) return;
      counted.delete(session.id);
      const n = (open.get(key) ?? 1) - 1;
      if (n > 0) open.set(key, n);
      else open.delete(key);
    },
  };
}

/** AUTH against the configured credentials, counted like a sign-in so a client cannot guess on and on. */
async function checkAuth(deps: Deps, auth: { user: string; password: string } | undefined, a: { username?: string; password?: string | null }, session: SMTPServerSession): Promise<SmtpError | null> {
  const ip = clientKey(session.remoteAddress);
  const attempt = await beginAttempt(deps, null, ip);
  if ('locked' in attempt) {
    logRefusal(deps, 'smtp-auth', attempt.locked, a.username ?? null, ip);
    return smtpError(421, '4.7.0 Too many failed authentications from this address, try again later');
  }
  if (auth && sameSecret(a.username ?? '', auth.user) && sameSecret(a.password ?? '', auth.password)) {
    await forgiveAttempt(deps, { id: attempt.id, ip }, null);
    return null;
  }
  logRefusal(deps, 'smtp-auth', 'wrong_password', a.username ?? null, ip);
  return smtpError(535, '5.7.8 Authentication credentials invalid');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function readLimited(stream: SMTPServerDataStream, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (c: Buffer) => {
      size += c.length;
      // past the limit the rest is read and thrown away: the client still has to finish DATA
      if (size <= limit) chunks.push(c);
    });
    stream.once('error', reject);
    stream.once('end', () => resolve(stream.sizeExceeded || size > limit ? null : Buffer.concat(chunks)));
  });
}

function receiveData(deps: Deps, intake: Intake, stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null, message?: string) => void) {
  const limit = deps.config.limits.mailBytes;
  const rcpts = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
  const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address.toLowerCase() || null : null;
  readLimited(stream, limit)
    .then(async (raw) => {
      if (!raw) {
        return callback(smtpError(552, `5.3.4 Message is over the ${limit}-byte limit of this help desk (MAX_MAIL_BYTES)`));
      }
      const sender = { ip: session.remoteAddress, helo: session.hostNameAppearsAs || null, mailFrom };
      const r = await intake.receive({ channel: 'email', source: 'smtp', mailboxId: await mailboxFor(deps, rcpts), raw, envelopeTo: rcpts, sender });
      // quarantined mail is accepted too: it is kept and can be reprocessed, a retry would not help
      callback(null, `2.0.0 Accepted as inbound #${r.inboundId ?? 'duplicate'} (${r.outcome})`);
    })
    .catch((err: unknown) => {
      if (err instanceof TemporaryIntakeError) {
        deps.log.warn({ err }, 'SMTP intake: temporary failure, asking the sender to retry');
        return callback(smtpError(451, '4.3.0 Temporary failure storing the message, please try again later'));
      }
      deps.log.error({ err }, 'SMTP intake failed');
      callback(smtpError(451, '4.3.0 Temporary failure, please try again later'));
    });
}

export async function startSmtpListener(opts: { deps: Deps; intake: Intake; settings: SmtpInboundConfig }): Promise<SmtpListener> {
  const { deps, intake, settings } = opts;
  const auth = settings.auth;
  const perIp = perIpLimit(settings.maxPerIp);
  const server = new SMTPServer({
    name: new URL(deps.config.publicUrl).hostname,
    banner: `${deps.config.deskName} intake`,
    size: deps.config.limits.mailBytes,
    maxClients: settings.maxClients,
    disableReverseLookup: true,
    // with credentials configured, MAIL FROM needs AUTH first (530 otherwise); no TLS here, so
    // AUTH goes in the clear: the listener belongs on loopback or a private network
    authOptional: !auth,
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    disabledCommands: auth ? ['STARTTLS'] : ['AUTH', 'STARTTLS'],
    logger: false,
    onConnect: perIp.onConnect,
    onClose: (session) => perIp.onClose(session),
    async onAuth(a, session, callback) {
      const refused = await checkAuth(deps, auth, a, session);
      if (refused) return callback(refused);
      callback(null, { user: a.username });
    },
    async onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= MAX_RECIPIENTS) return callback(smtpError(452, '4.5.3 Too many recipients'));
      if (!await isDeskRecipient(deps, settings.addresses, address.address)) {
        return callback(smtpError(550, `5.1.1 <${address.address}>: no such mailbox at this help desk`));
      }
      callback();
    },
    onData: (stream, session, callback) => receiveData(deps, intake, stream, session, callback),
  });
  server.on('error', (err) => deps.log.warn({ err }, 'SMTP listener error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : settings.port;
  if (ownAddresses(deps.config, await listDeskAddresses(deps.db)).size === 0 && settings.addresses.length === 0) {
    deps.log.warn('SMTP intake: the desk has no address yet (mailbox, alias, MAIL_FROM or SMTP_INBOUND_ADDRESSES): every recipient is refused');
  }
  deps.log.info({ host: settings.host, port, auth: !!auth }, 'SMTP intake listening');
  return {
    port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
