// The real desk process (src/main.ts through tsx) for fault tests: started with its own env, killed
// with SIGKILL at any moment or stopped with SIGTERM, and its database (a SQLite file, or a
// PostgreSQL database several processes share) read from the outside.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { seededRandom } from '../../src/demo/random.ts';
import { StopWaiting } from './mail.ts';
export { seededRandom };

const ROOT = path.resolve(import.meta.dirname, '../..');

export type DeskProcess = {
  readonly pid: number;
  readonly child: ChildProcess;
  /** everything the process wrote to stdout and stderr */
  log(): string;
  running(): boolean;
  /** throws StopWaiting (ends a waitUntil at once) when the process has exited on its own */
  assertRunning(): void;
  /** resolves with the exit code (null when killed by a signal) */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** resolves once main.ts logged that every role is running; rejects if the process exits first */
  started: Promise<void>;
  /** SIGKILL, then waits until the process is gone */
  kill9(): Promise<void>;
  /** waits until it has started (a signal during start-up kills it on the spot), then SIGTERM; resolves with the exit code */
  stop(): Promise<number | null>;
};

export type DeskEnv = {
  dataDir: string;
  roles: string;
  /** the DATABASE_URL (a postgres:// URL for processes sharing one database); default: the SQLite file in dataDir */
  databaseUrl?: string;
  env?: Record<string, string>;
};

/** The database file of a desk started with `dataDir`. */
export const deskDatabase = (dataDir: string) => path.join(dataDir, 'helpdesk.sqlite');

export function startDesk(opts: DeskEnv): DeskProcess {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(ROOT, 'src/main.ts')], {
    cwd: opts.dataDir,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      ROLES: opts.roles,
      DATA_DIR: opts.dataDir,
      DATABASE_URL: opts.databaseUrl ?? `file:${deskDatabase(opts.dataDir)}`,
      SESSION_SECRET: 's'.repeat(40),
      // the loopback test servers (Dovecot, smtp-server) speak plain text only
      IMAP_ALLOW_PLAINTEXT: 'true',
      SMTP_ALLOW_PLAINTEXT: 'true',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  let onStarted: (() => void) | undefined;
  const started = new Promise<void>((resolve) => (onStarted = resolve));
  // keep the tail only: a long fault run must not hold every line in memory
  const add = (d: Buffer) => {
    log = (log + d.toString()).slice(-20_000);
    if (onStarted && log.includes('"msg":"help desk started"')) {
      onStarted();
      onStarted = undefined;
    }
  };
  child.stdout!.on('data', add);
  child.stderr!.on('data', add);
  let alive = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      alive = false;
      resolve({ code, signal });
    }),
  );
  const startedOrExited = Promise.race([
    started,
    exited.then((e) => {
      if (onStarted) throw new Error(`the desk exited during start-up (${e.code ?? e.signal}):\n${log}`);
    }),
  ]);
  startedOrExited.catch(() => undefined);
  return {
    pid: child.pid!,
    child,
    log: () => log,
    running: () => alive,
    assertRunning: () => {
      if (!alive) throw new StopWaiting(`the desk exited on its own:\n${log}`);
    },
    exited,
    started: startedOrExited,
    async kill9() {
      if (alive) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (alive) {
        await startedOrExited;
        child.kill('SIGTERM');
      }
      return (await exited).code;
    },
  };
}

/**
 * Runs a read-only query on a desk's database from outside the process. Returns undefined while
 * the file does not exist yet (the first process may be killed before it created it).
 */
export function readDb<T>(file: string, fn: (db: Database.Database) => T): T | undefined {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch {
    return undefined;
  }
  try {
    db.pragma('busy_timeout = 5000');
    return fn(db);
  } catch (err) {
    // the schema is not there yet (killed before or during the first migration)
    if (/no such table/.test(String(err))) return undefined;
    throw err;
  } finally {
    db.close();
  }
}

export type PostgresReader = {
  all<R>(sql: string, ...params: unknown[]): Promise<R[]>;
  /** the first column of the first row */
  value<V>(sql: string, ...params: unknown[]): Promise<V | undefined>;
  close(): Promise<void>;
};

/**
 * Queries on a desk's PostgreSQL database from outside its processes ($1… placeholders; bigint and
 * numeric as numbers). A connection broken by a server restart is dropped, and the next query
 * opens a new one; a query while the server is down fails.
 */
export function readPostgres(url: string): PostgresReader {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined);
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 || oid === 1700 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)),
  } as unknown as pg.CustomTypesConfig;
  const query = (text: string, values: unknown[]) => pool.query({ text, values, types });
  return {
    all: async <R>(sql: string, ...params: unknown[]) => (await query(sql, params)).rows as R[],
    value: async <V>(sql: string, ...params: unknown[]) => {
      const row = (await query(sql, params)).rows[0] as Record<string, unknown> | undefined;
      return (row ? Object.values(row)[0] : undefined) as V | undefined;
    },
    close: () => pool.end(),
  };
}

/**
 * Which of these processes has the TCP connection whose local port is `port` (a server sees it as
 * the client's port): Linux's socket table (/proc/net/tcp*) names the socket, the process's open
 * files hold it.
 */
export function processOfConnection(port: number, pids: number[]): number | undefined {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && parseInt(f[1].split(':')[1], 16) === port) inodes.add(f[9]);
    }
  }
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && inodes.has(m[1])) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return undefined;
}

/** An integer from the environment, or the default (sizes: small for `npm test`, large for the fault run). */
export function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${v}"`);
  return n;
}
