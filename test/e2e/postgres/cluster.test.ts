// The private PostgreSQL cluster the engine's tests run on starts, takes Russian text search, and stops;
// one kept in a folder (the benchmarks') starts again from it with its data and its own settings.
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPostgres, type PostgresCluster } from '../../helpers/postgres.ts';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);
afterAll(() => cluster?.stop());

it('starts a private cluster with its own databases, Russian and English text search and trigrams', async () => {
  const name = await cluster.createDatabase();
  const c = new pg.Client({ connectionString: cluster.url(name) });
  await c.connect();
  try {
    const v = await c.query<{ v: number }>("select current_setting('server_version_num')::int as v");
    expect(v.rows[0].v).toBeGreaterThanOrEqual(150000);
    const ru = await c.query<{ t: string }>("select to_tsvector('russian', 'принтеры не печатают')::text as t");
    expect(ru.rows[0].t).toContain("'принтер'");
    await c.query('create extension if not exists pg_trgm');
    const sim = await c.query<{ s: number }>("select similarity('принтер', 'принтеры') as s");
    expect(sim.rows[0].s).toBeGreaterThan(0.5);
  } finally {
    await c.end();
  }
});

it('keeps a cluster given a folder: started again from it with its databases, with the settings asked for', async () => {
  const parent = mkdtempSync(path.join(tmpdir(), 'kept-pg-test-'));
  chmodSync(parent, 0o755); // the server's user must reach the folder
  const dir = path.join(parent, 'pg');
  const query = async (c: PostgresCluster, db: string, sql: string) => {
    const client = new pg.Client({ connectionString: c.url(db) });
    await client.connect();
    try {
      return (await client.query<Record<string, string>>(sql)).rows;
    } finally {
      await client.end();
    }
  };
  try {
    const first = await startPostgres({ dir, settings: { shared_buffers: '64MB' } });
    try {
      await first.createDatabase('kept');
      await query(first, 'kept', "create table t (v text); insert into t values ('still here')");
      expect((await query(first, 'kept', 'show fsync'))[0].fsync).toBe('on'); // not the tests' fsync=off
    } finally {
      first.stop();
    }
    expect(existsSync(path.join(dir, 'data', 'PG_VERSION'))).toBe(true);
    const again = await startPostgres({ dir, settings: { shared_buffers: '64MB' } });
    try {
      expect(await query(again, 'kept', 'select v from t')).toEqual([{ v: 'still here' }]);
      expect((await query(again, 'kept', 'show shared_buffers'))[0].shared_buffers).toBe('64MB');
    } finally {
      again.stop();
    }
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
}, 120_000);
