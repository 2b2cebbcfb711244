// Runs one source's mail through the real parser, pipeline and apply (SQLite with the real
// migrations in a temp dir), keeping what each step decided for the comparison.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/open.ts';
import type { Deps } from '../../src/deps.ts';
import { parseEmail } from '../../src/channels/email/parse-email.ts';
import { runPipeline, STEPS } from '../../src/intake/pipeline.ts';
import { sha256Hex, createFileStore } from '../../src/store/file-store.ts';
import { buildServices, type Services } from '../../src/services.ts';
import { insertMailbox } from '../../src/store/mailboxes.ts';
import type { Draft, InboundMessage } from '../../src/intake/types.ts';
import type { ReceiveResult } from '../../src/intake/receive.ts';

export const DESK_HOST = 'desk.example.test';

export type Run = {
  /** the parsed message, when the parser accepted it */
  msg: InboundMessage | null;
  parseError: string | null;
  /** what the steps decided, computed before the message was applied (dedupe left out) */
  draft: Draft | null;
  result: ReceiveResult | null;
  /** an exception that escaped intake, or a quarantine caused by our own bug rather than the mail */
  crash: string | null;
};

export type Harness = {
  deps: Deps;
  services: Services;
  run(raw: Buffer): Promise<Run>;
  close(): void;
};

// the parser's own verdicts on broken mail; any other quarantine means a step or apply threw
const MAIL_PROBLEM = /^(empty message|no mail headers found|no sender address|message is \d+ bytes, over)/;

export async function openHarness(opts: { ourAddresses?: string[] } = {}): Promise<Harness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'score-corpus-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dir,
    DATABASE_URL: `file:${path.join(dir, 'desk.sqlite')}`,
    LOG_LEVEL: 'silent',
    PUBLIC_URL: `https://${DESK_HOST}`,
    SESSION_SECRET: 'corpus-score-secret-corpus-score-secret',
  });
  const db = await openDatabase(config.database);
  let t = Date.UTC(2026, 10, 2, 9, 0, 0);
  const deps: Deps = {
    config,
    db,
    files: createFileStore(dir),
    log: pino({ level: 'silent' }),
    clock: { now: () => (t += 1000) },
    secrets: { session: 's'.repeat(40), token: 't'.repeat(40), credentials: 'c'.repeat(43) },
  };
  for (const [i, address] of (opts.ourAddresses ?? []).entries()) {
    await insertMailbox(db, { name: `ours ${i}`, address, host: 'imap.invalid', username: address, password: 'x', enabled: false }, deps.clock.now());
  }
  const services = buildServices(deps);
  const withoutDedupe = STEPS.filter((s) => s.name !== 'drop-duplicate');

  return {
    deps,
    services,
    async run(raw) {
      const out: Run = { msg: null, parseError: null, draft: null, result: null, crash: null };
      try {
        out.msg = await parseEmail({ channel: 'email', source: 'pipe', mailboxId: null, raw, receivedAt: deps.clock.now(), rawSha256: sha256Hex(raw) }, deps);
        out.draft = await runPipeline(out.msg, deps, { steps: withoutDedupe });
      } catch (err) {
        if (out.msg) out.crash = `pipeline: ${err instanceof Error ? err.stack ?? err.message : String(err)}`;
        else out.parseError = err instanceof Error ? err.message : String(err);
      }
      try {
        out.result = await services.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw });
        if (out.result.outcome === 'quarantined' && !MAIL_PROBLEM.test(out.result.error ?? '')) out.crash ??= `quarantined by a bug: ${out.result.error}`;
      } catch (err) {
        out.crash = `intake: ${err instanceof Error ? err.stack ?? err.message : String(err)}`;
      }
      return out;
    },
    close() {
      db.sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A plain-text (or HTML) body as the mail a person would send, for the reply-trimming corpora. */
export function wrapBody(body: string, opts: { html?: boolean; from?: string; subject?: string } = {}): Buffer {
  const head = [
    `From: ${opts.from ?? 'Sender <sender@client.example>'}`,
    `To: support@${DESK_HOST}`,
    `Subject: ${opts.subject ?? 'Re: your request'}`,
    'Date: Mon, 02 Nov 2026 09:00:00 +0000',
    `Message-ID: <${sha256Hex(body).slice(0, 24)}@client.example>`,
    'MIME-Version: 1.0',
    `Content-Type: ${opts.html ? 'text/html' : 'text/plain'}; charset=utf-8`,
    'Content-Transfer-Encoding: base64',
  ].join('\r\n');
  const b64 = Buffer.from(body, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(`${head}\r\n\r\n${b64}\r\n`);
}
