// `npm run bench [-- --quick] [-- --json FILE] [-- --only intake,ttt,console,sms]
// [-- --engine sqlite|postgres|both] [-- --tickets N]`: every performance figure we claim, measured on
// this machine in one run and printed as one table (markdown, so it can be pasted as is), with one
// column per database engine; --json also writes the headline figures as flat JSON.
// A measurement that is not valid (a page not measured, an error or non-2xx answer under load, an
// answered SMS not kept) fails the run with exit code 1; a target not met is reported, not failed.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { measureIntakeThroughput } from './intake-throughput.ts';
import { measureConsole, CONSOLE_TARGETS } from './console.ts';
import { openEngines, parseEngines, type BenchEngine, type EngineName } from './engines.ts';
import { measureSmsWebhook } from './sms-webhook.ts';
import { measureTimeToTicket } from './time-to-ticket.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SECTIONS = ['intake', 'ttt', 'console', 'sms'] as const;

/** The flat JSON the issue asks for: exactly these keys, null when a section was not run. */
const JSON_KEYS = [
  'intake_msgs_per_s', 'mailparser_msgs_per_s', 'intake_ratio', 'time_to_ticket_p50_ms', 'time_to_ticket_p99_ms',
  'queue_p95_ms', 'ticket_p95_ms', 'search_p95_ms', 'api_list_p95_ms', 'reports_p95_ms', 'dashboard_p95_ms', 'dashboard_agent_p95_ms', 'dashboard_admin_p95_ms', 'calendar_p95_ms', 'report_files_p95_ms', 'reports_busy_p95_ms', 'dashboard_busy_p95_ms', 'export_seconds', 'export_rss_mb', 'rss_peak_mb', 'sms_rps', 'sms_p99_ms', 'tickets', 'messages',
] as const;
type JsonKey = (typeof JSON_KEYS)[number];

/** One line of the table: a figure, its target, and per engine the value measured and whether it met the target. */
type Row = { figure: string; target?: string; cells: Partial<Record<EngineName, { value: string; met?: boolean }>> };

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (n: number) => `${fmt(n, n < 100 ? 1 : 0)} ms`;

