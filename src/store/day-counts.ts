// The tickets created and done (resolved or closed) per span, kept by the database
// (ticket_day_counts, ticket_day_count_changes: see src/db/schema.ts; the triggers that keep them are
// in the migration that made them, written from `dayCountsSql` below). Here: what a ticket adds to
// the counts, the counts of any spans read from them in one statement (the whole UTC days inside a
// span from the counts, its partial first and last days from the tickets), and a rebuild. They are
// set aside and rebuilt with the closed tickets' sums (closed_ticket_sum_state; store/ticket-sums.ts).
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { ticketDayCountChanges, ticketDayCounts, tickets } from '../db/schema.ts';
import type { QueueFilter } from '../domain/queue-query.ts';
import { closedSumsKept, GRAINS, spanParts, SUM_BLOCK, SUM_DAY, SUM_KEYS } from './closed-sums.ts';
import { keptSums, keyedSums, type KeyedRow, type SumSpan } from './kept-sums.ts';
import { andQueueWhere } from './queue.ts';
import type { TimeSpan } from './report-counts.ts';
import { countKeyOf, type CountKey } from './status-counts.ts';

/**
 * The fields a ticket's type is counted together with (the incident trends split one type's tickets
 * by them), and their pair's key: its value is the type, '/', and the field's value.
 */
export const TYPE_PAIRS = { component: 'type.component', category: 'type.category', org: 'type.org' } as const;
type PairDim = (typeof TYPE_PAIRS)[keyof typeof TYPE_PAIRS];

/** A field the counts are kept under: the queue filters' keys, the category, and the type with a second field. */
export type DayCountDim = CountKey['dim'] | 'category' | PairDim;

/** A key: the columns whose values (cast to text, joined by '/') make its value; nullable: none counted without the last. */
type DayCountKey = { dim: DayCountDim; columns: readonly string[]; nullable: boolean };

/** The keys a ticket is counted under: the whole desk, each field's value, and the type's pairs ('all' first). */
export const DAY_COUNT_KEYS: readonly DayCountKey[] = [
  ...SUM_KEYS.map((k) => ({ dim: k.dim, columns: k.column ? [k.column] : [], nullable: k.nullable })),
  { dim: 'category', columns: ['category'], nullable: true },
  { dim: TYPE_PAIRS.component, columns: ['type', 'component_id'], nullable: true },
  { dim: TYPE_PAIRS.category, columns: ['type', 'category'], nullable: true },
  { dim: TYPE_PAIRS.org, columns: ['type', 'organization_id'], nullable: true },
];

/** A key's value for a row alias (`''` for the whole desk). */
const valueOf = (k: DayCountKey, r: string) => (k.columns.length === 0 ? `''` : k.columns.map((c) => `CAST(${r}.${c} AS TEXT)`).join(` || '/' || `));
/** The condition (after WHERE or AND) that a row has a value under a nullable key. */
const hasValue = (k: DayCountKey, r: string) => `${r}.${k.columns[k.columns.length - 1]} IS NOT NULL`;

const FACTS = ['created', 'done', 'done_reopened'] as const;

/** When a ticket was done (resolved or closed; `tickets.done_at`), for a row alias. */
const doneAt = (r: string) => `coalesce(${r}.resolved_at, ${r}.closed_at)`;

/** The columns the triggers watch: a change to any other leaves the counts as they were. */
export const COUNTED_COLUMNS = [...new Set(['created_at', 'resolved_at', 'closed_at', 'reopen_count', ...DAY_COUNT_KEYS.flatMap((k) => k.columns)])];

/**
 * One statement that adds what a ticket (`r`: OLD or NEW in a trigger) counts under each of its keys
 * (`sign` '-': takes it away): one created in the span of its creation, and once it is done, one
 * done (and whether it had been reopened) in the span of its done time. In an update (`onlyMoved`),
 * only the rows that move: a key whose value changed, or a time (or the reopened mark) that did, so
 * an assignment writes the agent's rows alone.
 */
