// Hands accepted webhook messages to intake without ever losing one. The webhook only checks
// the signature and writes the message to the sms_inbox table (a millisecond), then answers
// Twilio; the messages are put through intake right after, in order per sender, off the
// request path. Twilio does not resend a message it got an answer for, so "answered" has to
// mean "kept": a row leaves the inbox only once intake has stored (or quarantined) it, a
// temporary failure is retried with backoff, and a restart resumes where it stopped. If even
// the inbox cannot be written (database locked), the message goes to a spool file instead.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { TemporaryIntakeError, isTemporary, type Intake } from './receive.ts';
import { dedupeKeyOf } from './steps/drop-duplicate.ts';
import { makeDirDurably, writeFileDurably } from '../store/durable-file.ts';
import { inTransaction } from '../db/client.ts';
import { sha256Hex } from '../store/file-store.ts';
import { smsInboxStore, type SmsInboxRow } from '../store/webhook-inbox.ts';

type Meta = { sid: string | undefined; from: string | undefined; hasMedia: boolean };

export type SmsInbox = {
  /**
   * Keeps the message for intake and resolves once it is on disk; 'duplicate' when it is already
   * stored or waiting. Messages accepted in the same turn of the event loop share one commit.
   * Rejects only when neither the database nor the spool directory can take it.
   */
  accept(raw: Buffer, meta: Meta): Promise<'accepted' | 'duplicate'>;
  /** resolves when nothing due is left (tests, shutdown) */
  drain(): Promise<void>;
  /** messages accepted but not yet through intake */
  pending(): number;
};

const MAX_MEDIA_IN_FLIGHT = 3; // MMS wait on downloads; texts go one at a time
const backoffMs = (attempts: number) => Math.min(1000 * 2 ** (attempts - 1), 5 * 60_000);