async function main() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false }, json: { type: 'string' }, only: { type: 'string' },
      engine: { type: 'string', default: 'sqlite' }, tickets: { type: 'string' },
    },
  });
  const quick = values.quick;
  const scale = quick ? 0.1 : 1;
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : null;
  for (const s of only ?? []) if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`--only: unknown section "${s}" (${SECTIONS.join(', ')})`);
  const engineNames = parseEngines(values.engine);
  const consoleTickets = values.tickets ? Number(values.tickets) : Math.round(1_000_000 * scale);
  if (!Number.isInteger(consoleTickets) || consoleTickets < 1000) throw new Error('--tickets: a whole number of at least 1000');
  const want = (s: (typeof SECTIONS)[number]) => !only || only.includes(s);
  const log = (s: string) => console.error(`[bench] ${s}`);
  const rows: Row[] = [];
  /** the row of this figure, created in the order figures are first measured */
  const row = (figure: string, target?: string): Row => {
    let r = rows.find((x) => x.figure === figure);
    if (!r) rows.push((r = { figure, target, cells: {} }));
    return r;
  };
  const jsons = new Map(engineNames.map((e) => [e, Object.fromEntries(JSON_KEYS.map((k) => [k, null])) as Record<JsonKey, number | null>]));
  const invalid: string[] = [];
  const loads: number[][] = [loadavg()];

  log('building dist/ …');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const engines = await openEngines(engineNames, log);
  // an interrupted run stops the private PostgreSQL cluster too (its stop is synchronous)
  const interrupted = (signal: NodeJS.Signals) => {
    for (const engine of engines) void engine.close();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  try {
    // section by section, each on every engine in turn: the engines' figures of a section are taken
    // minutes apart, not a whole run apart, so a neighbour's load weighs on both alike
    const on = (engine: BenchEngine): Section => ({
      engine,
      json: jsons.get(engine.name)!,
      set: (figure, value, target) => void (row(figure, target?.text).cells[engine.name] = { value, met: target?.met }),
      log: (s) => log(engines.length > 1 ? `${engine.label}: ${s}` : s),
    });
    for (const section of SECTIONS) {
      if (!want(section)) continue;
      for (const engine of engines) {
        if (section === 'intake') await intakeSection({ ...on(engine), scale });
        if (section === 'ttt') await tttSection(on(engine));
        if (section === 'console') await consoleSection({ ...on(engine), tickets: consoleTickets, quick, invalid });
        if (section === 'sms') await smsSection({ ...on(engine), quick, invalid });
      }
      loads.push(loadavg());
    }
  } finally {
    for (const engine of engines) await engine.close();
  }

  const cpu = cpus();
  const load = loads.map((l) => l[0].toFixed(2)).join(' → ');
  const size = `${quick ? 'quick: 10× smaller data' : 'full'}${values.tickets ? `, console database of ${fmt(consoleTickets)} tickets` : ''}`;
  console.log(`\n**Benchmarks** (${size}), ${new Date().toISOString().slice(0, 10)}: ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, load average (1 min) ${load}`);
  for (const e of engines) if (e.about) console.log(`${e.about}`);
  console.log(`\n| figure | target | ${engines.map((e) => `${e.label} | |`).join(' ')}`);
  console.log(`|---|---|${engines.map(() => '---|---|').join('')}`);
  for (const r of rows) {
    const cells = engines.map((e) => {
      const c = r.cells[e.name];
      return `${c?.value ?? '–'} | ${c?.met === undefined ? '' : c.met ? 'met' : '**not met**'}`;
    });
    console.log(`| ${r.figure} | ${r.target ?? ''} | ${cells.join(' | ')} |`);
  }
  if (values.json) {
    // one engine: the flat keys; several: the first engine's under the flat keys, the others' prefixed with the engine's name
    const out: Record<string, number | null> = {};
    for (const [i, e] of engineNames.entries()) for (const [k, v] of Object.entries(jsons.get(e)!)) out[i === 0 ? k : `${e}_${k}`] = v;
    writeFileSync(values.json, `${JSON.stringify(out, null, 2)}\n`);
    log(`wrote ${values.json}`);
  }
  if (invalid.length) {
    console.error(`\n[bench] INVALID MEASUREMENT:\n${invalid.map((s) => `  - ${s}`).join('\n')}`);
    process.exitCode = 1;
  }
}

type Section = {
  engine: BenchEngine;
  json: Record<JsonKey, number | null>;
  /** records one engine's value of a figure */
  set: (figure: string, value: string, target?: { text: string; met: boolean }) => void;
  log: (s: string) => void;
};

async function intakeSection({ engine, scale, json, set, log }: Section & { scale: number }) {
  const mails = Math.round(10_000 * scale);
  log(`intake throughput over ${fmt(mails)} generated mails …`);
  const f = await measureIntakeThroughput({ mails, engine, log });
  json.intake_msgs_per_s = f.intake_msgs_per_s;
  json.mailparser_msgs_per_s = f.mailparser_msgs_per_s;
  json.intake_ratio = f.intake_ratio;
  set(`Intake: raw mail → committed ticket (${fmt(mails)} mails, one transaction each)`, `${fmt(f.intake_msgs_per_s)} msg/s`);
  set('Bare mailparser on the same corpus', `${fmt(f.mailparser_msgs_per_s)} msg/s`);
  set('Intake / mailparser', fmt(f.intake_ratio, 2), { text: '≥ 0.6', met: f.intake_ratio >= 0.6 });
  log(`intake outcomes: ${JSON.stringify(f.outcomes)}`);
}

async function tttSection({ engine, json, set, log }: Section) {
  const mails = 100; // p99 needs at least 100 samples, quick or not
  log(`time to ticket over ${mails} mails appended one by one to a private Dovecot …`);
  const f = await measureTimeToTicket({ engine, mails, log: (s) => log(s.trim()) });
  json.time_to_ticket_p50_ms = Math.round(f.p50);
  json.time_to_ticket_p99_ms = Math.round(f.p99);
  set(`Time to ticket: IMAP APPEND → committed ticket, IDLE (${mails} mails)`, `p50 ${ms(f.p50)} · p95 ${ms(f.p95)} · p99 ${ms(f.p99)}`, { text: 'p99 < 1,000 ms', met: f.p99 < 1000 });
}

