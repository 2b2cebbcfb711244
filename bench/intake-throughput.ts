// Intake throughput: raw mail → committed ticket (parse, steps, one transaction each, file-backed
// SQLite) against bare mailparser on the same mail (the floor cost). Mail: the peers' corpus when
// it is there (../shared/fixtures/peers), else fixtures/email. Run alone: npm run bench:intake
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { openDb } from '../src/db/client.ts';
import { migrateDb } from '../src/db/migrate.ts';
import { systemClock, type Deps } from '../src/deps.ts';
import { buildServices } from '../src/services.ts';
import { createFileStore } from '../src/store/file-store.ts';
import { insertMailbox } from '../src/store/mailboxes.ts';
import { findPeersDir } from '../scripts/corpus/peers-dir.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function mailFiles(): string[] {
  const peers = findPeersDir(ROOT) ?? '';
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((f) => {
      const full = path.join(d, f);
      return statSync(full).isDirectory() ? (f.startsWith('_') ? [] : walk(full)) : [full];
    });
  if (peers) {
    const mail = /\.(eml|box|msg)$/;
    const files = ['zammad', 'chatwoot', 'php-mime-mail-parser', 'mikel-mail', 'sisimai-set-of-emails/maildir/bsd'].flatMap((s) => (existsSync(path.join(peers, s)) ? walk(path.join(peers, s)) : []));
    return files.filter((f) => mail.test(f) || f.includes('php-mime-mail-parser/tests/mails/'));
  }
  return walk(path.join(ROOT, 'fixtures/email')).filter((f) => f.endsWith('.eml'));
}

export type Throughput = { mails: number; parsePerSec: number; intakePerSec: number; ratio: number };

export async function measureIntakeThroughput(opts: { rounds?: number } = {}): Promise<Throughput> {
  const raws = mailFiles().map((f) => readFileSync(f)).filter((b) => b.length < 2_000_000);
  const rounds = opts.rounds ?? 3;
  let t = performance.now();
  for (let r = 0; r < rounds; r++) for (const raw of raws) await simpleParser(raw);
  const parsePerSec = (raws.length * rounds) / ((performance.now() - t) / 1000);

  const dir = mkdtempSync(path.join(tmpdir(), 'bench-intake-'));
  const config = loadConfig({ DATA_DIR: dir, DATABASE_URL: `file:${path.join(dir, 'desk.sqlite')}`, LOG_LEVEL: 'silent', SESSION_SECRET: 'b'.repeat(40) });
  const db = openDb(config.databasePath);
  migrateDb(db);
  const deps: Deps = { config, db, files: createFileStore(dir), log: pino({ level: 'silent' }), clock: systemClock, secrets: { session: 's'.repeat(40), token: 't'.repeat(40) } };
  const { intake } = buildServices(deps);
  // one mailbox per round: dedupe is per mailbox, so every round is new mail
  const boxes = Array.from({ length: rounds }, (_, r) => insertMailbox(db, { name: `b${r}`, address: `b${r}@bench.example`, host: 'h', username: 'u', password: 'p', enabled: false }, 0).id);
  try {
    t = performance.now();
    for (let r = 0; r < rounds; r++) {
      for (const raw of raws) await intake.receive({ channel: 'email', source: 'pipe', mailboxId: boxes[r], raw });
    }
    const intakePerSec = (raws.length * rounds) / ((performance.now() - t) / 1000);
    return { mails: raws.length * rounds, parsePerSec, intakePerSec, ratio: intakePerSec / parsePerSec };
  } finally {
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatThroughput(r: Throughput): string {
  return [
    `intake throughput (raw mail → committed ticket), ${r.mails} mails`,
    `  mailparser alone ${r.parsePerSec.toFixed(0)} msg/s   intake ${r.intakePerSec.toFixed(0)} msg/s   = ${(r.ratio * 100).toFixed(0)}% (target ≥ 60%)`,
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  measureIntakeThroughput().then(
    (r) => console.log(formatThroughput(r)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
