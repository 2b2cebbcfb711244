// `helpdesk migrate-to-postgres`: copies a SQLite desk into an empty PostgreSQL database that has the
// desk's migrations — every table of the schema (copy-plan.ts), with its ids and values as they are.
// (The files under DATA_DIR go first, in batches of their own: src/store/copy-files-to-postgres.ts.)
//
// The rows are copied in one PostgreSQL transaction. A copy that fails, or is stopped, leaves the
// tables as they were: without rows; the same command can simply run again. (A transaction per batch
// would leave part of a desk, which a desk started on it by mistake would take for the whole; the
// files can go in batches, as a file is either there whole or not at all.) A long transaction costs
// PostgreSQL nothing here: the foreign keys are checked at the end of each statement, not kept for
// the commit.
//
// SQLite is read in one read transaction (one snapshot), each table in rowid order, a page at a time
// (a keyset cursor: memory stays flat however many rows there are), while PostgreSQL inserts the
// page before it. A page goes in as one multi-row INSERT within PostgreSQL's 65,535 parameters.
// The secondary B-tree indexes are built after the rows; then every identity sequence is set past
// the copied ids and each table's row count is checked against SQLite's, before the commit.
import type Database from 'better-sqlite3';
import type pg from 'pg';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from './client.ts';
import { copyPlan, ROW_TABLES, type PlannedTable } from './copy-plan.ts';
import type { PostgresDb } from './postgres.ts';

/** PostgreSQL's limit on the parameters of one statement */
const MAX_PARAMS = 65_535;
/** text per INSERT at most (a few long mails need not make one statement of hundreds of MB) */
const MAX_BATCH_CHARS = 8_000_000;
/** below every rowid (-2^63 itself is not a rowid SQLite hands out) */
const MIN_ROWID = -(2n ** 63n);

/** The copy was not made, for a reason the message explains with what to do; nothing was written. */
export class CopyRefused extends Error {}

export type TableCopied = { table: string; rows: number; seconds: number };

export type CopyResult = {
  tables: TableCopied[];
  rows: number;
  /** from the first row read to the commit */
  seconds: number;
  /** of seconds, building the secondary indexes after the rows */
  indexSeconds: number;
  /** ANALYZE after the commit */
  analyzeSeconds: number;
  /** why ANALYZE failed (the copy is committed all the same; PostgreSQL's autovacuum analyzes later) */
  analyzeError?: string;
  /** text values with NUL characters, which PostgreSQL's text cannot hold: written with U+FFFD instead, as the desk does */
  nulValues: number;
};

export type CopyOptions = {
  source: Db;
  target: PostgresDb;
  /** the tables to copy; default: every table of the schema but the file store's (ROW_TABLES) */
  tables?: readonly SQLiteTable[];
  /**
   * SQLite's data_version read (on the source's connection, outside a transaction) when the caller
   * began its part of the copy (the files): a desk that wrote since then is found out as well.
   */
  sourceVersion?: unknown;
  /** rows copied so far, of all the tables' rows (for a progress bar), after every page */
  onRows?: (done: number, total: number) => void;
  /** rows per INSERT at most (fewer when the columns would pass PostgreSQL's parameter limit) */
  batchRows?: number;
  /** progress lines for a person watching */
  progress?: (line: string) => void;
};

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;
const elapsed = (since: number) => (performance.now() - since) / 1000;

/** One copy under way: its two connections and what it counts. */
type Run = {
  lite: Database.Database;
  client: pg.PoolClient;
  batchRows: number;
  progress: (line: string) => void;
  /** INSERT statements by table and rows */
  statements: Map<string, string>;
  nulValues: number;
  onRows: (done: number, total: number) => void;
  /** rows copied so far, and of all the tables */
  done: number;
  total: number;
};

/** The triggers that add a copied row to sums the copy brings as rows of their own: off while it copies. */
const COUNTING_TRIGGERS = [
  ['tickets', 'tickets_status_counts_ai'], ['tickets', 'tickets_closed_sums_ai'], ['tickets', 'tickets_day_counts_ai'], ['worklogs', 'worklogs_time_sums_ai'],
] as const;

