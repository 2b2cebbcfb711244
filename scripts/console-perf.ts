// Rough console timings on a big generated database, and the query plans behind them.
//
//   npx tsx src/cli.ts demo --tickets 1000000          (with DATABASE_URL/DATA_DIR pointing at a scratch dir)
//   DATABASE_URL=file:/tmp/x/desk.sqlite DATA_DIR=/tmp/x npx tsx scripts/console-perf.ts [--runs 40] [--plans]
//
// It runs the real app in-process, signs in as a generated load-test agent and requests queue,
// ticket and search pages over loopback HTTP, printing p50/p95 per page (server time plus a little
// HTTP overhead). --plans prints EXPLAIN QUERY PLAN for every queue view and sort.
import type { Server } from 'node:http';
import { parseArgs } from 'node:util';
import { and } from 'drizzle-orm';
import { configOrExit, loadDotEnv, openDeps } from '../src/bootstrap.ts';
import { tickets } from '../src/db/schema.ts';
import { parseQueueQuery, queueFilter, QUEUE_VIEWS, sortsFor } from '../src/domain/queue-query.ts';
import { buildServices } from '../src/services.ts';
import { queueWhere, SORTS } from '../src/store/queue.ts';
import { createApp } from '../src/web/app.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '30' }, plans: { type: 'boolean', default: false }, user: { type: 'string', default: 'agent01@load.example' }, password: { type: 'string', default: 'load-test-password' } } });
loadDotEnv();
const config = configOrExit({ ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'production' });
const deps = await openDeps(config);
const db = deps.db;

if (values.plans) {
  for (const view of QUEUE_VIEWS) {
    for (const sort of sortsFor(view)) {
      const f = queueFilter(parseQueueQuery({ view, sort }), { userId: 10, componentIds: [1, 2], now: Date.now() });
      const w = queueWhere(f);
      const q = db.select().from(tickets).where(w.length ? and(...w) : undefined).orderBy(...SORTS[sort].order).limit(51).toSQL();
      const plan = ((await db.all(`explain query plan ${q.sql}`, ...q.params)) as { detail: string }[]).map((r) => r.detail).join(' | ');
      console.log(`${view}/${sort}`.padEnd(24), plan);
    }
  }
}

const services = buildServices(deps);
const app = await createApp(services.ctx, services.web);
const server = await new Promise<Server>((resolve) => {
  const s = app.listen(0, '127.0.0.1', () => resolve(s));
});
const port = (server.address() as { port: number }).port;
const base = `http://127.0.0.1:${port}`;
const cookies = new Map<string, string>();
const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
const keep = (res: Response) => {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const i = pair.indexOf('=');
    cookies.set(pair.slice(0, i), pair.slice(i + 1));
  }
};
const get = async (path: string) => {
  const t0 = performance.now();
  const res = await fetch(base + path, { headers: { cookie: cookieHeader() }, redirect: 'manual' });
  const text = await res.text();
  keep(res);
  return { ms: performance.now() - t0, status: res.status, text };
};
const login = await get('/login');
const csrf = /name="_csrf" value="([^"]+)"/.exec(login.text)?.[1] ?? '';
const res = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, email: values.user!, password: values.password! }) });
keep(res);
if (res.status !== 303) throw new Error(`could not sign in as ${values.user} (${res.status}); generate data with "helpdesk demo --tickets N" first`);

const counts = (await db.get('select (select count(*) from tickets) t, (select count(*) from messages) m, (select max(number) from tickets) n')) as { t: number; m: number; n: number };
console.log(`database: ${counts.t} tickets, ${counts.m} messages`);
const recent = counts.n;
const pages: [string, () => string][] = [
  ['queue open (updated)', () => '/tickets?view=open'],
  ['queue mine', () => '/tickets?view=mine'],
  ['queue unassigned', () => '/tickets?view=unassigned'],
  ['queue SLA (due)', () => '/tickets?view=sla'],
  ['queue open by priority', () => '/tickets?view=open&sort=priority'],
  ['queue all + org filter', () => '/tickets?view=all&organization=7'],
  ['queue open + priority + channel', () => '/tickets?view=open&priority=high&channel=email'],
  ['queue text filter', () => '/tickets?view=all&q=printer'],
  ['ticket page (random)', () => `/tickets/${1 + Math.floor(Math.random() * recent)}`],
  ['search common word', () => '/search?q=password'],
  ['search two words', () => '/search?q=printer+toner'],
  ['search rare code', () => `/search?q=ws-${Math.floor(Math.random() * 20000)}`],
  ['search Russian', () => '/search?q=принтер'],
];
const runs = Number(values.runs);
console.log(`${'page'.padEnd(34)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
for (const [name, path] of pages) {
  await get(path()); // warm
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await get(path());
    if (r.status !== 200) throw new Error(`${name}: HTTP ${r.status}`);
    times.push(r.ms);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
  console.log(`${name.padEnd(34)} ${at(0.5).padStart(8)} ${at(0.95).padStart(8)} ${times[times.length - 1].toFixed(1).padStart(8)}`);
}
console.log(`rss ${Math.round(process.memoryUsage().rss / 1048576)} MB`);
server.close();
db.sqlite.close();
