// The database engines the benchmarks measure the desk on: SQLite files (the default) and
// PostgreSQL, on the server BENCH_POSTGRES_URL (or a postgres:// DATABASE_URL) names or else on a
// private cluster the bench starts itself, kept under bench/.data/pg so that the large console
// database is built once, and stopped at the end of the run.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { postgresBinDir, startPostgres } from '../test/helpers/postgres.ts';

export const ENGINE_NAMES = ['sqlite', 'postgres'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];
export const ENGINE_LABELS: Record<EngineName, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/** What the generated console database holds, and how long building it took. */
/** tickets, messages, worklogs (missing in a database built before the generator logged time) */
export type DatasetCounts = { t: number; m: number; w?: number; buildSeconds?: number };

export type BenchEngine = {
  name: EngineName;
  label: string;
  /** how the server runs, for the table's header (empty for SQLite) */
  about: string;
  /** CPU time (ms) the database server has used so far, when it runs on this machine as a server of its own */
  serverCpuMs?: () => number;
  /** DATABASE_URL of a new, empty database for one measurement (on SQLite a file in dir); drop() removes it */
  scratch(dir: string): Promise<{ url: string; drop(): Promise<void> }>;
  /** DATABASE_URL of the console database with this name (on SQLite a file in dir), created empty when missing */
  dataset(dir: string, name: string): Promise<string>;
  /** what a finished console database holds, or undefined when it was never finished (a run stopped while building it) */
  findDatasetCounts(dir: string, name: string): Promise<DatasetCounts | undefined>;
  /** counts the console database and records it as finished */
  markDatasetReady(dir: string, name: string, buildSeconds: number): Promise<DatasetCounts>;
  /** empties a console database that was never finished, before it is built again */
  resetDataset(dir: string, name: string): Promise<void>;
  /** stops what the engine started (a private cluster); synchronous up to its first await, so a signal handler may call it */
  close(): Promise<void>;
};

const ROOT = path.resolve(import.meta.dirname, '..');

function sqliteEngine(): BenchEngine {
  const file = (dir: string) => path.join(dir, 'desk.sqlite');
  const marker = (dir: string) => path.join(dir, 'ready.json');
  return {
    name: 'sqlite',
    label: ENGINE_LABELS.sqlite,
    about: '',
    async scratch(dir) {
      return { url: `file:${file(dir)}`, drop: async () => undefined }; // the caller removes dir
    },
    async dataset(dir) {
      return `file:${file(dir)}`;
    },
    async findDatasetCounts(dir) {
      return existsSync(marker(dir)) ? (JSON.parse(readFileSync(marker(dir), 'utf8')) as DatasetCounts) : undefined;
    },
    async markDatasetReady(dir, _name, buildSeconds) {
      // better-sqlite3 straight on the file: the bench's own process does not open the desk's handle
      const { default: Database } = await import('better-sqlite3');
      const d = new Database(file(dir), { readonly: true });
      try {
        const n = (sql: string) => (d.prepare(sql).get() as { n: number }).n;
        const counts = { t: n('select count(*) n from tickets'), m: n('select count(*) n from messages'), w: n('select count(*) n from worklogs'), buildSeconds };
        writeFileSync(marker(dir), JSON.stringify(counts));
        return counts;
      } finally {
        d.close();
      }
    },
    async resetDataset(dir) {
      for (const f of [file(dir), `${file(dir)}-wal`, `${file(dir)}-shm`]) rmSync(f, { force: true });
    },
    async close() {},
  };
}

/** A PostgreSQL server the bench creates its databases on (`helpdesk_bench_*`), reached through `serverUrl`. */
function postgresEngine(serverUrl: string, about: string, stop: () => Promise<void>, serverCpuMs?: () => number): BenchEngine {
  const urlOf = (database: string) => {
    const u = new URL(serverUrl);
    u.pathname = `/${database}`;
    return u.toString();
  };
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  const dbName = (name: string) => `helpdesk_bench_${name.replace(/[^a-z0-9_]/gi, '_')}`;
  const exists = (c: pg.Client, db: string) => c.query('select 1 from pg_database where datname = $1', [db]).then((r) => r.rowCount === 1);
  const create = async (db: string) => await admin(async (c) => {
    if (!(await exists(c, db))) await c.query(`create database "${db}"`);
  });
  const drop = async (db: string) => await admin(async (c) => void (await c.query(`drop database if exists "${db}" with (force)`)));
  let n = 0;
  return {
    name: 'postgres',
    label: ENGINE_LABELS.postgres,
    about,
    serverCpuMs,
    async scratch() {
      const db = dbName(`scratch_${process.pid}_${++n}`);
      await drop(db);
      await create(db);
      return { url: urlOf(db), drop: () => drop(db) };
    },
    async dataset(_dir, name) {
      await create(dbName(name));
      return urlOf(dbName(name));
    },
    // a finished dataset carries its counts as the database's comment
    async findDatasetCounts(_dir, name) {
      const comment = await admin(async (c) => (await c.query<{ c: string | null }>(
        `select shobj_description(oid, 'pg_database') c from pg_database where datname = $1`, [dbName(name)],
      )).rows[0]?.c);
      return comment?.startsWith('{') ? (JSON.parse(comment) as DatasetCounts) : undefined;
    },
    async markDatasetReady(_dir, name, buildSeconds) {
      const c = new pg.Client({ connectionString: urlOf(dbName(name)) });
      await c.connect();
      try {
        const n = async (sql: string) => Number((await c.query<{ n: string }>(sql)).rows[0].n);
        const counts = { t: await n('select count(*) n from tickets'), m: await n('select count(*) n from messages'), w: await n('select count(*) n from worklogs'), buildSeconds };
        await c.query(`comment on database "${dbName(name)}" is '${JSON.stringify(counts)}'`);
        return counts;
      } finally {
        await c.end();
      }
    },
    async resetDataset(_dir, name) {
      await drop(dbName(name));
      await create(dbName(name));
    },
    close: stop,
  };
}

