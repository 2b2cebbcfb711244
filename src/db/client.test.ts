import { eq } from 'drizzle-orm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { changeToken, closeDb, openDb, type Db } from './client.ts';
import { migrateDb } from './migrate.ts';
import { settings } from './schema.ts';

it('reuses compiled statements without leaking drizzle raw mode into plain queries', async () => {
  const db = openDb(':memory:');
  await migrateDb(db);
  await db.insert(settings).values({ key: 'a', value: { x: 1 }, updatedAt: 1 }).run();
  const q = db.select().from(settings).where(eq(settings.key, 'a'));
  expect(await q.get()).toEqual({ key: 'a', value: { x: 1 }, updatedAt: 1 });
  const { sql: text } = q.toSQL();
  // the same SQL text through the plain client gets rows as objects, not arrays
  expect(await db.get(text, 'a')).toEqual({ key: 'a', value: '{"x":1}', updated_at: 1 });
  expect(db.sqlite.prepare(text)).toBe(db.sqlite.prepare(text));
  expect(await q.get()).toEqual({ key: 'a', value: { x: 1 }, updatedAt: 1 });
});

it('hands out a cached statement in plain mode after it was plucked', async () => {
  const db = openDb(':memory:');
  await migrateDb(db);
  await db.insert(settings).values({ key: 'a', value: 1, updatedAt: 1 }).run();
  const text = 'select key, updated_at from settings where key = ?';
  expect(await db.value(text, 'a')).toBe('a');
  expect(await db.get(text, 'a')).toEqual({ key: 'a', updated_at: 1 });
  expect(await db.row(text, 'a')).toEqual(['a', 1]);
  expect(await db.get(text, 'a')).toEqual({ key: 'a', updated_at: 1 });
});

it('changes its change token on a write of its own or a commit by another connection, and only then', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-token-'));
  try {
    const file = path.join(dir, 'desk.sqlite');
    const web = openDb(file);
    await migrateDb(web);
    const intake = openDb(file);
    const t0 = await changeToken(web);
    await web.select().from(settings).all();
    expect(await changeToken(web)).toBe(t0);
    await intake.insert(settings).values({ key: 'a', value: 1, updatedAt: 1 }).run();
    const t1 = await changeToken(web);
    expect(t1).not.toBe(t0);
    expect(await changeToken(web)).toBe(t1);
    await web.update(settings).set({ value: 2 }).where(eq(settings.key, 'a')).run();
    expect(await changeToken(web)).not.toBe(t1);
    closeDb(web);
    closeDb(intake);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function withFileDb(use: (db: Db) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-tx-'));
  const db = openDb(path.join(dir, 'desk.sqlite'));
  try {
    await migrateDb(db);
    await use(db);
  } finally {
    closeDb(db);
    rmSync(dir, { recursive: true, force: true });
  }
}

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));
const keys = (db: Db) => db.column<string>('select key from settings order by key');

it('keeps another request out of a transaction that waits: reads see the last commit, writes wait for its end', async () => {
  await withFileDb(async (db) => {
    const seen: string[] = [];
    const tx = db
      .transaction(async () => {
        await db.run("insert into settings (key, value, updated_at) values ('in-tx', '1', 1)");
        await later(30);
        seen.push(`tx sees ${(await keys(db)).join(',')}`);
        throw new Error('rolled back');
      })
      .catch((err: Error) => seen.push(err.message));
    await later(5);
    // another request while the transaction waits
    seen.push(`outside sees ${(await keys(db)).join(',') || 'nothing'}`);
    const write = db.run("insert into settings (key, value, updated_at) values ('outside', '1', 1)").then(() => seen.push('outside wrote'));
    await Promise.all([tx, write]);
    expect(seen).toEqual(['outside sees nothing', 'tx sees in-tx', 'rolled back', 'outside wrote']);
    // the write from outside was not part of the transaction that rolled back
    expect(await keys(db)).toEqual(['outside']);
  });
});

