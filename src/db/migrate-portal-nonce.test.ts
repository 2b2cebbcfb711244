// The portal nonce backfill: tickets that exist when the column arrives each get their own nonce.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { expect, it } from 'vitest';
import { openDb } from './client.ts';
import { MIGRATIONS_DIR, migrateDb } from './migrate.ts';

type Journal = { entries: { tag: string }[] };

it('gives every ticket that existed before the portal nonce its own random nonce', () => {
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')) as Journal;
  const at = journal.entries.findIndex((e) => e.tag.endsWith('_portal_nonce'));
  expect(at).toBeGreaterThan(0);
  // the migrations as they were before the column: a copy with the journal cut there
  const before = mkdtempSync(path.join(tmpdir(), 'helpdesk-migrations-'));
  try {
    cpSync(MIGRATIONS_DIR, before, { recursive: true });
    writeFileSync(path.join(before, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
    const db = openDb(':memory:');
    migrate(db, { migrationsFolder: before });
    const now = Date.now();
    const insert = db.$client.prepare("insert into tickets (number, subject, channel, last_activity_at, created_at, updated_at) values (?, 'Old', 'email', ?, ?, ?)");
    insert.run(1, now, now, now);
    insert.run(2, now, now, now);
    migrateDb(db);
    const nonces = db.$client.prepare('select portal_nonce from tickets order by id').pluck().all() as string[];
    expect(nonces).toHaveLength(2);
    for (const n of nonces) expect(n).toMatch(/^[0-9a-f]{32}$/);
    expect(nonces[0]).not.toBe(nonces[1]);
  } finally {
    rmSync(before, { recursive: true, force: true });
  }
});
