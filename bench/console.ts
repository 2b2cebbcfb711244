// Console and API under load on a large generated database: the desk runs as its own process
// (node dist/main.js, web role only) and is measured at a fixed concurrency; its peak RSS is
// read from /proc when the load is over.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import type { BenchEngine } from './engines.ts';
import { load, type LoadFigures } from './http-load.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

export type PageFigures = LoadFigures & {
  /** CPU time of the desk process per request (user + system), a figure a busy machine does not inflate */
  cpu_ms: number;
  /** CPU time of the database server per request, when it is a server of its own on this machine */
  db_cpu_ms?: number;
  /** tickets changed during the load, when the target changes them */
  changes?: number;
};

export type ConsoleFigures = {
  tickets: number;
  messages: number;
  /** how long building the database took, when that was measured */
  buildSeconds?: number;
  pages: Record<string, PageFigures | null>;
  rss_peak_mb: number;
  /** the whole queue as CSV, when measured */
  export?: ExportFigures;
};

/** CPU time (user + system) a process has used, in ms, from /proc (clock ticks of 10 ms). */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

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

/** Builds (once) and returns a database with `tickets` tickets and five messages each, on the engine. */
export async function ensureDataset(
  dataRoot: string, tickets: number, log: (s: string) => void, engine: BenchEngine,
): Promise<{ env: NodeJS.ProcessEnv; tickets: number; messages: number; buildSeconds?: number }> {
  // SQLite's database and every engine's DATA_DIR (on PostgreSQL the desk keeps its files in the database)
  const dir = path.join(dataRoot, engine.name === 'sqlite' ? `console-${tickets}` : `console-${tickets}-${engine.name}`);
  const name = `console_${tickets}`;
  mkdirSync(dir, { recursive: true });
  const url = await engine.dataset(dir, name);
  const env = { ...process.env, DATABASE_URL: url, DATA_DIR: dir, LOG_LEVEL: 'warn', NODE_ENV: 'production', SESSION_SECRET: 'bench-'.repeat(8) };
  let counts = await engine.findDatasetCounts(dir, name);
  if (counts && counts.w === undefined) {
    log('the database was built before the generator logged time on its tickets: built again');
    counts = undefined;
  }
  if (!counts) {
    await engine.resetDataset(dir, name); // what a run stopped while building left
    log(`building a ${engine.label} database with ${tickets} tickets (${engine.name === 'sqlite' ? dir : name}; reused by later runs)…`);
    const t0 = performance.now();
    cli(env, ['demo', '--tickets', String(tickets)]);
    const seconds = Math.round((performance.now() - t0) / 100) / 10;
    counts = await engine.markDatasetReady(dir, name, seconds);
    log(`built in ${seconds} s (${Math.round((seconds * 100_000) / tickets)} s per 100,000 tickets)`);
  }
  return { env, tickets: counts.t, messages: counts.m, buildSeconds: counts.buildSeconds };
}

/** The node options of package.json's start script (`node <options> dist/main.js`). */
export function startNodeArgs(): string[] {
  const start = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start;
  const m = /^node\s+(.*?)\s*dist\/main\.js$/.exec(start.trim());
  if (!m) throw new Error(`package.json's start script is not "node [options] dist/main.js": ${start}`);
  return m[1] ? m[1].split(/\s+/) : [];
}

export async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
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

export async function signIn(url: string, email: string, password: string): Promise<string> {
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
  /** key in the figures and in the JSON (`<name>_p95_ms`) */
  name: 'queue' | 'ticket' | 'search' | 'api_list' | 'reports' | 'dashboard' | 'dashboard_agent' | 'dashboard_admin' | 'calendar' | 'report_files' | 'reports_busy' | 'dashboard_busy';
  label: string;
  /** who is signed in (a demo account; the manager when not given) */
  user?: string;
  /** path of the next request; `n` is the number of tickets in the database */
  next: (n: number, rand: () => number) => string;
  auth: 'session' | 'token';
  /** what a real answer contains (checked on a sample before the load): not an empty or error page */
  looksRight: (body: string) => boolean;
  /** the p95 target in ms (the console's pages: 50) */
  targetMs?: number;
  /**
   * measured while an agent adds an internal note to a random ticket this often (ms) through the
   * API: every change outdates the reports' kept results (src/reports/kit/result-cache.ts), and the
   * dashboard's lists of tickets are read afresh anyway
   */
  changeEveryMs?: number;
};

