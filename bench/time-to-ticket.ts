// Time to ticket: from IMAP APPEND into a private Dovecot to the committed ticket, with the
// poller running in-process on IDLE. Mails arrive one at a time (a help desk's normal traffic),
// so each figure is the latency of one mail, not of a queue. Run alone: npm run bench:ttt
// [-- --engine postgres]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { startImapPoller } from '../src/channels/email/imap-poller.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/open.ts';
import { systemClock, type Deps } from '../src/deps.ts';
import { buildServices } from '../src/services.ts';
import { openFileStore } from '../src/store/open-file-store.ts';
import { insertMailbox } from '../src/store/mailboxes.ts';
import { startDovecot } from '../test/helpers/dovecot.ts';
import { makeMail } from '../test/helpers/mail.ts';
import { engineArg, openEngines, type BenchEngine } from './engines.ts';
import { percentile } from './http-load.ts';

export type TimeToTicket = { mails: number; p50: number; p95: number; p99: number; max: number; mean: number };

export async function measureTimeToTicket(opts: { engine: BenchEngine; mails?: number; pauseMs?: number; log?: (s: string) => void }): Promise<TimeToTicket> {
  const mails = opts.mails ?? 100;
  const log = opts.log ?? (() => undefined);
  const dovecot = await startDovecot();
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-ttt-'));
  const database = await opts.engine.scratch(dir);
  const config = loadConfig({ DATA_DIR: dir, DATABASE_URL: database.url, LOG_LEVEL: 'silent', SESSION_SECRET: 'b'.repeat(40) });
  const db = await openDatabase(config.database);
  const deps: Deps = { config, db, files: openFileStore(db, dir), log: pino({ level: 'silent' }), clock: systemClock, secrets: { session: 's'.repeat(40), token: 't'.repeat(40), credentials: 'c'.repeat(43) } };
  const services = buildServices(deps);
  // the moment each message's transaction is about to commit (hooks run last, inside it)
  const committed = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  services.ctx.hooks.inboundApplied.push((_tx, applied) => {
    const id = applied.draft.msg.externalId;
    committed.set(id, performance.now());
    queueMicrotask(() => waiters.get(id)?.());
  });
  const user = dovecot.addUser();
  const mb = await insertMailbox(db, { name: 'Bench', address: user.address, host: dovecot.host, port: dovecot.port, secure: false, allowPlaintext: true, username: user.user, password: user.password }, Date.now());
  const poller = startImapPoller({ deps, intake: services.intake, mailboxId: mb.id, idle: true, pollIntervalMs: 60_000 });
  const appender = await dovecot.connect(user);
  try {
    await poller.syncNow();
    const samples: number[] = [];
    for (let i = 0; i < mails; i++) {
      // let the poller settle back into IDLE, as between two real mails
      await new Promise((r) => setTimeout(r, opts.pauseMs ?? 300));
      const id = `ttt-${i}-${Date.now()}@bench.example`;
      const done = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`mail ${i} was not imported within 30 s`)), 30_000);
        waiters.set(id, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      const t0 = performance.now();
      await appender.append('INBOX', Buffer.from(makeMail({ messageId: id, subject: `Bench ${i}` })), []);
      await done;
      samples.push(committed.get(id)! - t0);
      if ((i + 1) % 20 === 0) log(`  ${i + 1}/${mails}`);
    }
    const sorted = [...samples].sort((a, b) => a - b);
    return {
      mails,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1],
      mean: samples.reduce((a, b) => a + b, 0) / samples.length,
    };
  } finally {
    await appender.logout().catch(() => appender.close());
    await poller.stop();
    await db.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
    await dovecot.close();
  }
}

export function formatTimeToTicket(r: TimeToTicket): string {
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  return [
    `time to ticket (IMAP APPEND → committed ticket, IDLE), ${r.mails} mails`,
    `  p50 ${ms(r.p50)}   p95 ${ms(r.p95)}   p99 ${ms(r.p99)}   max ${ms(r.max)}   mean ${ms(r.mean)}   target p99 < 1000 ms: ${r.p99 < 1000 ? 'met' : 'NOT met'}`,
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const mails = Number(process.env.TTT_MAILS ?? 100);
  const [engine] = await openEngines([engineArg(process.argv)], (s) => console.error(s));
  measureTimeToTicket({ engine, mails, log: (s) => console.error(s) })
    .then((r) => console.log(formatTimeToTicket(r)))
    .finally(() => engine.close())
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
