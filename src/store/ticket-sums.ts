// The tickets' sums kept by the database, together: the closed tickets' SLA outcomes
// (store/closed-sums.ts), the tickets created and done per day (store/day-counts.ts) and the minutes
// logged per day (store/time-sums.ts). One state
// sets both aside for a bulk load (closed_ticket_sum_state); here they are rebuilt, and PostgreSQL's
// changes folded in, together.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { closedTicketSumChanges, closedTicketSums, closedTicketSumState, ticketDayCountChanges, ticketDayCounts, tickets, worklogDaySumChanges, worklogDaySums, worklogs } from '../db/schema.ts';
import { fillSumsSql, foldClosedSumChanges, SUM_DAY } from './closed-sums.ts';
import { fillDayCountsSql, foldDayCountChanges } from './day-counts.ts';
import { fillTimeSumsSql, foldTimeSumChanges } from './time-sums.ts';

/**
 * Sums and counts every ticket afresh and keeps them from then on (after a bulk load, or by
 * `helpdesk sum-tickets` after a bug or a partial restore); returns the closed tickets summed and
 * the tickets counted. One transaction: on PostgreSQL no ticket is written meanwhile.
 */
export async function rebuildTicketSums(db: Db): Promise<{ closed: number; counted: number; minutes: number }> {
  return await db.transaction(async () => {
    if (db.engine === 'postgres') await db.run(sql`lock table ${tickets}, ${worklogs} in share row exclusive mode`);
    for (const t of [closedTicketSums, closedTicketSumChanges, ticketDayCounts, ticketDayCountChanges, worklogDaySums, worklogDaySumChanges]) await db.run(sql`delete from ${t}`);
    for (const q of [...fillSumsSql(), ...fillDayCountsSql(), ...fillTimeSumsSql()]) await db.run(sql.raw(q));
    await db.run(sql`delete from ${closedTicketSumState}`);
    const total = async (table: typeof closedTicketSums | typeof ticketDayCounts | typeof worklogDaySums, col: string) => {
      const [{ n }] = await db.all<{ n: number | string | null }>(sql`select sum(${sql.raw(col)}) as n from ${table} where dim = 'all' and grain = ${SUM_DAY}`);
      return Number(n ?? 0);
    };
    return { closed: await total(closedTicketSums, 'tickets'), counted: await total(ticketDayCounts, 'created'), minutes: await total(worklogDaySums, 'minutes') };
  });
}

/** Adds the changes PostgreSQL's triggers wrote beside the sums and counts to them (the scheduler, every pass). */
export async function foldTicketSumChanges(db: Db): Promise<number> {
  return (await foldClosedSumChanges(db)) + (await foldDayCountChanges(db)) + (await foldTimeSumChanges(db));
}
