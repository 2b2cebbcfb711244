// Test dependencies: a real database with the real migrations (SQLite, or PostgreSQL with
// TEST_DATABASE=postgres) and a temp DATA_DIR.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig, type Config } from '../../src/config.ts';
import { closeDb, openDb, type Db } from '../../src/db/client.ts';
import { migrateDb } from '../../src/db/migrate.ts';
import type { Clock, Deps } from '../../src/deps.ts';
import { createFileStore } from '../../src/store/file-store.ts';
import { migratePostgres, openPostgres } from '../../src/db/postgres.ts';
import { startPostgres, type PostgresCluster } from './postgres.ts';

// TEST_DATABASE=postgres: each test desk gets a fresh database, copied from one migrated template,
// on one private cluster per test file
let cluster: Promise<{ c: PostgresCluster; template: string }> | undefined;
function postgresCluster() {
  cluster ??= (async () => {
    const c = await startPostgres();
    const template = await c.createDatabase('template_desk');
    const db = openPostgres(c.url(template), { max: 1 });
    await migratePostgres(db);
    await db.close();
    process.once('exit', () => c.stop());
    return { c, template };
  })();
  return cluster;
}
let copies = 0;
/** A fresh database copied from the migrated template; its URL */
async function postgresDatabase(): Promise<string> {
  const { c, template } = await postgresCluster();
  const name = `desk_${process.pid}_${++copies}`;
  const admin = openPostgres(c.url(), { max: 1 });
  await admin.run(`create database ${name} template ${template}`);
  await admin.close();
  return c.url(name);
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
    files: createFileStore(dataDir),
    log: pino({ level: 'silent' }),
    clock,
    secrets: { session: 's'.repeat(40), token: 't'.repeat(40), credentials: 'c'.repeat(43) },
    dataDir,
    close() {
      void closeDb(db);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
