// Intake throughput: the same corpus through bare mailparser and through the whole intake
// (parse, steps, one committed transaction per mail on a real SQLite file), in one run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { openDb } from '../src/db/client.ts';
import { migrateDb } from '../src/db/migrate.ts';
import { systemClock, type Deps } from '../src/deps.ts';
import { buildServices } from '../src/services.ts';
import { createFileStore } from '../src/store/file-store.ts';
import { buildCorpus } from './corpus.ts';

export type IntakeFigures = {
  mails: number;
  mailparser_msgs_per_s: number;
  intake_msgs_per_s: number;
  intake_ratio: number;
  outcomes: Record<string, number>;
};

export async function measureIntakeThroughput(opts: { mails: number }): Promise<IntakeFigures> {
  const corpus = await buildCorpus(opts.mails);

  // warm both paths so JIT and caches do not favour the second one
  for (const m of corpus.slice(0, 50)) await simpleParser(m.raw);
  let t = process.hrtime.bigint();
  for (const m of corpus) await simpleParser(m.raw, { skipImageLinks: true, skipTextLinks: true, skipTextToHtml: true, keepCidLinks: true });
  const parseSeconds = Number(process.hrtime.bigint() - t) / 1e9;

  const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-bench-intake-'));
  try {
    const config = loadConfig({ DATA_DIR: dir, DATABASE_URL: `file:${path.join(dir, 'desk.sqlite')}`, LOG_LEVEL: 'silent', SESSION_SECRET: 'b'.repeat(40) });
    const db = openDb(config.databasePath);
    migrateDb(db);
    const deps: Deps = { config, db, files: createFileStore(dir), log: pino({ level: 'silent' }), clock: systemClock, secrets: { session: 's'.repeat(40), token: 't'.repeat(40) } };
    const { intake } = buildServices(deps);
    const outcomes: Record<string, number> = {};
    t = process.hrtime.bigint();
    for (const m of corpus) {
      const r = await intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: m.raw });
      outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    }
    const intakeSeconds = Number(process.hrtime.bigint() - t) / 1e9;
    db.$client.close();
    const mailparser = corpus.length / parseSeconds;
    const intakeRate = corpus.length / intakeSeconds;
    return {
      mails: corpus.length,
      mailparser_msgs_per_s: Math.round(mailparser),
      intake_msgs_per_s: Math.round(intakeRate),
      intake_ratio: Math.round((intakeRate / mailparser) * 100) / 100,
      outcomes,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
