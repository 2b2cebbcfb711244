// Single-table reads and writes for the store functions on hot paths (intake, webhooks, the
// console's pages). drizzle builds the SQL of every query afresh from its builder objects, which
// costs more than running a small query; here the SQL text is built once per table from the same
// drizzle schema, the statement is prepared once per connection (openDb caches statements by
// text), and values go through the columns' own drizzle codecs both ways, so rows come back
// exactly as drizzle would return them.
import { Column, getTableColumns, getTableName, is, SQL, type InferInsertModel, type InferSelectModel } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client.ts';

type Col = { key: string; name: string; column: SQLiteColumn; decode: ((v: unknown) => unknown) | null; encode: ((v: unknown) => unknown) | null };

type Shape = {
  table: string;
  cols: Col[];
  byKey: Map<string, Col>;
  /** `"a", "b", …` — every column, in schema order (what drizzle's select() returns) */
  list: string;
  insertable: Col[];
  /** the insert of every insertable column, `returning` every column */
  insertSql: string;
  insertOnlySql: string;
};

// a pure memo of constants: one shape per table of the schema
const shapes = new WeakMap<SQLiteTable, Shape>();
const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
const identity = Column.prototype.mapFromDriverValue;
const identityTo = Column.prototype.mapToDriverValue;

function shapeOf(table: SQLiteTable): Shape {
  let s = shapes.get(table);
  if (s) return s;
  const cols: Col[] = Object.entries(getTableColumns(table)).map(([key, column]) => ({
    key,
    name: column.name,
    column,
    decode: column.mapFromDriverValue === identity ? null : column.mapFromDriverValue.bind(column),
    encode: column.mapToDriverValue === identityTo ? null : column.mapToDriverValue.bind(column),
  }));
  const list = cols.map((c) => q(c.name)).join(', ');
  // generated columns are left out, as drizzle's insert leaves them (an internal method of its columns)
  const insertable = cols.filter((c) => !(c.column as unknown as { shouldDisableInsert(): boolean }).shouldDisableInsert());
  for (const c of insertable) {
    // a default written as SQL would have to be inlined; no hot table has one (settings does)
    if (is(c.column.default, SQL)) throw new Error(`rows: ${getTableName(table)}.${c.key} has an SQL default`);
  }
  const head = `insert into ${q(getTableName(table))} (${insertable.map((c) => q(c.name)).join(', ')}) values (${insertable.map(() => '?').join(', ')})`;
  s = {
    table: q(getTableName(table)),
    cols,
    byKey: new Map(cols.map((c) => [c.key, c])),
    list,
    insertable,
    insertSql: `${head} returning ${list}`,
    insertOnlySql: head,
  };
  shapes.set(table, s);
  return s;
}

function decodeRow<T extends SQLiteTable>(s: Shape, row: unknown[]): InferSelectModel<T> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < s.cols.length; i++) {
    const c = s.cols[i];
    const v = row[i];
    out[c.key] = v === null || c.decode === null ? v : c.decode(v);
  }
  return out as InferSelectModel<T>;
}

function encode(c: Col, v: unknown): unknown {
  if (v === null) return null;
  if (typeof v === 'object' && is(v, SQL)) throw new Error(`rows: ${c.key} is an SQL expression; use drizzle for that query`);
  return c.encode === null ? v : c.encode(v);
}

/** The value drizzle would insert for a column left out (its JS default, else null). */
function defaultOf(c: Col): unknown {
  const col = c.column;
  if (col.default !== null && col.default !== undefined) return col.default;
  if (col.defaultFn !== undefined) return col.defaultFn();
  if (col.onUpdateFn !== undefined) return col.onUpdateFn();
  return null;
}

function insertParams(s: Shape, values: Record<string, unknown>): unknown[] {
  return s.insertable.map((c) => {
    const v = values[c.key];
    return encode(c, v === undefined ? defaultOf(c) : v);
  });
}

/** `?, ?, …` for an `in (…)` list of n values. */
export function placeholders(n: number): string {
  return n === 1 ? '?' : `?${', ?'.repeat(n - 1)}`;
}

