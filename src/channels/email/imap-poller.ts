// Reads one IMAP mailbox into intake. Messages are addressed by UID above a cursor kept in the
// database with the folder's UIDVALIDITY, fetched with BODY.PEEK (so \Seen, which people change,
// means nothing to us), handed to intake one by one, and the cursor moves past a message only
// after its transaction committed. A message over MAX_MAIL_BYTES is never downloaded whole: one
// listed over it (RFC822.SIZE) is not downloaded at all, the others are read at most one byte past
// it (fetch-plan.ts); either way its headers are read and it is quarantined by reference, left in
// the folder. IDLE brings new mail within a second; a periodic poll covers servers and networks
// that drop IDLE; a lost connection is retried with exponential backoff.
import { ImapFlow, type FetchMessageObject, type MailboxObject } from 'imapflow';
import type { Deps } from '../../deps.ts';
import { quarantineByReference } from '../../intake/quarantine-by-reference.ts';
import { TemporaryIntakeError, type Intake } from '../../intake/receive.ts';
import { getMailbox, mailboxPassword, updateMailboxState, type Mailbox } from '../../store/mailboxes.ts';
import { fetchBatches, listedOversized, sourceVerdict } from './fetch-plan.ts';
import { OVERSIZED_HEADER_BYTES, oversizedMailSummary } from './oversized-mail.ts';

export type PollerOptions = {
  deps: Deps;
  intake: Intake;
  mailboxId: number;
  /** the poll that runs even when IDLE reports nothing (default 60 s) */
  pollIntervalMs?: number;
  /** wait for new mail with IDLE (default true) */
  idle?: boolean;
  /** reconnect delays: initial, doubled after each failure up to max (default 1 s … 5 min) */
  backoff?: { initialMs: number; maxMs: number };
  /** how long a batch may hold in memory (default 32 MiB) */
  batchBytes?: number;
};

export type ImapPoller = {
  readonly mailboxId: number;
  /** runs a sync now (also used by tests to wait for one) */
  syncNow(): Promise<void>;
  stop(): Promise<void>;
};

type SyncResult = 'done' | 'retry';

/** A readable reason from an imapflow or network error. */
export function imapErrorText(err: unknown): string {
  const e = err as { authenticationFailed?: boolean; tlsFailed?: boolean; responseText?: string; code?: string; message?: string } | null;
  if (e?.authenticationFailed) return `login failed: ${e.responseText || 'wrong user name or password'}`;
  if (e?.tlsFailed) return `${PLAIN_REFUSED} (${e.message ?? 'STARTTLS failed'})`;
  if (e?.code === 'ECONNREFUSED') return `connection refused (${e.message ?? ''})`;
  if (e?.code === 'ENOTFOUND') return `host not found (${e.message ?? ''})`;
  if (e?.code === 'ETIMEDOUT' || e?.code === 'CONNECT_TIMEOUT') return 'connection timed out';
  if (e?.code === 'LiteralTooLarge') return `the server sent more of a mail than was asked for (${e.message ?? ''}): the connection was closed`;
  const text = e?.responseText ? `${e.message ?? 'IMAP error'}: ${e.responseText}` : (e?.message ?? String(err));
  return text.slice(0, 500);
}

export const PLAIN_REFUSED =
  'the server did not switch to TLS (STARTTLS), and the password is not sent without it: use TLS on port 993, or allow plain text for this mailbox (IMAP_ALLOW_PLAINTEXT for the IMAP_* one) only on a network you trust';

