// Hands accepted webhook messages to intake without ever losing one, for any channel whose
// provider pushes its messages (Twilio for SMS). The webhook only checks the signature and writes
// the message to the inbox table (a millisecond), then answers the provider; the messages are put
// through intake right after, in order per sender, off the request path. A provider does not
// resend a message it got an answer for, so "answered" has to mean "kept": a row leaves the inbox
// only once intake has stored (or quarantined) it, a temporary failure is retried with backoff,
// and a restart resumes where it stopped. If even the inbox cannot be written (database locked),
// the message goes to a spool file instead. Desk processes sharing a PostgreSQL database each
// accept webhooks, but one at a time hands the inbox over to intake (the one holding its lock),
// so a sender's messages go through in order; the others wake it when they accept a message, and
// take the inbox over when its process dies.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Deps } from '../deps.ts';
import type { Channel } from '../domain/vocabulary.ts';
import { TemporaryIntakeError, isTemporary, type Intake } from './receive.ts';
import { dedupeKeyOf } from './steps/drop-duplicate.ts';
import type { InboundSource } from './types.ts';
import { makeDirDurably, writeFileDurably } from '../store/durable-file.ts';
import { inTransaction, type HeldLock } from '../db/client.ts';
import { sha256Hex } from '../store/file-store.ts';
import { webhookInboxStore, type WebhookInboxRow } from '../store/webhook-inbox.ts';

/** What the inbox needs to know of a message besides its raw bytes; the channel reads it off the request. */
export type WebhookMeta = {
  /**
   * The provider's id of the message (Twilio: MessageSid), the externalId the channel's parser
   * gives it: a message already stored or waiting under it is a duplicate. Without one, the raw
   * bytes identify the message.
   */
  externalId: string | undefined;
  /** whose messages go through intake one after the other, in order (SMS: the From number) */
  sender: string | undefined;
  /**
   * intake will download files for it (MMS media), which takes a while: a few such messages are
   * handed over side by side while the others go one at a time
   */
  hasMedia: boolean;
};

export type WebhookInboxOptions = {
  /** the channel the messages go to intake as; the inbox keeps its own rows apart by it */
  channel: Channel;
  source: InboundSource;
  /** reads the metadata back from a message's raw bytes, for the ones spooled to disk */
  metaOf(raw: Buffer): WebhookMeta;
  /** where messages go when the database cannot take them; default DATA_DIR/spool/<channel> */
  spoolDir?: string;
};

export type WebhookInbox = {
  /**
   * Keeps the message for intake and resolves once it is on disk; 'duplicate' when it is already
   * stored or waiting. Messages accepted in the same turn of the event loop share one commit.
   * Rejects only when neither the database nor the spool directory can take it.
   */
  accept(raw: Buffer, meta: WebhookMeta): Promise<'accepted' | 'duplicate'>;
  /** resolves when nothing due is left (tests, shutdown) */
  drain(): Promise<void>;
  /** messages accepted but not yet through intake */
  pending(): Promise<number>;
};

/** how soon a process retries the inbox's lock while messages wait (its holder may have died) */
const LOCK_RETRY_MS = 5000;
const MAX_MEDIA_IN_FLIGHT = 3; // messages with media wait on downloads; the others go one at a time
const backoffMs = (attempts: number) => Math.min(1000 * 2 ** (attempts - 1), 5 * 60_000);

