// The few things SQLite and PostgreSQL spell differently, for the store's SQL written once.
//
// Most of the store's SQL reads the same on both engines: values are kept the same way on both
// (times and integers as bigint, flags as 0/1, JSON as text), `?` placeholders and conflict
// targets are translated by the PostgreSQL handle, and common functions (coalesce, lower, min,
// max, count, sum) exist on both. What remains is here: reading inside a JSON column, joining texts.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from './client.ts';

type Expr = SQL | SQL.Aliased | Parameters<typeof sql>[1];

/** The keys of a JSON path, checked: they are written into the SQL text. */
function keys(path: readonly string[]): string[] {
  for (const k of path) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`dialect: not a JSON key: ${k}`);
  return [...path];
}

/** The number at path inside a JSON text column (null when absent or not a number). */
export function jsonNumber(db: Pick<Db, 'engine'>, column: Expr, path: readonly string[]): SQL {
  const k = keys(path);
  if (db.engine === 'postgres') {
    // jsonb_typeof guards the cast: a string at that path reads as null, as json_extract would compare it unequal
    const at = sql.raw(`'{${k.join(',')}}'`);
    return sql`(case when jsonb_typeof(${column}::jsonb #> ${at}) = 'number' then (${column}::jsonb #>> ${at})::numeric end)`;
  }
  // json_extract gives a string at that path as text, which no number equals
  return sql`json_extract(${column}, ${sql.raw(`'$.${k.join('.')}'`)})`;
}

/** Whether the value at path inside a JSON text column is `true`. */
export function jsonIsTrue(db: Pick<Db, 'engine'>, column: Expr, path: readonly string[]): SQL {
  const k = keys(path);
  if (db.engine === 'postgres') return sql`coalesce((${column}::jsonb #> ${sql.raw(`'{${k.join(',')}}'`)}) = 'true'::jsonb, false)`;
  return sql`json_extract(${column}, ${sql.raw(`'$.${k.join('.')}'`)}) = 1`;
}

/** The texts of a group's rows joined into one, separated by `sep` (in no particular order). */
export function joinedText(db: Pick<Db, 'engine'>, text: Expr, sep: string): SQL {
  return db.engine === 'postgres' ? sql`string_agg(${text}, ${sep})` : sql`group_concat(${text}, ${sep})`;
}
