// What `helpdesk migrate-to-postgres` copies, and in which order: every table of the schema, each
// after the tables it references; a reference that no order satisfies (a table that references
// itself, a cycle) is written null first and filled in by a second pass once its rows exist.
import { is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as schema from './schema.ts';

export type PlannedTable = {
  name: string;
  /** the columns written, in this order (generated columns are computed by PostgreSQL) */
  columns: string[];
  /** the primary key's columns: the second pass finds its rows by them */
  key: string[];
  /** columns written null at first and set by the second pass */
  later: string[];
};

/** Every table of the schema (src/db/schema.ts): a table added there is copied without more ado. */
export const SCHEMA_TABLES: readonly SQLiteTable[] = (Object.values(schema) as unknown[]).filter((t): t is SQLiteTable => is(t, SQLiteTable));

/**
 * The tables whose rows are copied as rows: all but the file store's (stored_files and its chunks),
 * which a SQLite desk leaves empty — its files are under DATA_DIR, and go into those tables file by
 * file (src/store/copy-files-to-postgres.ts).
 */
export const ROW_TABLES: readonly SQLiteTable[] = SCHEMA_TABLES.filter((t) => t !== schema.storedFiles && t !== schema.storedFileChunks);

type Reference = { columns: string[]; target: string; nullable: boolean };
type Table = PlannedTable & { references: Reference[] };

function describe(t: SQLiteTable): Table {
  const cfg = getTableConfig(t);
  const key = cfg.primaryKeys[0]?.columns.map((c) => c.name) ?? cfg.columns.filter((c) => c.primary).map((c) => c.name);
  const references = cfg.foreignKeys.map((fk) => {
    const ref = fk.reference();
    return { columns: ref.columns.map((c) => c.name), target: getTableConfig(ref.foreignTable).name, nullable: ref.columns.every((c) => !c.notNull) };
  });
  return { name: cfg.name, columns: cfg.columns.filter((c) => !c.generated).map((c) => c.name), key, later: [], references };
}

/** The tables in an order that satisfies their foreign keys (see the top of the file). */
export function copyPlan(tables: readonly SQLiteTable[] = SCHEMA_TABLES): PlannedTable[] {
  const left = new Map(tables.map((t) => [getTableConfig(t).name, describe(t)]));
  const order: PlannedTable[] = [];
  // a reference is waited for while its target is still to be copied, unless it is filled in later
  const waiting = (t: Table) => t.references.filter((r) => left.has(r.target) && !r.columns.every((c) => t.later.includes(c)));
  while (left.size) {
    const ready = [...left.values()].find((t) => waiting(t).length === 0);
    if (ready) {
      left.delete(ready.name);
      order.push({ name: ready.name, columns: ready.columns, key: ready.key, later: ready.later });
      continue;
    }
    // stuck: every table left waits for one of them. Fill one nullable reference in later, a table's reference to itself first.
    const candidates = [...left.values()].flatMap((t) => waiting(t).filter((r) => r.nullable).map((r) => ({ t, r })));
    const pick = candidates.find(({ t, r }) => r.target === t.name) ?? candidates[0];
    if (!pick) throw new Error(`copy plan: the tables ${[...left.keys()].join(', ')} reference each other through columns that cannot be null`);
    if (pick.t.key.length === 0) throw new Error(`copy plan: ${pick.t.name}.${pick.r.columns.join(',')} must be filled in later, but ${pick.t.name} has no primary key to find its rows by`);
    pick.t.later.push(...pick.r.columns.filter((c) => !pick.t.later.includes(c)));
  }
  return order;
}