function addSql(engine: 'sqlite' | 'postgres', r: string, sign: '' | '-', onlyMoved: boolean): string {
  const into = engine === 'sqlite' ? 'ticket_day_counts' : 'ticket_day_count_changes';
  const differs = engine === 'sqlite' ? 'IS NOT' : 'IS DISTINCT FROM';
  const flag = (cond: string) => (onlyMoved ? `CASE WHEN ${cond} THEN 1 ELSE 0 END` : '1');
  const keys = DAY_COUNT_KEYS.map((k) => (k.columns.length === 0
    ? `SELECT 'all' AS dim, '' AS val, ${onlyMoved ? '0' : '1'} AS moved`
    : `SELECT '${k.dim}', ${valueOf(k, r)}, ${flag(k.columns.map((c) => `OLD.${c} ${differs} NEW.${c}`).join(' OR '))}${k.nullable ? ` WHERE ${hasValue(k, r)}` : ''}`)).join(' UNION ALL ');
  const reopened = (x: string) => `(${x}.reopen_count > 0)`;
  const times = `SELECT ${r}.created_at AS at, 1 AS c, 0 AS d, 0 AS rr, ${flag(`OLD.created_at ${differs} NEW.created_at`)} AS moved
      UNION ALL SELECT ${doneAt(r)}, 0, 1, CASE WHEN ${reopened(r)} THEN 1 ELSE 0 END,
        ${flag(`${doneAt('OLD')} ${differs} ${doneAt('NEW')} OR ${reopened('OLD')} ${differs} ${reopened('NEW')}`)} WHERE ${doneAt(r)} IS NOT NULL`;
  const conflict = engine === 'sqlite'
    ? `\n    ON CONFLICT (dim, grain, start, val) DO UPDATE SET ${FACTS.map((f) => `${f} = ticket_day_counts.${f} + excluded.${f}`).join(', ')}`
    : '';
  return `INSERT INTO ${into} (dim, val, grain, start, ${FACTS.join(', ')})
    SELECT k.dim, k.val, g.grain, x.at / g.grain * g.grain, ${sign}x.c, ${sign}x.d, ${sign}x.rr
    FROM (${keys}) k, (${times}) x, ${GRAINS} g WHERE k.moved + x.moved > 0${conflict};`;
}

/**
 * The triggers' SQL, for the migration that made the counts (printed once by hand and kept there;
 * closed-sums.test.ts proves the triggers' counts equal a rebuild's). On SQLite they add to the
 * counts; on PostgreSQL they append to ticket_day_count_changes, which the scheduler folds in.
 */
export function dayCountsSql(engine: 'sqlite' | 'postgres'): string {
  const differs = engine === 'sqlite' ? 'IS NOT' : 'IS DISTINCT FROM';
  const changed = COUNTED_COLUMNS.map((c) => `OLD.${c} ${differs} NEW.${c}`).join(' OR ');
  const kept = 'NOT EXISTS (SELECT 1 FROM closed_ticket_sum_state)';
  if (engine === 'sqlite') {
    return `CREATE TRIGGER tickets_day_counts_ai AFTER INSERT ON tickets WHEN ${kept} BEGIN
  ${addSql(engine, 'NEW', '', false)}
END;
--> statement-breakpoint
CREATE TRIGGER tickets_day_counts_au AFTER UPDATE OF ${COUNTED_COLUMNS.join(', ')} ON tickets WHEN ${kept} AND (${changed}) BEGIN
  ${addSql(engine, 'OLD', '-', true)}
  ${addSql(engine, 'NEW', '', true)}
END;
--> statement-breakpoint
CREATE TRIGGER tickets_day_counts_ad AFTER DELETE ON tickets WHEN ${kept} BEGIN
  ${addSql(engine, 'OLD', '-', false)}
END;`;
  }
  return `CREATE FUNCTION helpdesk_day_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM closed_ticket_sum_state) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    ${addSql(engine, 'NEW', '', false)}
  ELSIF TG_OP = 'DELETE' THEN
    ${addSql(engine, 'OLD', '-', false)}
  ELSE
    ${addSql(engine, 'OLD', '-', true)}
    ${addSql(engine, 'NEW', '', true)}
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER tickets_day_counts_ai AFTER INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION helpdesk_day_counts();
--> statement-breakpoint
CREATE TRIGGER tickets_day_counts_au AFTER UPDATE OF ${COUNTED_COLUMNS.join(', ')} ON tickets FOR EACH ROW
  WHEN (${changed})
  EXECUTE FUNCTION helpdesk_day_counts();
--> statement-breakpoint
CREATE TRIGGER tickets_day_counts_ad AFTER DELETE ON tickets FOR EACH ROW EXECUTE FUNCTION helpdesk_day_counts();`;
}

