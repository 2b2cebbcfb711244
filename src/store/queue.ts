// The queue: tickets for a resolved filter in one of the indexed sorts, keyset-paged. Every sort
// has a composite index that delivers rows in order (see the console indexes on tickets in
// schema.ts), so a page costs about the same on the first page and the thousandth.
import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client.ts';
import { tickets } from '../db/schema.ts';
import type { Cursor, QueueFilter, QueueSort } from '../domain/queue-query.ts';
import { listRows } from './rows.ts';
import { slaOutcomeIs } from './sla-measures.ts';
import { inStatusAt } from './status-at.ts';
import { activeStaffIds, flagIs } from './ticket-flags.ts';
import type { Ticket } from './tickets.ts';

// The conditions are drizzle SQL (the search reuses them); only they are compiled per request, the
// select list and the sort once (building drizzle's select of every ticket column costs more than
// running the query).
const dialect = new SQLiteSyncDialect();
function compiled(where: SQL[]): { sql: string; params: unknown[] } {
  if (where.length === 0) return { sql: '', params: [] };
  const q = dialect.sqlToQuery(and(...where)!);
  return { sql: `where ${q.sql}`, params: q.params };
}
// a pure memo of constants: each sort's ORDER BY text from SORTS (at most one entry per QueueSort)
const orderSql = new Map<QueueSort, string>();
function orderOf(sort: QueueSort): string {
  let s = orderSql.get(sort);
  if (s === undefined) orderSql.set(sort, (s = dialect.sqlToQuery(sql.join(SORTS[sort].order, sql`, `)).sql));
  return s;
}

/** The filter as SQL conditions on tickets (the text filter is the search's job, see search.ts). */
export function queueWhere(f: QueueFilter): SQL[] {
  const w: SQL[] = [];
  if (f.open !== undefined) w.push(eq(tickets.isOpen, f.open));
  if (f.statuses?.length) w.push(f.statuses.length === 1 ? eq(tickets.status, f.statuses[0]) : inArray(tickets.status, f.statuses));
  if (f.priorities?.length) w.push(inArray(tickets.priority, f.priorities));
  if (f.types?.length) w.push(inArray(tickets.type, f.types));
  if (f.categories?.length) w.push(inArray(tickets.category, f.categories));
  if (f.channels?.length) w.push(inArray(tickets.channel, f.channels));
  if (f.componentIds) w.push(componentIn(f.componentIds));
  if (f.assigneeId === null) w.push(isNull(tickets.assigneeId));
  else if (f.assigneeId !== undefined) w.push(eq(tickets.assigneeId, f.assigneeId));
  if (f.organizationId === null) w.push(isNull(tickets.organizationId));
  else if (f.organizationId !== undefined) w.push(eq(tickets.organizationId, f.organizationId));
  if (f.requesters) {
    // a domain as the end of an address: the index on addresses cannot help, the contacts are read once
    const like = f.requesters.domains.map((d) => sql`e.email like ${`%@${d.replace(/[\\%_]/g, '\\$&')}`} escape '\\'`);
    const exact = f.requesters.emails.length ? [sql`e.email in (${sql.join(f.requesters.emails.map((e) => sql`${e}`), sql`, `)})`] : [];
    w.push(sql`${tickets.requesterId} in (select e.contact_id from contact_emails e where ${sql.join([...exact, ...like], sql` or `)})`);
  }
  if (f.createdIn) w.push(gte(tickets.createdAt, f.createdIn.from), lt(tickets.createdAt, f.createdIn.to));
  if (f.doneIn) w.push(gte(tickets.doneAt, f.doneIn.from), lt(tickets.doneAt, f.doneIn.to));
  if (f.openAt !== undefined) w.push(lt(tickets.createdAt, f.openAt), or(isNull(tickets.doneAt), gte(tickets.doneAt, f.openAt))!);
  if (f.work) {
    // written out with its table name: in a one-table select drizzle leaves columns unqualified,
    // and inside the subquery a bare "id" would be the worklog's
    const on = [sql.raw('w.ticket_id = "tickets"."id"')];
    if (f.work.in) on.push(sql`w.worked_at >= ${f.work.in.from}`, sql`w.worked_at < ${f.work.in.to}`);
    if (f.work.by === 'staff') on.push(sql`w.user_id in (${activeStaffIds()})`);
    else if (f.work.by !== undefined) on.push(sql`w.user_id = ${f.work.by}`);
    w.push(sql`exists (select 1 from worklogs w where ${sql.join(on, sql` and `)})`);
  }
  if (f.statusAt) w.push(inStatusAt(f.statusAt));
  if (f.sla) {
    // measured clocks only, as the SLA report counts them in SQL (it judges the few not measured yet in code)
    if (f.sla.met) w.push(slaOutcomeIs(f.sla.met, 'met', f.sla.at));
    if (f.sla.breached) w.push(slaOutcomeIs(f.sla.breached, 'breached', f.sla.at));
    if (f.sla.running) w.push(slaOutcomeIs(f.sla.running, 'pending', f.sla.at));
  }
  if (f.flags) for (const flag of f.flags.names) w.push(flagIs(flag, f.flags.at));
  if (f.slaDueBefore !== undefined) w.push(lt(tickets.slaDueKey, f.slaDueBefore));
  return w;
}