async function consoleSection({ engine, tickets, quick, json, set, invalid, log }: Section & { tickets: number; quick: boolean; invalid: string[] }) {
  const connections = 10;
  const f = await measureConsole({ tickets, seconds: quick ? 5 : 15, connections, dataRoot: path.join(ROOT, 'bench/.data'), engine, log });
  json.tickets = f.tickets;
  json.messages = f.messages;
  json.rss_peak_mb = f.rss_peak_mb;
  set('Console database: tickets / messages (time to build it, when measured)', `${fmt(f.tickets)} / ${fmt(f.messages)}${f.buildSeconds ? ` (${fmt(f.buildSeconds)} s)` : ''}`);
  for (const target of CONSOLE_TARGETS) {
    const p = f.pages[target.name];
    const key = `${target.name}_p95_ms` as JsonKey;
    const figure = `${target.label} (${connections} connections)`;
    const limit = target.targetMs ?? 50;
    if (!p) {
      invalid.push(`${engine.label}: ${target.label}: not measured`);
      set(figure, 'not measured', { text: `p95 < ${limit} ms`, met: false });
      continue;
    }
    json[key] = p.p95_ms;
    if (p.non2xx || p.errors) invalid.push(`${engine.label}: ${target.label}: ${p.non2xx} non-2xx answers, ${p.errors} errors`);
    set(
      figure,
      `${fmt(p.rps)} req/s · p50 ${ms(p.p50_ms)} · p95 ${ms(p.p95_ms)} · p99 ${ms(p.p99_ms)} · desk CPU ${fmt(p.cpu_ms, 1)}${p.db_cpu_ms === undefined ? '' : ` + database ${fmt(p.db_cpu_ms, 1)}`} ms/request · ${fmt(p.requests)} requests${p.changes === undefined ? '' : ` · ${fmt(p.changes)} tickets changed`}${p.non2xx || p.errors ? `, ${p.non2xx} non-2xx, ${p.errors} errors` : ''}`,
      { text: `p95 < ${limit} ms`, met: p.p95_ms < limit && !p.non2xx && !p.errors },
    );
  }
  set('Peak RSS of the desk process during the console load', `${fmt(f.rss_peak_mb)} MB`, { text: '< 300 MB', met: f.rss_peak_mb < 300 });
  if (f.export) {
    json.export_seconds = f.export.seconds;
    json.export_rss_mb = f.export.rss_peak_mb;
    set(`Queue export: every ticket as CSV (${fmt(f.export.rows)} rows, ${fmt(f.export.mb)} MB)`, `${fmt(f.export.seconds, 1)} s · desk peak RSS ${fmt(f.export.rss_peak_mb)} MB`, {
      text: '< 60 s per million rows, RSS < 300 MB', met: (f.export.seconds * 1e6) / Math.max(1, f.export.rows) < 60 && f.export.rss_peak_mb < 300,
    });
  }
}

async function smsSection({ engine, quick, json, set, invalid, log }: Section & { quick: boolean; invalid: string[] }) {
  log('Twilio SMS webhook with signature validation …');
  const f = await measureSmsWebhook({ engine, durationSec: quick ? 5 : 15, connections: 10 });
  json.sms_rps = f.rps;
  json.sms_p99_ms = f.p99Ms;
  if (f.non2xx || f.errors) invalid.push(`${engine.label}: SMS webhook: ${f.non2xx} non-2xx answers, ${f.errors} errors`);
  if (f.accepted < f.answered) invalid.push(`${engine.label}: SMS webhook: answered ${f.answered} but kept ${f.accepted}`);
  set('SMS webhook: signed requests (10 connections), all answered ones kept', `${fmt(f.rps)} req/s · ${fmt(f.answered)} answered`, { text: '≥ 1,000 req/s', met: f.rps >= 1000 });
  set('SMS webhook latency', `p50 ${ms(f.p50Ms)} · p99 ${ms(f.p99Ms)}`, { text: 'p99 < 20 ms', met: f.p99Ms < 20 });
  log(`sms: answered ${f.answered}, kept ${f.accepted}, non-2xx ${f.non2xx}, errors ${f.errors}, server CPU ${f.webhookCpuMs} ms/request; intake emptied the inbox at ${f.intakeRate} msg/s`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
