// Counts for the reports: tickets created or done (resolved or closed) per bucket of a period, and
// the tickets open at an instant, for any queue filter. One query per question, whatever the
// number of buckets: the buckets are a VALUES list, each counted on the indexed time column by a
// subquery of its own (joined and grouped, half a million tickets went through a sort first).
import { and, gte, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { tickets } from '../db/schema.ts';
import type { QueueFilter } from '../domain/queue-query.ts';
import { andQueueWhere } from './queue.ts';
import { countKeyOf } from './status-counts.ts';

export type TimeSpan = { from: number; to: number };

const DAY = 86_400_000;

const TIME_COLUMNS = { created: tickets.createdAt, done: tickets.doneAt } as const;

/** How many tickets of the filter were created (or done) in each span, in the spans' order. */
export async function countTicketsPerSpan(db: Db, which: keyof typeof TIME_COLUMNS, spans: readonly TimeSpan[], f: QueueFilter): Promise<number[]> {
  if (spans.length === 0) return [];
  const col = TIME_COLUMNS[which];
  const values = sql.join(spans.map((s, i) => sql`(${i}, cast(${s.from} as bigint), cast(${s.to} as bigint))`), sql`, `);
  const rows = await db.all<{ i: number | string; n: number | string }>(sql`with b(i, s, e) as (values ${values})
    select b.i as i, (select count(*) from ${tickets} where ${col} >= b.s and ${col} < b.e${andQueueWhere(f)}) as n from b`);
  const out = spans.map(() => 0);
  for (const r of rows) out[Number(r.i)] = Number(r.n);
  return out;
}

/**
 * How many tickets of the filter were open at an instant: created before it, not done before it.
 * For the whole desk, those created before it less those of them done before it, each counted in
 * an index alone (tickets_created_idx; tickets_done_idx holds the creation time, read as a value,
 * `+`, so that the index on it is not the one taken): checking half a million tickets' done time one
 * by one took three times as long.
 */
export async function countOpenAt(db: Db, at: number, f: QueueFilter): Promise<number> {
  if (countKeyOf(f)?.dim === 'all') {
    const row = await db.get<{ created: number | string; done: number | string }>(sql`select
      (select count(*) from ${tickets} where ${tickets.createdAt} < ${at}) as created,
      (select count(*) from ${tickets} where ${tickets.doneAt} < ${at} and +${tickets.createdAt} < ${at}) as done`);
    return Number(row?.created ?? 0) - Number(row?.done ?? 0);
  }
  const open = and(lt(tickets.createdAt, at), or(isNull(tickets.doneAt), gte(tickets.doneAt, at)));
  const row = await db.get<{ n: number | string }>(sql`select count(*) as n from ${tickets} where ${open}${andQueueWhere(f)}`);
  return Number(row?.n ?? 0);
}

/**
 * The filter's open tickets by age in whole days at `now` (⌊(now − created) / 1 day⌋), read along
 * the index of open tickets: at a million tickets, ranges of the creation time would each be read
 * through the index on it and checked ticket by ticket, most of them long closed.
 */
export async function countOpenByAgeInDays(db: Db, now: number, f: QueueFilter): Promise<Map<number, number>> {
  // the day's length as a literal: a bound number divides as a real on SQLite (a group per ticket)
  const age = sql`(cast(${now} as bigint) - ${tickets.createdAt}) / ${sql.raw(String(DAY))}`;
  const rows = await db.all<{ d: number | string; n: number | string }>(sql`select ${age} as d, count(*) as n from ${tickets}
    where 1 = 1${andQueueWhere({ ...f, open: true })} group by d`);
  return new Map(rows.map((r) => [Number(r.d), Number(r.n)]));
}

/** The components with the most tickets created in a span, most first. */
export async function listBusiestComponents(db: Db, span: TimeSpan, limit: number): Promise<{ name: string; created: number }[]> {
  const rows = await db.all<{ name: string; n: number | string }>(sql`select c.name as name, count(*) as n from tickets t join components c on c.id = t.component_id
    where t.created_at >= ${span.from} and t.created_at < ${span.to} group by c.id, c.name order by count(*) desc, c.name limit ${limit}`);
  return rows.map((r) => ({ name: r.name, created: Number(r.n) }));
}
