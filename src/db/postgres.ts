// The database handle on PostgreSQL (`pg`): the same methods as on SQLite (src/db/client.ts), so
// one store serves both engines.
//
// A transaction runs on a connection of its own from BEGIN to COMMIT, at SERIALIZABLE isolation: a
// read-modify-write (the next ticket number, a counter) behaves as under SQLite's single writer.
// When PostgreSQL refuses a commit for a serialization failure or a deadlock, the whole
// transaction function runs again (up to 20 times, after random pauses that grow). Statements belong to
// the transaction whose async context they run in, as on SQLite; everything else runs on the pool.
//
// The store's SQL is written once, in the dialect both engines share; `toPostgres` turns the few
// SQLite spellings drizzle and the store use into PostgreSQL's (`?` placeholders, qualified
// conflict targets, camelCase aliases).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SQL } from 'drizzle-orm';
import { drizzle as pgDrizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { drizzle } from 'drizzle-orm/sqlite-proxy';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Db, HeldLock } from './client.ts';
import * as schema from './schema.ts';

export const POSTGRES_MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/postgres', import.meta.url));

type Query = string | SQL;
type RunResult = { changes: number; lastId: number };
type Tx = { client: pg.PoolClient; open: boolean; savepoints: number };

const LOCK_TIMEOUT_MS = 5000;
/** the first key of the desk's named advisory locks (the second is the name's hash) */
const LOCK_SPACE = 0x6864; // "hd"
const LOCK_KEEPALIVE_S = 5;
const LOCK_CHECK_MS = 5000;

/** SQLSTATEs after which a transaction may simply run again. */
const RETRYABLE = new Set(['40001', '40P01']);

/**
 * The store's SQL as PostgreSQL reads it: `?` → `$1…`, `on conflict ("t"."c")` → `on conflict ("c")`,
 * and `as camelCase` quoted (PostgreSQL folds unquoted names to lower case). Quoted strings and
 * identifiers are left as they are.
 */
export function toPostgres(sql: string): string {
  let out = '';
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const end = closing(sql, i, c);
      out += sql.slice(i, end);
      i = end - 1;
    } else if (c === '?') {
      out += `$${++n}`;
    } else {
      out += c;
    }
  }
  return out
    .replace(/on conflict \(([^)]*)\)/gi, (_m, cols: string) => `on conflict (${cols.replace(/"[^"]+"\./g, '')})`)
    .replace(/\bas ([a-z]+[A-Z]\w*)\b/g, 'as "$1"');
}

// the desk runs the same few hundred statements again and again: each is translated, and whether
// it runs prepared decided, once
type Translated = { text: string; name: string | undefined };
const TRANSLATED = new Map<string, Translated>();
function translated(sql: string): Translated {
  let t = TRANSLATED.get(sql);
  if (t === undefined) {
    const text = toPostgres(sql);
    t = { text, name: statementName(text) };
    if (TRANSLATED.size >= 2000) TRANSLATED.clear();
    TRANSLATED.set(sql, t);
  }
  return t;
}

function closing(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return i;
}

// int8 (counts, ids, times in ms) and numeric (sums, averages) as numbers: every value the desk
// keeps fits in a double
const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
} as unknown as pg.CustomTypesConfig;

/**
 * Statements run as prepared statements, parsed and planned once per connection: on a page of
 * two dozen small reads planning costs more than running them (the ticket page: 0.7 ms of 1.2).
 * Kept from it: a statement that picks the first rows in an order (`limit`) or searches words
 * (`@@`), whose best plan depends on the values (a common status walks the sort index, a rare one
 * is fetched and sorted; a rare word is read from the words' index) and which PostgreSQL, planning
 * once for any value, could run the slow way for the rare ones; and beyond 500 statements or of
 * 4,000 characters (long `in` lists), the memory each connection's server process keeps for them.
 */
const STATEMENT_NAMES = new Map<string, string>();
const PLANNED_EACH_TIME = /\blimit\b|@@/i;
function statementName(text: string): string | undefined {
  let name = STATEMENT_NAMES.get(text);
  if (name === undefined && STATEMENT_NAMES.size < 500 && text.length < 4000 && !PLANNED_EACH_TIME.test(text)) {
    name = `hd${STATEMENT_NAMES.size}`;
    STATEMENT_NAMES.set(text, name);
  }
  return name;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether err, or what it wraps (drizzle names the failed query around the driver's error), is a conflict worth running again. */
function retryable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && RETRYABLE.has(code)) return true;
  }
  return false;
}