/** Copies the source desk into the target (see the top of the file). The target must have its migrations and no rows. */
export async function copyToPostgres(opts: CopyOptions): Promise<CopyResult> {
  if (opts.source.engine !== 'sqlite') throw new CopyRefused('The source of the copy must be a SQLite database.');
  const plan = copyPlan(opts.tables ?? ROW_TABLES);
  const client = await opts.target.pool.connect();
  const run: Run = {
    lite: opts.source.sqlite, client, batchRows: opts.batchRows ?? 1000, progress: opts.progress ?? (() => undefined), statements: new Map(), nulValues: 0,
    onRows: opts.onRows ?? (() => undefined), done: 0, total: 0,
  };
  const names = plan.map((t) => q(t.name)).join(', ');
  let broken = false;
  const started = performance.now();
  try {
    await client.query('begin');
    // no desk process started on the target by mistake reads or writes half a copy
    await client.query(`lock table ${names} in access exclusive mode`);
    await refuseRowsIn(client, plan);
    // the status counts, the closed tickets' sums, the day counts and the minutes logged are copied as rows: the
    // triggers that count a new ticket or sum a new worklog would count each twice
    const counting = COUNTING_TRIGGERS.filter(([table]) => plan.some((t) => t.name === table));
    for (const [table, trigger] of counting) await client.query(`alter table ${table} disable trigger ${trigger}`);
    const indexes = await setIndexesAside(client, plan);
    const copied = await inOneSnapshot(run.lite, () => copyTables(run, plan), opts.sourceVersion);
    run.progress(`building ${indexes.length} indexes`);
    const indexing = performance.now();
    for (const def of indexes) await client.query(def);
    const indexSeconds = elapsed(indexing);
    await continueIdentities(client, plan);
    for (const [table, trigger] of counting) await client.query(`alter table ${table} enable trigger ${trigger}`);
    await client.query('commit');
    const seconds = elapsed(started);
    return { tables: copied, rows: copied.reduce((n, t) => n + t.rows, 0), seconds, indexSeconds, ...(await analyze(run, names)), nulValues: run.nulValues };
  } catch (err) {
    await client.query('rollback').catch(() => (broken = true));
    throw err;
  } finally {
    client.release(broken);
  }
}

/**
 * Drops the tables' secondary B-tree indexes, for their definitions: built once over all rows, each
 * costs less than kept up row by row. Indexes that back a constraint (primary keys) stay, the
 * foreign keys need them; so do the GIN indexes of the search words, which gather new rows in a
 * pending list anyway and took longer to build again than to keep (500,000 messages: 13 s against
 * 3 s more inserting). Dropped in the copy's transaction: a copy that fails leaves them as they were.
 */
async function setIndexesAside(client: pg.PoolClient, plan: PlannedTable[]): Promise<string[]> {
  const found = (
    await client.query<{ name: string; def: string }>(
      `select i.relname as name, pg_get_indexdef(x.indexrelid) as def
         from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid join pg_am am on am.oid = i.relam
        where t.relnamespace = current_schema()::regnamespace and t.relname = any($1) and am.amname = 'btree'
          and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)
        order by i.relname`,
      [plan.map((t) => t.name)],
    )
  ).rows;
  for (const i of found) await client.query(`drop index ${q(i.name)}`);
  return found.map((i) => i.def);
}

/** The planner's statistics of the new rows, at once rather than when autovacuum comes by. */
async function analyze(run: Run, names: string): Promise<{ analyzeSeconds: number; analyzeError?: string }> {
  const started = performance.now();
  run.progress('updating the statistics (ANALYZE)');
  try {
    await run.client.query(`analyze ${names}`);
    return { analyzeSeconds: elapsed(started) };
  } catch (err) {
    return { analyzeSeconds: elapsed(started), analyzeError: (err as Error).message };
  }
}

/**
 * Runs read inside one read transaction of the source: every table from the same snapshot. Refuses
 * the result when another connection committed to the source meanwhile (a desk still running),
 * which the snapshot does not show and the copy would miss.
 */
