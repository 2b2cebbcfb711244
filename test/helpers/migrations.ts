// A database migrated up to just before one migration, for tests of what that migration does to
// rows that existed before it (backfills, new columns with defaults).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { openDb, type Db } from '../../src/db/client.ts';
import { MIGRATIONS_DIR } from '../../src/db/migrate.ts';

type Journal = { entries: { tag: string }[] };

/** Runs `use` on an in-memory database holding the migrations before the one whose tag ends with `tagEnd`. */
export async function withDbBefore(tagEnd: string, use: (db: Db) => Promise<void> | void): Promise<void> {
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')) as Journal;
  const at = journal.entries.findIndex((e) => e.tag.endsWith(tagEnd));
  if (at <= 0) throw new Error(`no migration after the first ends with ${tagEnd}`);
  // the migrations as they were before it: a copy with the journal cut there
  const before = mkdtempSync(path.join(tmpdir(), 'helpdesk-migrations-'));
  try {
    cpSync(MIGRATIONS_DIR, before, { recursive: true });
    writeFileSync(path.join(before, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
    const db = openDb(':memory:');
    migrate(drizzle(db.sqlite), { migrationsFolder: before });
    await use(db);
  } finally {
    rmSync(before, { recursive: true, force: true });
  }
}