/**
 * The counts of every ticket under the keys (all of them when not given), key by key, from the
 * tickets (a migration's first fill and a rebuild): the days from the tickets, then the blocks from
 * the days.
 */
export function fillDayCountsSql(keys: readonly DayCountKey[] = DAY_COUNT_KEYS): string[] {
  const days = keys.map((k) => {
    const val = valueOf(k, 't');
    const has = k.nullable ? ` AND ${hasValue(k, 't')}` : '';
    return `INSERT INTO ticket_day_counts (dim, val, grain, start, ${FACTS.join(', ')})
  SELECT '${k.dim}', x.val, ${SUM_DAY}, x.at / ${SUM_DAY} * ${SUM_DAY}, sum(x.c), sum(x.d), sum(x.rr)
  FROM (SELECT ${val} AS val, t.created_at AS at, 1 AS c, 0 AS d, 0 AS rr FROM tickets t WHERE 1 = 1${has}
    UNION ALL SELECT ${val}, ${doneAt('t')}, 0, 1, CASE WHEN t.reopen_count > 0 THEN 1 ELSE 0 END FROM tickets t WHERE ${doneAt('t')} IS NOT NULL${has}) x
  GROUP BY x.val, x.at / ${SUM_DAY} * ${SUM_DAY};`;
  });
  return [...days, `INSERT INTO ticket_day_counts (dim, val, grain, start, ${FACTS.join(', ')})
  SELECT dim, val, ${SUM_BLOCK}, start / ${SUM_BLOCK} * ${SUM_BLOCK}, sum(created), sum(done), sum(done_reopened)
  FROM ticket_day_counts WHERE grain = ${SUM_DAY} AND dim IN (${keys.map((k) => `'${k.dim}'`).join(', ')}) GROUP BY dim, val, start / ${SUM_BLOCK} * ${SUM_BLOCK};`];
}

const KEPT = keptSums(ticketDayCounts, ticketDayCountChanges, FACTS);

/** Adds the changes PostgreSQL's triggers wrote beside the counts to them (the scheduler, every pass); returns how many. */
export const foldDayCountChanges = KEPT.fold;

/** A question: the tickets created, or done, in a span. */
export type CountAsk = { which: 'created' | 'done'; span: TimeSpan };

/**
 * The answer to one question for one value of the dimension asked (null: the tickets without one, or
 * no dimension); `reopened`, of the tickets done, is counted only when split by a field.
 */
export type KeyCount = { ask: number; key: string | null; n: number; reopened: number };

const TIME_OF = { created: tickets.createdAt, done: tickets.doneAt } as const;
const values = (rows: SQL[]) => sql.join(rows, sql`, `);
const big = (n: number) => sql`cast(${n} as bigint)`;
const int = (n: number) => sql`cast(${n} as integer)`;

/**
 * For each question, the tickets of the filter created (or done) in its span, split by the values of
 * `by` when given (`reopened`: of those done, how many had been reopened), in one statement, so a
 * ticket changed meanwhile is counted once. The counts serve the whole UTC days inside a span when
 * the filter is the whole desk or one field's value (and, split by a field, the whole desk alone);
 * the span's partial first and last days, and any other filter, are counted from the tickets, on the
 * index of their time. A value without tickets in a span is left out.
 */
