// The SLA outcomes of the closed tickets summed per span of creation (closed_ticket_sums,
// closed_ticket_sum_changes, closed_ticket_sum_state: see src/db/schema.ts; the triggers that keep
// them are in the migration that made them, written from `closedSumsSql` below). Here: what a ticket
// adds to the sums, the SLA report's counts read from them, and a rebuild from the tickets.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { closedTicketSumChanges, closedTicketSums, closedTicketSumState, tickets } from '../db/schema.ts';
import type { QueueFilter } from '../domain/queue-query.ts';
import { keptSums, type SumSpan } from './kept-sums.ts';
import type { TimeSpan } from './report-counts.ts';
import { countKeyOf, type CountKey } from './status-counts.ts';
import { waitedSql } from './ticket-flags.ts';

/** The spans of creation the sums are kept for, ms: UTC days, and blocks of 28 of them (a year is 13 blocks and a few days). */
export const SUM_DAY = 86_400_000;
export const SUM_BLOCK = 28 * SUM_DAY;
export const GRAINS = `(SELECT ${SUM_DAY} AS grain UNION ALL SELECT ${SUM_BLOCK})`;

/** The keys a closed ticket is summed under: the whole desk and each field's value ('all' first). */
export const SUM_KEYS: readonly { dim: CountKey['dim']; column: string | null; nullable: boolean }[] = [
  { dim: 'all', column: null, nullable: false },
  { dim: 'org', column: 'organization_id', nullable: true },
  { dim: 'component', column: 'component_id', nullable: true },
  { dim: 'agent', column: 'assignee_id', nullable: true },
  { dim: 'type', column: 'type', nullable: false },
  { dim: 'channel', column: 'channel', nullable: false },
  { dim: 'priority', column: 'priority', nullable: false },
];

/** The SLA report's targets, each a mark of the clock (store/sla-measures.ts), and their sums' columns. */
const MARK_FACTS = [
  ['fr', 'sla_fr_mark'],
  ['fr_internal', 'sla_fr_internal_mark'],
  ['res', 'sla_res_mark'],
  ['res_internal', 'sla_res_internal_mark'],
] as const;

/** The sums' columns, in order. */
export const SUM_FACTS = ['tickets', ...MARK_FACTS.flatMap(([f]) => [`${f}_met`, `${f}_breached`]), 'next_met', 'next_breached',
  'reopened', 'out_of_scope', 'contract_breached', 'waiting_breached'] as const;

/** A contract target missed (`missedByMeasures`) by a closed ticket, whose marks are all -1 or past. */
function contractBreachedSql(r: string): string {
  return `(${r}.sla_fr_mark >= 0 OR ${r}.sla_res_mark >= 0 OR ${r}.sla_next_mark >= 0 OR coalesce(${r}.sla_next_late, 0) > 0)`;
}

/**
 * What a summed ticket (`r`: a row alias, OLD or NEW in a trigger) adds to each sum: each target
 * it tracks is met (-1) or breached (0), and its next-response cycles are all ended (next_mark
 * null), so they no longer change with time; then whether it
 * was ever reopened, was out of scope (billable), missed a contract target, and missed one while
 * the desk had waited on the client.
 */
function factsOf(r: string): string[] {
  const when = (cond: string) => `CASE WHEN ${cond} THEN 1 ELSE 0 END`;
  return [
    '1',
    ...MARK_FACTS.flatMap(([, m]) => [when(`${r}.${m} = -1`), when(`${r}.${m} >= 0`)]),
    `coalesce(${r}.sla_next_met, 0)`,
    `coalesce(${r}.sla_next_late, 0) + ${when(`${r}.sla_next_mark >= 0`)}`,
    when(`${r}.reopen_count > 0`),
    when(`${r}.billable = 1`),
    when(contractBreachedSql(r)),
    when(`${contractBreachedSql(r)} AND ${waitedSql(r)}`),
  ];
}

/**
 * A closed ticket whose clock still has a target running or paused: one its clock began to track
 * after it stopped (its priority or policy changed once it was resolved), paused with time left.
 * Its outcome can still change, so it is not summed; the reports count it from the tickets,
 * found by a partial index (`tickets_closed_unsettled_idx`, whose condition this is, word for word).
 */
