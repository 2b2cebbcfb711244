// The outbox worker: claims due rows one at a time and delivers each through its channel's sender,
// with retries and exponential backoff; after the last try the row is dead.
//
// Exactly-once as far as SMTP allows: a row is claimed in its own committed transaction before the
// send (status `sending`, attempts + 1, a lease, and its Message-ID fixed for good), and marked
// sent in the transaction right after the server's final 250. A worker that dies in between leaves
// the row `sending`; when the lease runs out another worker (or the restarted one) sends it again
// with the same Message-ID, which the receiving side can recognise. The only window for a repeat is
// the server's answer to the final "." plus one commit. A database out of reach at that moment (a
// PostgreSQL restart) is waited for, up to the end of the lease, to record the mail as sent.
import type { Deps } from '../deps.ts';
import { inTransaction } from '../db/client.ts';
import { isConnectionLost } from '../db/connection-lost.ts';
import { channelTraits } from '../domain/channel-traits.ts';
import { deskHost } from '../domain/desk-identity.ts';
import { makeMessageId } from '../domain/reply-token.ts';
import { channelPauseMs, DEFAULT_RETRY, nextAttemptAt, type RetryPolicy } from '../domain/retry-schedule.ts';
import { findDueOutbox, findOldestPending, getOutbox, updateOutbox, type OutboxChannel, type OutboxRow } from '../store/outbox.ts';
import { sendBlock } from './backstop.ts';
import { recordClaimed, recordDead, recordSent, recordSkipped } from './outcomes.ts';
import { reasons } from './reasons.ts';
import { getChannelHealth, getOutboxSettings, saveChannelHealth, type OutboxSettings } from './settings.ts';
import { ChannelUnavailableError, DatabaseUnavailableError, PermanentSendError, SkipSendError, type ChannelSender } from './types.ts';

export type WorkerOptions = {
  senders: ChannelSender[];
  retry?: RetryPolicy;
  /** how long a claimed row belongs to its worker; after that it counts as interrupted */
  leaseMs?: number;
  pollMs?: number;
  /** rows per run before the worker looks at the clock again */
  batch?: number;
};

export type RunSummary = { sent: number; retried: number; dead: number; skipped: number; deferred: number };

export type OutboxWorker = {
  /** sends what is due now; resolves when nothing is due (or a batch is done) */
  runOnce(): Promise<RunSummary>;
  start(): void;
  /** finishes the send in progress, then stops */
  stop(): Promise<void>;
};

// longer than any SMTP transaction can take with the sender's timeouts
export const DEFAULT_LEASE_MS = 10 * 60_000;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 1000);

