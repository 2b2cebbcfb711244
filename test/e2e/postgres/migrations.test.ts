// PostgreSQL's migrations (migrations/postgres/) make the desk's tables on a real server, with keys
// that number themselves and the queue's derived columns computed as on SQLite.
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPostgres, type PostgresCluster } from '../../helpers/postgres.ts';
import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import * as pgSchema from '../../../src/db/schema-postgres.ts';

const FOLDER = fileURLToPath(new URL('../../../migrations/postgres', import.meta.url));
let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);
afterAll(() => cluster?.stop());

it('creates every table, twice without harm, with identity keys and stored queue keys', async () => {
  const pool = new pg.Pool({ connectionString: cluster.url(await cluster.createDatabase()) });
  try {
    await migrate(drizzle(pool), { migrationsFolder: FOLDER });
    await migrate(drizzle(pool), { migrationsFolder: FOLDER });
    const tables = (await pool.query<{ t: string }>("select table_name as t from information_schema.tables where table_schema = 'public' order by 1")).rows.map((r) => r.t);
    expect(tables).toEqual(expect.arrayContaining(['tickets', 'messages', 'inbound_messages', 'outbox', 'sms_inbox', 'users', 'settings']));
    // every table of the schema, and nothing else (drizzle keeps its journal in a schema of its own)
    expect(tables).toEqual(Object.values(pgSchema).filter((v) => is(v, PgTable)).map((t) => getTableName(t as PgTable)).sort());
    const now = 1_790_000_000_000;
    const insert = "insert into tickets (number, subject, channel, last_activity_at, created_at, updated_at) values ($1, 'Принтер', 'email', $2, $2, $2) returning id, is_open, priority_order, sla_due_key";
    const first = (await pool.query(insert, [1, now])).rows[0];
    expect(first).toEqual({ id: '1', is_open: 1, priority_order: '2', sla_due_key: '9007199254740991' });
    const second = (await pool.query(insert, [2, now])).rows[0];
    expect(second.id).toBe('2');
    await pool.query("update tickets set status = 'closed', priority = 'urgent', resolution_due_at = $1 where id = 2", [now + 60_000]);
    expect((await pool.query('select is_open, priority_order, sla_due_key from tickets where id = 2')).rows[0]).toEqual({ is_open: 0, priority_order: '0', sla_due_key: String(now + 60_000) });
  } finally {
    await pool.end();
  }
});
