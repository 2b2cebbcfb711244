// A private PostgreSQL cluster for the tests (and the benchmarks): initdb in a temp folder, started
// on a free loopback port, stopped and removed at the end; or kept in a given folder and started
// again from it. PostgreSQL refuses to run as root, so when we run as root the server's commands
// run as the `postgres` user (the Debian package creates it).
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** The newest PostgreSQL 15+ server binaries on this machine (Debian keeps them per major version). */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .map(Number)
    .filter((v) => v >= 15 && existsSync(path.join(root, String(v), 'bin', 'initdb')))
    .sort((a, b) => b - a);
  return versions.length ? path.join(root, String(versions[0]), 'bin') : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export type PostgresCluster = {
  /** postgres://postgres@127.0.0.1:PORT/DB for a database of this cluster */
  url(database?: string): string;
  port: number;
  /** a fresh, empty database; its name */
  createDatabase(name?: string): Promise<string>;
  /**
   * Restarts the server as an operator does (pg_ctl stop -m fast: every connection is ended, then
   * start), down for at least `downMs`; `whileDown` runs once it is down. Asynchronous, so the
   * caller's work (mail arriving) goes on meanwhile. Only on a cluster of one's own: every test
   * using it loses its connections.
   */
  restart(opts?: { downMs?: number; whileDown?: () => Promise<void> }): Promise<void>;
  stop(): void;
};

// tests need no durability: no fsync, no full-page writes; a small shared memory for many clusters
const TEST_SETTINGS: Record<string, string> = { fsync: 'off', full_page_writes: 'off', synchronous_commit: 'off', max_connections: '200' };

export type PostgresOptions = {
  /**
   * Keep the cluster in this folder: created (initdb) when it holds none, started again from it
   * when it does, and left there by stop(). Without it, a temp folder that stop() removes.
   */
  dir?: string;
  /** server settings (`-c name=value`) instead of the tests' (no fsync, no full-page writes, 200 connections) */
  settings?: Record<string, string>;
};

export async function startPostgres(opts: PostgresOptions = {}): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL 15 or newer is not installed: apt-get install -y --no-install-recommends postgresql');
  const kept = opts.dir !== undefined;
  const dir = opts.dir ?? mkdtempSync(path.join(tmpdir(), 'helpdesk-pg-'));
  mkdirSync(dir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    const argv = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]] as const : [path.join(bin, cmd), args] as const;
    execFileSync(argv[0], [...argv[1]], { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  if (asRoot) {
    const pw = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    chownSync(dir, Number(pw.stdout.trim()), Number(gid.stdout.trim()));
  }
  chmodSync(dir, 0o700);
  const data = path.join(dir, 'data');
  if (!existsSync(path.join(data, 'PG_VERSION'))) {
    rmSync(data, { recursive: true, force: true }); // what an interrupted initdb left
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  } else if (existsSync(path.join(data, 'postmaster.pid'))) {
    // a server a killed run left behind (a stale pid file alone pg_ctl start handles itself)
    try {
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    } catch {
      // not running
    }
  }
  const port = await freePort();
  const settings = Object.entries(opts.settings ?? TEST_SETTINGS).map(([k, v]) => ` -c ${k}=${v}`).join('');
  const startArgs = ['-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '600', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${settings}`, 'start'];
  run('pg_ctl', startArgs);
  const runAsync = (cmd: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args];
      execFile(file, argv, (err, _out, stderr) => (err ? reject(new Error(`${cmd}: ${err.message}\n${stderr}`)) : resolve()));
    });
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  let n = 0;
  return {
    url,
    port,
    async createDatabase(name = `t${process.pid}_${++n}`) {
      const c = new pg.Client({ connectionString: url() });
      await c.connect();
      try {
        await c.query(`create database "${name}"`);
      } finally {
        await c.end();
      }
      return name;
    },
    async restart({ downMs = 0, whileDown }: { downMs?: number; whileDown?: () => Promise<void> } = {}) {
      await runAsync('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      const down = Date.now();
      await whileDown?.();
      const left = downMs - (Date.now() - down);
      if (left > 0) await new Promise((r) => setTimeout(r, left));
      await runAsync('pg_ctl', startArgs);
    },
    stop() {
      try {
        // a kept cluster shuts down cleanly (a checkpoint), so the next start needs no recovery
        run('pg_ctl', ['-D', data, '-m', kept ? 'fast' : 'immediate', '-w', '-t', '600', 'stop']);
      } finally {
        if (!kept) rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A cluster with a database every migration has been applied to, to copy test databases from (`create database … template …`). */
export async function startTemplateCluster(): Promise<{ cluster: PostgresCluster; template: string }> {
  const { migratePostgres, openPostgres } = await import('../../src/db/postgres.ts');
  const cluster = await startPostgres();
  try {
    const template = await cluster.createDatabase('template_desk');
    const db = openPostgres(cluster.url(template), { max: 1 });
    try {
      await migratePostgres(db);
    } finally {
      await db.close();
    }
    return { cluster, template };
  } catch (err) {
    cluster.stop();
    throw err;
  }
}