const pick = <T>(a: readonly T[], rand: () => number) => a[Math.floor(rand() * a.length)];
// the queue views an agent switches between, each with its sorts (closed views sort by time only)
export const QUEUE_PAGES = [
  'view=open', 'view=open&sort=priority', 'view=open&sort=created', 'view=unassigned', 'view=mine', 'view=components',
  'view=sla', 'view=sla&sort=updated', 'view=pending', 'view=resolved', 'view=all', 'view=all&sort=oldest',
];
// common words (many matches: the page fills at once) and rarer ones, English and Russian, one and two words
export const SEARCHES = ['printer', 'VPN', 'password', 'Outlook', 'принтер', 'пароль', 'почта', 'сеть', 'ошибка', 'доступ', 'toner jam', 'certificate expired', 'склад накладная', 'SharePoint sync'];
const API_PAGES = ['', '&view=all', '&view=unassigned', '&sort=priority', '&view=sla'];
// every report over the last 12 months (the contract bill and the cost of service: a month and its trend)
export const REPORT_PAGES = [
  '/reports/created-resolved?group=month&from=@12m', '/reports/created-resolved?group=week&from=@12m', '/reports/status?group=month&from=@12m',
  '/reports/time?by=agent&from=@12m', '/reports/time?by=period&group=month&from=@12m', '/reports/cost', '/reports/contracts',
  '/reports/created-resolved?group=month&from=@12m&priority=high', '/reports/sla?from=@12m', '/reports/response-times?from=@12m',
  '/reports/workload?from=@12m', '/reports/trends?from=@12m', '/reports/complaints?from=@12m', '/reports/difficult-clients?from=@12m',
];
/** A report page with "@12m" made the date a year before today. */
const reportPath = (p: string) => p.replace('@12m', new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10));
/** A report page's download: `/reports/time.xlsx?…` for `/reports/time?…`. */
const reportFile = (p: string, ext: 'csv' | 'xlsx') => p.replace(/^([^?]+)/, `$1.${ext}`);
const CALENDAR_PAGES = ['/calendar?agent=all', '/calendar?agent=all&view=week', '/calendar'];

export const CONSOLE_TARGETS: ConsoleTarget[] = [
  { name: 'queue', label: 'Queue page', auth: 'session', next: (_n, r) => `/tickets?${pick(QUEUE_PAGES, r)}`, looksRight: (b) => b.includes('href="/tickets/') },
  { name: 'ticket', label: 'Ticket page', auth: 'session', next: (n, r) => `/tickets/${1 + Math.floor(r() * n)}`, looksRight: (b) => b.includes('<h1') },
  { name: 'search', label: 'Search page', auth: 'session', next: (_n, r) => `/search?q=${encodeURIComponent(pick(SEARCHES, r))}`, looksRight: (b) => b.includes('<mark>') },
  { name: 'api_list', label: 'REST API ticket list', auth: 'token', next: (_n, r) => `/api/v1/tickets?per_page=25${pick(API_PAGES, r)}`, looksRight: (b) => (JSON.parse(b) as { data: unknown[] }).data.length > 0 },
  { name: 'reports', label: 'Reports over 12 months', auth: 'session', next: (_n, r) => reportPath(pick(REPORT_PAGES, r)), looksRight: (b) => b.includes('<table class="wf'), targetMs: 300 },
  { name: 'dashboard', label: 'Manager’s default dashboard', auth: 'session', next: () => '/dashboard', looksRight: (b) => b.includes('class="widget '), targetMs: 300 },
  { name: 'dashboard_agent', label: 'Agent’s default dashboard', user: 'dmitry@desk.example', auth: 'session', next: () => '/dashboard', looksRight: (b) => b.includes('class="widget '), targetMs: 300 },
  { name: 'dashboard_admin', label: 'Administrator’s default dashboard', user: 'admin@desk.example', auth: 'session', next: () => '/dashboard', looksRight: (b) => b.includes('class="widget '), targetMs: 300 },
  { name: 'calendar', label: 'Calendar of work (everyone’s month, week)', auth: 'session', next: (_n, r) => pick(CALENDAR_PAGES, r), looksRight: (b) => b.includes('href="/tickets/'), targetMs: 300 },
  {
    name: 'report_files', label: 'Report downloads over 12 months (CSV, XLSX)', auth: 'session', next: (_n, r) => reportFile(reportPath(pick(REPORT_PAGES, r)), r() < 0.5 ? 'csv' : 'xlsx'),
    looksRight: (b) => b.startsWith('PK') || b.includes(','), targetMs: 300,
  },
];
// a busy desk: a note a second is 28,800 changes in a working day, several times what a desk of a
// million tickets (about a thousand new ones a day) makes
const CHANGE_EVERY_MS = 1000;
for (const name of ['reports', 'dashboard'] as const) {
  const quiet = CONSOLE_TARGETS.find((t) => t.name === name)!;
  CONSOLE_TARGETS.push({ ...quiet, name: `${name}_busy`, label: `${quiet.label}, a ticket changed every second`, changeEveryMs: CHANGE_EVERY_MS });
}