/** `select <every column> from <table> <tail>`, one row (tail: where/order, with `?` params). */
export async function findRow<T extends SQLiteTable>(db: Db, table: T, tail: string, ...params: unknown[]): Promise<InferSelectModel<T> | undefined> {
  const s = shapeOf(table);
  const row = (await db.row(`select ${s.list} from ${s.table} ${tail}`, ...params)) as unknown[] | undefined;
  return row ? decodeRow<T>(s, row) : undefined;
}

/**
 * One row of two tables read together (`select a.<every column>, b.<every column> from <a> a
 * <tail>`, the tail joining `b`), each half as findRow returns it: one statement where two
 * would each be a round trip on PostgreSQL.
 */
export async function findJoinedRow<A extends SQLiteTable, B extends SQLiteTable>(
  db: Db, a: A, b: B, tail: string, ...params: unknown[]
): Promise<[InferSelectModel<A>, InferSelectModel<B>] | undefined> {
  const sa = shapeOf(a);
  const sb = shapeOf(b);
  const list = (s: Shape, alias: string) => s.cols.map((c) => `${alias}.${q(c.name)}`).join(', ');
  const row = (await db.row(`select ${list(sa, 'a')}, ${list(sb, 'b')} from ${sa.table} a ${tail}`, ...params)) as unknown[] | undefined;
  return row ? [decodeRow<A>(sa, row.slice(0, sa.cols.length)), decodeRow<B>(sb, row.slice(sa.cols.length))] : undefined;
}

/** `select <every column> from <table> <tail>`, every row. */
export async function listRows<T extends SQLiteTable>(db: Db, table: T, tail: string, ...params: unknown[]): Promise<InferSelectModel<T>[]> {
  const s = shapeOf(table);
  const rows = (await db.rows(`select ${s.list} from ${s.table} ${tail}`, ...params)) as unknown[][];
  return rows.map((r) => decodeRow<T>(s, r));
}

/** Inserts one row (defaults as drizzle fills them) and returns it as drizzle's returning() would. */
export async function insertRow<T extends SQLiteTable>(db: Db, table: T, values: InferInsertModel<T>): Promise<InferSelectModel<T>> {
  const s = shapeOf(table);
  const row = (await db.row(s.insertSql, ...insertParams(s, values as Record<string, unknown>))) as unknown[];
  return decodeRow<T>(s, row);
}

/** Inserts one row without reading it back; `conflict` is an optional `on conflict …` clause. Returns the rowid, 0 when nothing was inserted. */
export async function insertRowOnly<T extends SQLiteTable>(db: Db, table: T, values: InferInsertModel<T>, conflict = ''): Promise<number> {
  const s = shapeOf(table);
  // PostgreSQL has no last insert id: the row's id is read back (the handle takes it from the returned row)
  const returning = db.engine === 'postgres' && s.byKey.has('id') ? ' returning "id"' : '';
  const r = await db.run(`${s.insertOnlySql}${conflict ? ` ${conflict}` : ''}${returning}`, ...insertParams(s, values as Record<string, unknown>));
  return r.changes ? Number(r.lastId) : 0;
}

/** `update <table> set <patch> <tail>`; undefined values are left out, as drizzle's set() does. Returns the rows changed. */
export async function updateRows<T extends SQLiteTable>(db: Db, table: T, patch: Partial<InferSelectModel<T>>, tail: string, ...params: unknown[]): Promise<number> {
  const s = shapeOf(table);
  const sets: string[] = [];
  const values: unknown[] = [];
  for (const [key, v] of Object.entries(patch)) {
    const c = s.byKey.get(key);
    if (!c || v === undefined) continue;
    sets.push(`${q(c.name)} = ?`);
    values.push(encode(c, v));
  }
  if (sets.length === 0) return 0;
  return (await db.run(`update ${s.table} set ${sets.join(', ')} ${tail}`, ...values, ...params)).changes;
}

/** A JSON object column read by plain SQL: text on both engines (a driver that parses it gives an object); {} when not an object. */
export function parseData(v: string | Record<string, unknown> | null): Record<string, unknown> {
  if (v === null) return {};
  if (typeof v === 'object') return v;
  try {
    const parsed: unknown = JSON.parse(v);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
