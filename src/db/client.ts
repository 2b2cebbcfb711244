// The database handle every store function receives: asynchronous, so that the same store runs over
// a network client, and here implemented on SQLite (better-sqlite3, embedded).
//
// One writer at a time: a transaction holds the writer connection from BEGIN to COMMIT across its
// awaits, and nothing of another request slips into it. Statements run outside the open
// transaction go elsewhere: a read to a second, read-only connection (WAL: it sees the last commit),
// a write waits until the transaction has ended. Which transaction a statement belongs to is known
// from the async context the transaction's function runs in, so store functions take the same
// handle inside and outside a transaction.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { SQL } from 'drizzle-orm';
import { drizzle, type SqliteRemoteDatabase } from 'drizzle-orm/sqlite-proxy';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import * as schema from './schema.ts';
import { foldedText, stemmedText } from '../domain/search-words.ts';

export type RunResult = { changes: number; lastId: number };

/** SQL text with `?` placeholders, or a drizzle `sql` template (its values become parameters) */
export type Query = string | SQL;

/** Raw SQL (`?` placeholders) and drizzle's query builder (`db.select()…`, awaited). */
export type Db = Omit<SqliteRemoteDatabase<typeof schema>, 'all' | 'get' | 'run' | 'values' | 'transaction' | 'batch'> & {
  /** which database the desk runs on; the few statements the engines spell differently ask (see dialect.ts) */
  readonly engine: 'sqlite' | 'postgres';
  /** every row, as objects keyed by column name */
  all<R = Record<string, unknown>>(sql: Query, ...params: unknown[]): Promise<R[]>;
  /** the first row, or undefined */
  get<R = Record<string, unknown>>(sql: Query, ...params: unknown[]): Promise<R | undefined>;
  /** the first column of every row */
  column<V = unknown>(sql: Query, ...params: unknown[]): Promise<V[]>;
  /** the first column of the first row, or undefined */
  value<V = unknown>(sql: Query, ...params: unknown[]): Promise<V | undefined>;
  /** every row as an array, in the select's column order */
  rows(sql: Query, ...params: unknown[]): Promise<unknown[][]>;
  /** the first row as an array, or undefined */
  row(sql: Query, ...params: unknown[]): Promise<unknown[] | undefined>;
  /** a statement that returns nothing; the rows it changed and the last id it inserted */
  run(sql: Query, ...params: unknown[]): Promise<RunResult>;
  /** runs fn as one unit (BEGIN IMMEDIATE … COMMIT); inside another transaction, as a savepoint of it */
  transaction<T>(fn: () => Promise<T> | T): Promise<T>;
  /** whether the caller runs inside a transaction of this handle */
  readonly inTransaction: boolean;
  /**
   * Runs fn with its reads outside a transaction answered off the event loop: on SQLite by a reader
   * thread with its own connection (a report's query of a second does not hold up every other
   * request of the process meanwhile); on PostgreSQL, whose queries never hold it, as it is.
   */
  offLoop<T>(fn: () => Promise<T>): Promise<T>;
  /** the SQLite connection that writes, for what only SQLite does (pragmas, bulk load, backups); throws on PostgreSQL */
  readonly sqlite: Database.Database;
  /** a value that changes whenever the database may have changed (see SqliteHandle.changeToken) */
  changeToken(): Promise<string>;
  /**
   * Takes the named lock if no other desk process holds it, else null: one IMAP poller per mailbox,
   * one scheduler. It is held until released or until this process loses its connection (`lost`),
   * and is free again at once when the process dies. On SQLite, where the desk runs on one machine,
   * it is always granted.
   */
  tryLock(name: string): Promise<HeldLock | null>;
  /**
   * Tells the desk's processes that something changed (`channel`: what, e.g. 'mailboxes'), once the
   * caller's transaction commits (at once outside one). On PostgreSQL every process listening
   * hears it (NOTIFY); on SQLite the listeners of this process.
   */
  notify(channel: string): Promise<void>;
  /** Calls fn on every notify(channel), until the returned function is called. */
  listen(channel: string, fn: () => void): Promise<() => Promise<void>>;
  /** closes the connections (at shutdown) */
  close(): Promise<void>;
};

export type HeldLock = {
  /** settles when the lock is gone without release() (the connection that held it broke) */
  readonly lost: Promise<void>;
  release(): Promise<void>;
};

type Tx = { open: boolean; savepoints: number; notices: Set<string> };