/**
 * Adds an internal note to a random ticket every `everyMs` through the API until stopped; counts
 * them. (Each run leaves its notes in the reused database: a few dozen among millions of messages.)
 */
function changeTickets(url: string, token: string, tickets: number, everyMs: number) {
  let made = 0;
  const failed: string[] = [];
  let pending = Promise.resolve();
  // draws of its own: the pages the load asks for stay the same whatever the timing
  let seed = 11;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const timer = setInterval(() => {
    const number = 1 + Math.floor(rand() * tickets);
    pending = pending.then(async () => {
      try {
        const res = await fetch(`${url}/api/v1/tickets/${number}/notes`, {
          method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ body: 'Checked the logs again, nothing new.' }),
        });
        await res.arrayBuffer();
        if (res.status === 201) made++;
        else failed.push(`#${number} → ${res.status}`);
      } catch (err) {
        failed.push(`#${number} → ${(err as Error).message}`);
      }
    });
  }, everyMs);
  return {
    async stop(): Promise<{ made: number; failed: string[] }> {
      clearInterval(timer);
      await pending;
      return { made, failed };
    },
  };
}

export type ExportFigures = { rows: number; seconds: number; mb: number; rss_peak_mb: number };

/** Downloads the whole queue as CSV once, counting its rows; the desk's peak RSS is read after it. */
async function measureExport(url: string, cookie: string, pid: number): Promise<ExportFigures> {
  const t0 = performance.now();
  const res = await fetch(`${url}/tickets.csv?view=all`, { headers: { cookie } });
  if (res.status !== 200 || !res.body) throw new Error(`export: ${res.status}`);
  let bytes = 0;
  let lines = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (const b of chunk) if (b === 10) lines++;
  }
  const seconds = (performance.now() - t0) / 1000;
  const hwm = Number(/VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  // a subject with a line break counts twice: the figure is an upper bound of rows
  return { rows: lines - 1, seconds: Math.round(seconds * 10) / 10, mb: Math.round(bytes / 2 ** 20), rss_peak_mb: Math.round(hwm / 1024) };
}