export function imapClientFor(
  mb: Pick<Mailbox, 'host' | 'port' | 'secure' | 'allowPlaintext' | 'username' | 'password'>,
  opts: { idle: boolean; /** the longest literal taken from the server; longer and the connection fails */ maxLiteralBytes?: number },
): ImapFlow {
  return new ImapFlow({
    host: mb.host,
    port: mb.port,
    secure: mb.secure,
    // not TLS from the start: STARTTLS is required (a server that does not offer it, or an attacker
    // who strips it from the capability list, is refused), unless plain text was allowed explicitly
    doSTARTTLS: mb.secure ? undefined : !mb.allowPlaintext,
    auth: { user: mb.username, pass: mb.password },
    logger: false,
    // IDLE starts as soon as we are done (imapflow only idles with no mailbox lock held)
    autoIdleDelay: 100,
    disableAutoIdle: !opts.idle,
    // a server that stops answering is noticed within minutes, not hours
    socketTimeout: 5 * 60_000,
    connectionTimeout: 30_000,
    greetingTimeout: 15_000,
    clientInfo: { name: 'helpdesk' },
    ...(opts.maxLiteralBytes ? { maxLiteralSize: opts.maxLiteralBytes } : {}),
  });
}

export function startImapPoller(opts: PollerOptions): ImapPoller {
  const { deps, intake, mailboxId } = opts;
  const { db, log, clock } = deps;
  const pollIntervalMs = opts.pollIntervalMs ?? 60_000;
  const idle = opts.idle ?? true;
  const backoff = opts.backoff ?? { initialMs: 1000, maxMs: 5 * 60_000 };
  const batchBytes = opts.batchBytes ?? 32 * 1024 * 1024;
  const limitBytes = deps.config.limits.mailBytes;
  const mlog = log.child({ mailboxId });

  let stopped = false;
  let client: ImapFlow | null = null;
  let pending = true;
  let wake: (() => void) | null = null;
  let syncWaiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  const kick = () => {
    pending = true;
    wake?.();
  };

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        if (wake === done) wake = null;
        resolve();
      }
      wake = done;
    });

  // Bookkeeping must not fail a sync: when the database is busy the state waits for the next
  // write (the cursor too — a message read again is a duplicate, which intake drops).
  let unsaved: Parameters<typeof updateMailboxState>[2] = {};
  const saveState = async (patch: Parameters<typeof updateMailboxState>[2]) => {
    const merged = { ...unsaved, ...patch };
    try {
      await updateMailboxState(db, mailboxId, merged);
      unsaved = {};
    } catch (err) {
      unsaved = merged;
      mlog.warn({ err }, 'could not save the mailbox state yet');
    }
  };
  const recordError = async (text: string) => await saveState({ lastError: text, lastErrorAt: clock.now() });

  async function afterCommit(c: ImapFlow, mb: Mailbox, uids: number[]): Promise<void> {
    if (uids.length === 0) return;
    const range = uids.join(',');
    try {
      if (mb.markSeen) await c.messageFlagsAdd(range, ['\\Seen'], { uid: true });
      if (mb.moveTo) {
        const moved = await c.messageMove(range, mb.moveTo, { uid: true });
        if (!moved) throw new Error(`the server refused to move them to "${mb.moveTo}"`);
      }
    } catch (err) {
      // the tickets are committed; only the tidying failed, and a duplicate is never re-imported
      if (!c.usable) throw err;
      const text = `imported, but could not ${mb.moveTo ? `move to "${mb.moveTo}"` : 'flag as read'}: ${imapErrorText(err)}`;
      mlog.warn({ err, uids }, text);
      await recordError(text);
    }
  }

  /**
   * A mail over MAX_MAIL_BYTES: the start of its header block is read, never its body. `readBytes`:
   * how much of it was read when that showed it over the limit (its listed size said otherwise).
   */
  async function quarantineOversized(c: ImapFlow, mb: Mailbox, validity: string, m: FetchMessageObject, readBytes = 0): Promise<void> {
    const head = await c.fetchOne(String(m.uid), { uid: true, bodyParts: [{ key: 'header', maxLength: OVERSIZED_HEADER_BYTES }] }, { uid: true });
    if (!head) return; // expunged meanwhile
    const headers = head.headers ?? Buffer.alloc(0); // imapflow puts BODY[HEADER]<0> here
    const listedSize = m.size ?? 0;
    const ref = { folder: mb.folder, uidValidity: validity, uid: m.uid, size: Math.max(listedSize, readBytes) };
    const summary = await oversizedMailSummary(headers, ref, limitBytes, listedSize);
    const r = await quarantineByReference(deps, { channel: 'email', source: 'imap', mailboxId, headers, ref, ...summary });
    mlog.warn({ uid: m.uid, size: m.size, readBytes, inboundId: r.inboundId }, 'mail over MAX_MAIL_BYTES quarantined by reference');
  }

  /** What a message fetched cut at `maxLength` is: whole (its source), over the limit, or gone. */
  async function readSource(c: ImapFlow, uid: number, source: Buffer | undefined, maxLength: number): Promise<{ whole: Buffer } | { oversized: number } | undefined> {
    if (!source) return undefined; // expunged between listing and fetching
    if (sourceVerdict(source.length, maxLength, limitBytes) === 'cut') {
      // longer than the server listed it: read again alone, one byte past the limit at most
      const again = await c.fetchOne(String(uid), { uid: true, source: { maxLength: limitBytes + 1 } }, { uid: true });
      if (!again || !again.source) return undefined;
      source = again.source;
    }
    return sourceVerdict(source.length, limitBytes + 1, limitBytes) === 'whole' ? { whole: source } : { oversized: source.length };
  }

  async function syncOnce(c: ImapFlow): Promise<SyncResult> {
    const mb = { ...await getMailbox(db, mailboxId), ...unsaved };
    const lock = await c.getMailboxLock(mb.folder);
    try {
      const box = c.mailbox as MailboxObject;
      const validity = String(box.uidValidity);
      let last = mb.lastUid;
      if (mb.uidValidity !== validity) {
        // a new UIDVALIDITY means old UIDs name other messages: read the folder again from the
        // start; dedupe (Message-ID per mailbox) keeps what we already have from coming in twice
        if (mb.uidValidity !== null) mlog.warn({ was: mb.uidValidity, now: validity }, 'UIDVALIDITY changed: reading the folder again');
        await saveState({ uidValidity: validity, lastUid: 0 });
        last = 0;
      }
      if (box.exists > 0) {
        const listed = (await c.fetchAll(`${last + 1}:*`, { uid: true, size: true, internalDate: true }, { uid: true }))
          .filter((m) => m.uid > last)
          .sort((a, b) => a.uid - b.uid);
        // mail that was in the folder before the mailbox was connected is left alone
        const since = mb.importSince;
        const isBacklog = (m: FetchMessageObject) => since !== null && m.internalDate instanceof Date && m.internalDate.getTime() < since;
        const wanted = listed.filter((m) => !isBacklog(m));
        const skipped = listed.length - wanted.length;
        if (skipped > 0 && wanted.length === 0) {
          mlog.info({ skipped }, 'left older mail in the folder alone');
          await saveState({ lastUid: listed[listed.length - 1].uid });
        }
        for (const batch of fetchBatches(wanted, { limitBytes, batchBytes })) {
          if (stopped) break;
          const toFetch = batch.messages.filter((m) => !listedOversized(m, limitBytes)).map((m) => m.uid);
          // never the whole of a message: each is cut where the plan says, so a size the server
          // gives wrongly (or a lie) cannot make us download more than that
          const fetched = new Map(
            (toFetch.length ? await c.fetchAll(toFetch.join(','), { uid: true, source: { maxLength: batch.maxLength } }, { uid: true }) : [])
              .filter((m): m is FetchMessageObject & { source: Buffer } => !!m.source)
              .map((m) => [m.uid, m.source]),
          );
          const committed: number[] = [];
          try {
            for (const m of batch.messages) {
              if (stopped) break;
              const read = listedOversized(m, limitBytes) ? { oversized: 0 } : await readSource(c, m.uid, fetched.get(m.uid), batch.maxLength);
              fetched.delete(m.uid);
              if (!read) continue; // expunged meanwhile
              if ('oversized' in read) {
                // left where it is (its UID stays valid for the admin), so not flagged or moved
                await quarantineOversized(c, mb, validity, m, read.oversized);
              } else {
                // one message at a time: a broken one is quarantined by intake, the rest go on
                await intake.receive({ channel: 'email', source: 'imap', mailboxId, raw: read.whole, receivedAt: clock.now() });
                committed.push(m.uid);
              }
              // only now, with its record committed; older mail skipped before it is passed too
              await saveState({ lastUid: m.uid });
            }
          } catch (err) {
            await afterCommit(c, mb, committed);
            if (err instanceof TemporaryIntakeError) {
              const text = `${err.message}; will retry`;
              mlog.warn({ err }, text);
              await recordError(text);
              return 'retry';
            }
            throw err;
          }
          await afterCommit(c, mb, committed);
        }
      }
      await saveState({ lastSuccessAt: clock.now() });
      return 'done';
    } finally {
      lock.release();
    }
  }

  async function session(): Promise<boolean> {
    const mb = await getMailbox(db, mailboxId);
    // a server that sends more of a message than was asked for fails the connection, not our memory
    const maxLiteralBytes = Math.max(limitBytes + 1, OVERSIZED_HEADER_BYTES);
    const c = imapClientFor({ ...mb, password: mailboxPassword(mb, deps.secrets.credentials) }, { idle, maxLiteralBytes });
    client = c;
    let closed = false;
    // what broke the connection, when the command it broke only says the connection is gone
    let refused: unknown = null;
    c.on('error', (err: unknown) => {
      if ((err as { code?: string } | null)?.code === 'LiteralTooLarge') refused = err;
      mlog.debug({ err }, 'IMAP connection error');
    });
    c.on('close', () => {
      closed = true;
      wake?.();
    });
    c.on('exists', () => kick());
    await c.connect();
    await c.mailboxOpen(mb.folder);
    let connectedOk = false;
    pending = true;
    let retryAt = 0;
    while (!stopped && !closed) {
      if (pending || (retryAt && Date.now() >= retryAt)) {
        pending = false;
        retryAt = 0;
        const waiters = syncWaiters;
        syncWaiters = [];
        try {
          const r = await syncOnce(c);
          connectedOk = true;
          if (r === 'retry') retryAt = Date.now() + backoff.initialMs; // wall time, not the domain clock
          for (const w of waiters) w.resolve();
        } catch (err) {
          const cause = refused ?? err;
          for (const w of waiters) w.reject(cause);
          throw cause;
        }
        continue;
      }
      await pause(retryAt ? Math.max(10, Math.min(pollIntervalMs, retryAt - Date.now())) : pollIntervalMs);
      // the periodic poll: also notices mail when IDLE is off or silently broken
      if (!pending && !retryAt) pending = true;
    }
    return connectedOk;
  }

  const loop = (async () => {
    let failures = 0;
    while (!stopped) {
      try {
        const ok = await session();
        if (ok) failures = 0;
      } catch (err) {
        if (stopped) break;
        const text = imapErrorText(err);
        mlog.warn({ err }, `mailbox: ${text}`);
        await recordError(text);
      } finally {
        const c = client as ImapFlow | null; // set by session()
        client = null;
        if (c) {
          if (stopped && c.usable) await c.logout().catch(() => c.close());
          else c.close();
        }
      }
      if (stopped) break;
      failures++;
      const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(failures - 1, 20));
      // jitter, so many desks do not reconnect in step after a server restart
      await pause(delay * (0.8 + Math.random() * 0.4));
    }
    for (const w of syncWaiters.splice(0)) w.reject(new Error('poller stopped'));
  })();

  return {
    mailboxId,
    syncNow: () =>
      new Promise<void>((resolve, reject) => {
        if (stopped) return reject(new Error('poller stopped'));
        syncWaiters.push({ resolve, reject });
        kick();
      }),
    async stop() {
      stopped = true;
      wake?.();
      // a command that hangs must not hold up shutdown
      const force = setTimeout(() => client?.close(), 5000);
      await loop;
      clearTimeout(force);
    },
  };
}
