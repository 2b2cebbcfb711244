// Status history for the reports: how many tickets of a queue filter were in each status at given
// instants. For the whole desk, or one value of one field, the counts the triggers keep answer it in
// a few thousand rows (status-counts.ts). Otherwise it is replayed from the events (the tickets table
// holds only the status now): one query reads the filter's tickets created before the last instant
// with their status-changing events before it, in order, and the replay is done here, the same on
// both engines (no JSON read in SQL); tickets not changed since the first instant are counted by
// their present status without a replay.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { events, tickets } from '../db/schema.ts';
import type { QueueFilter } from '../domain/queue-query.ts';
import { STATUSES, type TicketStatus } from '../domain/vocabulary.ts';
import { andQueueWhere } from './queue.ts';
import { parseData } from './rows.ts';
import { countKeyOf, countStatusesFromCounts, noCounts, STATUS_EVENTS, statusAfter, statusCountsReady, type StatusCounts } from './status-counts.ts';

export type { StatusCounts } from './status-counts.ts';

type Row = { ticket: number | string; opened: number | string; at: number | string | null; type: string | null; data: string | Record<string, unknown> | null };

/**
 * For each instant (ascending), the filter's tickets per status just before it: a ticket created
 * before the instant is in the status its last status-changing event before the instant left it
 * in, or 'new' without one.
 *
 * Only the tickets changed since the first instant are replayed. Every status change updates its
 * ticket's row (updated_at, in the same transaction and at the same instant as its event), so a
 * ticket last updated before the first instant has been in its present status since before it, at
 * every instant: those are counted by status in the database, and a report over the last months of
 * a desk with years of history reads only the tickets of those months.
 */
export async function countStatusesAt(db: Db, instants: readonly number[], f: QueueFilter): Promise<StatusCounts[]> {
  // the counts the triggers keep answer the whole desk or one field's value
  if (countKeyOf(f) && (await statusCountsReady(db))) return await countStatusesFromCounts(db, f, instants);
  return await replayStatusesAt(db, instants, f);
}

/** The filter's tickets per status now: every ticket is settled by then, so counted by its present status (or summed over every day of the counts). */
export async function countStatusesNow(db: Db, f: QueueFilter): Promise<StatusCounts> {
  return (await countStatusesAt(db, [Number.MAX_SAFE_INTEGER], f))[0];
}

/** countStatusesAt from the tickets and their events (what the counts are checked against). */
export async function replayStatusesAt(db: Db, instants: readonly number[], f: QueueFilter): Promise<StatusCounts[]> {
  const out = instants.map(() => noCounts());
  if (instants.length === 0) return out;
  const first = Math.min(...instants);
  const until = Math.max(...instants);
  const settled = await db.all<{ status: string; n: number | string }>(sql`select ${tickets.status} as status, count(*) as n from ${tickets}
    where ${tickets.updatedAt} < ${first}${andQueueWhere(f)} group by ${tickets.status}`);
  for (const r of settled) {
    if (!(STATUSES as readonly string[]).includes(r.status)) continue;
    for (const counts of out) counts[r.status as TicketStatus] += Number(r.n);
  }
  const types = sql.join(STATUS_EVENTS.map((t) => sql`${t}`), sql`, `);
  const rows = await db.all<Row>(sql`select ${tickets.id} as ticket, ${tickets.createdAt} as opened, ${events.createdAt} as at, ${events.type} as type, ${events.data} as data
    from ${tickets} left join ${events} on ${events.ticketId} = ${tickets.id} and ${events.type} in (${types}) and ${events.createdAt} < ${until}
    where ${tickets.createdAt} < ${until} and ${tickets.updatedAt} >= ${first}${andQueueWhere(f)} order by ${tickets.id}, ${events.id}`);
  let i = 0;
  while (i < rows.length) {
    let j = i;
    while (j < rows.length && rows[j].ticket === rows[i].ticket) j++;
    replay(rows.slice(i, j), instants, out);
    i = j;
  }
  return out;
}

/** Adds one ticket (its rows, events in order) to the counts at each instant after its creation. */
function replay(rows: Row[], instants: readonly number[], out: StatusCounts[]): void {
  const opened = Number(rows[0].opened);
  const changes = rows.filter((r) => r.at !== null && r.type !== null).map((r) => ({ at: Number(r.at), type: r.type!, data: parseData(r.data) }));
  let status: TicketStatus = 'new';
  let next = 0;
  for (const [k, instant] of instants.entries()) {
    if (instant <= opened) continue;
    while (next < changes.length && changes[next].at < instant) status = statusAfter(status, changes[next++]);
    out[k][status] += 1;
  }
}