async function inOneSnapshot<T>(lite: Database.Database, read: () => Promise<T>, since?: unknown): Promise<T> {
  lite.prepare('begin').run();
  let version: unknown;
  let result: T;
  try {
    lite.prepare('select count(*) from sqlite_master').get(); // the snapshot starts with the first read
    version = since ?? lite.pragma('data_version', { simple: true });
    result = await read();
  } finally {
    if (lite.inTransaction) lite.prepare('rollback').run();
  }
  // data_version moves only outside a read transaction: asked after it
  if (lite.pragma('data_version', { simple: true }) !== version) {
    throw new CopyRefused('The SQLite database changed while it was copied: the desk is still running. Stop it (every process of it) and run the command again.');
  }
  return result;
}

/** Refuses a target that has rows in any of the tables: a copy is made into an empty database only. */
async function refuseRowsIn(client: pg.PoolClient | pg.Pool, plan: PlannedTable[]): Promise<void> {
  const full = await tablesWithRows(client, plan);
  if (full.length) throw notEmpty(full);
}

async function tablesWithRows(client: pg.PoolClient | pg.Pool, plan: PlannedTable[]): Promise<string[]> {
  const probe = plan.map((t) => `select ${literal(t.name)} as t where exists (select 1 from ${q(t.name)})`).join(' union all ');
  return (await client.query<{ t: string }>(probe)).rows.map((r) => r.t);
}

/**
 * What the target holds of the desk's rows: none (the copy goes ahead), or a finished copy of this
 * desk — every table with as many rows as in SQLite, as a run stopped after its commit leaves it —
 * or else rows of something else, which the copy refuses (CopyRefused).
 */
export async function targetRows(opts: { source: Db; target: PostgresDb; tables?: readonly SQLiteTable[] }): Promise<'empty' | 'copied'> {
  const plan = copyPlan(opts.tables ?? ROW_TABLES);
  const full = await tablesWithRows(opts.target.pool, plan);
  if (full.length === 0) return 'empty';
  const lite = opts.source.sqlite;
  for (const t of plan) {
    const there = Number((await opts.target.pool.query<{ n: string }>(`select count(*) as n from ${q(t.name)}`)).rows[0].n);
    if (there !== Number(lite.prepare(`select count(*) from ${q(t.name)}`).pluck().get())) throw notEmpty(full);
  }
  return 'copied';
}

function notEmpty(full: string[]): CopyRefused {
  return new CopyRefused(
    `The target database is not empty: ${named(full)} already ${full.length === 1 ? 'has rows' : 'have rows'}. ` +
      'The copy goes into an empty database only, so that nothing is mixed or overwritten: create a new database ' +
      '(createdb --owner desk desk), or drop and recreate this one, and run the command again.',
  );
}