export const UNSETTLED_CLOSED = "status in ('resolved', 'closed') and (coalesce(sla_fr_mark, -1) > 0 or coalesce(sla_fr_internal_mark, -1) > 0"
  + ' or coalesce(sla_res_mark, -1) > 0 or coalesce(sla_res_internal_mark, -1) > 0 or sla_next_mark is not null)';

/**
 * Whether a ticket is summed: closed (resolved or closed) with its clock measured (or without
 * one), every target it tracks met (-1) or breached (0) and no next-response cycle open.
 */
export function summedSql(r: string): string {
  const settled = ['sla_fr_mark', 'sla_fr_internal_mark', 'sla_res_mark', 'sla_res_internal_mark'].map((m) => `coalesce(${r}.${m}, -1) <= 0`);
  return `${r}.status IN ('resolved', 'closed') AND (${r}.sla_state IS NULL OR ${r}.sla_next_met IS NOT NULL) AND ${settled.join(' AND ')} AND ${r}.sla_next_mark IS NULL`;
}

/** The ticket's keys as rows (dim, val), for a trigger's row `r`. */
function keysOf(r: string): string {
  return SUM_KEYS.map((k) => k.column === null
    ? `SELECT 'all' AS dim, '' AS val`
    : `SELECT '${k.dim}', CAST(${r}.${k.column} AS TEXT)${k.nullable ? ` WHERE ${r}.${k.column} IS NOT NULL` : ''}`).join(' UNION ALL ');
}

/** The columns a trigger watches: a change to any other leaves the sums as they were. */
export const SUMMED_COLUMNS = ['status', 'created_at', 'sla_state', ...SUM_KEYS.flatMap((k) => (k.column ? [k.column] : [])),
  ...MARK_FACTS.map(([, m]) => m), 'sla_next_mark', 'sla_next_met', 'sla_next_late', 'reopen_count', 'billable', 'resolved_at', 'closed_at'] as const;

/**
 * The triggers' SQL, for the migration that made the sums (printed once by hand and kept there;
 * closed-sums.test.ts proves the triggers' sums equal a rebuild's). On SQLite they add to the sums;
 * on PostgreSQL they append to closed_ticket_sum_changes (as status_count_changes, so two
 * transactions never write one row). A deleted ticket is taken away before the delete, while its
 * events (whether the desk waited on the client) are still there.
 */
export function closedSumsSql(engine: 'sqlite' | 'postgres'): string {
  const into = engine === 'sqlite' ? 'closed_ticket_sums' : 'closed_ticket_sum_changes';
  const conflict = engine === 'sqlite'
    ? `\n    ON CONFLICT (dim, grain, start, val) DO UPDATE SET ${SUM_FACTS.map((f) => `${f} = closed_ticket_sums.${f} + excluded.${f}`).join(', ')}`
    : '';
  const add = (r: string, sign: '' | '-') => `INSERT INTO ${into} (dim, val, grain, start, ${SUM_FACTS.join(', ')})
    SELECT k.dim, k.val, g.grain, ${r}.created_at / g.grain * g.grain, ${factsOf(r).map((f) => (sign ? `-(${f})` : f)).join(', ')}
    FROM (${keysOf(r)}) k, ${GRAINS} g WHERE ${summedSql(r)}${conflict};`;
  const differs = engine === 'sqlite' ? 'IS NOT' : 'IS DISTINCT FROM';
  const changed = [
    `(${summedSql('OLD')}) ${differs} (${summedSql('NEW')})`,
    ...SUMMED_COLUMNS.filter((c) => c !== 'status' && c !== 'sla_state').map((c) => `OLD.${c} ${differs} NEW.${c}`),
  ].join(' OR ');
  const watched = SUMMED_COLUMNS.join(', ');
  const kept = 'NOT EXISTS (SELECT 1 FROM closed_ticket_sum_state)';
  if (engine === 'sqlite') {
    return `CREATE TRIGGER tickets_closed_sums_ai AFTER INSERT ON tickets WHEN ${kept} AND ${summedSql('NEW')} BEGIN
  ${add('NEW', '')}
END;
--> statement-breakpoint
CREATE TRIGGER tickets_closed_sums_au AFTER UPDATE OF ${watched} ON tickets
  WHEN ${kept} AND (${summedSql('OLD')} OR ${summedSql('NEW')}) AND (${changed}) BEGIN
  ${add('OLD', '-')}
  ${add('NEW', '')}
END;
--> statement-breakpoint
CREATE TRIGGER tickets_closed_sums_bd BEFORE DELETE ON tickets WHEN ${kept} AND ${summedSql('OLD')} BEGIN
  ${add('OLD', '-')}
END;`;
  }
  return `CREATE FUNCTION helpdesk_closed_sums() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM closed_ticket_sum_state) THEN
    RETURN OLD;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    ${add('OLD', '-')}
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    ${add('NEW', '')}
  END IF;
  -- (a BEFORE DELETE trigger: returning OLD lets the delete go on; the AFTER triggers ignore it)
  RETURN OLD;
END $$;
--> statement-breakpoint
CREATE TRIGGER tickets_closed_sums_ai AFTER INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION helpdesk_closed_sums();
--> statement-breakpoint
CREATE TRIGGER tickets_closed_sums_au AFTER UPDATE OF ${watched} ON tickets FOR EACH ROW
  WHEN ((${summedSql('OLD')} OR ${summedSql('NEW')}) AND (${changed}))
  EXECUTE FUNCTION helpdesk_closed_sums();
--> statement-breakpoint
CREATE TRIGGER tickets_closed_sums_bd BEFORE DELETE ON tickets FOR EACH ROW EXECUTE FUNCTION helpdesk_closed_sums();`;
}