export function createSmsInbox(deps: Deps, intake: Intake, opts: { spoolDir?: string } = {}): SmsInbox {
  const store = smsInboxStore(deps.db);
  const spoolDir = opts.spoolDir ?? path.join(deps.config.dataDir, 'spool', 'sms');
  const busySenders = new Set<string>();
  const busyRows = new Set<number>();
  const media = new Set<Promise<void>>();
  const held = new Map<number, number>(); // rows whose hand-over failed unexpectedly: not before…
  let loop: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let stalledUntil = 0;
  let stallDelay = 1000;

  const keyOf = (sid: string | undefined, raw: Buffer) => sid ?? `raw-${sha256Hex(raw)}`;

  function spoolFile(raw: Buffer): void {
    makeDirDurably(spoolDir);
    // on disk before Twilio gets its answer: Twilio does not send the message again
    writeFileDurably(path.join(spoolDir, `${sha256Hex(raw)}.json`), raw, randomBytes(6).toString('hex'));
  }

  function spooledFiles(): string[] {
    try {
      return readdirSync(spoolDir).filter((f) => f.endsWith('.json'));
    } catch {
      return [];
    }
  }

  /** Moves spool files (written while the database was unavailable) into the inbox table. */
  function importSpool(): void {
    for (const f of spooledFiles()) {
      const file = path.join(spoolDir, f);
      const raw = readFileSync(file);
      const meta = peek(raw);
      const receivedAt = Math.round(statSync(file).mtimeMs);
      store.insert({ messageSid: keyOf(meta.sid, raw), fromAddress: meta.from ?? null, raw: raw.toString('utf8'), hasMedia: meta.hasMedia, receivedAt }, deps.clock.now());
      rmSync(file, { force: true });
    }
  }

  async function handOver(row: SmsInboxRow): Promise<void> {
    try {
      await intake.receive({ channel: 'sms', source: 'twilio', mailboxId: null, raw: Buffer.from(row.raw, 'utf8'), receivedAt: row.receivedAt });
      store.remove(row.id); // stored, quarantined or a duplicate: it is safe in the database now
    } catch (err) {
      if (!(err instanceof TemporaryIntakeError)) throw err;
      deps.log.warn({ err, sid: row.messageSid, attempts: row.attempts + 1 }, 'SMS not stored yet; will retry');
      store.retryLater(row.id, row.attempts + 1, deps.clock.now() + backoffMs(row.attempts + 1), err.message);
    }
  }

  function next(): SmsInboxRow | undefined {
    for (const c of store.listDue(deps.clock.now(), 16)) {
      if (busyRows.has(c.id) || (c.fromAddress && busySenders.has(c.fromAddress))) continue;
      if ((held.get(c.id) ?? 0) > Date.now()) continue;
      if (c.hasMedia && media.size >= MAX_MEDIA_IN_FLIGHT) continue;
      return store.get(c.id);
    }
    return undefined;
  }

  async function run(): Promise<void> {
    if (spooledFiles().length) importSpool();
    for (;;) {
      const row = next();
      if (!row) {
        if (media.size === 0) return;
        await Promise.race(media); // a download finished: its sender's next message may go
        continue;
      }
      busyRows.add(row.id);
      if (row.fromAddress) busySenders.add(row.fromAddress);
      const done = handOver(row).finally(() => {
        busyRows.delete(row.id);
        if (row.fromAddress) busySenders.delete(row.fromAddress);
      });
      if (row.hasMedia) {
        const p = done
          .catch((err: unknown) => {
            deps.log.error({ err }, 'SMS intake failed; will retry');
            held.set(row.id, Date.now() + 5000);
            schedule(5000);
          })
          .finally(() => media.delete(p));
        media.add(p);
      } else {
        await done;
        await new Promise<void>((resolve) => setImmediate(resolve)); // let webhooks in between
      }
    }
  }

  function wake(): Promise<void> {
    if (loop) {
      again = true;
      return loop;
    }
    if (deps.clock.now() < stalledUntil) return Promise.resolve();
    loop = (async () => {
      do {
        again = false;
        await run();
      } while (again);
      stallDelay = 1000;
    })()
      .catch((err: unknown) => {
        // the database itself is unavailable: try again later rather than spin
        deps.log.error({ err }, 'SMS inbox stalled; will retry');
        stalledUntil = deps.clock.now() + stallDelay;
        schedule(stallDelay);
        stallDelay = Math.min(stallDelay * 2, 60_000);
      })
      .finally(() => {
        loop = undefined;
        if (!timer) {
          try {
            const at = store.nextDueAt();
            if (at !== undefined) schedule(Math.max(at - deps.clock.now(), 50));
          } catch {
            schedule(stallDelay);
          }
        }
      });
    return loop;
  }

  function schedule(ms: number): void {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      stalledUntil = 0;
      void wake();
    }, ms);
    timer.unref();
  }

  // left over from before a restart
  if (spooledFiles().length || store.count()) setImmediate(() => void wake());

  // Group commit: the webhooks that arrive in one turn of the event loop are written in one
  // transaction, so one flush to disk answers all of them.
  type Waiting = { raw: Buffer; meta: Meta; resolve(r: 'accepted' | 'duplicate'): void; reject(err: unknown): void };
  let waiting: Waiting[] = [];
  const keep = (w: Waiting, now: number): 'accepted' | 'duplicate' => {
    if (w.meta.sid && store.alreadyReceived(dedupeKeyOf({ channel: 'sms', mailboxId: null, externalId: w.meta.sid }))) return 'duplicate';
    const row = { messageSid: keyOf(w.meta.sid, w.raw), fromAddress: w.meta.from ?? null, raw: w.raw.toString('utf8'), hasMedia: w.meta.hasMedia, receivedAt: now };
    return store.insert(row, now) ? 'accepted' : 'duplicate';
  };
  function flush(): void {
    const batch = waiting;
    waiting = [];
    let results: ('accepted' | 'duplicate')[];
    try {
      const now = deps.clock.now();
      results = inTransaction(deps.db, () => batch.map((w) => keep(w, now)));
    } catch (err) {
      if (!isTemporary(err)) {
        for (const w of batch) w.reject(err);
        return;
      }
      deps.log.warn({ err, messages: batch.length }, 'SMS inbox not writable; messages spooled to disk');
      for (const w of batch) {
        try {
          spoolFile(w.raw);
          w.resolve('accepted');
        } catch (spoolErr) {
          w.reject(spoolErr); // the disk fails too: the webhook answers 503
        }
      }
      schedule(stallDelay);
      return;
    }
    batch.forEach((w, i) => w.resolve(results[i]));
    if (results.includes('accepted')) setImmediate(() => void wake());
  }

  return {
    accept(raw, meta) {
      return new Promise((resolve, reject) => {
        if (waiting.push({ raw, meta, resolve, reject }) === 1) setImmediate(flush);
      });
    },
    async drain() {
      while (loop || media.size) await (loop ?? Promise.race(media));
      await wake();
      while (media.size) await Promise.race(media);
    },
    pending: () => store.count() + spooledFiles().length,
  };
}

/** SID, sender and media flag of a webhook's JSON form fields (for spooled files). */
function peek(raw: Buffer): { sid: string | undefined; from: string | undefined; hasMedia: boolean } {
  try {
    const p = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    const s = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : undefined);
    return { sid: s('MessageSid') || s('SmsMessageSid') || s('SmsSid'), from: s('From'), hasMedia: Number(s('NumMedia') ?? '0') > 0 };
  } catch {
    return { sid: undefined, from: undefined, hasMedia: false };
  }
}
