// `npm run bench [-- --quick] [-- --json FILE]`: every performance figure we claim, measured on
// this machine in one run, printed as one table (and written as flat JSON with --json).
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { measureIntakeThroughput } from './intake-throughput.ts';
import { measureConsole } from './console.ts';
import { measureSmsWebhook } from './sms-webhook.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

type Row = { key: string; label: string; value: number | null; unit: string; target?: string };

async function main() {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, json: { type: 'string' }, only: { type: 'string' } } });
  const scale = values.quick ? 0.1 : 1;
  const only = values.only ? new Set(values.only.split(',')) : null;
  const want = (s: string) => !only || only.has(s);
  const log = (s: string) => console.error(`[bench] ${s}`);
  const rows: Row[] = [];

  log('building dist/ …');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });

  if (want('intake')) {
    const mails = Math.round(10_000 * scale);
    log(`intake throughput over ${mails} generated mails …`);
    const f = await measureIntakeThroughput({ mails });
    rows.push(
      { key: 'intake_msgs_per_s', label: `Intake, raw mail → committed ticket (${mails} mails)`, value: f.intake_msgs_per_s, unit: 'msg/s' },
      { key: 'mailparser_msgs_per_s', label: 'Bare mailparser on the same corpus', value: f.mailparser_msgs_per_s, unit: 'msg/s' },
      { key: 'intake_ratio', label: 'Intake / mailparser', value: f.intake_ratio, unit: '×', target: '≥ 0.6' },
    );
    log(`intake outcomes: ${JSON.stringify(f.outcomes)}`);
  }

  if (want('console')) {
    const tickets = Math.round(1_000_000 * scale);
    const f = await measureConsole({ tickets, seconds: values.quick ? 5 : 15, connections: 10, dataRoot: path.join(ROOT, 'bench/.data'), log });
    const page = (key: string, name: string, label: string) => {
      const p = f.pages[name];
      rows.push({ key, label, value: p ? p.p95_ms : null, unit: 'ms p95', target: '< 50' });
      if (p) log(`${name}: ${p.rps} req/s, p50 ${p.p50_ms} ms, p95 ${p.p95_ms} ms, p99 ${p.p99_ms} ms (${p.requests} requests, ${p.non2xx} non-2xx)`);
    };
    page('queue_p95_ms', 'queue', 'Queue page (10 concurrent)');
    page('ticket_p95_ms', 'ticket', 'Ticket page');
    page('search_p95_ms', 'search', 'Search page');
    page('api_list_p95_ms', 'api_list', 'API ticket list');
    rows.push(
      { key: 'rss_peak_mb', label: 'Peak RSS of the desk process', value: f.rss_peak_mb, unit: 'MB', target: '< 300' },
      { key: 'tickets', label: 'Tickets in the database', value: f.tickets, unit: '' },
      { key: 'messages', label: 'Messages in the database', value: f.messages, unit: '' },
    );
  }

  if (want('sms')) {
    log('Twilio SMS webhook with signature validation …');
    const f = await measureSmsWebhook({ durationSec: values.quick ? 5 : 15, connections: 10 });
    rows.push(
      { key: 'sms_rps', label: 'SMS webhook, signed requests (10 concurrent)', value: f.rps, unit: 'req/s', target: '≥ 1000' },
      { key: 'sms_p99_ms', label: 'SMS webhook latency', value: f.p99Ms, unit: 'ms p99', target: '< 20' },
    );
    log(`sms: answered ${f.answered}, accepted ${f.accepted}, non-2xx ${f.non2xx}, errors ${f.errors}, server CPU ${f.webhookCpuMs} ms/request`);
  }

  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  console.log(`\nBenchmarks (${values.quick ? 'quick, 10× smaller data' : 'full'}) on ${machine}\n`);
  const w = Math.max(...rows.map((r) => r.label.length));
  console.log(`${'figure'.padEnd(w)}  ${'value'.padStart(10)}  unit     target`);
  for (const r of rows) {
    console.log(`${r.label.padEnd(w)}  ${(r.value === null ? 'n/a' : String(r.value)).padStart(10)}  ${r.unit.padEnd(7)}  ${r.target ?? ''}`);
  }
  if (values.json) {
    writeFileSync(values.json, `${JSON.stringify(Object.fromEntries(rows.map((r) => [r.key, r.value])), null, 2)}\n`);
    log(`wrote ${values.json}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
