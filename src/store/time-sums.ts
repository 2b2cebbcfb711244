// The minutes logged per span, kept by the database (worklog_day_sums, worklog_day_sum_changes: see
// src/db/schema.ts; the triggers that keep them are in the migration that made them, written from
// `timeSumsSql` below). A worklog adds its minutes (and, when billable, its billable minutes) to the
// UTC day and the block of 28 days it was worked in, under each key of the worklog and its ticket;
// a ticket whose field changes moves its worklogs' minutes to the new value. Here: the keys, the
// triggers' SQL, the sums of any spans read in one statement (the whole days inside a span from the
// sums, its partial first and last days from the worklogs), and a rebuild. They are set aside and
// rebuilt with the tickets' other sums (closed_ticket_sum_state; store/ticket-sums.ts).
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { tickets, worklogDaySumChanges, worklogDaySums, worklogs } from '../db/schema.ts';
import type { QueueFilter } from '../domain/queue-query.ts';
import { closedSumsKept, GRAINS, spanParts, SUM_BLOCK, SUM_DAY } from './closed-sums.ts';
import { keptSums, keyedSums, type KeyedRow, type SumSpan } from './kept-sums.ts';
import { andQueueWhere } from './queue.ts';
import type { TimeSpan } from './report-counts.ts';
import { countKeyOf } from './status-counts.ts';

/** A column of the worklog (`w`) or of its ticket (`t`); `orZero`: a missing value is 0 rather than no value. */
type Part = { of: 'w' | 't'; column: string; orZero?: boolean };

/** A field the sums are kept under: who logged the time, the ticket's fields, and pairs of them. */
export type TimeSumDim = 'all' | 'worker' | 'org' | 'component' | 'type' | 'category' | 'channel' | 'priority'
  | 'worker.org' | 'type.component' | 'type.category' | 'type.org' | 'scope.org';

/** A key: the parts whose values (cast to text, joined by '/') make its value; a part without a value leaves the worklog out of it. */
type TimeSumKey = { dim: TimeSumDim; parts: readonly Part[] };

const w = (column: string, orZero = false): Part => ({ of: 'w', column, orZero });
const t = (column: string): Part => ({ of: 't', column });

/** The keys a worklog is summed under ('all' first). */
export const TIME_SUM_KEYS: readonly TimeSumKey[] = [
  { dim: 'all', parts: [] },
  { dim: 'worker', parts: [w('user_id')] },
  { dim: 'org', parts: [t('organization_id')] },
  { dim: 'component', parts: [t('component_id')] },
  { dim: 'type', parts: [t('type')] },
  { dim: 'category', parts: [t('category')] },
  { dim: 'channel', parts: [t('channel')] },
  { dim: 'priority', parts: [t('priority')] },
  // the cost of a client's time: who logged it (0: no one now) with the organisation
  { dim: 'worker.org', parts: [w('user_id', true), t('organization_id')] },
  { dim: 'type.component', parts: [t('type'), t('component_id')] },
  { dim: 'type.category', parts: [t('type'), t('category')] },
  { dim: 'type.org', parts: [t('type'), t('organization_id')] },
  // a client's contract usage: the ticket out of the contract's scope (billable: 1) or in it (0), with the organisation
  { dim: 'scope.org', parts: [t('billable'), t('organization_id')] },
];

/** The ticket's columns the sums depend on: a change to one moves its worklogs' minutes. */
export const SUMMED_TICKET_COLUMNS = [...new Set(TIME_SUM_KEYS.flatMap((k) => k.parts.filter((p) => p.of === 't').map((p) => p.column)))];
/** The worklog's columns the sums depend on. */
export const SUMMED_WORKLOG_COLUMNS = ['ticket_id', 'user_id', 'minutes', 'billable', 'worked_at'];

