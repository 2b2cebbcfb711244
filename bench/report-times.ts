// Each report page timed alone (no concurrency) on the bench's console database: which report costs
// what. `tsx bench/report-times.ts [--tickets N] [--engine sqlite|postgres] [--runs N] [--only <path part>]
// [--fresh] [--prof <dir>]`, after `npm run build`. The first run of a page includes loading its code.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDataset, signIn, startNodeArgs, waitHealthy } from './console.ts';
import { openEngines, type EngineName } from './engines.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { tickets: { type: 'string', default: '100000' }, engine: { type: 'string', default: 'sqlite' }, runs: { type: 'string', default: '3' }, only: { type: 'string' }, prof: { type: 'string' }, fresh: { type: 'boolean', default: false } } });
const since = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
const PAGES = [
  `/reports/created-resolved?group=month&from=${since}`, `/reports/created-resolved?group=week&from=${since}`, `/reports/created-resolved?group=day&from=${since}`,
  `/reports/status?group=month&from=${since}`, `/reports/time?by=agent&from=${since}`, `/reports/time?by=period&group=month&from=${since}`,
  '/reports/cost', '/reports/cost?org=1', '/reports/cost?component=1', '/reports/cost?agent=2', '/reports/contracts', `/reports/created-resolved?group=month&from=${since}&priority=high`,
  `/reports/sla?from=${since}`, `/reports/response-times?from=${since}`, `/reports/workload?from=${since}`, `/reports/trends?from=${since}`,
  `/reports/complaints?from=${since}`, `/reports/difficult-clients?from=${since}`, '/dashboard', '/calendar', '/calendar?agent=all', '/calendar?agent=all&view=week', '/tickets.csv?view=all',
];

const log = (s: string) => console.log(s);
const [engine] = await openEngines([values.engine as EngineName], log);
try {
  const { env } = await ensureDataset(path.join(ROOT, 'bench/.data'), Number(values.tickets), log, engine);
  const port = 20000 + Math.floor(Math.random() * 20000);
  const url = `http://127.0.0.1:${port}`;
  // --prof <dir> writes a CPU profile of the desk there
  const prof = values.prof ? ['--cpu-prof', '--cpu-prof-dir', values.prof] : [];
  const child = spawn(process.execPath, [...startNodeArgs(), ...prof, path.join(ROOT, 'dist/main.js')], {
    env: { ...env, ROLES: 'web', PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitHealthy(url, child);
    const cookie = await signIn(url, 'olga@desk.example', 'demo-password');
    for (const p of PAGES.filter((x) => !values.only || x.includes(values.only))) {
      const ms: number[] = [];
      let status = 0;
      for (let i = 0; i < Number(values.runs); i++) {
        const t0 = performance.now();
        // --fresh: every run counts afresh (`fresh=1`) rather than reading the minute's kept result
        const target = values.fresh && p.startsWith('/reports/') ? `${p}${p.includes('?') ? '&' : '?'}fresh=1` : p;
        const res = await fetch(url + target, { headers: { cookie } });
        await res.text();
        status = res.status;
        ms.push(Math.round(performance.now() - t0));
      }
      ms.sort((a, b) => a - b);
      console.log(`${String(ms[Math.floor(ms.length / 2)]).padStart(6)} ms  ${status}  ${p}  (${ms.join(' ')})`);
    }
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
  }
} finally {
  await engine.close();
}
