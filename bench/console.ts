// Console and API under load on a large generated database: the desk runs as its own process
// (node dist/main.js, web role only) and is measured at a fixed concurrency; its peak RSS is
// read from /proc when the load is over.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { load, type LoadFigures } from './http-load.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

export type ConsoleFigures = {
  tickets: number;
  messages: number;
  pages: Record<string, LoadFigures | null>;
  rss_peak_mb: number;
};

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function cli(env: NodeJS.ProcessEnv, args: string[], input?: string): string {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...args], { env, input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`helpdesk ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** Builds (once) and returns a database with `tickets` tickets and five messages each. */
export function ensureDataset(dataRoot: string, tickets: number, log: (s: string) => void): { env: NodeJS.ProcessEnv; messages: number } {
  const dir = path.join(dataRoot, `console-${tickets}`);
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env, DATABASE_URL: `file:${path.join(dir, 'desk.sqlite')}`, DATA_DIR: dir, LOG_LEVEL: 'warn', NODE_ENV: 'production', SESSION_SECRET: 'bench-'.repeat(8) };
  const marker = path.join(dir, 'ready.json');
  if (!existsSync(marker)) {
    log(`building a database with ${tickets} tickets in ${dir} (reused by later runs)…`);
    cli(env, ['demo', '--tickets', String(tickets)]);
    const counts = JSON.parse(
      spawnSync(process.execPath, ['-e', `const D=require(${JSON.stringify(path.join(ROOT, 'node_modules/better-sqlite3'))});const d=new D(${JSON.stringify(path.join(dir, 'desk.sqlite'))},{readonly:true});console.log(JSON.stringify({t:d.prepare('select count(*) n from tickets').get().n,m:d.prepare('select count(*) n from messages').get().n}))`], { encoding: 'utf8' }).stdout,
    ) as { t: number; m: number };
    writeFileSync(marker, JSON.stringify(counts));
  }
  const counts = JSON.parse(readFileSync(marker, 'utf8')) as { t: number; m: number };
  return { env, messages: counts.m };
}

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the desk exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the desk did not start within 60 s');
}

async function signIn(url: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const page = await fetch(`${url}/login`, { headers: { cookie: cookie() } });
  keep(page);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const res = await fetch(`${url}/login`, {
    method: 'POST', redirect: 'manual', headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, email, password }),
  });
  keep(res);
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
  return cookie();
}

export type ConsoleTarget = {
  name: string;
  /** path of the next request; `n` is the number of tickets in the database */
  next: (n: number, rand: () => number) => { path: string; headers?: Record<string, string> };
  auth: 'session' | 'token';
};

const WORDS = ['printer', 'VPN', 'password', 'Outlook', 'принтер', 'пароль', 'почта', 'сеть', 'ошибка', 'доступ'];

export const CONSOLE_TARGETS: ConsoleTarget[] = [
  { name: 'queue', auth: 'session', next: (n, r) => ({ path: r() < 0.5 ? '/tickets?view=open' : `/tickets?view=all&before=${1 + Math.floor(r() * n)}` }) },
  { name: 'ticket', auth: 'session', next: (n, r) => ({ path: `/tickets/${1 + Math.floor(r() * n)}` }) },
  { name: 'search', auth: 'session', next: (_n, r) => ({ path: `/search?q=${encodeURIComponent(WORDS[Math.floor(r() * WORDS.length)])}` }) },
  { name: 'api_list', auth: 'token', next: () => ({ path: '/api/v1/tickets?per_page=25' }) },
];

export async function measureConsole(opts: {
  tickets: number;
  seconds: number;
  connections: number;
  dataRoot: string;
  log: (s: string) => void;
}): Promise<ConsoleFigures> {
  const { env, messages } = ensureDataset(opts.dataRoot, opts.tickets, opts.log);
  // the token command exists once the API does; without it the API line is reported as missing
  let token: string | null = null;
  try {
    token = cli(env, ['token', 'create', '--user', 'olga@desk.example', '--name', 'bench']).trim().split('\n').pop() ?? null;
  } catch {
    token = null;
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/main.js')], {
    env: { ...env, ROLES: 'web', PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitHealthy(url, child);
    const cookie = await signIn(url, 'olga@desk.example', 'demo-password');
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const pages: Record<string, LoadFigures | null> = {};
    for (const target of CONSOLE_TARGETS) {
      const headers: Record<string, string> | null = target.auth === 'session' ? { cookie } : token ? { authorization: `Bearer ${token}` } : null;
      if (!headers) {
        pages[target.name] = null;
        continue;
      }
      const probe = await fetch(url + target.next(opts.tickets, rand).path, { headers, redirect: 'manual' });
      await probe.arrayBuffer();
      if (probe.status !== 200) {
        opts.log(`${target.name}: ${probe.status}, not measured`);
        pages[target.name] = null;
        continue;
      }
      // a short warm-up fills SQLite's page cache the way a running desk has it filled
      await load({ url, headers, connections: opts.connections, seconds: 1, next: () => target.next(opts.tickets, rand) });
      pages[target.name] = await load({ url, headers, connections: opts.connections, seconds: opts.seconds, next: () => target.next(opts.tickets, rand) });
      opts.log(`${target.name}: ${JSON.stringify(pages[target.name])}`);
    }
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const hwm = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0);
    return { tickets: opts.tickets, messages, pages, rss_peak_mb: Math.round(hwm / 1024) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}