/** The sums of every closed ticket, key by key, from the tickets (the migration's first fill and a rebuild). */
export function fillSumsSql(into = 'closed_ticket_sums'): string[] {
  const facts = factsOf('t');
  return SUM_KEYS.map((k) => {
    const val = k.column === null ? `''` : `CAST(t.${k.column} AS TEXT)`;
    return `INSERT INTO ${into} (dim, val, grain, start, ${SUM_FACTS.join(', ')})
  SELECT '${k.dim}', ${val}, g.grain, t.created_at / g.grain * g.grain, ${facts.map((f) => `sum(${f})`).join(', ')}
  FROM tickets t, ${GRAINS} g WHERE ${summedSql('t')}${k.nullable ? ` AND t.${k.column} IS NOT NULL` : ''}
  GROUP BY ${k.column === null ? '' : `t.${k.column}, `}g.grain, t.created_at / g.grain * g.grain;`;
  });
}

/** Whether the sums are kept (no bulk load or rebuild has them set aside). */
export async function closedSumsKept(db: Db): Promise<boolean> {
  return (await db.all(sql`select 1 from ${closedTicketSumState} limit 1`)).length === 0;
}

/**
 * Before a bulk load: the triggers stop keeping the sums (one by one they would cost the load
 * dearly) and the reports count from the tickets, until `rebuildTicketSums` (store/ticket-sums.ts).
 */
export async function setAsideClosedSums(db: Db, now: number): Promise<void> {
  await db.run(sql`insert into ${closedTicketSumState} (name, since) values ('set aside', ${now}) on conflict (name) do nothing`);
}

const KEPT = keptSums(closedTicketSums, closedTicketSumChanges, SUM_FACTS);

/** Adds the changes PostgreSQL's triggers wrote beside the sums to them (the scheduler, every pass); returns how many it folded in. */
export const foldClosedSumChanges = KEPT.fold;

/** The sums and the changes beside them (PostgreSQL's, not folded in yet), as one table `c`. */
export const closedSumCells = KEPT.cells;

/**
 * How the sums read a span: the sums over its whole UTC days, and the rest (its partial first and
 * last days; all of it when it holds no whole day, or `kept` is false) to read from the rows.
 */
export function spanParts(span: TimeSpan, kept: boolean): { sums: SumSpan[]; rows: TimeSpan[] } {
  const first = Math.ceil(span.from / SUM_DAY) * SUM_DAY;
  const last = Math.floor(span.to / SUM_DAY) * SUM_DAY;
  if (!kept || first >= last) return { sums: [], rows: span.from < span.to ? [span] : [] };
  const rows = [...(span.from < first ? [{ from: span.from, to: first }] : []), ...(last < span.to ? [{ from: last, to: span.to }] : [])];
  return { sums: sumSpans(first, last), rows };
}