it('runs a transaction inside another as a savepoint: its failure undoes only its own rows', async () => {
  await withFileDb(async (db) => {
    await db.transaction(async () => {
      await db.run("insert into settings (key, value, updated_at) values ('outer', '1', 1)");
      await db
        .transaction(async () => {
          await db.run("insert into settings (key, value, updated_at) values ('inner', '1', 1)");
          throw new Error('inner fails');
        })
        .catch(() => undefined);
      expect(db.inTransaction).toBe(true);
    });
    expect(db.inTransaction).toBe(false);
    expect(await keys(db)).toEqual(['outer']);
  });
});

it('runs transactions one after the other, each whole, when many start at once', async () => {
  await withFileDb(async (db) => {
    await db.run("insert into settings (key, value, updated_at) values ('n', '0', 1)");
    const bump = () =>
      db.transaction(async () => {
        const n = Number(await db.value<string>("select value from settings where key = 'n'"));
        await later(1);
        await db.run("update settings set value = ? where key = 'n'", String(n + 1));
      });
    await Promise.all(Array.from({ length: 20 }, bump));
    expect(await db.value("select value from settings where key = 'n'")).toBe('20');
  });
});

it('on an in-memory database, where nothing else can read, a read from outside waits for the transaction', async () => {
  const db = openDb(':memory:');
  await migrateDb(db);
  const order: string[] = [];
  const tx = db.transaction(async () => {
    await db.run("insert into settings (key, value, updated_at) values ('a', '1', 1)");
    await later(20);
    order.push('commit');
  });
  await later(5);
  order.push(`read ${(await keys(db)).join(',')}`);
  await tx;
  expect(order).toEqual(['commit', 'read a']);
  closeDb(db);
});

describe('offLoop: reads answered by a reader thread', () => {
  // a read that takes a few hundred milliseconds of SQLite's time
  const SLOW = 'with recursive n(i) as (select 1 union all select i + 1 from n where i < 3000000) select count(*) as c from n';

  it('answers every kind of read as the event loop does, and the event loop runs meanwhile', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-offloop-'));
    const db = openDb(path.join(dir, 'desk.sqlite'));
    try {
      await migrateDb(db);
      await db.insert(settings).values([{ key: 'a', value: { x: 1 }, updatedAt: 1 }, { key: 'b', value: 2, updatedAt: 2 }]).run();
      const reads = async () => [
        await db.all('select key, updated_at from settings order by key'),
        await db.get('select key, updated_at from settings where key = ?', 'b'),
        await db.get('select key from settings where key = ?', 'none'),
        await db.column('select key from settings order by key'),
        await db.value('select count(*) from settings'),
        await db.rows('select key, updated_at from settings order by key'),
        await db.row('select key, updated_at from settings where key = ?', 'a'),
        await db.select().from(settings).where(eq(settings.key, 'a')).get(),
        await db.select().from(settings).all(),
        // a function only the desk's own connections know: run on the event loop instead
        await db.value("select helpdesk_words('Ёжик')"),
      ];
      const here = await reads();
      expect(await db.offLoop(reads)).toEqual(here);
      expect(here[9]).toBe('ежик');
      // while the thread counts, timers fire; on the event loop the same read holds them all up
      const ticksDuring = async (read: () => Promise<unknown>) => {
        let ticks = 0;
        const timer = setInterval(() => (ticks += 1), 1);
        await read();
        clearInterval(timer);
        return ticks;
      };
      expect(await ticksDuring(() => db.offLoop(() => db.value(SLOW)))).toBeGreaterThan(2);
      expect(await ticksDuring(() => db.value(SLOW))).toBe(0);
      await expect(db.offLoop(() => db.all('select * from no_such_table'))).rejects.toThrow(/no such table/);
      // a transaction's reads see its own rows, also inside offLoop; reads outside it, the last commit
      await db.offLoop(async () => {
        await db.transaction(async () => {
          await db.insert(settings).values({ key: 'c', value: 3, updatedAt: 3 }).run();
          expect(await db.value('select count(*) from settings')).toBe(3);
        });
        expect(await db.value('select count(*) from settings')).toBe(3);
      });
    } finally {
      await closeDb(db);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs its reads as they are on an in-memory database, which nothing else can open', async () => {
    const db = openDb(':memory:');
    await migrateDb(db);
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 1);
    expect(await db.offLoop(() => db.value(SLOW))).toBe(3000000);
    clearInterval(timer);
    expect(ticks).toBe(0);
  });
});
