// Counts for the reports: tickets created or done (resolved or closed) per bucket of a period, and
// the tickets open at an instant, for any queue filter: from the day counts the database keeps
// (store/day-counts.ts) for the whole desk or one field's value, from the tickets for the others.
// One query per question, whatever the number of buckets.
import { and, gte, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { tickets } from '../db/schema.ts';
import type { QueueFilter } from '../domain/queue-query.ts';
import { andQueueWhere } from './queue.ts';
import { countTicketsAsked, type CountAsk } from './day-counts.ts';
import { countKeyOf } from './status-counts.ts';

export type TimeSpan = { from: number; to: number };

const DAY = 86_400_000;

/** How many tickets of the filter were created (or done) in each span, in the spans' order. */
export async function countTicketsPerSpan(db: Db, which: CountAsk['which'], spans: readonly TimeSpan[], f: QueueFilter): Promise<number[]> {
  return await countTicketsAsked(db, spans.map((span) => ({ which, span })), f);
}

const SINCE_EVER = 0;

/**
 * How many tickets of the filter were open at an instant: created before it, not done before it.
 * For the whole desk or one field's value, those created before it less those done before it, read
 * from the day counts (store/day-counts.ts); for any other filter, from the tickets.
 */
export async function countOpenAt(db: Db, at: number, f: QueueFilter): Promise<number> {
  if (countKeyOf(f)) return (await countCreatedDone(db, [], f, at)).openAt;
  const open = and(lt(tickets.createdAt, at), or(isNull(tickets.doneAt), gte(tickets.doneAt, at)));
  const row = await db.get<{ n: number | string }>(sql`select count(*) as n from ${tickets} where ${open}${andQueueWhere(f)}`);
  return Number(row?.n ?? 0);
}

/**
 * The tickets of the filter created and done in each span, and open at `at`, in one statement for
 * the whole desk or one field's value, so the backlog moves by what came in less what was done
 * (a ticket done while the report counts is counted once).
 */
export async function countCreatedDone(db: Db, spans: readonly TimeSpan[], f: QueueFilter, at: number): Promise<{ created: number[]; done: number[]; openAt: number }> {
  if (!countKeyOf(f)) {
    const [created, done, openAt] = await Promise.all([countTicketsPerSpan(db, 'created', spans, f), countTicketsPerSpan(db, 'done', spans, f), countOpenAt(db, at, f)]);
    return { created, done, openAt };
  }
  const ever = { from: SINCE_EVER, to: at };
  const n = await countTicketsAsked(db, [
    ...spans.map((span) => ({ which: 'created' as const, span })), ...spans.map((span) => ({ which: 'done' as const, span })),
    { which: 'created', span: ever }, { which: 'done', span: ever },
  ], f);
  const k = spans.length;
  return { created: n.slice(0, k), done: n.slice(k, 2 * k), openAt: n[2 * k] - n[2 * k + 1] };
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
/** The organisations with the most tickets created in the span in these components, most first. */
export async function listBusiestOrganizations(db: Db, span: TimeSpan, componentIds: number[], limit: number): Promise<{ name: string; created: number }[]> {
  if (!componentIds.length) return [];
  const rows = await db.all<{ name: string; n: number | string }>(sql`select o.name as name, count(*) as n from tickets t join organizations o on o.id = t.organization_id
    where t.created_at >= ${span.from} and t.created_at < ${span.to} and t.component_id in (${sql.join(componentIds.map((c) => sql`${c}`), sql`, `)})
    group by o.id, o.name order by count(*) desc, o.name limit ${limit}`);
  return rows.map((r) => ({ name: r.name, created: Number(r.n) }));
}

export async function listBusiestComponents(db: Db, span: TimeSpan, limit: number): Promise<{ name: string; created: number }[]> {
  const rows = await db.all<{ name: string; n: number | string }>(sql`select c.name as name, count(*) as n from tickets t join components c on c.id = t.component_id
    where t.created_at >= ${span.from} and t.created_at < ${span.to} group by c.id, c.name order by count(*) desc, c.name limit ${limit}`);
  return rows.map((r) => ({ name: r.name, created: Number(r.n) }));
}
