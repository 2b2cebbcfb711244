// The desk as it runs in production (a database file, or the PostgreSQL database BENCH_ENV names;
// the real app and services, web role),
// started as a child of bench/sms-webhook.ts so the load generator does not share its thread.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDeps } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { startWeb } from '../src/roles/web.ts';
import { buildServices } from '../src/services.ts';

const env = JSON.parse(process.env.BENCH_ENV ?? '{}') as Record<string, string>;
const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-bench-sms-'));
const config = loadConfig({
  NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATA_DIR: dir,
  DATABASE_URL: `file:${path.join(dir, 'helpdesk.sqlite')}`, SESSION_SECRET: 'b'.repeat(40), ...env,
});
const deps = await openDeps(config);
const web = await startWeb(buildServices(deps));
process.send?.({ port: web.port });
// CPU time of this process (user + system), to tell cost apart from a busy machine's waiting
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let cpuAtMark = 0;
process.on('message', async (m) => {
  if (m === 'mark') {
    cpuAtMark = cpuMs();
    process.send?.({ marked: true });
  }
  if (m === 'stats') {
    const count = async (sql: string) => Number(((await deps.db.get(sql)) as { n: number | string }).n);
    process.send?.({
      stats: {
        inbound: await count('select count(*) n from inbound_messages'),
        waiting: await count('select count(*) n from sms_inbox'),
        quarantined: await count("select count(*) n from inbound_messages where outcome = 'quarantined'"),
        tickets: await count('select count(*) n from tickets'),
        messages: await count("select count(*) n from messages where kind = 'reply'"),
        cpuMs: cpuMs() - cpuAtMark,
      },
    });
  }
  if (m === 'drain') {
    // how fast intake empties the SMS inbox once the load stops
    const start = performance.now();
    const cpuStart = cpuMs();
    const waiting = async () => Number(((await deps.db.get('select count(*) n from sms_inbox')) as { n: number | string }).n);
    const before = await waiting();
    const tick = async () => {
      if (await waiting() > 0) return void setTimeout(tick, 20);
      process.send?.({ drained: { messages: before, ms: performance.now() - start, cpuMs: cpuMs() - cpuStart } });
    };
    await tick();
  }
  if (m === 'stop') {
    void web.stop().then(async () => {
      await deps.db.close();
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  }
});