export async function countTicketsBy(db: Db, asks: readonly CountAsk[], f: QueueFilter, by?: { dim: DayCountDim; column: SQL | AnyColumn }): Promise<KeyCount[]> {
  if (asks.length === 0) return [];
  const key = countKeyOf(f);
  // split by a field, the counts serve the whole desk, and one type (by the type's pairs)
  const pair = by !== undefined && key?.dim === 'type' ? TYPE_PAIRS[by.dim as keyof typeof TYPE_PAIRS] : undefined;
  const served = key !== undefined && (by === undefined || key.dim === 'all' || pair !== undefined) && (await closedSumsKept(db));
  const pieces: SQL[] = [];
  const read: SumSpan[] = [];
  const live: Record<CountAsk['which'], SQL[]> = { created: [], done: [] };
  asks.forEach((a, i) => {
    const w = a.which === 'created' ? 0 : 1;
    const { sums, rows } = spanParts(a.span, served);
    for (const r of sums) pieces.push(sql`(${int(i)}, ${int(w)}, ${big(r.grain)}, ${big(r.from)}, ${big(r.to)})`);
    read.push(...sums);
    for (const r of rows) live[a.which].push(sql`(${int(i)}, ${big(r.from)}, ${big(r.to)})`);
  });
  const withs: SQL[] = [];
  const parts: SQL[] = [];
  const facts = sql`sum(case when p.w = 0 then c.created else c.done end) as n, sum(case when p.w = 0 then 0 else c.done_reopened end) as r`;
  if (pieces.length) {
    withs.push(sql`p(i, w, g, s, e) as (values ${values(pieces)})`);
    const cells = (dim: string) => sql`from p join ${KEPT.cellsWithin(dim, read)} on c.grain = p.g and c.start >= p.s and c.start < p.e`;
    const asked = sql`${cells(key!.dim)} and c.val = ${key!.val} group by p.i`;
    if (by === undefined) {
      parts.push(sql`select 0 as src, p.i as i, null as k, ${facts} ${asked}`);
    } else {
      if (pair === undefined) {
        parts.push(sql`select 0 as src, p.i as i, c.val as k, ${facts} ${cells(by.dim)} group by p.i, c.val`);
      } else {
        // the type's pairs: 'incident/7' is component 7's (compared by substr: a collation may ignore the '/')
        const prefix = `${key!.val}/`;
        parts.push(sql`select 0 as src, p.i as i, substr(c.val, ${int(prefix.length + 1)}) as k, ${facts} ${cells(pair)}
          and substr(c.val, 1, ${int(prefix.length)}) = ${prefix} group by p.i, c.val`);
      }
      // the tickets without a value: the whole desk's (or the type's) less every value's
      parts.push(sql`select 1 as src, p.i as i, null as k, ${facts} ${asked}`);
    }
  }
  for (const which of ['created', 'done'] as const) {
    if (!live[which].length) continue;
    const name = sql.raw(`l${which}`);
    withs.push(sql`${name}(i, s, e) as (values ${values(live[which])})`);
    const col = TIME_OF[which];
    if (by === undefined) {
      // a count per span on the time's index (joined and grouped, a year's tickets went through a sort first)
      parts.push(sql`select 2 as src, ${name}.i as i, null as k, (select count(*) from ${tickets}
        where ${col} >= ${name}.s and ${col} < ${name}.e${andQueueWhere(f)}) as n, 0 as r from ${name}`);
      continue;
    }
    const k = sql`cast(${by.column} as text)`;
    const r = which === 'done' ? sql`sum(case when ${tickets.reopenCount} > 0 then 1 else 0 end)` : sql`0`;
    parts.push(sql`select 2 as src, ${name}.i as i, ${k} as k, count(*) as n, ${r} as r from ${name} join ${tickets}
      on ${col} >= ${name}.s and ${col} < ${name}.e where 1 = 1${andQueueWhere(f)} group by ${name}.i, ${by.column}`);
  }
  const rows = await db.all<KeyedRow>(sql`with ${sql.join(withs, sql`, `)} ${sql.join(parts, sql` union all `)}`);
  return keyedSums(rows, ['n', 'r'], by !== undefined).map((c) => ({ ask: c.ask, key: c.key, n: c.n, reopened: c.r }));
}

/** For each question, the tickets of the filter created (or done) in its span (countTicketsBy, not split). */
export async function countTicketsAsked(db: Db, asks: readonly CountAsk[], f: QueueFilter): Promise<number[]> {
  const out = asks.map(() => 0);
  for (const c of await countTicketsBy(db, asks, f)) out[c.ask] += c.n;
  return out;
}