type Refs = { w: string; t: string };
const ref = (p: Part, r: Refs) => `${r[p.of]}.${p.column}`;
/** A key's value for the rows `r` (`''` for the whole desk). */
const valueOf = (k: TimeSumKey, r: Refs) => (k.parts.length === 0 ? `''`
  : k.parts.map((p) => (p.orZero ? `CAST(coalesce(${ref(p, r)}, 0) AS TEXT)` : `CAST(${ref(p, r)} AS TEXT)`)).join(` || '/' || `));
/** The conditions that the rows have a value under a key. */
const hasValue = (k: TimeSumKey, r: Refs) => k.parts.filter((p) => !p.orZero).map((p) => `${ref(p, r)} IS NOT NULL`);

const FACTS = ['minutes', 'billable'] as const;
const billableOf = (wr: string) => `CASE WHEN ${wr}.billable = 1 THEN ${wr}.minutes ELSE 0 END`;

/**
 * One statement that adds the minutes of the worklogs the rows `from` give (with `r` naming the
 * worklog and its ticket) under each key (`sign` '-': takes them away); `only` keeps the keys it
 * accepts (a ticket's change moves only the keys of the fields that changed).
 */
function addSql(engine: 'sqlite' | 'postgres', r: Refs, from: string, sign: '' | '-', only?: (k: TimeSumKey) => string | undefined): string {
  const into = engine === 'sqlite' ? 'worklog_day_sums' : 'worklog_day_sum_changes';
  const keys = TIME_SUM_KEYS.flatMap((k) => {
    const moved = only ? only(k) : 'TRUE';
    if (moved === undefined) return [];
    const conds = [...hasValue(k, r), ...(moved === 'TRUE' ? [] : [`(${moved})`])];
    return [`SELECT '${k.dim}' AS dim, ${valueOf(k, r)} AS val, ${r.w}.worked_at AS at, ${r.w}.minutes AS m, ${billableOf(r.w)} AS bm
      FROM ${from}${conds.length ? ` AND ${conds.join(' AND ')}` : ''}`];
  }).join('\n      UNION ALL ');
  const conflict = engine === 'sqlite'
    ? `\n    ON CONFLICT (dim, grain, start, val) DO UPDATE SET ${FACTS.map((f) => `${f} = worklog_day_sums.${f} + excluded.${f}`).join(', ')}`
    : '';
  return `INSERT INTO ${into} (dim, val, grain, start, ${FACTS.join(', ')})
    SELECT k.dim, k.val, g.grain, k.at / g.grain * g.grain, ${sign}k.m, ${sign}k.bm
    FROM (${keys}) k, ${GRAINS} g WHERE k.m <> 0${conflict};`;
}

const KEPT_NOW = 'NOT EXISTS (SELECT 1 FROM closed_ticket_sum_state)';

/**
 * The triggers' SQL, for the migration that made the sums (printed once by hand and kept there;
 * time-sums.test.ts proves the triggers' sums equal a rebuild's). On SQLite they add to the sums;
 * on PostgreSQL they append to worklog_day_sum_changes, which the scheduler folds in.
 */