export async function measureConsole(opts: {
  tickets: number;
  seconds: number;
  connections: number;
  dataRoot: string;
  engine: BenchEngine;
  log: (s: string) => void;
  /** measure only these pages (profiling one page) */
  pages?: string[];
}): Promise<ConsoleFigures> {
  const { env, messages, tickets, buildSeconds } = await ensureDataset(opts.dataRoot, opts.tickets, opts.log, opts.engine);
  const token = cli(env, ['token', 'create', '--user', 'olga@desk.example', '--name', 'bench']).trim().split('\n').pop()!;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // the desk runs as `npm start` runs it, with the same node options
  const nodeArgs = startNodeArgs();
  // BENCH_PROF=<dir> writes a CPU profile of the desk process there (node --cpu-prof)
  if (process.env.BENCH_PROF) nodeArgs.push('--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROF);
  if (process.env.BENCH_PRELOAD) nodeArgs.push('--import', process.env.BENCH_PRELOAD);
  opts.log(`desk: node ${nodeArgs.join(' ')} dist/main.js (web role)`);
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'dist/main.js')], {
    env: { ...env, ROLES: 'web', PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitHealthy(url, child);
    const cookie = await signIn(url, 'olga@desk.example', 'demo-password');
    const sessions = new Map<string, string>([['olga@desk.example', cookie]]);
    const cookieOf = async (user = 'olga@desk.example') => sessions.get(user) ?? sessions.set(user, await signIn(url, user, 'demo-password')).get(user)!;
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const pages: Record<string, PageFigures | null> = {};
    for (const target of CONSOLE_TARGETS) {
      if (opts.pages && !opts.pages.includes(target.name)) continue;
      const headers: Record<string, string> = target.auth === 'session' ? { cookie: await cookieOf(target.user) } : { authorization: `Bearer ${token}` };
      const next = () => ({ path: target.next(tickets, rand) });
      // every kind of request the load sends must answer 200 with a real page, or the figure means nothing
      const wrong: string[] = [];
      for (let i = 0; i < 20; i++) {
        const path = next().path;
        const res = await fetch(url + path, { headers, redirect: 'manual' });
        const body = await res.text();
        if (res.status !== 200 || !target.looksRight(body)) wrong.push(`${path} → ${res.status}`);
      }
      if (wrong.length) {
        opts.log(`${target.name}: NOT MEASURED, wrong answers: ${wrong.slice(0, 5).join(', ')}`);
        pages[target.name] = null;
        continue;
      }
      // a short warm-up fills the database's cache the way a running desk has it filled
      await load({ url, headers, connections: opts.connections, seconds: 2, next });
      const serverCpu = opts.engine.serverCpuMs;
      const cpu0 = processCpuMs(child.pid!);
      const db0 = serverCpu?.();
      const changes = target.changeEveryMs ? changeTickets(url, token, tickets, target.changeEveryMs) : undefined;
      let f: LoadFigures;
      let changed: Awaited<ReturnType<NonNullable<typeof changes>['stop']>> | undefined;
      try {
        f = await load({ url, headers, connections: opts.connections, seconds: opts.seconds, next });
      } finally {
        changed = await changes?.stop();
      }
      const perRequest = (ms: number) => Math.round((ms / Math.max(1, f.requests)) * 100) / 100;
      const p: PageFigures = { ...f, cpu_ms: perRequest(processCpuMs(child.pid!) - cpu0) };
      if (changed) {
        p.changes = changed.made;
        // a change refused is a request answered wrongly
        p.non2xx += changed.failed.length;
        if (changed.failed.length) opts.log(`${target.name}: changes refused: ${changed.failed.slice(0, 5).join(', ')}`);
      }
      if (serverCpu && db0 !== undefined) p.db_cpu_ms = perRequest(serverCpu() - db0);
      pages[target.name] = p;
      opts.log(`${target.name}: ${p.rps} req/s, p50 ${p.p50_ms} ms, p95 ${p.p95_ms} ms, p99 ${p.p99_ms} ms, desk CPU ${p.cpu_ms} ms/request${p.db_cpu_ms === undefined ? '' : `, database CPU ${p.db_cpu_ms} ms/request`} (${p.requests} requests, ${p.non2xx} non-2xx, ${p.errors} errors${p.changes === undefined ? '' : `, ${p.changes} tickets changed`})`);
    }
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const hwm = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0);
    const exported = opts.pages && !opts.pages.includes('export') ? undefined : await measureExport(url, cookie, child.pid!);
    if (exported) opts.log(`export: ${exported.rows} rows, ${exported.mb} MB in ${exported.seconds} s, desk peak RSS ${exported.rss_peak_mb} MB`);
    return { tickets, messages, buildSeconds, pages, rss_peak_mb: Math.round(hwm / 1024), export: exported };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}