export function createWebhookInbox(deps: Deps, intake: Intake, opts: WebhookInboxOptions): WebhookInbox {
  const { channel, source } = opts;
  const store = webhookInboxStore(deps.db, channel);
  const spoolDir = opts.spoolDir ?? path.join(deps.config.dataDir, 'spool', channel);
  const busySenders = new Set<string>();
  const busyRows = new Set<number>();
  const media = new Set<Promise<void>>();
  const held = new Map<number, number>(); // rows whose hand-over failed unexpectedly: not before…
  let loop: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let stalledUntil = 0;
  let stallDelay = 1000;
  const lockName = `webhook-inbox:${channel}`;
  let lock: HeldLock | null = null;

  /** Whether this process hands the inbox over: it holds the lock, or takes it now. */
  let refusedAt = -Infinity;
  async function handsOver(): Promise<boolean> {
    if (lock) return true;
    // a refused lock is asked for again only at the retry, not at every message accepted here
    if (Date.now() - refusedAt < LOCK_RETRY_MS / 2) return false;
    const got = await deps.db.tryLock(lockName);
    if (!got) {
      refusedAt = Date.now();
      return false; // another desk process does; it was told of the message
    }
    lock = got;
    void got.lost.then(() => {
      if (lock !== got) return;
      lock = null;
      deps.log.warn({ channel }, 'lost the database connection that held the webhook inbox; another desk process takes it over');
      schedule(LOCK_RETRY_MS);
    });
    return true;
  }

  const keyOf = (externalId: string | undefined, raw: Buffer) => externalId ?? `raw-${sha256Hex(raw)}`;

  function spoolFile(raw: Buffer): void {
    makeDirDurably(spoolDir);
    // on disk before the provider gets its answer: it does not send the message again
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
  async function importSpool(): Promise<void> {
    for (const f of spooledFiles()) {
      const file = path.join(spoolDir, f);
      const raw = readFileSync(file);
      const meta = opts.metaOf(raw);
      const receivedAt = Math.round(statSync(file).mtimeMs);
      await store.insert({ key: keyOf(meta.externalId, raw), sender: meta.sender ?? null, raw: raw.toString('utf8'), hasMedia: meta.hasMedia, receivedAt }, deps.clock.now());
      rmSync(file, { force: true });
    }
    await deps.db.notify(lockName); // for the process handing the inbox over, if not this one
  }

  async function handOver(row: WebhookInboxRow): Promise<void> {
    try {
      await intake.receive({ channel, source, mailboxId: null, raw: Buffer.from(row.raw, 'utf8'), receivedAt: row.receivedAt });
      await store.remove(row.id); // stored, quarantined or a duplicate: it is safe in the database now
    } catch (err) {
      if (!(err instanceof TemporaryIntakeError)) throw err;
      deps.log.warn({ err, channel, key: row.key, attempts: row.attempts + 1 }, 'webhook message not stored yet; will retry');
      await store.retryLater(row.id, row.attempts + 1, deps.clock.now() + backoffMs(row.attempts + 1), err.message);
    }
  }

  async function next(): Promise<WebhookInboxRow | undefined> {
    for (const c of await store.listDue(deps.clock.now(), 16)) {
      if (busyRows.has(c.id) || (c.sender && busySenders.has(c.sender))) continue;
      if ((held.get(c.id) ?? 0) > Date.now()) continue;
      if (c.hasMedia && media.size >= MAX_MEDIA_IN_FLIGHT) continue;
      return store.get(c.id);
    }
    return undefined;
  }

  async function run(): Promise<void> {
    if (spooledFiles().length) await importSpool();
    if (!(await handsOver())) {
      // the holder hands them over; should it be gone, this process takes the lock at a retry
      if (await store.count()) schedule(LOCK_RETRY_MS);
      return;
    }
    for (;;) {
      const row = await next();
      if (!row) {
        if (media.size === 0) return;
        await Promise.race(media); // a download finished: its sender's next message may go
        continue;
      }
      busyRows.add(row.id);
      if (row.sender) busySenders.add(row.sender);
      const done = handOver(row).finally(() => {
        busyRows.delete(row.id);
        if (row.sender) busySenders.delete(row.sender);
      });
      if (row.hasMedia) {
        const p = done
          .catch((err: unknown) => {
            deps.log.error({ err, channel }, 'webhook message intake failed; will retry');
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
        deps.log.error({ err, channel }, 'webhook inbox stalled; will retry');
        stalledUntil = deps.clock.now() + stallDelay;
        schedule(stallDelay);
        stallDelay = Math.min(stallDelay * 2, 60_000);
      })
      .finally(() => {
        loop = undefined;
        if (!timer) {
          store.nextDueAt().then(
            (at) => {
              if (at !== undefined) schedule(Math.max(at - deps.clock.now(), 50));
            },
            () => schedule(stallDelay),
          );
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

  // messages accepted by the other desk processes
  deps.db.listen(lockName, () => void wake()).catch((err: unknown) => deps.log.warn({ err, channel }, 'webhook inbox: cannot listen for messages accepted elsewhere; they are handed over at the next retry'));

  // left over from before a restart
  void (async () => {
    if (spooledFiles().length || (await store.count())) setImmediate(() => void wake());
  })().catch((err) => deps.log.error({ err, channel }, 'webhook inbox: could not read what waits'));

  // Group commit: the webhooks that arrive in one turn of the event loop are written in one
  // transaction, so one flush to disk answers all of them.
  type Waiting = { raw: Buffer; meta: WebhookMeta; resolve(r: 'accepted' | 'duplicate'): void; reject(err: unknown): void };
  let waiting: Waiting[] = [];
  const keep = async (w: Waiting, now: number): Promise<'accepted' | 'duplicate'> => {
    if (w.meta.externalId && await store.alreadyReceived(dedupeKeyOf({ channel, mailboxId: null, externalId: w.meta.externalId }))) return 'duplicate';
    const row = { key: keyOf(w.meta.externalId, w.raw), sender: w.meta.sender ?? null, raw: w.raw.toString('utf8'), hasMedia: w.meta.hasMedia, receivedAt: now };
    return await store.insert(row, now) ? 'accepted' : 'duplicate';
  };
  async function flush(): Promise<void> {
    const batch = waiting;
    waiting = [];
    let results: ('accepted' | 'duplicate')[];
    try {
      const now = deps.clock.now();
      results = await inTransaction(deps.db, async () => {
        const out: ('accepted' | 'duplicate')[] = [];
        for (const w of batch) out.push(await keep(w, now));
        // tells the process handing the inbox over, once this commits
        if (out.includes('accepted')) await deps.db.notify(lockName);
        return out;
      });
    } catch (err) {
      if (!isTemporary(err)) {
        for (const w of batch) w.reject(err);
        return;
      }
      deps.log.warn({ err, channel, messages: batch.length }, 'webhook inbox not writable; messages spooled to disk');
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
    pending: async () => await store.count() + spooledFiles().length,
  };
}