export function timeSumsSql(engine: 'sqlite' | 'postgres'): string {
  const differs = engine === 'sqlite' ? 'IS NOT' : 'IS DISTINCT FROM';
  const ofWorklog = (x: string) => addSql(engine, { w: x, t: 't' }, `tickets t WHERE t.id = ${x}.ticket_id`, x === 'OLD' ? '-' : '');
  const worklogChanged = SUMMED_WORKLOG_COLUMNS.map((c) => `OLD.${c} ${differs} NEW.${c}`).join(' OR ');
  const ticketChanged = SUMMED_TICKET_COLUMNS.map((c) => `OLD.${c} ${differs} NEW.${c}`).join(' OR ');
  // a ticket's change: its worklogs leave the keys of the fields that changed, and join the new values
  const moved = (k: TimeSumKey) => {
    const cols = k.parts.filter((p) => p.of === 't').map((p) => p.column);
    return cols.length === 0 ? undefined : cols.map((c) => `OLD.${c} ${differs} NEW.${c}`).join(' OR ');
  };
  const ofTicket = (x: string) => addSql(engine, { w: 'w', t: x }, `worklogs w WHERE w.ticket_id = ${x}.id`, x === 'OLD' ? '-' : '', moved);
  if (engine === 'sqlite') {
    return `CREATE TRIGGER worklogs_time_sums_ai AFTER INSERT ON worklogs WHEN ${KEPT_NOW} BEGIN
  ${ofWorklog('NEW')}
END;
--> statement-breakpoint
CREATE TRIGGER worklogs_time_sums_au AFTER UPDATE OF ${SUMMED_WORKLOG_COLUMNS.join(', ')} ON worklogs WHEN ${KEPT_NOW} AND (${worklogChanged}) BEGIN
  ${ofWorklog('OLD')}
  ${ofWorklog('NEW')}
END;
--> statement-breakpoint
CREATE TRIGGER worklogs_time_sums_ad AFTER DELETE ON worklogs WHEN ${KEPT_NOW} BEGIN
  ${ofWorklog('OLD')}
END;
--> statement-breakpoint
CREATE TRIGGER tickets_time_sums_au AFTER UPDATE OF ${SUMMED_TICKET_COLUMNS.join(', ')} ON tickets WHEN ${KEPT_NOW} AND (${ticketChanged}) BEGIN
  ${ofTicket('OLD')}
  ${ofTicket('NEW')}
END;`;
  }
  return `CREATE FUNCTION helpdesk_worklog_time_sums() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM closed_ticket_sum_state) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    ${ofWorklog('NEW')}
  ELSIF TG_OP = 'DELETE' THEN
    ${ofWorklog('OLD')}
  ELSE
    ${ofWorklog('OLD')}
    ${ofWorklog('NEW')}
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION helpdesk_ticket_time_sums() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM closed_ticket_sum_state) THEN
    RETURN NULL;
  END IF;
  ${ofTicket('OLD')}
  ${ofTicket('NEW')}
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER worklogs_time_sums_ai AFTER INSERT ON worklogs FOR EACH ROW EXECUTE FUNCTION helpdesk_worklog_time_sums();
--> statement-breakpoint
CREATE TRIGGER worklogs_time_sums_au AFTER UPDATE OF ${SUMMED_WORKLOG_COLUMNS.join(', ')} ON worklogs FOR EACH ROW
  WHEN (${worklogChanged})
  EXECUTE FUNCTION helpdesk_worklog_time_sums();
--> statement-breakpoint
CREATE TRIGGER worklogs_time_sums_ad AFTER DELETE ON worklogs FOR EACH ROW EXECUTE FUNCTION helpdesk_worklog_time_sums();
--> statement-breakpoint
CREATE TRIGGER tickets_time_sums_au AFTER UPDATE OF ${SUMMED_TICKET_COLUMNS.join(', ')} ON tickets FOR EACH ROW
  WHEN (${ticketChanged})
  EXECUTE FUNCTION helpdesk_ticket_time_sums();`;
}

/**
 * The sums of every worklog, key by key, from the worklogs and their tickets (a migration's first
 * fill and a rebuild): the days from the worklogs, then the blocks from the days. `dims`: only
 * those keys (a migration that adds a key fills it alone).
 */