class PostgresHandle {
  readonly engine = 'postgres' as const;
  private readonly context = new AsyncLocalStorage<Tx>();

  constructor(
    readonly pool: pg.Pool,
    readonly url: string,
    private readonly render: (query: SQL, params: unknown[]) => string,
  ) {}

  get inTransaction(): boolean {
    return !!this.mine();
  }

  get sqlite(): never {
    throw new Error('this desk runs on PostgreSQL: there is no SQLite connection');
  }

  private mine(): Tx | undefined {
    const tx = this.context.getStore();
    return tx && tx.open ? tx : undefined;
  }

  private async query(query: Query, params: unknown[], rowMode?: 'array'): Promise<pg.QueryResult> {
    const { text, name: prepared } = translated(typeof query === 'string' ? query : this.render(query, params));
    // PostgreSQL's text cannot hold NUL (SQLite's can): written as U+FFFD, the mark of a character
    // that could not be kept (the raw mail, with its NULs, stays in the file store)
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      if (typeof p === 'string' && p.includes('\0')) params[i] = p.replaceAll('\0', '\uFFFD');
    }
    const on: pg.ClientBase | pg.Pool = this.mine()?.client ?? this.pool;
    // a script of several statements has no parameters and cannot be prepared
    const name = params.length ? prepared : undefined;
    const config: pg.QueryArrayConfig | pg.QueryConfig = rowMode ? { name, text, values: params, rowMode, types: TYPES } : { name, text, values: params, types: TYPES };
    const result = (await (on as pg.Pool).query(config as pg.QueryConfig)) as pg.QueryResult | pg.QueryResult[];
    // a script of several statements (no parameters) answers with a result for each: taken as
    // SQLite's exec takes it, the changes of all of them and the rows of the last
    if (!Array.isArray(result)) return result;
    const last = result[result.length - 1];
    return { ...last, rowCount: result.reduce((n, r) => n + (r.rowCount ?? 0), 0) };
  }

  async all<R>(sql: Query, ...params: unknown[]): Promise<R[]> {
    return (await this.query(sql, params)).rows as R[];
  }

  async get<R>(sql: Query, ...params: unknown[]): Promise<R | undefined> {
    return (await this.query(sql, params)).rows[0] as R | undefined;
  }

  async column<V>(sql: Query, ...params: unknown[]): Promise<V[]> {
    return (await this.query(sql, params, 'array')).rows.map((r: unknown[]) => r[0] as V);
  }

  async value<V>(sql: Query, ...params: unknown[]): Promise<V | undefined> {
    return (await this.query(sql, params, 'array')).rows[0]?.[0] as V | undefined;
  }

  async rows(sql: Query, ...params: unknown[]): Promise<unknown[][]> {
    return (await this.query(sql, params, 'array')).rows as unknown[][];
  }

  async row(sql: Query, ...params: unknown[]): Promise<unknown[] | undefined> {
    return (await this.query(sql, params, 'array')).rows[0] as unknown[] | undefined;
  }

  async run(sql: Query, ...params: unknown[]): Promise<RunResult> {
    const r = await this.query(sql, params);
    const first = r.rows[0] as { id?: unknown } | undefined;
    return { changes: r.rowCount ?? 0, lastId: typeof first?.id === 'number' ? first.id : 0 };
  }

  /** drizzle's query builder runs its statements here */
  async remote(sql: string, params: unknown[], method: 'run' | 'all' | 'values' | 'get'): Promise<{ rows: unknown[] }> {
    const r = await this.query(sql, params, 'array');
    if (method === 'run') return { rows: [], changes: r.rowCount ?? 0 } as { rows: unknown[] };
    if (method === 'get') return { rows: r.rows[0] as unknown[] };
    return { rows: r.rows };
  }

  async transaction<T>(fn: () => Promise<T> | T): Promise<T> {
    const outer = this.mine();
    if (outer) return this.savepoint(outer, fn);
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      const tx: Tx = { client, open: true, savepoints: 0 };
      let broken = false;
      // the pool listens for a broken connection only while it is idle: one lost between two
      // statements of the transaction (the server restarted) would otherwise be thrown at the
      // process; the next statement fails with it instead, and the connection is not reused
      const lost = () => (broken = true);
      client.on('error', lost);
      try {
        await client.query('begin isolation level serializable');
        const result = await this.context.run(tx, fn);
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => (broken = true));
        if (retryable(err) && attempt < 20) {
          // random pauses that grow (up to half a second), so that transactions colliding again and
          // again under load (intake beside busy outbox workers) spread out instead of running out of tries
          await pause(Math.random() * Math.min(500, 2 ** attempt));
          continue;
        }
        throw err;
      } finally {
        tx.open = false;
        client.off('error', lost);
        client.release(broken);
      }
    }
  }

  private async savepoint<T>(tx: Tx, fn: () => Promise<T> | T): Promise<T> {
    const name = `sp${++tx.savepoints}`;
    await tx.client.query(`savepoint ${name}`);
    try {
      const result = await fn();
      await tx.client.query(`release savepoint ${name}`);
      return result;
    } catch (err) {
      await tx.client.query(`rollback to savepoint ${name}`);
      await tx.client.query(`release savepoint ${name}`);
      throw err;
    }
  }

  /** PostgreSQL's queries never hold the event loop (see Db.offLoop) */
  offLoop<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  /**
   * A value that changes whenever the database may have changed: the current snapshot (the
   * transactions running and the next transaction id), which changes exactly when a write
   * transaction starts or becomes visible. A change that becomes visible after the token was read
   * changes the next token, so nothing derived afterwards is kept past it.
   */
  async changeToken(): Promise<string> {
    return String(await this.value('select pg_current_snapshot()::text'));
  }

  /**
   * A session advisory lock on a connection of its own: the server lets it go when that connection
   * ends, also when the process or its machine dies (TCP keep-alives every few seconds on both
   * sides). This side checks the connection every few seconds and reports it `lost` when it breaks.
   */
  async tryLock(name: string): Promise<HeldLock | null> {
    const client = new pg.Client({
      connectionString: this.url,
      options: `-c tcp_keepalives_idle=${LOCK_KEEPALIVE_S} -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3`,
      keepAlive: true,
      keepAliveInitialDelayMillis: LOCK_KEEPALIVE_S * 1000,
      query_timeout: LOCK_CHECK_MS,
    });
    let settle!: () => void;
    const lost = new Promise<void>((r) => (settle = r));
    client.on('error', () => settle());
    client.on('end', () => settle());
    await client.connect();
    const end = () => client.end().catch(() => undefined);
    try {
      const got = (await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1, hashtext($2)) as ok', [LOCK_SPACE, name])).rows[0].ok;
      if (!got) {
        await end();
        return null;
      }
    } catch (err) {
      await end();
      throw err;
    }
    const timer = setInterval(() => void client.query('select 1').catch(end), LOCK_CHECK_MS);
    timer.unref();
    let released = false;
    const held: HeldLock = {
      lost: lost.then(() => {
        clearInterval(timer);
        if (released) return new Promise<void>(() => undefined); // released, not lost
      }),
      release: async () => {
        if (released) return;
        released = true;
        this.locks.delete(held);
        clearInterval(timer);
        await client.query('select pg_advisory_unlock($1, hashtext($2))', [LOCK_SPACE, name]).catch(() => undefined);
        await end();
      },
    };
    this.locks.add(held);
    return held;
  }

  /** the locks held now: close() lets them go */
  private readonly locks = new Set<HeldLock>();

  async notify(channel: string): Promise<void> {
    // NOTIFY inside a transaction is delivered when it commits, and not at all when it rolls back
    await this.query('select pg_notify(?, ?)', [`helpdesk_${channel}`, '']);
  }

  private listener: { client: pg.Client | null; channels: Map<string, Set<() => void>>; closed: boolean } | null = null;


  /**
   * One connection per process LISTENs for every channel. When it breaks it is opened again a
   * second later, and every listener is called once (a notice may have been missed meanwhile).
   */
  async listen(channel: string, fn: () => void): Promise<() => Promise<void>> {
    const l = (this.listener ??= { client: null, channels: new Map<string, Set<() => void>>(), closed: false });
    let set = l.channels.get(channel);
    const fresh = !set;
    if (!set) l.channels.set(channel, (set = new Set<() => void>()));
    const own = () => fn();
    set.add(own);
    if (!l.client) await this.connectListener();
    else if (fresh) await l.client.query(`listen "helpdesk_${channel}"`);
    return async () => void set.delete(own);
  }

  private async connectListener(): Promise<void> {
    const l = this.listener!;
    const client = new pg.Client({ connectionString: this.url, keepAlive: true });
    l.client = client;
    let dropped = false;
    const drop = () => {
      if (dropped) return;
      dropped = true;
      if (l.client === client) l.client = null;
      client.end().catch(() => undefined);
      if (!l.closed) this.listenAgainLater();
    };
    client.on('error', drop);
    client.on('end', drop);
    client.on('notification', (n) => {
      for (const fn of l.channels.get(n.channel.replace(/^helpdesk_/, '')) ?? []) fn();
    });
    try {
      await client.connect();
      for (const channel of l.channels.keys()) await client.query(`listen "helpdesk_${channel}"`);
    } catch (err) {
      drop();
      throw err;
    }
  }

  private listenAgainLater(): void {
    setTimeout(() => {
      const l = this.listener!;
      if (l.closed || l.client) return;
      this.connectListener().then(
        () => {
          for (const set of l.channels.values()) for (const fn of set) fn();
        },
        () => undefined, // dropped: it tries again
      );
    }, 1000).unref();
  }

  private closing: Promise<void> | null = null;

  /** Closes the pool and the listening connection; a second call waits for the first. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.locks].map((l) => l.release()));
      if (this.listener) {
        this.listener.closed = true;
        await this.listener.client?.end().catch(() => undefined);
      }
      await this.pool.end();
    })();
    return this.closing;
  }
}

export type PostgresDb = Db & { readonly engine: 'postgres'; readonly pool: pg.Pool; readonly url: string };

/** A handle on the PostgreSQL database at url (postgres://user:pass@host:port/db). */
export function openPostgres(url: string, opts: { max?: number } = {}): PostgresDb {
  // a statement waits for a lock at most 5 s, then fails as temporary (as SQLite's busy_timeout);
  // keep-alive notices a server that went away without closing the connection
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, options: `-c lock_timeout=${LOCK_TIMEOUT_MS}`, keepAlive: true });
  // an idle connection that breaks (the server restarted) is dropped, not thrown at the process
  pool.on('error', () => undefined);
  const render = (query: SQL, params: unknown[]) => {
    const q = dialect.sqlToQuery(query);
    params.push(...q.params);
    return q.sql;
  };
  const handle = new PostgresHandle(pool, url, render);
  const orm = drizzle((sql, params, method) => handle.remote(sql, params, method), { schema });
  const dialect = (orm as unknown as { dialect: { sqlToQuery(q: SQL): { sql: string; params: unknown[] } } }).dialect;
  return new Proxy(handle, {
    get(target, key) {
      if (key in target) {
        const v = Reflect.get(target, key, target);
        return typeof v === 'function' ? v.bind(target) : v;
      }
      const v = Reflect.get(orm, key, orm);
      return typeof v === 'function' ? v.bind(orm) : v;
    },
  }) as unknown as PostgresDb;
}

/** Applies migrations/postgres/ (generated by drizzle-kit plus custom ones) in order. */
// Instances that start together migrate one after the other: the first applies what is new, the
// others then find nothing to do. The lock is a session advisory lock on a connection of its own,
// so it is let go also when the process dies.
const MIGRATION_LOCK = 0x68656c70; // any constant the desk uses for nothing else

export async function migratePostgres(db: PostgresDb): Promise<void> {
  // not a connection of the pool: the migration needs one of those (a pool of one would wait forever)
  const lock = new pg.Client({ connectionString: db.url });
  await lock.connect();
  try {
    await lock.query('set lock_timeout = 0'); // waits for another instance's whole migration
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(pgDrizzle(db.pool), { migrationsFolder: POSTGRES_MIGRATIONS_DIR });
  } finally {
    await lock.end().catch(() => undefined);
  }
}