/**
 * The spans of the sums that cover the whole UTC days [first, last): the blocks inside them, and
 * the days before the first block and after the last (all days when no block fits).
 */
export function sumSpans(first: number, last: number): SumSpan[] {
  const b0 = Math.ceil(first / SUM_BLOCK) * SUM_BLOCK;
  const b1 = Math.floor(last / SUM_BLOCK) * SUM_BLOCK;
  if (b0 >= b1) return [{ grain: SUM_DAY, from: first, to: last }];
  return [
    ...(first < b0 ? [{ grain: SUM_DAY, from: first, to: b0 }] : []),
    { grain: SUM_BLOCK, from: b0, to: b1 },
    ...(b1 < last ? [{ grain: SUM_DAY, from: b1, to: last }] : []),
  ];
}

/**
 * The parts of one statement that count the tickets of a filter created in a span, by one key's
 * values, each part a select of (part, key, …counts): from the sums (part 0: the closed tickets of
 * the whole days inside the span under each value of `dim`, read as `sums` from the sums' row `c`;
 * part 1, given `withoutValue` and no filter: the whole desk's, for the tickets without a value,
 * which are the whole desk's less every value's; `withoutValue` says whether it is there) and from the
 * tickets (part 2: `fromTickets`, with the open tickets, the closed ones not summed (UNSETTLED_CLOSED)
 * of the whole days, and every closed one of the span's partial first and last days). The sums serve the whole desk, or one value of `dim`; any other filter,
 * or sums set aside, is counted from the tickets alone (one part 2). One statement, so a ticket
 * closed meanwhile is counted once.
 */
export async function closedSumParts(
  db: Db, span: TimeSpan, f: QueueFilter, dim: CountKey['dim'],
  opts: { sums: SQL; fromTickets: (g: QueueFilter, also?: SQL) => SQL; withoutValue: boolean },
): Promise<{ parts: SQL[]; withoutValue: boolean }> {
  const key = countKeyOf({ ...f, createdIn: undefined });
  const first = Math.ceil(span.from / SUM_DAY) * SUM_DAY;
  const last = Math.floor(span.to / SUM_DAY) * SUM_DAY;
  if (key === undefined || (key.dim !== 'all' && key.dim !== dim) || first >= last || !(await closedSumsKept(db))) {
    return { parts: [opts.fromTickets({ ...f, createdIn: span })], withoutValue: false };
  }
  const parts: SQL[] = [];
  const withoutValue = opts.withoutValue && key.dim === 'all';
  const one = key.dim === dim ? sql` and c.val = ${key.val}` : sql``;
  for (const r of sumSpans(first, last)) {
    const spans = sql`c.grain = ${r.grain} and c.start >= ${r.from} and c.start < ${r.to}`;
    parts.push(sql`select 0 as part, c.val as key, ${opts.sums} from ${closedSumCells()} where c.dim = ${dim} and ${spans}${one}`);
    if (withoutValue) parts.push(sql`select 1 as part, null as key, ${opts.sums} from ${closedSumCells()} where c.dim = 'all' and ${spans}`);
  }
  parts.push(opts.fromTickets({ ...f, createdIn: span }, sql`${tickets.status} not in ('resolved', 'closed')`));
  parts.push(opts.fromTickets({ ...f, createdIn: { from: first, to: last } }, sql.raw(UNSETTLED_CLOSED)));
  if (span.from < first) parts.push(opts.fromTickets({ ...f, open: false, createdIn: { from: span.from, to: first } }));
  if (last < span.to) parts.push(opts.fromTickets({ ...f, open: false, createdIn: { from: last, to: span.to } }));
  return { parts, withoutValue };
}

/** Tickets whose SLA clocks are measured (or that have none), the others found by their partial index. */
export function measuredClocks(unmeasured: SQL): SQL {
  return sql`${tickets.id} not in (select ${tickets.id} from ${tickets} where ${unmeasured} and ${tickets.id} > 0)`;
}