export function createOutboxWorker(deps: Deps, opts: WorkerOptions): OutboxWorker {
  const { db, clock, log } = deps;
  const retry = opts.retry ?? DEFAULT_RETRY;
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const pollMs = opts.pollMs ?? 1000;
  const batch = opts.batch ?? 50;
  const senders = new Map(opts.senders.map((s) => [s.channel, s]));
  const outages = new Map<OutboxChannel, { count: number; until: number }>();
  let stopping = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;

  const activeChannels = (now: number): OutboxChannel[] =>
    [...senders.values()].filter((s) => s.configured && (outages.get(s.channel)?.until ?? 0) <= now).map((s) => s.channel);

  type Claim = { kind: 'claimed'; row: OutboxRow } | { kind: 'settled'; outcome: 'skipped' | 'dead' };

  async function claimNext(): Promise<Claim | null> {
    const now = clock.now();
    const channels = activeChannels(now);
    if (channels.length === 0) return null;
    const settings = await getOutboxSettings(db);
    let claiming: Pick<OutboxRow, 'id' | 'attempts' | 'nextAttemptAt'> | undefined;
    try {
      return await claimIn(now, channels, settings, (c) => (claiming = c));
    } catch (err) {
      if (!claiming || !isConnectionLost(err)) throw err;
      return await claimIfCommitted(claiming);
    }
  }

  async function claimIn(now: number, channels: OutboxChannel[], settings: OutboxSettings, claiming: (c: Pick<OutboxRow, 'id' | 'attempts' | 'nextAttemptAt'>) => void): Promise<Claim | null> {
    return await inTransaction(db, async () => {
      const row = await findDueOutbox(db, channels, now);
      if (!row) return null;
      const interrupted = row.status === 'sending';
      if (interrupted) log.warn({ outboxId: row.id, recipient: row.recipient }, 'outbox: resuming an attempt that was interrupted');
      if (interrupted && row.attempts >= retry.maxAttempts) {
        await recordDead(db, row, reasons.interrupted(), now);
        return { kind: 'settled', outcome: 'dead' } as const;
      }
      const blocked = await sendBlock(db, deps.config, settings, row, now);
      if (blocked) {
        await recordSkipped(db, row, blocked, now);
        return { kind: 'settled', outcome: 'skipped' } as const;
      }
      const headerMessageId =
        channelTraits(row.channel).threadsByMessageId && !row.headerMessageId ? makeMessageId(deps.secrets.token, row.ticketId ?? 0, deskHost(deps.config.publicUrl)) : null;
      await recordClaimed(db, row, headerMessageId, now);
      claiming({ id: row.id, attempts: row.attempts + 1, nextAttemptAt: now + leaseMs });
      await updateOutbox(db, row.id, {
        status: 'sending',
        attempts: row.attempts + 1,
        nextAttemptAt: now + leaseMs,
        lastError: interrupted ? 'the previous attempt was interrupted; sent again with the same Message-ID' : row.lastError,
      });
      return { kind: 'claimed', row: await getOutbox(db, row.id) } as const;
    });
  }

  /**
   * The connection broke while a claim was committing (a PostgreSQL restart): the COMMIT may have
   * been done with its answer lost. Left alone, a claim that was written would hold its row for the
   * whole lease (ten minutes); read back once the database is there again, it is this worker's.
   */
  async function claimIfCommitted(claim: Pick<OutboxRow, 'id' | 'attempts' | 'nextAttemptAt'>): Promise<Claim | null> {
    const row = await whenBack(Date.now() + leaseMs, async () => await getOutbox(db, claim.id));
    const ours = row.status === 'sending' && row.attempts === claim.attempts && row.nextAttemptAt === claim.nextAttemptAt;
    if (ours) log.warn({ outboxId: row.id }, 'outbox: the claim was written though its commit went unanswered; sending it');
    return ours ? { kind: 'claimed', row } : null;
  }

  /** Runs fn, again and again while the database is out of reach, until the deadline (wall time) or the worker stops. */
  async function whenBack<T>(deadline: number, fn: () => Promise<T>, waiting?: (err: unknown) => void): Promise<T> {
    for (let wait = 250; ; wait = Math.min(wait * 2, 5000)) {
      try {
        return await fn();
      } catch (err) {
        if (!isConnectionLost(err) || stopping || Date.now() + wait >= deadline) throw err;
        waiting?.(err);
        await pause(wait);
      }
    }
  }

  async function channelDown(channel: OutboxChannel, err: Error): Promise<void> {
    const now = clock.now();
    const count = (outages.get(channel)?.count ?? 0) + 1;
    outages.set(channel, { count, until: now + channelPauseMs(count) });
    const prev = await getChannelHealth(db, channel);
    await saveChannelHealth(db, channel, { ok: false, since: prev && !prev.ok ? prev.since : now, lastError: err.message, checkedAt: now });
    if (count === 1) log.warn({ channel, err: err.message }, 'outbox: channel unavailable; mail stays queued');
  }

  async function channelUp(channel: OutboxChannel): Promise<void> {
    const now = clock.now();
    if (outages.has(channel)) log.info({ channel }, 'outbox: channel available again');
    outages.delete(channel);
    const prev = await getChannelHealth(db, channel);
    if (!prev || !prev.ok) await saveChannelHealth(db, channel, { ok: true, since: now, lastError: null, checkedAt: now });
  }

  /**
   * Writes an attempt's outcome, unless the row is no longer this attempt's: a worker that took
   * longer than its lease may find another one has taken the row over (and maybe sent it).
   */
  async function settle(claimed: OutboxRow, write: (current: OutboxRow) => Promise<void> | void): Promise<boolean> {
    return await inTransaction(db, async () => {
      const current = await getOutbox(db, claimed.id);
      if (current.status !== 'sending' || current.attempts !== claimed.attempts) {
        log.warn({ outboxId: claimed.id }, 'outbox: the row was taken over by another attempt; this outcome is dropped');
        return false;
      }
      await write(current);
      return true;
    });
  }

  /**
   * Writes an attempt's outcome even when the database is out of reach for a while (a PostgreSQL
   * restart): unwritten, the row would wait for its lease to end (ten minutes), and a mail the
   * server accepted would go out again. Tried again until the lease ends or the worker stops.
   */
  async function settleWhenBack(row: OutboxRow, write: (current: OutboxRow) => Promise<void>): Promise<boolean> {
    const deadline = Date.now() + Math.max(0, row.nextAttemptAt - clock.now()); // wall time: the wait is real
    return await whenBack(deadline, async () => await settle(row, write), (err) =>
      log.warn({ outboxId: row.id, err: errorText(err) }, 'outbox: the database is out of reach; the outcome is recorded when it is back'),
    );
  }

  /** Sends a claimed row and records the outcome; false when the pass should end here (the database went away). */
  async function attempt(row: OutboxRow, summary: RunSummary): Promise<boolean> {
    const sender = senders.get(row.channel)!;
    let result;
    try {
      result = await sender.send(row);
    } catch (err) {
      await failed(row, err, summary);
      return !(err instanceof DatabaseUnavailableError);
    }
    if (await settleWhenBack(row, async (current) => await recordSent(db, current, result, clock.now()))) summary.sent++;
    await channelUp(row.channel);
    return true;
  }

  async function failed(row: OutboxRow, err: unknown, summary: RunSummary): Promise<void> {
    const now = clock.now();
    const settle = settleWhenBack;
    if (err instanceof DatabaseUnavailableError) {
      // nothing was transmitted: the attempt does not count, and the row is due again once the database is back
      if (await settle(row, async (current) => await updateOutbox(db, current.id, { status: 'pending', attempts: Math.max(0, current.attempts - 1), nextAttemptAt: clock.now(), lastError: err.message }))) {
        summary.deferred++;
      }
      log.warn({ outboxId: row.id, err: err.message }, 'outbox: the database went out of reach before the message was sent; it stays queued');
      return;
    }
    if (err instanceof ChannelUnavailableError) {
      // nothing of this row left: the attempt does not count, the channel waits instead
      if (await settle(row, async (current) => await updateOutbox(db, current.id, { status: 'pending', attempts: Math.max(0, current.attempts - 1), nextAttemptAt: now, lastError: err.message }))) {
        summary.deferred++;
      }
      await channelDown(row.channel, err);
      return;
    }
    if (err instanceof SkipSendError) {
      if (await settle(row, async (current) => await recordSkipped(db, current, err.message, now))) summary.skipped++;
      return;
    }
    if (err instanceof PermanentSendError) {
      if (await settle(row, async (current) => await recordDead(db, current, err.message, now))) summary.dead++;
      log.warn({ outboxId: row.id, err: err.message }, 'outbox: send failed permanently');
      return;
    }
    const next = nextAttemptAt(retry, row.attempts, now);
    if (next === null) {
      if (await settle(row, async (current) => await recordDead(db, current, `gave up after ${row.attempts} attempts: ${errorText(err)}`, now))) summary.dead++;
      log.warn({ outboxId: row.id, err: errorText(err) }, 'outbox: send failed, no attempts left');
      return;
    }
    if (await settle(row, async (current) => await updateOutbox(db, current.id, { status: 'pending', nextAttemptAt: next, lastError: errorText(err) }))) summary.retried++;
    log.info({ outboxId: row.id, attempts: row.attempts, next, err: errorText(err) }, 'outbox: send failed, will retry');
  }

  async function runOnce(): Promise<RunSummary> {
    const summary: RunSummary = { sent: 0, retried: 0, dead: 0, skipped: 0, deferred: 0 };
    for (let i = 0; i < batch && !stopping; i++) {
      const claim = await claimNext();
      if (!claim) break;
      if (claim.kind === 'settled') {
        summary[claim.outcome]++;
        continue;
      }
      // a database that just came back is given until the next poll before the row is tried again
      if (!(await attempt(claim.row, summary))) break;
    }
    return summary;
  }

  async function reportUnconfigured(): Promise<void> {
    for (const s of senders.values()) {
      if (s.configured) continue;
      const waitingSince = await findOldestPending(db, s.channel);
      if (waitingSince !== undefined) {
        log.warn({ channel: s.channel, waitingSince: new Date(waitingSince).toISOString() }, `outbox: ${s.notConfigured ?? `${s.channel} is not configured; messages stay queued`}`);
      }
    }
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

  return {
    runOnce,
    start() {
      if (loop) return;
      loop = (async () => {
        await reportUnconfigured().catch((err) => log.error({ err }, 'outbox: could not read what is waiting'));
        while (!stopping) {
          let busy = false;
          try {
            const s = await runOnce();
            busy = s.sent + s.retried + s.dead + s.skipped >= batch;
          } catch (err) {
            log.error({ err }, 'outbox: run failed; trying again shortly');
          }
          if (!stopping && !busy) await sleep(pollMs);
        }
      })();
    },
    async stop() {
      stopping = true;
      wakeUp?.();
      await loop;
      for (const s of senders.values()) await s.close?.();
    },
  };
}