function connect(file: string, readonly: boolean): Database.Database {
  const sqlite = new Database(file, { readonly, fileMustExist: readonly });
  if (!readonly) {
    sqlite.pragma('journal_mode = WAL');
    // FULL: every commit is on disk before it returns, also across a power loss or an OS crash. An
    // SMTP 250, a pipe's exit 0, a mail moved out of its IMAP folder and a webhook's 200 are given
    // after the commit; with NORMAL in WAL mode the last commits could vanish after the sender had
    // already let go of the mail. It costs about 0.07 ms per commit on the test machine.
    sqlite.pragma('synchronous = FULL');
    // checkpoint every ~16 MB of WAL instead of every 4 MB: each write transaction rewrites the same
    // hot index pages (newest entries), and a larger checkpoint writes each of them once; commits of
    // mail intake got about a quarter cheaper
    sqlite.pragma('wal_autocheckpoint = 4000');
  }
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -32000'); // 32 MB page cache
  sqlite.pragma('temp_store = MEMORY');
  // lower() of every alphabet, as PostgreSQL's: SQLite's own folds only A–Z, so a search for
  // "волк" would miss "Волкова" on one engine and find it on the other
  sqlite.function('lower', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v) as string | null);
  // the stems of a text's words and the words themselves folded, as the full-text tables hold them
  // (migrations/sqlite/0024_search_stems.sql)
  sqlite.function('helpdesk_stems', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? stemmedText(v) : null));
  sqlite.function('helpdesk_words', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? foldedText(v) : null));
  cacheStatements(sqlite);
  return sqlite;
}

/** What a read returns: every row or the first, as objects, arrays (raw) or first columns (pluck). */
type Shape = { first: boolean; raw: boolean; pluck: boolean };

// The reader thread's code: a read-only connection to the file, answering one statement at a time.
// It knows lower() as the desk's connections do (connect, above); a statement that calls a function
// it lacks fails there and is run on the event loop instead.
const READER_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('cache_size = -32000');
db.pragma('temp_store = MEMORY');
db.function('lower', { deterministic: true }, (v) => (typeof v === 'string' ? v.toLowerCase() : v));
const statements = new Map();
parentPort.on('message', ({ id, sql, params, shape }) => {
  try {
    let s = statements.get(sql);
    if (!s) {
      s = db.prepare(sql);
      if (statements.size >= 200) statements.delete(statements.keys().next().value);
      statements.set(sql, s);
    }
    s.raw(shape.raw);
    if (!shape.raw) s.pluck(shape.pluck);
    parentPort.postMessage({ id, result: shape.first ? s.get(...params) : s.all(...params) });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.message) });
  }
});
`;

/** A thread with its own read-only connection to the database file; started at the first read sent to it. */
class ReaderThread {
  private worker: Worker | null = null;
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly file: string) {}

  private start(): Worker {
    const worker = new Worker(READER_THREAD, { eval: true, workerData: { file: this.file, driver: createRequire(import.meta.url).resolve('better-sqlite3') } });
    worker.on('message', ({ id, result, error }: { id: number; result?: unknown; error?: string }) => {
      const w = this.waiting.get(id);
      this.waiting.delete(id);
      if (this.waiting.size === 0) worker.unref();
      if (error !== undefined) w?.reject(new Error(error));
      else w?.resolve(result);
    });
    // a thread that died fails what it was asked; the next read starts another
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the reader thread stopped (${code})`)));
    return worker;
  }

  read(sql: string, params: unknown[], shape: Shape): Promise<unknown> {
    this.worker ??= this.start();
    // referenced while it owes an answer, so the process waits for it, and not otherwise
    if (this.waiting.size === 0) this.worker.ref();
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker!.postMessage({ id, sql, params, shape });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
  }
}

const ROWS: Shape = { first: false, raw: false, pluck: false };
const COLUMN: Shape = { first: false, raw: false, pluck: true };
const ARRAYS: Shape = { first: false, raw: true, pluck: false };

