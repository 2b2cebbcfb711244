import { eq } from 'drizzle-orm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { changeToken, openDb } from './client.ts';
import { migrateDb } from './migrate.ts';
import { settings } from './schema.ts';

it('reuses compiled statements without leaking drizzle raw mode into plain queries', () => {
  const db = openDb(':memory:');
  migrateDb(db);
  db.insert(settings).values({ key: 'a', value: { x: 1 }, updatedAt: 1 }).run();
  const q = db.select().from(settings).where(eq(settings.key, 'a'));
  expect(q.get()).toEqual({ key: 'a', value: { x: 1 }, updatedAt: 1 });
  const { sql: text } = q.toSQL();
  // the same SQL text through the plain client gets rows as objects, not arrays
  expect(db.$client.prepare(text).get('a')).toEqual({ key: 'a', value: '{"x":1}', updated_at: 1 });
  expect(db.$client.prepare(text)).toBe(db.$client.prepare(text));
  expect(q.get()).toEqual({ key: 'a', value: { x: 1 }, updatedAt: 1 });
});

it('hands out a cached statement in plain mode after it was plucked', () => {
  const db = openDb(':memory:');
  migrateDb(db);
  db.insert(settings).values({ key: 'a', value: 1, updatedAt: 1 }).run();
  const text = 'select key, updated_at from settings where key = ?';
  expect(db.$client.prepare(text).pluck().get('a')).toBe('a');
  expect(db.$client.prepare(text).get('a')).toEqual({ key: 'a', updated_at: 1 });
  expect(db.$client.prepare(text).raw().get('a')).toEqual(['a', 1]);
  expect(db.$client.prepare(text).get('a')).toEqual({ key: 'a', updated_at: 1 });
});

it('changes its change token on a write of its own or a commit by another connection, and only then', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-token-'));
  try {
    const file = path.join(dir, 'desk.sqlite');
    const web = openDb(file);
    migrateDb(web);
    const intake = openDb(file);
    const t0 = changeToken(web);
    web.select().from(settings).all();
    expect(changeToken(web)).toBe(t0);
    intake.insert(settings).values({ key: 'a', value: 1, updatedAt: 1 }).run();
    const t1 = changeToken(web);
    expect(t1).not.toBe(t0);
    expect(changeToken(web)).toBe(t1);
    web.update(settings).set({ value: 2 }).where(eq(settings.key, 'a')).run();
    expect(changeToken(web)).not.toBe(t1);
    web.$client.close();
    intake.$client.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