export function fillTimeSumsSql(dims?: readonly TimeSumDim[]): string[] {
  const r = { w: 'w', t: 't' };
  const only = dims ? ` AND dim IN (${dims.map((d) => `'${d}'`).join(', ')})` : '';
  const days = TIME_SUM_KEYS.filter((k) => !dims || dims.includes(k.dim)).map((k) => `INSERT INTO worklog_day_sums (dim, val, grain, start, ${FACTS.join(', ')})
  SELECT '${k.dim}', x.val, ${SUM_DAY}, x.at / ${SUM_DAY} * ${SUM_DAY}, sum(x.m), sum(x.bm)
  FROM (SELECT ${valueOf(k, r)} AS val, w.worked_at AS at, w.minutes AS m, ${billableOf('w')} AS bm
    FROM worklogs w JOIN tickets t ON t.id = w.ticket_id${hasValue(k, r).length ? ` WHERE ${hasValue(k, r).join(' AND ')}` : ''}) x
  GROUP BY x.val, x.at / ${SUM_DAY} * ${SUM_DAY};`);
  return [...days, `INSERT INTO worklog_day_sums (dim, val, grain, start, ${FACTS.join(', ')})
  SELECT dim, val, ${SUM_BLOCK}, start / ${SUM_BLOCK} * ${SUM_BLOCK}, sum(minutes), sum(billable)
  FROM worklog_day_sums WHERE grain = ${SUM_DAY}${only} GROUP BY dim, val, start / ${SUM_BLOCK} * ${SUM_BLOCK};`];
}

const KEPT = keptSums(worklogDaySums, worklogDaySumChanges, FACTS);

/** Adds the changes PostgreSQL's triggers wrote beside the sums to them (the scheduler, every pass); returns how many. */
export const foldTimeSumChanges = KEPT.fold;

/**
 * What the minutes are split by: who logged them, a field of their ticket, who logged them with the
 * organisation, or whether the ticket is out of the contract's scope with the organisation.
 */
export type TimeSplit = 'worker' | 'org' | 'component' | 'type' | 'category' | 'worker.org' | 'scope.org';

/** The split's value for a live worklog `w` of ticket `tickets` (null: none), as text like the sums' values. */
const LIVE_KEYS: Record<TimeSplit, SQL> = {
  worker: sql`cast(${worklogs.userId} as text)`,
  org: sql`cast(${tickets.organizationId} as text)`,
  component: sql`cast(${tickets.componentId} as text)`,
  type: sql`cast(${tickets.type} as text)`,
  category: sql`cast(${tickets.category} as text)`,
  'worker.org': sql`case when ${tickets.organizationId} is null then null else cast(coalesce(${worklogs.userId}, 0) as text) || '/' || cast(${tickets.organizationId} as text) end`,
  'scope.org': sql`case when ${tickets.organizationId} is null then null else cast(${tickets.billable} as text) || '/' || cast(${tickets.organizationId} as text) end`,
};

/** The minutes of one span (`ask`: its index) under one value of the split (null: none, or no split). */
export type LoggedSum = { ask: number; key: string | null; minutes: number; billable: number };

/** Which worklogs: on the tickets of a queue filter, by one person or anyone. */
export type LoggedFilter = { tickets: QueueFilter; workedBy?: number };

/** The key whose sums answer the filter with the split, or undefined when the worklogs must be read. */
function servingDim(f: LoggedFilter, split: TimeSplit | undefined): { dim: TimeSumDim; val: string; pair?: TimeSumDim } | undefined {
  const key = countKeyOf(f.tickets);
  // the queue's agent is the ticket's assignee, not who logged the time
  if (key === undefined || key.dim === 'agent') return undefined;
  let asked: { dim: TimeSumDim; val: string } = { dim: key.dim as TimeSumDim, val: key.val };
  if (f.workedBy !== undefined) {
    if (key.dim !== 'all') return undefined;
    asked = { dim: 'worker', val: String(f.workedBy) };
  }
  if (split === undefined || asked.dim === 'all') return asked;
  const pair = asked.dim === 'type' && (split === 'component' || split === 'category' || split === 'org') ? (`type.${split}` as const) : undefined;
  return pair ? { ...asked, pair } : undefined;
}

const big = (n: number) => sql`cast(${n} as bigint)`;
const int = (n: number) => sql`cast(${n} as integer)`;
const values = (rows: SQL[]) => sql.join(rows, sql`, `);