/** In one of the components, or without one (null); nothing for an empty list. */
function componentIn(ids: (number | null)[]): SQL {
  const known = ids.filter((c): c is number => c !== null);
  const either = [...(known.length ? [inArray(tickets.componentId, known)] : []), ...(ids.includes(null) ? [isNull(tickets.componentId)] : [])];
  return either.length ? or(...either)! : sql`1 = 0`;
}

/** The filter's conditions as `and …` to append to a where clause of a query on tickets (nothing when there are none). */
export function andQueueWhere(f: QueueFilter): SQL {
  const w = queueWhere(f);
  return w.length ? sql` and ${and(...w)}` : sql``;
}

type SortSpec = { order: SQL[]; value: (t: Ticket) => number; after: (c: Cursor) => SQL };

export const SORTS: Record<QueueSort, SortSpec> = {
  updated: {
    order: [desc(tickets.lastActivityAt), desc(tickets.id)],
    value: (t) => t.lastActivityAt,
    after: (c) => sql`(${tickets.lastActivityAt}, ${tickets.id}) < (${c.value}, ${c.id})`,
  },
  created: { order: [desc(tickets.id)], value: (t) => t.id, after: (c) => lt(tickets.id, c.id) },
  oldest: { order: [asc(tickets.id)], value: (t) => t.id, after: (c) => gt(tickets.id, c.id) },
  priority: {
    order: [asc(tickets.priorityOrder), asc(tickets.id)],
    value: (t) => t.priorityOrder ?? 3,
    after: (c) => sql`(${tickets.priorityOrder}, ${tickets.id}) > (${c.value}, ${c.id})`,
  },
  due: {
    order: [asc(tickets.slaDueKey), asc(tickets.id)],
    value: (t) => t.slaDueKey ?? Number.MAX_SAFE_INTEGER,
    after: (c) => sql`(${tickets.slaDueKey}, ${tickets.id}) > (${c.value}, ${c.id})`,
  },
};

export type QueuePage = { rows: Ticket[]; next: Cursor | null };

export async function listQueue(db: Db, f: QueueFilter, sort: QueueSort, cursor: Cursor | null, limit: number): Promise<QueuePage> {
  const spec = SORTS[sort];
  const where = queueWhere(f);
  if (cursor) where.push(spec.after(cursor));
  const w = compiled(where);
  const rows = await listRows(db, tickets, `${w.sql} order by ${orderOf(sort)} limit ?`, ...w.params, limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, next: rows.length > limit && last ? { sort, value: spec.value(last), id: last.id } : null };
}

/** How many tickets match, counting at most `cap` (the tabs show "99+" rather than scan a million rows). */
export async function countQueue(db: Db, f: QueueFilter, cap: number): Promise<number> {
  const w = compiled(queueWhere(f));
  return (await db.value(`select count(*) from (select 1 from "tickets" ${w.sql} limit ?) capped`, ...w.params, cap)) as number;
}

/** Tickets of the filter created after `maxId`, and older ones active after `since` (the "N new" badge). */
export async function countQueueChanges(db: Db, f: QueueFilter, since: number, maxId: number): Promise<{ created: number; updated: number }> {
  const where = queueWhere(f);
  where.push(gt(tickets.lastActivityAt, since));
  const row = await db
    .select({
      created: sql<number>`count(case when ${tickets.id} > ${maxId} then 1 end)`,
      updated: sql<number>`count(case when ${tickets.id} <= ${maxId} then 1 end)`,
    })
    .from(tickets)
    .where(and(...where))
    .get();
  return { created: row?.created ?? 0, updated: row?.updated ?? 0 };
}
