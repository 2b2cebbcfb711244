// A real SMTP server on loopback (the smtp-server package) that keeps what it receives, parsed
// with mailparser. It can be stopped and started again on the same port (an outage), answer a mail
// with an error, hold a mail without answering (a send in flight), or hand every mail to a callback
// (a second desk that answers everything).
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { waitUntil } from './mail.ts';

/** remotePort: the sending client's port (which process sent it, see processOfConnection in desk-process.ts) */
export type ReceivedMail = { from: string; to: string[]; raw: Buffer; parsed: ParsedMail; messageId: string; remotePort: number };

export type SmtpBehaviour = {
  /** an SMTP error for this mail (e.g. { code: 451, message: 'try later' }), or null to accept it */
  respond?: (mail: ReceivedMail) => { code: number; message: string } | null;
  /** true: read the whole mail but never answer (the sender waits, as if the server hung) */
  hold?: (mail: ReceivedMail) => boolean;
  /** awaited before the server answers a mail it read (something else happens between the end of the data and the answer) */
  beforeAnswer?: (mail: ReceivedMail) => Promise<void>;
  /** called for each accepted mail, after the server answered 250 */
  onMail?: (mail: ReceivedMail) => void | Promise<void>;
};

export type TestSmtp = {
  port: number;
  url: string;
  /** accepted mail, in order */
  received: ReceivedMail[];
  /** mail read completely but answered with an error or held */
  refused: ReceivedMail[];
  held: ReceivedMail[];
  behaviour: SmtpBehaviour;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** Message-IDs of accepted mail, each as often as it arrived */
  messageIds(): string[];
  /** stops listening and drops open connections: the server is down */
  stop(): Promise<void>;
  /** listens again on the same port */
  start(): Promise<void>;
  close(): Promise<void>;
};

export async function startSmtpServer(behaviour: SmtpBehaviour = {}, port = 0): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const refused: ReceivedMail[] = [];
  const held: ReceivedMail[] = [];
  let server: SMTPServer | undefined;

  const onData = (stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null, message?: string) => void) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', async () => {
      const raw = Buffer.concat(chunks);
      const parsed = await simpleParser(raw);
      const envelope = session.envelope;
      const mail: ReceivedMail = {
        from: envelope.mailFrom ? envelope.mailFrom.address : '',
        to: envelope.rcptTo.map((r) => r.address),
        raw,
        parsed,
        messageId: (parsed.messageId ?? '').replace(/^<|>$/g, ''),
        remotePort: session.remotePort,
      };
      await t.behaviour.beforeAnswer?.(mail);
      if (t.behaviour.hold?.(mail)) {
        held.push(mail);
        return; // never answered
      }
      const error = t.behaviour.respond?.(mail);
      if (error) {
        refused.push(mail);
        const err = new Error(error.message) as Error & { responseCode: number };
        err.responseCode = error.code;
        callback(err);
        return;
      }
      received.push(mail);
      callback(null, `queued as ${received.length}`);
      await t.behaviour.onMail?.(mail);
    });
  };

  const listen = async (p: number) => {
    server = new SMTPServer({ secure: false, authOptional: true, disabledCommands: ['STARTTLS'], logger: false, closeTimeout: 50, onData });
    server.on('error', () => {}); // a dropped client is not a test failure
    for (let tries = 0; ; tries++) {
      try {
        await new Promise<void>((resolve, reject) => {
          server!.server.once('error', reject);
          server!.listen(p, '127.0.0.1', () => {
            server!.server.off('error', reject);
            resolve();
          });
        });
        return;
      } catch (err) {
        if ((err as { code?: string }).code !== 'EADDRINUSE' || tries > 50) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };

  await listen(port);
  const addr = server!.server.address();
  const actualPort = typeof addr === 'object' && addr ? addr.port : port;

  const t: TestSmtp = {
    port: actualPort,
    url: `smtp://127.0.0.1:${actualPort}`,
    received,
    refused,
    held,
    behaviour,
    async waitFor(count, timeoutMs = 20_000) {
      await waitUntil(`${count} mails at the SMTP server`, () => received.length >= count, timeoutMs).catch((err: unknown) => {
        throw new Error(`${String(err)} (got ${received.length})`);
      });
      return received;
    },
    messageIds: () => received.map((m) => m.messageId),
    async stop() {
      const s = server;
      server = undefined;
      if (!s) return;
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    start: () => listen(actualPort),
    async close() {
      await t.stop();
    },
  };
  return t;
}
