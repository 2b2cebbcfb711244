// Another process holding the database's write lock, on either engine: the desk's writes wait
// (on SQLite `waitMs` when given) and then fail the way a busy database fails them (SQLITE_BUSY, or PostgreSQL's
// lock_not_available), while its reads go on.
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Db } from '../../src/db/client.ts';
import type { Config } from '../../src/config.ts';

export type HeldLock = { release(): Promise<void> };

export async function lockForWrites(deps: { db: Db; config: Config }, opts: { waitMs?: number } = {}): Promise<HeldLock> {
  const database = deps.config.database;
  if (database.engine === 'sqlite') {
    if (opts.waitMs !== undefined) deps.db.sqlite.pragma(`busy_timeout = ${opts.waitMs}`);
    const other = new Database(database.file);
    other.exec('BEGIN IMMEDIATE');
    return {
      async release() {
        other.exec('ROLLBACK');
        other.close();
        if (opts.waitMs !== undefined) deps.db.sqlite.pragma('busy_timeout = 5000');
      },
    };
  }
  // on PostgreSQL the desk's statements wait their own lock_timeout (5 s), as SQLite's busy_timeout does by default
  const other = new pg.Client({ connectionString: database.url });
  await other.connect();
  const tables = (await other.query<{ t: string }>("select quote_ident(tablename) as t from pg_tables where schemaname = 'public'")).rows.map((r) => r.t);
  await other.query('begin');
  await other.query(`lock table ${tables.join(', ')} in exclusive mode`);
  return {
    async release() {
      await other.query('rollback');
      await other.end();
    },
  };
}