/**
 * For each span, the minutes logged in it (and of them, billable) on the worklogs of the filter,
 * split by `split` when given, in one statement. The sums serve the whole UTC days inside a span when
 * the filter is the whole desk, one field's value or one person (and, split, the whole desk, or one
 * type split by its component, category or organisation); the span's partial first and last days,
 * and any other filter, are summed from the worklogs on the index of their time. A value without
 * minutes in a span is left out.
 */
export async function sumLogged(db: Db, spans: readonly TimeSpan[], f: LoggedFilter, split?: TimeSplit): Promise<LoggedSum[]> {
  if (spans.length === 0) return [];
  const key = servingDim(f, split);
  const served = key !== undefined && (await closedSumsKept(db));
  const pieces: SQL[] = [];
  const live: SQL[] = [];
  const read: SumSpan[] = [];
  spans.forEach((span, i) => {
    const { sums, rows } = spanParts(span, served);
    for (const r of sums) pieces.push(sql`(${int(i)}, ${big(r.grain)}, ${big(r.from)}, ${big(r.to)})`);
    read.push(...sums);
    for (const r of rows) live.push(sql`(${int(i)}, ${big(r.from)}, ${big(r.to)})`);
  });
  const withs: SQL[] = [];
  const parts: SQL[] = [];
  const facts = sql`sum(c.minutes) as m, sum(c.billable) as b`;
  if (pieces.length) {
    withs.push(sql`p(i, g, s, e) as (values ${values(pieces)})`);
    const cells = (dim: string) => sql`from p join ${KEPT.cellsWithin(dim, read)} on c.grain = p.g and c.start >= p.s and c.start < p.e`;
    const asked = sql`${cells(key!.dim)} and c.val = ${key!.val} group by p.i`;
    if (split === undefined) {
      parts.push(sql`select 0 as src, p.i as i, null as k, ${facts} ${asked}`);
    } else {
      if (key!.pair === undefined) {
        parts.push(sql`select 0 as src, p.i as i, c.val as k, ${facts} ${cells(split)} group by p.i, c.val`);
      } else {
        // one type's pairs: 'incident/7' is component 7's (compared by substr: a collation may ignore the '/')
        const prefix = `${key!.val}/`;
        parts.push(sql`select 0 as src, p.i as i, substr(c.val, ${int(prefix.length + 1)}) as k, ${facts} ${cells(key!.pair)}
          and substr(c.val, 1, ${int(prefix.length)}) = ${prefix} group by p.i, c.val`);
      }
      // the worklogs without a value: the asked total less every value's
      parts.push(sql`select 1 as src, p.i as i, null as k, ${facts} ${asked}`);
    }
  }
  if (live.length) {
    withs.push(sql`l(i, s, e) as (values ${values(live)})`);
    const k = split === undefined ? sql`null` : LIVE_KEYS[split];
    const by = f.workedBy === undefined ? sql`` : sql` and ${worklogs.userId} = ${f.workedBy}`;
    parts.push(sql`select 2 as src, l.i as i, ${k} as k, sum(${worklogs.minutes}) as m,
        sum(case when ${worklogs.billable} = 1 then ${worklogs.minutes} else 0 end) as b
      from l join ${worklogs} on ${worklogs.workedAt} >= l.s and ${worklogs.workedAt} < l.e
      join ${tickets} on ${tickets.id} = ${worklogs.ticketId}
      where 1 = 1${by}${andQueueWhere(f.tickets)} group by l.i${split === undefined ? sql`` : sql`, ${k}`}`);
  }
  const rows = await db.all<KeyedRow>(sql`with ${sql.join(withs, sql`, `)} ${sql.join(parts, sql` union all `)}`);
  return keyedSums(rows, ['m', 'b'], split !== undefined).map((r) => ({ ask: r.ask, key: r.key, minutes: r.m, billable: r.b }));
}
