// Hands webhook messages to intake without ever losing one. A text is stored before Twilio gets
// its answer; an MMS (whose media can take seconds to fetch) and any message met by a temporary
// failure (database busy, disk hiccup) are first written to a spool on disk and processed from
// there, also after a restart. Twilio does not resend a message it got an answer for, so the
// spool is what makes "answered" mean "kept".
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { TemporaryIntakeError, type Intake } from '../../intake/receive.ts';
import { sha256Hex } from '../../store/file-store.ts';

export type SmsInbox = {
  /** stores now (text) or spools for the background (MMS); throws only if neither is possible */
  accept(raw: Buffer, opts: { background: boolean }): Promise<void>;
  /** processes what is in the spool; resolves when the spool is empty or blocked */
  drain(): Promise<void>;
  /** spooled messages not yet stored */
  pending(): number;
};

const CONCURRENCY = 4;

export function createSmsInbox(deps: Deps, intake: Intake, opts: { spoolDir?: string } = {}): SmsInbox {
  const dir = opts.spoolDir ?? path.join(deps.config.dataDir, 'spool', 'sms');
  const inFlight = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let delay = 1000;

  const list = (): string[] => {
    try {
      return readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => ({ f, t: statSync(path.join(dir, f)).mtimeMs }))
        .sort((a, b) => a.t - b.t)
        .map((x) => x.f);
    } catch {
      return [];
    }
  };

  const spool = (raw: Buffer): void => {
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${sha256Hex(raw)}.json`);
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(tmp, raw);
    renameSync(tmp, file);
  };

  const receive = (raw: Buffer) => intake.receive({ channel: 'sms', source: 'twilio', mailboxId: null, raw });

  const schedule = (ms: number) => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void drain();
    }, ms);
    timer.unref();
  };

  async function processFile(name: string): Promise<boolean> {
    const file = path.join(dir, name);
    let raw: Buffer;
    try {
      raw = readFileSync(file);
    } catch {
      return true; // already done by another pass
    }
    try {
      await receive(raw); // stored, quarantined or a duplicate: in every case it is safe in the database
      rmSync(file, { force: true });
      return true;
    } catch (err) {
      deps.log.warn({ err, spooled: name }, 'spooled SMS not stored yet; will retry');
      return false;
    }
  }

  async function drainOnce(): Promise<void> {
    for (;;) {
      const batch = list().filter((f) => !inFlight.has(f)).slice(0, CONCURRENCY);
      if (batch.length === 0) {
        delay = 1000;
        return;
      }
      batch.forEach((f) => inFlight.add(f));
      const results = await Promise.all(batch.map((f) => processFile(f).finally(() => inFlight.delete(f))));
      if (results.includes(false)) {
        delay = Math.min(delay * 2, 60_000);
        schedule(delay);
        return;
      }
    }
  }

  let again = false;
  function drain(): Promise<void> {
    if (running) {
      again = true; // something was spooled while this pass may already have looked
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await drainOnce();
      } while (again);
    })()
      .catch((err: unknown) => deps.log.error({ err }, 'SMS spool drain failed'))
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  if (list().length) schedule(0); // left over from before a restart

  return {
    async accept(raw, { background }) {
      if (background) {
        spool(raw);
        void drain();
        return;
      }
      try {
        await receive(raw);
      } catch (err) {
        if (!(err instanceof TemporaryIntakeError)) throw err;
        deps.log.warn({ err }, 'SMS not stored yet (temporary failure); spooled for retry');
        spool(raw);
        schedule(delay);
      }
    },
    drain,
    pending: () => list().length,
  };
}
