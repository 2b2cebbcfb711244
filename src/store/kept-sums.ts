// A table of sums the database keeps by triggers (closed_ticket_sums, ticket_day_counts), each
// row keyed (dim, val, grain, start), with its change log beside it: on PostgreSQL the triggers
// append changes there rather than write one row from two transactions. Here: the sums and the
// changes not folded in yet read as one table, and the fold the scheduler runs.
import { getTableName, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client.ts';

/** Sums of one grain whose starts are in [from, to). */
export type SumSpan = { grain: number; from: number; to: number };

export type KeptSums = {
  /** the sums and the changes beside them, as one table `c` */
  cells: () => SQL;
  /**
   * the same, only a key's rows within the spans (a join does not narrow a union: joined to the
   * spans, every row of the key would be read first)
   */
  cellsWithin: (dim: string, spans: readonly SumSpan[]) => SQL;
  /** adds the changes to the sums and removes them (the scheduler, every pass); returns how many */
  fold: (db: Db) => Promise<number>;
};

export function keptSums(sums: SQLiteTable, changes: SQLiteTable & { id: SQLiteColumn }, facts: readonly string[]): KeptSums {
  const name = getTableName(sums);
  const cols = sql.raw(`dim, val, grain, start, ${facts.join(', ')}`);
  return {
    cells: () => sql`(select ${cols} from ${sums} union all select ${cols} from ${changes}) c`,
    cellsWithin: (dim, spans) => {
      const ranges = sql.join(mergedRanges(spans).map((r) => sql`(grain = ${big(r.grain)} and start >= ${big(r.from)} and start < ${big(r.to)})`), sql` or `);
      const w = sql` where dim = ${dim} and (${ranges})`;
      return sql`(select ${cols} from ${sums}${w} union all select ${cols} from ${changes}${w}) c`;
    },
    fold: async (db) => await db.transaction(async () => {
      const [{ top, n }] = await db.all<{ top: number | string | null; n: number | string }>(sql`select max(${changes.id}) as top, count(*) as n from ${changes}`);
      if (top === null) return 0;
      await db.run(sql`insert into ${sums} (${cols})
        select dim, val, grain, start, ${sql.raw(facts.map((f) => `sum(${f})`).join(', '))} from ${changes}
        where ${changes.id} <= ${Number(top)} group by dim, val, grain, start
        on conflict (dim, grain, start, val) do update set ${sql.raw(facts.map((f) => `${f} = ${name}.${f} + excluded.${f}`).join(', '))}`);
      await db.run(sql`delete from ${changes} where ${changes.id} <= ${Number(top)}`);
      return Number(n);
    }),
  };
}

const big = (n: number) => sql`cast(${n} as bigint)`;

/** The spans of each grain, those that touch or overlap made one (a period's days read as one range). */
function mergedRanges(spans: readonly SumSpan[]): SumSpan[] {
  const out: SumSpan[] = [];
  for (const r of [...spans].sort((a, b) => a.grain - b.grain || a.from - b.from)) {
    const last = out[out.length - 1];
    if (last && last.grain === r.grain && r.from <= last.to) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}

/** A row of a statement over kept sums: `src` 0 a value's sums, 1 the asked total, 2 summed from the rows themselves. */
export type KeyedRow = { src: number | string; i: number | string; k: string | null } & Record<string, number | string | null>;

/**
 * The sums per question (`i`) and value (`k`; null: none) of such a statement's rows. Split by a
 * value, the rows without one are the asked total less every value's (the sums keep no "none").
 * Sums that come to nothing are left out.
 */
export function keyedSums<F extends string>(rows: readonly KeyedRow[], facts: readonly F[], split: boolean): ({ ask: number; key: string | null } & Record<F, number>)[] {
  const out = new Map<string, { ask: number; key: string | null } & Record<F, number>>();
  const add = (ask: number, key: string | null, row: KeyedRow, sign: number) => {
    const id = `${ask}\u0000${key ?? ''}\u0000${key === null}`;
    let got = out.get(id);
    if (!got) out.set(id, (got = { ask, key, ...Object.fromEntries(facts.map((f) => [f, 0])) } as { ask: number; key: string | null } & Record<F, number>));
    for (const f of facts) (got as Record<string, number>)[f] += sign * Number(row[f] ?? 0);
  };
  for (const row of rows) {
    const [src, ask] = [Number(row.src), Number(row.i)];
    if (src === 0 && split) add(ask, null, row, -1);
    add(ask, src === 1 ? null : row.k, row, 1);
  }
  return [...out.values()].filter((s) => facts.some((f) => s[f] !== 0));
}
