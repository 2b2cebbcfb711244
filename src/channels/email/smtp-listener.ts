// The optional SMTP listener for intake (a relay's or MX's delivery target): each message goes
// through the same intake as IMAP and the pipe. The sender's server keeps the mail and retries
// when we answer 451 (a temporary intake failure); mail over MAX_MAIL_BYTES is refused with 552.
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Deps } from '../../deps.ts';
import { baseAddress } from '../../intake/mail/our-addresses.ts';
import { TemporaryIntakeError, type Intake } from '../../intake/receive.ts';
import { listMailboxes } from '../../store/mailboxes.ts';

export type SmtpListener = { port: number; stop(): Promise<void> };

type SmtpError = Error & { responseCode?: number };

function smtpError(code: number, message: string): SmtpError {
  const err: SmtpError = new Error(message);
  err.responseCode = code;
  return err;
}

/** The mailbox whose address the envelope names, if any (routing and dedupe are per mailbox). */
function mailboxFor(deps: Deps, rcpts: string[]): number | null {
  const wanted = new Set(rcpts.map(baseAddress));
  return listMailboxes(deps.db).find((m) => wanted.has(baseAddress(m.address)))?.id ?? null;
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

export async function startSmtpListener(opts: { deps: Deps; intake: Intake; port: number; host: string }): Promise<SmtpListener> {
  const { deps, intake } = opts;
  const limit = deps.config.limits.mailBytes;
  const server = new SMTPServer({
    name: new URL(deps.config.publicUrl).hostname,
    banner: `${deps.config.deskName} intake`,
    size: limit,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const rcpts = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
      readLimited(stream, limit)
        .then(async (raw) => {
          if (!raw) {
            return callback(smtpError(552, `5.3.4 Message is over the ${limit}-byte limit of this help desk (MAX_MAIL_BYTES)`));
          }
          const r = await intake.receive({ channel: 'email', source: 'smtp', mailboxId: mailboxFor(deps, rcpts), raw, envelopeTo: rcpts });
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
    },
  });
  server.on('error', (err) => deps.log.warn({ err }, 'SMTP listener error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  deps.log.info({ host: opts.host, port }, 'SMTP intake listening');
  return {
    port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