class SqliteHandle {
  readonly engine = 'sqlite' as const;
  private readonly context = new AsyncLocalStorage<Tx>();
  /** set inside offLoop: reads go to the reader thread */
  private readonly offloaded = new AsyncLocalStorage<true>();
  /** the transaction holding the writer, if any */
  private current: Tx | null = null;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    readonly sqlite: Database.Database,
    /** null for an in-memory database (nothing else can open it): reads then wait like writes */
    private readonly reader: Database.Database | null,
    /** drizzle's `sql` template as text; its values are appended to params */
    private readonly render: (query: SQL, params: unknown[]) => string,
    /** null for an in-memory database: offLoop's reads run here */
    private readonly thread: ReaderThread | null,
  ) {}

  offLoop<T>(fn: () => Promise<T>): Promise<T> {
    return this.thread ? this.offloaded.run(true, fn) : fn();
  }

  get inTransaction(): boolean {
    return this.mine();
  }

  private mine(): boolean {
    const tx = this.context.getStore();
    return !!tx && tx.open && tx === this.current;
  }

  /** waits for the writer; the returned function hands it on */
  private acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const prev = this.tail;
    this.tail = prev.then(() => next);
    return prev.then(() => release);
  }

  /**
   * runs f on the connection this statement belongs on (see the top of the file); a read of the
   * given shape inside offLoop and outside a transaction of its own goes to the reader thread
   */
  private use<T>(query: Query, params: unknown[], f: (s: Database.Statement) => T, shape?: Shape): T | Promise<T> {
    const sql = typeof query === 'string' ? query : this.render(query, params);
    if (shape && this.thread && this.offloaded.getStore() && !this.mine()) {
      const s = this.reader!.prepare(sql);
      if (s.reader && s.readonly) {
        return (this.thread.read(sql, params, shape) as Promise<T>).catch((err: Error) => {
          if (!/no such function/.test(err.message)) throw err;
          return this.offloaded.exit(() => this.use(sql, params, f));
        });
      }
    }
    if (!this.current || this.mine()) return f(this.sqlite.prepare(sql));
    if (this.reader) {
      const s = this.reader.prepare(sql);
      if (s.readonly) return f(s);
    }
    return this.acquire().then((release) => {
      try {
        return f(this.sqlite.prepare(sql));
      } finally {
        release();
      }
    });
  }

  async all<R>(sql: Query, ...params: unknown[]): Promise<R[]> {
    return this.use(sql, params, (s) => s.all(...params) as R[], ROWS);
  }

  async get<R>(sql: Query, ...params: unknown[]): Promise<R | undefined> {
    return this.use(sql, params, (s) => s.get(...params) as R | undefined, { ...ROWS, first: true });
  }

  async column<V>(sql: Query, ...params: unknown[]): Promise<V[]> {
    return this.use(sql, params, (s) => s.pluck().all(...params) as V[], COLUMN);
  }

  async value<V>(sql: Query, ...params: unknown[]): Promise<V | undefined> {
    return this.use(sql, params, (s) => s.pluck().get(...params) as V | undefined, { ...COLUMN, first: true });
  }

  async rows(sql: Query, ...params: unknown[]): Promise<unknown[][]> {
    return this.use(sql, params, (s) => s.raw(true).all(...params) as unknown[][], ARRAYS);
  }

  async row(sql: Query, ...params: unknown[]): Promise<unknown[] | undefined> {
    return this.use(sql, params, (s) => s.raw(true).get(...params) as unknown[] | undefined, { ...ARRAYS, first: true });
  }

  async run(sql: Query, ...params: unknown[]): Promise<RunResult> {
    return this.use(sql, params, (s) => {
      const r = s.run(...params);
      return { changes: r.changes, lastId: Number(r.lastInsertRowid) };
    });
  }

  /** drizzle's query builder runs its statements here */
  async remote(sql: string, params: unknown[], method: 'run' | 'all' | 'values' | 'get'): Promise<{ rows: unknown[] }> {
    const read = method === 'run' ? undefined : { ...ARRAYS, first: method === 'get' };
    const rows = this.use(sql, params, (s) => {
      if (method === 'run' || !s.reader) {
        const r = s.run(...params);
        return { rows: [], changes: r.changes, lastInsertRowid: r.lastInsertRowid } as { rows: unknown[] };
      }
      if (method === 'get') return { rows: s.raw(true).get(...params) as unknown[] };
      return { rows: s.raw(true).all(...params) as unknown[] };
    }, read);
    // from the reader thread come the rows themselves
    return Promise.resolve(rows).then((r) => (Array.isArray(r) || r === undefined ? { rows: r as unknown[] } : r));
  }

  async transaction<T>(fn: () => Promise<T> | T): Promise<T> {
    const outer = this.context.getStore();
    if (outer && outer.open && outer === this.current) return this.savepoint(outer, fn);
    const release = await this.acquire();
    const tx: Tx = { open: true, savepoints: 0, notices: new Set() };
    this.current = tx;
    try {
      this.sqlite.prepare('begin immediate').run();
      const result = await this.context.run(tx, fn);
      this.sqlite.prepare('commit').run();
      for (const channel of tx.notices) this.emit(channel);
      return result;
    } finally {
      if (this.sqlite.inTransaction) this.sqlite.prepare('rollback').run();
      tx.open = false;
      this.current = null;
      release();
    }
  }

  private async savepoint<T>(tx: Tx, fn: () => Promise<T> | T): Promise<T> {
    const name = `sp${++tx.savepoints}`;
    this.sqlite.prepare(`savepoint ${name}`).run();
    try {
      const result = await fn();
      this.sqlite.prepare(`release ${name}`).run();
      return result;
    } catch (err) {
      this.sqlite.prepare(`rollback to ${name}`).run();
      this.sqlite.prepare(`release ${name}`).run();
      throw err;
    }
  }

  /**
   * A value that changes whenever the database may have changed: commits by other connections
   * (`PRAGMA data_version`) and rows written by this one (`total_changes()`). While another
   * request's transaction is open its uncommitted rows count in `total_changes()`, so the token is
   * then one that never repeats: nothing derived from the data is kept meanwhile.
   */
  async changeToken(): Promise<string> {
    if (this.current && !this.mine()) return `busy:${Math.random()}`;
    const version = this.sqlite.pragma('data_version', { simple: true }) as number;
    const own = this.sqlite.prepare('select total_changes()').pluck().get() as number;
    return `${version}:${own}`;
  }

  private readonly listeners = new Map<string, Set<() => void>>();

  private emit(channel: string): void {
    for (const fn of this.listeners.get(channel) ?? []) fn();
  }

  async notify(channel: string): Promise<void> {
    const tx = this.context.getStore();
    if (tx && tx.open && tx === this.current) tx.notices.add(channel);
    else this.emit(channel);
  }

  async listen(channel: string, fn: () => void): Promise<() => Promise<void>> {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    const own = () => fn();
    set.add(own);
    return async () => void set.delete(own);
  }

  async tryLock(): Promise<HeldLock> {
    return { lost: new Promise<void>(() => undefined), release: async () => undefined };
  }

  async close(): Promise<void> {
    void this.thread?.close();
    this.reader?.close();
    this.sqlite.close();
  }
}

