// The desk process is killed (SIGKILL) in the middle of an SMTP transaction: the restarted worker
// sends the interrupted mail again with the same Message-ID, sends the rest, and nothing is
// accepted twice by the server.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseUrlOf, makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { startSmtpServer, type TestSmtp } from '../../helpers/smtp.ts';
import { rawMail, waitUntil } from '../../helpers/mail.ts';
import { buildServices } from '../../../src/services.ts';
import { createOutboxWorker } from '../../../src/outbox/worker.ts';
import { getOutbox, listOutbox } from '../../../src/store/outbox.ts';

const root = path.resolve(import.meta.dirname, '../../..');

describe('outbox: crash in the middle of a send', () => {
  let deps: TestDeps;
  let smtp: TestSmtp;
  let child: ChildProcess | undefined;
  let childLog = '';

  beforeEach(async () => {
    smtp = await startSmtpServer();
    deps = await makeTestDeps({ SMTP_URL: smtp.url, MAIL_FROM: 'support@desk.example' }, { file: true });
  });
  afterEach(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await smtp.close();
    deps.close();
  });

  it('sends the interrupted mail again after a restart with the same Message-ID, and every other mail once', async () => {
    const services = buildServices(deps);
    for (let i = 1; i <= 3; i++) {
      await services.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: rawMail({ from: `user${i}@client.example`, subject: `Problem ${i}`, body: 'x', messageId: `c${i}@client.example` }) });
    }
    expect(await listOutbox(deps.db, { statuses: ['pending'] }, { limit: 10 })).toHaveLength(3);
    const firstRow = (await listOutbox(deps.db, {}, { limit: 10 })).at(-1)!;

    // the server reads the first mail completely and never answers it
    let holdNext = true;
    smtp.behaviour.hold = () => {
      const hold = holdNext;
      holdNext = false;
      return hold;
    };
    // the real desk process, outbox role only, on the same database file
    child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(root, 'src/main.ts')], {
      cwd: deps.dataDir,
      env: {
        ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', ROLES: 'outbox',
        DATABASE_URL: databaseUrlOf(deps.config), DATA_DIR: deps.dataDir,
        SESSION_SECRET: 's'.repeat(40), SMTP_URL: smtp.url, SMTP_ALLOW_PLAINTEXT: 'true', MAIL_FROM: 'support@desk.example',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (childLog += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (childLog += d.toString()));
    await waitUntil('the desk process to start sending', () => smtp.held.length === 1, 60_000).catch((err: unknown) => {
      throw new Error(`${String(err)} (log: ${childLog})`);
    });

    const inFlight = await getOutbox(deps.db, firstRow.id);
    expect(inFlight).toMatchObject({ status: 'sending', attempts: 1 });
    expect(inFlight.headerMessageId).toBe(smtp.held[0].messageId);

    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(smtp.received).toHaveLength(0);

    // the desk starts again; once the dead process's lease is over the row is sent again
    deps.clock.set(Date.now() + 10 * 60_000 + 1_000);
    const restarted = createOutboxWorker(services.ctx, { senders: buildServices(deps).senders });
    expect(await restarted.runOnce()).toMatchObject({ sent: 3 });
    await restarted.stop();
    await smtp.waitFor(3);

    const ids = smtp.messageIds();
    expect(new Set(ids).size).toBe(3);
    expect(ids).toContain(smtp.held[0].messageId);
    const rows = await listOutbox(deps.db, {}, { limit: 10 });
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    expect(await getOutbox(deps.db, firstRow.id)).toMatchObject({ attempts: 2, headerMessageId: smtp.held[0].messageId });
  }, 90_000);
});
