// Twilio webhook throughput with signature validation: signed incoming texts (each a new
// MessageSid, from a few hundred numbers, so most join an open ticket and some open one) posted
// to the real app in a child process. Target (DESIGN.md): ≥ 1,000 requests/s on 2 cores, p99 < 20 ms.
// Run alone: npm run bench:sms [-- --duration 10 --connections 10 --engine postgres]; BENCH_PROF=<dir>
// writes a CPU profile of the server there.
import { fork } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import twilio from 'twilio';
import { engineArg, openEngines, type BenchEngine } from './engines.ts';

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'bench-auth-token';
const PUBLIC_URL = 'https://help.example.test';
const PATH = '/webhooks/twilio/sms';

export type SmsWebhookResult = {
  requests: number;
  /** answered 2xx */
  answered: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  /** accepted (answered) and not lost: through intake or waiting in the SMS inbox */
  accepted: number;
  /** through intake by the end of the run */
  stored: number;
  tickets: number;
  /** intake rate emptying the inbox after the load, messages per second */
  intakeRate: number;
  /** server CPU per webhook request (intake's share taken out) and per message through intake */
  webhookCpuMs: number;
  intakeCpuMs: number;
};

type Stats = { inbound: number; waiting: number; quarantined: number; tickets: number; messages: number; cpuMs: number };

function signedBodies(count: number, senders: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const sid = `SM${i.toString(16).padStart(32, '0')}`;
    const params: Record<string, string> = {
      ToCountry: 'US', ToState: 'CA', SmsMessageSid: sid, NumMedia: '0', ToCity: '', FromZip: '', SmsSid: sid, FromState: '',
      SmsStatus: 'received', FromCity: '', Body: `Printer ${i % 97} on floor ${i % 9} shows error E${i % 50}, please send someone`,
      FromCountry: 'RU', To: '+15005550006', ToZip: '', NumSegments: '1', MessageSid: sid, AccountSid: ACCOUNT_SID,
      From: `+7912${String(1_000_000 + (i % senders)).slice(1)}`, ApiVersion: '2010-04-01',
    };
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC_URL + PATH, params);
    out.push(`${signature}\n${new URLSearchParams(params).toString()}`);
  }
  return out;
}

function cpuCost(answered: number, during: Stats, drained: { messages: number; cpuMs: number }) {
  const intakeCpuMs = drained.messages ? drained.cpuMs / drained.messages : 0;
  const throughIntakeDuring = during.inbound;
  const webhookCpuMs = answered ? Math.max(0, during.cpuMs - throughIntakeDuring * intakeCpuMs) / answered : 0;
  return { webhookCpuMs: Math.round(webhookCpuMs * 1000) / 1000, intakeCpuMs: Math.round(intakeCpuMs * 100) / 100 };
}

export async function measureSmsWebhook(opts: { engine: BenchEngine; durationSec?: number; connections?: number; senders?: number }): Promise<SmsWebhookResult> {
  const duration = opts.durationSec ?? 10;
  const connections = opts.connections ?? 10;
  // on SQLite the server keeps its file in a temp folder of its own
  const database = opts.engine.name === 'sqlite' ? undefined : await opts.engine.scratch('');
  const child = fork(fileURLToPath(new URL('./sms-webhook-server.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROF] : [])],
    env: {
      ...process.env,
      BENCH_ENV: JSON.stringify({
        TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_FROM: '+15005550006', PUBLIC_URL,
        ...(database ? { DATABASE_URL: database.url } : {}),
      }),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = <T>(msg: string, key: string) =>
    new Promise<T>((resolve, reject) => {
      const on = (m: Record<string, unknown>) => {
        if (key in m) {
          child.off('message', on);
          resolve(m[key] as T);
        }
      };
      child.on('message', on);
      child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
      if (msg) child.send(msg);
    });
  try {
    const port = await ask<number>('', 'port');
    const bodies = signedBodies(Math.max(20_000, duration * 4_000), opts.senders ?? 500);
    let next = 0;
    await ask<boolean>('mark', 'marked');
    const result = await autocannon({
      url: `http://127.0.0.1:${port}`,
      connections,
      duration,
      requests: [
        {
          method: 'POST',
          path: PATH,
          setupRequest(req) {
            const item = bodies[next++ % bodies.length];
            const nl = item.indexOf('\n');
            return {
              ...req,
              headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': item.slice(0, nl) },
              body: item.slice(nl + 1),
            };
          },
        },
      ],
    });
    const stats = await ask<Stats>('stats', 'stats');
    const drained = await ask<{ messages: number; ms: number; cpuMs: number }>('drain', 'drained');
    const after = await ask<Stats>('stats', 'stats');
    return {
      requests: result.requests.total,
      answered: result['2xx'],
      rps: Math.round(result.requests.average),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      maxMs: result.latency.max,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      accepted: stats.inbound + stats.waiting,
      stored: stats.inbound - stats.quarantined,
      tickets: after.tickets,
      intakeRate: drained.messages ? Math.round(drained.messages / (drained.ms / 1000)) : 0,
      ...cpuCost(result['2xx'], stats, drained),
    };
  } finally {
    if (child.exitCode === null) {
      child.send('stop');
      await new Promise((r) => child.once('exit', r));
    }
    await database?.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const [engine] = await openEngines([engineArg(process.argv)], (s) => console.error(s));
  const r = await measureSmsWebhook({ engine, durationSec: arg('duration'), connections: arg('connections') }).finally(() => engine.close());
  console.table({
    'Twilio SMS webhook (signed, kept)': {
      'req/s': r.rps, 'p50 ms': r.p50Ms, 'p99 ms': r.p99Ms, 'max ms': r.maxMs, answered: r.answered, 'non-2xx': r.non2xx, errors: r.errors,
      accepted: r.accepted, 'through intake during': r.stored, 'intake msg/s after': r.intakeRate, tickets: r.tickets,
    },
  });
  console.table({
    'server CPU per webhook request': { ms: r.webhookCpuMs, 'req/s one core could take': r.webhookCpuMs ? Math.round(1000 / r.webhookCpuMs) : null },
    'server CPU per message through intake': { ms: r.intakeCpuMs, 'msg/s one core could take': r.intakeCpuMs ? Math.round(1000 / r.intakeCpuMs) : null },
  });
  console.log('target: ≥ 1000 req/s, p99 < 20 ms (2 cores); every answered request is kept (accepted = 2xx)');
  process.exit(r.rps >= 1000 && r.p99Ms < 20 && r.accepted >= r.answered ? 0 : 1);
}
