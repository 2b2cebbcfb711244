// The private PostgreSQL cluster the engine's tests run on starts, takes Russian text search, and stops.
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