/** A few names, and how many more. */
function named(names: string[]): string {
  return names.length > 6 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more tables` : names.join(', ');
}

async function copyTables(run: Run, plan: PlannedTable[]): Promise<TableCopied[]> {
  const { lite, client } = run;
  refuseBrokenReferences(lite, plan);
  const counts = new Map(plan.map((t) => [t.name, Number(lite.prepare(`select count(*) from ${q(t.name)}`).pluck().get())]));
  run.total = [...counts.values()].reduce((n, c) => n + c, 0);
  run.onRows(0, run.total);
  const copied: TableCopied[] = [];
  for (const t of plan) {
    const started = performance.now();
    const rows = await copyTable(run, t);
    copied.push({ table: t.name, rows, seconds: elapsed(started) });
  }
  for (const t of plan.filter((p) => p.later.length)) {
    const started = performance.now();
    await fillInLater(run, t);
    copied.find((c) => c.table === t.name)!.seconds += elapsed(started);
  }
  for (const t of plan) {
    const there = Number((await client.query<{ n: string }>(`select count(*) as n from ${q(t.name)}`)).rows[0].n);
    const expected = counts.get(t.name)!;
    const rows = copied.find((c) => c.table === t.name)!.rows;
    if (there !== expected || rows !== expected) throw new Error(`copy: ${t.name} has ${expected} rows in SQLite, ${rows} were copied and PostgreSQL counts ${there}`);
  }
  return copied;
}

/**
 * Rows whose reference points at no row (SQLite let them in while its foreign keys were off, in an
 * old migration): PostgreSQL would refuse them in the middle of the copy. Told before anything is copied.
 */
function refuseBrokenReferences(lite: Database.Database, plan: PlannedTable[]): void {
  const broken: string[] = [];
  for (const t of plan) {
    const rows = lite.prepare(`pragma foreign_key_check(${q(t.name)})`).all() as { rowid: number | null; parent: string }[];
    const byParent = new Map<string, (number | null)[]>();
    for (const r of rows) byParent.set(r.parent, [...(byParent.get(r.parent) ?? []), r.rowid]);
    for (const [parent, ids] of byParent) broken.push(`${ids.length} in ${t.name} (rowid ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}) refer to ${parent} rows that do not exist`);
  }
  if (broken.length === 0) return;
  throw new CopyRefused(
    `The SQLite database has rows that refer to rows that do not exist, which PostgreSQL would refuse:\n  ${broken.join('\n  ')}\n` +
      'Delete or correct them in the SQLite database (with the desk stopped), then run the command again.',
  );
}

/** The rows of one table, in rowid order a page at a time; PostgreSQL inserts a page while the next is read. */
async function copyTable(run: Run, t: PlannedTable): Promise<number> {
  const { lite } = run;
  const pageRows = Math.max(1, Math.min(run.batchRows, Math.floor(MAX_PARAMS / t.columns.length)));
  const columns = t.columns.map(q).join(', ');
  const read = lite.prepare(`select rowid, ${columns} from ${q(t.name)} where rowid > ? order by rowid limit ?`).raw(true).safeIntegers(true);
  const later = t.columns.map((c) => t.later.includes(c));
  let after = MIN_ROWID;
  let copied = 0;
  let inserting: Promise<unknown> = Promise.resolve();
  for (;;) {
    const page = read.all(after, pageRows) as unknown[][];
    if (page.length === 0) break;
    after = page[page.length - 1][0] as bigint;
    for (const batch of byText(page)) {
      const values = batch.flatMap((row) => row.slice(1).map((v, i) => (later[i] ? null : storable(run, v))));
      await inserting;
      inserting = insert(run, t, batch.length, pageRows, values);
      inserting.catch(() => undefined); // awaited before the next batch or at the end
    }
    copied += page.length;
    run.done += page.length;
    run.onRows(run.done, run.total);
  }
  await inserting;
  return copied;
}

/** A page split where its text grows past MAX_BATCH_CHARS (long mail bodies). */
function* byText(page: unknown[][]): Generator<unknown[][]> {
  let start = 0;
  let chars = 0;
  for (let i = 0; i < page.length; i++) {
    const size = page[i].reduce<number>((n, v) => n + (typeof v === 'string' ? v.length : 8), 0);
    if (i > start && chars + size > MAX_BATCH_CHARS) {
      yield page.slice(start, i);
      start = i;
      chars = 0;
    }
    chars += size;
  }
  if (start < page.length) yield start === 0 ? page : page.slice(start);
}

/** A SQLite value as PostgreSQL takes it: integers exact (bigint), text without NUL (as the desk's handle writes it). */
function storable(run: Run, v: unknown, count = true): unknown {
  if (typeof v === 'string' && v.includes('\0')) {
    if (count) run.nulValues++;
    return v.replaceAll('\0', '\uFFFD');
  }
  return v;
}

function insert(run: Run, t: PlannedTable, rows: number, fullRows: number, values: unknown[]): Promise<unknown> {
  const id = `${t.name}:${rows}`;
  let text = run.statements.get(id);
  if (!text) {
    const n = t.columns.length;
    const tuples = Array.from({ length: rows }, (_, r) => `(${t.columns.map((_c, i) => `$${r * n + i + 1}`).join(',')})`);
    text = `insert into ${q(t.name)} (${t.columns.map(q).join(', ')}) values ${tuples.join(',')}`;
    run.statements.set(id, text);
  }
  // a full page's statement is prepared once on the connection and run again for every page
  return run.client.query(rows === fullRows ? { name: `copy_${t.name}_${rows}`, text, values } : { text, values });
}

/** The second pass: the columns written null at first (references to rows that came later). */
async function fillInLater(run: Run, t: PlannedTable): Promise<void> {
  const { lite, client } = run;
  const cols = [...t.key, ...t.later];
  const types = new Map(
    (await client.query<{ c: string; type: string }>('select column_name as c, data_type as type from information_schema.columns where table_schema = current_schema() and table_name = $1', [t.name]))
      .rows.map((r) => [r.c, r.type]),
  );
  const pageRows = Math.max(1, Math.min(run.batchRows, Math.floor(MAX_PARAMS / cols.length)));
  const anySet = t.later.map((c) => `${q(c)} is not null`).join(' or ');
  const read = lite.prepare(`select rowid, ${cols.map(q).join(', ')} from ${q(t.name)} where rowid > ? and (${anySet}) order by rowid limit ?`).raw(true).safeIntegers(true);
  let after = MIN_ROWID;
  for (;;) {
    const page = read.all(after, pageRows) as unknown[][];
    if (page.length === 0) break;
    after = page[page.length - 1][0] as bigint;
    const tuples = page.map((_row, r) => `(${cols.map((c, i) => `$${r * cols.length + i + 1}::${types.get(c)}`).join(',')})`);
    const sets = t.later.map((c) => `${q(c)} = v.${q(c)}`).join(', ');
    const match = t.key.map((c) => `${q(t.name)}.${q(c)} = v.${q(c)}`).join(' and ');
    await client.query(
      `update ${q(t.name)} set ${sets} from (values ${tuples.join(',')}) as v(${cols.map(q).join(', ')}) where ${match}`,
      page.flatMap((row) => row.slice(1).map((v) => storable(run, v, false))), // counted in the first pass
    );
  }
}

/** Every identity column's sequence set to the largest copied id, so the next row gets the one after. */
async function continueIdentities(client: pg.PoolClient, plan: PlannedTable[]): Promise<void> {
  const identities = (
    await client.query<{ t: string; c: string }>(
      "select table_name as t, column_name as c from information_schema.columns where table_schema = current_schema() and is_identity = 'YES'",
    )
  ).rows.filter((r) => plan.some((p) => p.name === r.t));
  for (const { t, c } of identities) {
    await client.query(`select setval(pg_get_serial_sequence($1, $2), m) from (select max(${q(c)}) as m from ${q(t)}) x where m is not null`, [q(t), c]);
  }
}

/** The per-table summary the command prints. */
export function formatCopyResult(r: CopyResult): string {
  const width = Math.max(5, ...r.tables.map((t) => t.table.length));
  const line = (name: string, rows: number, seconds: number) => `  ${name.padEnd(width)}  ${rows.toLocaleString('en').padStart(12)}  ${seconds.toFixed(2).padStart(8)} s`;
  const rate = r.seconds > 0 ? Math.round(r.rows / r.seconds) : r.rows;
  return [
    `  ${'table'.padEnd(width)}  ${'rows'.padStart(12)}  ${'time'.padStart(10)}`,
    ...r.tables.map((t) => line(t.table, t.rows, t.seconds)),
    `${line('total', r.rows, r.seconds)}  (${rate.toLocaleString('en')} rows/s, of which ${r.indexSeconds.toFixed(2)} s building the indexes)`,
    r.analyzeError
      ? `  the copy is complete, but ANALYZE failed (${r.analyzeError}): run "analyze" in psql, or leave it to autovacuum`
      : `  statistics updated (ANALYZE) in ${r.analyzeSeconds.toFixed(2)} s`,
    ...(r.nulValues ? [`  ${r.nulValues} text values held NUL characters, which PostgreSQL's text cannot: written with U+FFFD instead, as the desk does on PostgreSQL`] : []),
  ].join('\n');
}
