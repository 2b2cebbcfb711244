// Intake throughput: the same corpus through bare mailparser and through the whole intake
// (archive, parse, steps, one committed transaction per mail on a real database, a SQLite file or
// a new PostgreSQL database, with the desk's hooks), in one run. Bare mailparser is timed before
// and after intake and the faster of the two runs is the reference, so neither warm-up order nor a
// noisy neighbour flatters the ratio.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/open.ts';
import { systemClock, type Deps } from '../src/deps.ts';
import { buildServices } from '../src/services.ts';
import { openFileStore } from '../src/store/open-file-store.ts';
import { buildCorpus, type CorpusMail } from './corpus.ts';
import type { BenchEngine } from './engines.ts';

export type IntakeFigures = {
  mails: number;
  mailparser_msgs_per_s: number;
  intake_msgs_per_s: number;
  intake_ratio: number;
  outcomes: Record<string, number>;
};

const WARM_UP = 200;

async function timeMailparser(corpus: CorpusMail[]): Promise<number> {
  const t = performance.now();
  for (const m of corpus) await simpleParser(m.raw, { skipImageLinks: true, skipTextLinks: true, skipTextToHtml: true, keepCidLinks: true });
  return (performance.now() - t) / 1000;
}

export async function measureIntakeThroughput(opts: { mails: number; engine: BenchEngine; log?: (s: string) => void }): Promise<IntakeFigures> {
  const log = opts.log ?? (() => undefined);
  const corpus = await buildCorpus(opts.mails);
  const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-bench-intake-'));
  const database = await opts.engine.scratch(dir);
  try {
    const config = loadConfig({ DATA_DIR: dir, DATABASE_URL: database.url, LOG_LEVEL: 'silent', SESSION_SECRET: 'b'.repeat(40) });
    const db = await openDatabase(config.database);
    const deps: Deps = { config, db, files: openFileStore(db, dir), log: pino({ level: 'silent' }), clock: systemClock, secrets: { session: 's'.repeat(40), token: 't'.repeat(40), credentials: 'c'.repeat(43) } };
    const { intake } = buildServices(deps);

    // warm both paths (JIT, caches) on mails that are not timed: the warm-up corpus has its own seed
    const warm = await buildCorpus(WARM_UP, 7);
    await timeMailparser(warm);
    for (const m of warm) await intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: m.raw });

    const parseBefore = await timeMailparser(corpus);
    const outcomes: Record<string, number> = {};
    const t = performance.now();
    for (const m of corpus) {
      const r = await intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: m.raw });
      outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    }
    const intakeSeconds = (performance.now() - t) / 1000;
    const parseAfter = await timeMailparser(corpus);
    await db.close();
    log(`mailparser ${Math.round(corpus.length / parseBefore)} msg/s before intake, ${Math.round(corpus.length / parseAfter)} msg/s after`);
    const mailparser = corpus.length / Math.min(parseBefore, parseAfter);
    const intakeRate = corpus.length / intakeSeconds;
    return {
      mails: corpus.length,
      mailparser_msgs_per_s: Math.round(mailparser),
      intake_msgs_per_s: Math.round(intakeRate),
      intake_ratio: Math.round((intakeRate / mailparser) * 100) / 100,
      outcomes,
    };
  } finally {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
