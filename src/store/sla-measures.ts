// The SLA clocks' measures kept beside them on tickets (SlaMeasures, domain/sla-clock.ts): written
// with every clock, measured afterwards for the clocks kept before them (after an upgrade, or when
// a rebuild cleared them), so the SLA report counts a year of tickets in SQL.
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { changed, type Db } from '../db/client.ts';
import { tickets } from '../db/schema.ts';
import type { SlaTarget } from '../domain/queue-query.ts';
import { measuresOf, type SlaState } from '../domain/sla-clock.ts';
import { readWorkflowState } from './workflow-state.ts';
import { parseData } from './rows.ts';

/** The clock's measures as the ticket's columns. */
export function measureColumns(clock: SlaState | null) {
  const m = measuresOf(clock);
  return {
    slaFrMark: m.firstResponse, slaFrInternalMark: m.internalFirstResponse, slaResMark: m.resolution, slaResInternalMark: m.internalResolution,
    slaNextMark: m.next, slaNextMet: m.nextMet, slaNextLate: m.nextLate,
  };
}

/** Each target's mark on the ticket (SlaMeasures): -1 met in time, else the instant it was or is due (met late, or still running). */
export const SLA_MARKS: Record<SlaTarget, AnyColumn> = {
  fr: tickets.slaFrMark, frInternal: tickets.slaFrInternalMark, res: tickets.slaResMark, resInternal: tickets.slaResInternalMark,
};

/**
 * A measured clock's outcome for a target at `now`, as the SLA report counts it and the queue
 * filters by it: met in time, breached (due at or before now: met late, or overdue), or still running.
 */
export function slaOutcomeIs(target: SlaTarget, outcome: 'met' | 'breached' | 'pending', now: number): SQL {
  const mark = SLA_MARKS[target];
  if (outcome === 'met') return sql`${mark} = -1`;
  return outcome === 'breached' ? sql`${mark} >= 0 and ${mark} <= ${now}` : sql`${mark} > ${now}`;
}

/** A clock not measured yet: the condition of the index that finds them (tickets_unmeasured_idx). */
export const UNMEASURED = sql`${tickets.slaState} is not null and ${tickets.slaNextMet} is null`;

/**
 * Measures the clocks not measured yet, a batch per transaction, until none is left or `deadline`
 * (a `performance.now()` instant) has passed; returns how many it measured. The ticket is not
 * "updated": nothing about it changed.
 */
export async function measureSlaClocks(db: Db, opts: { batch?: number; deadline?: number } = {}): Promise<number> {
  const batch = opts.batch ?? 1000;
  let done = 0;
  let after = 0;
  // PostgreSQL: the clocks read stay as read until the batch commits (SQLite's one writer holds them)
  const locked = db.engine === 'postgres' ? sql` for update` : sql``;
  for (;;) {
    // read and measured in one transaction: a clock that changes meanwhile is measured by its change
    const rows = await db.transaction(async () => {
      const read = await db.all<{ id: number | string; sla: string | Record<string, unknown> | null }>(sql`
        select ${tickets.id} as id, ${tickets.slaState} as sla from ${tickets} where ${UNMEASURED} and ${tickets.id} > ${after}
        order by ${tickets.id} limit ${batch}${locked}`);
      for (const r of read) {
        const m = measureColumns(readWorkflowState({ slaState: r.sla === null ? null : parseData(r.sla) }).clock);
        await db.update(tickets).set(m).where(sql`${tickets.id} = ${Number(r.id)}`).run();
      }
      return read;
    });
    if (!rows.length) return done;
    done += rows.length;
    after = Number(rows[rows.length - 1].id);
    if (opts.deadline !== undefined && performance.now() > opts.deadline) return done;
  }
}

/** Forgets every clock's measures, for `measureSlaClocks` to measure them all again; returns how many. */
export async function forgetSlaMeasures(db: Db): Promise<number> {
  return changed(await db.update(tickets).set({ slaNextMet: null }).where(sql`${tickets.slaState} is not null`).run());
}
