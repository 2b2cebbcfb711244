// Test dependencies: a real database with the real migrations (SQLite, or PostgreSQL with
// TEST_DATABASE=postgres), a temp DATA_DIR, and the file store the desk keeps on that engine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig, type Config } from '../../src/config.ts';
import { closeDb, openDb, type Db } from '../../src/db/client.ts';
import { migrateDb } from '../../src/db/migrate.ts';
import type { Clock, Deps } from '../../src/deps.ts';
import { openFileStore } from '../../src/store/open-file-store.ts';
import { openPostgres } from '../../src/db/postgres.ts';

// TEST_DATABASE=postgres: each test desk gets a fresh database, copied from one migrated template,
// on the cluster the global setup started for the run
function postgresCluster() {
  const shared = process.env.TEST_POSTGRES_URL;
  if (!shared) throw new Error('TEST_DATABASE=postgres: the global setup (test/setup/global-setup.ts) starts the cluster; run the tests through vitest');
  const template = process.env.TEST_POSTGRES_TEMPLATE ?? 'template_desk';
  return { url: (db = 'postgres') => shared.replace(/\/[^/]*$/, `/${db}`), template };
}

let copies = 0;
async function postgresDatabase(): Promise<string> {
  const { url, template } = postgresCluster();
  const name = `desk_${process.pid}_${++copies}`;
  const admin = openPostgres(url(), { max: 1 });
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.run(`create database ${name} template ${template}`);
        break;
      } catch (err) {
        // another worker copying the template at this moment
        if (attempt >= 50 || !/being accessed by other users/.test(String(err))) throw err;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
      }
    }
  } finally {
    await admin.close();
  }
  return url(name);
}

/** The DATABASE_URL of a test desk, for a process of its own (the desk, the CLI) to open the same database. */
export function databaseUrlOf(config: Config): string {
  return config.database.engine === 'sqlite' ? `file:${config.database.file}` : config.database.url;
}

/** A DATABASE_URL for a new, empty desk on TEST_ENGINE (on SQLite a file in dir; on PostgreSQL a fresh migrated database). */
export async function newDatabaseUrl(dir: string): Promise<string> {
  return TEST_ENGINE === 'postgres' ? await postgresDatabase() : `file:${path.join(dir, 'desk.sqlite')}`;
}

/** The engine test desks run on: SQLite, or PostgreSQL with TEST_DATABASE=postgres. Tests of what only one engine has (SQLite's bulk load, its files) run on that engine only. */
export const TEST_ENGINE: 'sqlite' | 'postgres' = process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';

export type TestClock = Clock & { set(ms: number): void; advance(ms: number): void };

export function testClock(start = Date.UTC(2026, 10, 2, 9, 0, 0)): TestClock {
  let t = start;
  return { now: () => t, set: (ms) => (t = ms), advance: (ms) => (t += ms) };
}

export type TestDeps = Deps & { clock: TestClock; dataDir: string; close(): void };

/** A test desk on TEST_ENGINE; opts.file: on SQLite, a database file (other connections and processes can open it) instead of one in memory. */
export async function makeTestDeps(env: Record<string, string> = {}, opts: { file?: boolean } = {}): Promise<TestDeps> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'helpdesk-test-'));
  const config: Config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    // on PostgreSQL a database of its own, which other processes reach as well as a file
    DATABASE_URL: TEST_ENGINE === 'postgres' ? await postgresDatabase() : `file:${opts.file ? path.join(dataDir, 'helpdesk.sqlite') : ':memory:'}`,
    LOG_LEVEL: 'silent',
    SESSION_SECRET: 's'.repeat(40),
    // the loopback test servers (Dovecot, smtp-server) speak plain text only
    IMAP_ALLOW_PLAINTEXT: 'true',
    SMTP_ALLOW_PLAINTEXT: 'true',
    // every report counted again after every change: a loaded machine must not make a test's report lag
    // (the policy for slow reports has its own test: src/reports/kit/result-cache.test.ts)
    REPORT_SLOW_MS: '0',
    ...env,
  });
  const database = config.database;
  let db: Db;
  if (database.engine === 'postgres') {
    db = openPostgres(database.url, { max: database.poolSize }); // migrated: a copy of the template
  } else {
    db = openDb(database.file);
    await migrateDb(db);
  }
  const clock = testClock();
  return {
    config,
    db,
    files: openFileStore(db, dataDir),
    log: pino({ level: process.env.TEST_LOG ?? 'silent' }),
    clock,
    secrets: { session: 's'.repeat(40), token: 't'.repeat(40), credentials: 'c'.repeat(43) },
    dataDir,
    close() {
      void closeDb(db);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
