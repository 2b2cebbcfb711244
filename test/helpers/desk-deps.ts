// One desk process's dependencies, built in the test's own process, on a PostgreSQL database that
// other desk processes share: its own pool (so its own locks and notices) and its own file store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { loadConfig } from '../../src/config.ts';
import { closeDb, type Db } from '../../src/db/client.ts';
import { openDatabase } from '../../src/db/open.ts';
import type { Deps } from '../../src/deps.ts';
import { openFileStore } from '../../src/store/open-file-store.ts';

export type DeskDeps = Deps & {
  dataDir: string;
  /** closes the pool; removes the DATA_DIR when it was made here */
  close(): Promise<void>;
};

/**
 * The desk on `url` (migrated on first open). `dataDir`: its DATA_DIR, left in place at close (two
 * desks may share one); without it, a temp folder of its own. `env`: more settings (TWILIO_*,
 * IMAP_ALLOW_PLAINTEXT…). `log`: where it logs; without it, nowhere.
 */
export async function deskDeps(url: string, opts: { dataDir?: string; env?: Record<string, string>; log?: Logger } = {}): Promise<DeskDeps> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'helpdesk-desk-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, DATABASE_URL: url, LOG_LEVEL: 'silent', SESSION_SECRET: 's'.repeat(40), REPORT_SLOW_MS: '0', ...opts.env });
  let db: Db;
  try {
    db = await openDatabase(config.database);
  } catch (err) {
    if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    config,
    db,
    files: openFileStore(db, dataDir),
    log: opts.log ?? pino({ level: 'silent' }),
    clock: { now: () => Date.now() },
    secrets: { session: 's'.repeat(40), token: 't'.repeat(40), credentials: 'c'.repeat(43) },
    dataDir,
    async close() {
      await closeDb(db);
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
