// Opens the SQLite database with the pragmas every connection needs.
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import * as schema from './schema.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export function openDb(file: string): Db {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: every commit is on disk before it returns, also across a power loss or an OS crash. An
  // SMTP 250, a pipe's exit 0, a mail moved out of its IMAP folder and a webhook's 200 are given
  // after the commit; with NORMAL in WAL mode the last commits could vanish after the sender had
  // already let go of the mail. It costs about 0.07 ms per commit on the test machine.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -32000'); // 32 MB page cache
  sqlite.pragma('temp_store = MEMORY');
  // checkpoint every ~16 MB of WAL instead of every 4 MB: each write transaction rewrites the same
  // hot index pages (newest entries), and a larger checkpoint writes each of them once; commits of
  // mail intake got about a quarter cheaper
  sqlite.pragma('wal_autocheckpoint = 4000');
  cacheStatements(sqlite);
  return drizzle(sqlite, { schema }) as Db;
}

/** Closes the database (at shutdown: the WAL is checkpointed and the file left whole). */
export function closeDb(db: Db): void {
  db.$client.close();
}

// one transaction wrapper per connection that runs whatever it is given (better-sqlite3 builds a
// new wrapper per transaction() call, which costs more than a small transaction's statements);
// kept by connection, so it goes with its connection and no two desks share one
const runners = new WeakMap<Database.Database, Database.Transaction<(fn: () => unknown) => unknown>>();

/** Runs fn in one IMMEDIATE transaction (takes the write lock up front, so no upgrade deadlocks). */
export function inTransaction<T>(db: Db, fn: () => T): T {
  let run = runners.get(db.$client);
  if (!run) runners.set(db.$client, (run = db.$client.transaction((f: () => unknown) => f())));
  return run.immediate(fn) as T;
}

/**
 * drizzle prepares a new statement for every query it runs; compiling SQL is most of the cost of
 * a small query. Statements are cached by their SQL text (parameters are bound separately, so one
 * query shape is one statement). drizzle switches a statement to raw mode for mapped selects, so
 * a cached reader is switched back before it is handed out again.
 */
function cacheStatements(sqlite: Database.Database, max = 500): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    const hit = cache.get(source);
    if (hit) return hit.reader ? hit.pluck(false).raw(false) : hit;
    const stmt = prepare(source);
    if (cache.size >= max) cache.delete(cache.keys().next().value!);
    cache.set(source, stmt);
    return stmt;
  }) as typeof sqlite.prepare;
}

/**
 * A value that changes whenever the database may have changed: commits by other connections
 * (`PRAGMA data_version`) and rows written by this one (`total_changes()`). Cheap enough to check
 * on every request; what is derived from the data can be kept until it changes.
 */
export function changeToken(db: Db): string {
  const version = db.$client.pragma('data_version', { simple: true }) as number;
  const own = db.$client.prepare('select total_changes()').pluck().get() as number;
  return `${version}:${own}`;
}
