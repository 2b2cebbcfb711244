// A table of sums the database keeps by triggers (closed_ticket_sums, ticket_day_counts), each
// row keyed (dim, val, grain, start), with its change log beside it: on PostgreSQL the triggers
// append changes there rather than write one row from two transactions. Here: the sums and the
// changes not folded in yet read as one table, and the fold the scheduler runs.
import { getTableName, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client.ts';

export type KeptSums = {
  /** the sums and the changes beside them, as one table `c` (only the rows `where` keeps, when given: a join does not narrow a union) */
  cells: (where?: SQL) => SQL;
  /** adds the changes to the sums and removes them (the scheduler, every pass); returns how many */
  fold: (db: Db) => Promise<number>;
};

export function keptSums(sums: SQLiteTable, changes: SQLiteTable & { id: SQLiteColumn }, facts: readonly string[]): KeptSums {
  const name = getTableName(sums);
  const cols = sql.raw(`dim, val, grain, start, ${facts.join(', ')}`);
  return {
    cells: (where) => {
      const w = where ? sql` where ${where}` : sql``;
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
