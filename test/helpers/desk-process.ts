// The real desk process (src/main.ts through tsx) for fault tests: started with its own env, killed
// with SIGKILL at any moment or stopped with SIGTERM, and its SQLite file read from the outside.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
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
      DATABASE_URL: `file:${deskDatabase(opts.dataDir)}`,
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

/** An integer from the environment, or the default (sizes: small for `npm test`, large for the fault run). */
export function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${v}"`);
  return n;
}