export function openDb(file: string): Db {
  const memory = file === ':memory:';
  if (!memory) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const writer = connect(file, false);
  const render = (query: SQL, params: unknown[]) => {
    const q = dialect.sqlToQuery(query);
    params.push(...q.params);
    return q.sql;
  };
  const handle = new SqliteHandle(writer, memory ? null : connect(file, true), render, memory ? null : new ReaderThread(file));
  const orm = drizzle((sql, params, method) => handle.remote(sql, params, method), { schema });
  const dialect = (orm as unknown as { dialect: { sqlToQuery(q: SQL): { sql: string; params: unknown[] } } }).dialect;
  // the handle answers for its own methods and hands drizzle's query builder on to drizzle
  return new Proxy(handle, {
    get(target, key) {
      if (key in target) {
        const v = Reflect.get(target, key, target);
        return typeof v === 'function' ? v.bind(target) : v;
      }
      const v = Reflect.get(orm, key, orm);
      return typeof v === 'function' ? v.bind(orm) : v;
    },
  }) as unknown as Db;
}

/** Closes the database (at shutdown: on SQLite the WAL is checkpointed and the file left whole; the connections are closed before the first await). */
export function closeDb(db: Db): Promise<void> {
  return db.close();
}

/** Runs fn as one unit of work (see Db.transaction). */
export function inTransaction<T>(db: Db, fn: () => Promise<T> | T): Promise<T> {
  return db.transaction(fn);
}

/**
 * drizzle prepares a new statement for every query it runs; compiling SQL is most of the cost of
 * a small query. Statements are cached by their SQL text (parameters are bound separately, so one
 * query shape is one statement). A statement switched to raw or pluck mode for one query is
 * switched back before it is handed out again.
 */
function cacheStatements(sqlite: Database.Database, max = 500): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    const hit = cache.get(source);
    if (hit) return hit.reader ? hit.pluck(false).raw(false) : hit;
    const stmt = prepare(source);
    if (cache.size >= max) cache.delete(cache.keys().next().value!);
    cache.set(source, stmt);
    return stmt;
  }) as typeof sqlite.prepare;
}

/** See SqliteHandle.changeToken. */
export function changeToken(db: Db): Promise<string> {
  return db.changeToken();
}

/** The rows a drizzle `run()` changed (its result type does not say). */
export function changed(result: unknown): number {
  return (result as { changes?: number }).changes ?? 0;
}

/** Whether err (or what it wraps: drizzle names the failed query around the driver's error) is a unique violation of table.column. */
export function isUniqueViolation(err: unknown, table: string, column: string): boolean {
  for (let e = err; e instanceof Error; e = e.cause) {
    // SQLite names table.column in the message
    if (e.message.includes(`UNIQUE constraint failed: ${table}.${column}`)) return true;
    // PostgreSQL: SQLSTATE 23505, with the table and "Key (column)=(value) already exists."
    const pg = e as Error & { code?: string; table?: string; detail?: string };
    if (pg.code === '23505' && pg.table === table && pg.detail?.startsWith(`Key (${column})=`)) return true;
  }
  return false;
}
