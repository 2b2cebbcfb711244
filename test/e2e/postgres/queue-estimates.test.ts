// The planner's guess of how many tickets a queue view holds on PostgreSQL: it picks the plan (read
// the newest from an ordered index, or collect and sort every match), so a guess far off on a
// large desk costs tens of milliseconds per page.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migratePostgres, openPostgres } from '../../../src/db/postgres.ts';
import { startPostgres, type PostgresCluster } from '../../helpers/postgres.ts';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);
afterAll(() => cluster?.stop());

/** The planner's estimate and the true count of tickets matching `where`. */
async function estimateAndCount(c: pg.Client, where: string): Promise<{ estimated: number; actual: number }> {
  const plan = (await c.query<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(`explain (format json) select id from tickets where ${where}`)).rows[0]['QUERY PLAN'];
  const actual = Number((await c.query<{ n: string }>(`select count(*) n from tickets where ${where}`)).rows[0].n);
  return { estimated: plan[0].Plan['Plan Rows'], actual };
}

it('estimates an open view of one status (open and pending) from both columns together, not as if independent', async () => {
  const url = cluster.url(await cluster.createDatabase());
  const db = openPostgres(url, { max: 1 });
  try {
    await migratePostgres(db);
  } finally {
    await db.close();
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    // a desk's shape: most tickets closed long ago, the open ones spread over the working statuses
    await c.query(`
      insert into tickets (number, subject, status, channel, last_activity_at, created_at, updated_at)
      select i, 'Printer ' || i,
        case when i % 10 < 9 then 'closed' else (array['new', 'assigned', 'in_progress', 'pending_requester', 'pending_third_party'])[1 + (i / 10) % 5] end,
        'email', i, i, i
      from generate_series(1, 20000) as i`);
    await c.query('analyze tickets');
    const pending = await estimateAndCount(c, "is_open = 1 and status = 'pending_requester'");
    expect(pending.actual).toBe(400);
    // taken as independent: 10 % open × 2 % pending = 40 of 20,000, a tenth of the truth
    expect(pending.estimated).toBeGreaterThan(pending.actual / 2);
    expect(pending.estimated).toBeLessThan(pending.actual * 2);
    const resolved = await estimateAndCount(c, "is_open = 0 and status = 'closed'");
    expect(resolved.estimated).toBeGreaterThan(resolved.actual / 2);
  } finally {
    await c.end();
  }
}, 120_000);