/**
 * Settings of the private cluster: durable as a production server (fsync, full-page writes and
 * synchronous commit stay on, as SQLite's FULL synchronous mode), with the memory a server of this
 * size would be given; index builds get more memory, which only the dataset's bulk load uses.
 */
export const PRIVATE_CLUSTER_SETTINGS: Record<string, string> = {
  shared_buffers: '1GB',
  effective_cache_size: '8GB',
  work_mem: '16MB',
  maintenance_work_mem: '1GB',
  max_wal_size: '8GB',
  max_connections: '100',
};

/** The PostgreSQL server to measure on: BENCH_POSTGRES_URL, a postgres:// DATABASE_URL, or a private cluster in dataRoot/pg. */
async function openPostgresEngine(dataRoot: string, log: (s: string) => void): Promise<BenchEngine> {
  const given = process.env.BENCH_POSTGRES_URL || (/^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '') ? process.env.DATABASE_URL : undefined);
  if (given) {
    const shown = new URL(given);
    if (shown.password) shown.password = '…';
    log(`PostgreSQL: the server at ${shown.toString()} (databases helpdesk_bench_*)`);
    return postgresEngine(given, `PostgreSQL server ${shown.host}`, async () => undefined);
  }
  const bin = postgresBinDir();
  if (!bin) throw new Error('--engine postgres: PostgreSQL 15 or newer is not installed (apt-get install -y --no-install-recommends postgresql), and neither BENCH_POSTGRES_URL nor a postgres:// DATABASE_URL names a server');
  const dir = path.join(dataRoot, 'pg', path.basename(path.dirname(bin)));
  log(`PostgreSQL: starting a private cluster in ${dir} …`);
  const cluster = await startPostgres({ dir, settings: PRIVATE_CLUSTER_SETTINGS });
  const version = readFileSync(path.join(dir, 'data', 'PG_VERSION'), 'utf8').trim();
  const about = `PostgreSQL ${version}, private cluster on loopback TCP (${Object.entries(PRIVATE_CLUSTER_SETTINGS).map(([k, v]) => `${k} ${v}`).join(', ')})`;
  const postmaster = Number(readFileSync(path.join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    cluster.stop();
  };
  return postgresEngine(cluster.url(), about, stop, () => clusterCpuMs(postmaster));
}

/** CPU time (user + system, ms) of a process: its own, that of its children that have ended, that of those still running. */
function clusterCpuMs(pid: number): number {
  const stat = (p: number) => readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ').map(Number);
  const own = stat(pid);
  // fields after the command: utime 11, stime 12, cutime 13, cstime 14 (clock ticks of 10 ms)
  let ticks = own[11] + own[12] + own[13] + own[14];
  for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)) {
    try {
      const c = stat(child);
      ticks += c[11] + c[12];
    } catch {
      // ended meanwhile: counted in cutime from now on
    }
  }
  return ticks * 10;
}

export async function openEngines(names: readonly EngineName[], log: (s: string) => void): Promise<BenchEngine[]> {
  const dataRoot = path.join(ROOT, 'bench/.data');
  const engines: BenchEngine[] = [];
  for (const name of names) engines.push(name === 'sqlite' ? sqliteEngine() : await openPostgresEngine(dataRoot, log));
  return engines;
}

/** `--engine sqlite|postgres|both` */
export function parseEngines(value: string | undefined): EngineName[] {
  if (!value || value === 'sqlite') return ['sqlite'];
  if (value === 'postgres') return ['postgres'];
  if (value === 'both') return ['sqlite', 'postgres'];
  throw new Error(`--engine: "${value}" is not sqlite, postgres or both`);
}

/** `--engine sqlite|postgres` of a script that measures one section on one engine */
export function engineArg(argv: string[]): EngineName {
  const i = argv.indexOf('--engine');
  const value = i >= 0 ? argv[i + 1] : undefined;
  const names = parseEngines(value);
  if (names.length !== 1) throw new Error('--engine: one of sqlite or postgres');
  return names[0];
}
