// The outbox worker on PostgreSQL when the database goes away between the SMTP server's 250 and the
// write that marks the mail sent (a restart of the server for maintenance): the mail is recorded as
// sent once the database is back, not left `sending` until its lease runs out and then sent again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { closeDb } from '../../../src/db/client.ts';
import { openDatabase } from '../../../src/db/open.ts';
import { migratePostgres, type PostgresDb } from '../../../src/db/postgres.ts';
import type { Deps } from '../../../src/deps.ts';
import { createOutboxWorker } from '../../../src/outbox/worker.ts';
import { buildServices } from '../../../src/services.ts';
import { getOutbox, listOutbox } from '../../../src/store/outbox.ts';
import { openFileStore } from '../../../src/store/open-file-store.ts';
import { rawMail, waitUntil } from '../../helpers/mail.ts';
import { startPostgres, type PostgresCluster } from '../../helpers/postgres.ts';
import { startSmtpServer, type TestSmtp } from '../../helpers/smtp.ts';

let cluster: PostgresCluster;
let smtp: TestSmtp;
let dir: string;
beforeAll(async () => {
  [cluster, smtp] = await Promise.all([startPostgres(), startSmtpServer()]);
  dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-outbox-restart-'));
}, 120_000);
afterAll(async () => {
  await smtp?.close();
  cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('outbox worker across a PostgreSQL restart', () => {
  it('records a mail the server accepted while the database was down as sent once it is back, and sends it once', { timeout: 90_000 }, async () => {
    const url = cluster.url(await cluster.createDatabase());
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, DATABASE_URL: url, LOG_LEVEL: 'silent', SESSION_SECRET: 's'.repeat(40), SMTP_URL: smtp.url, SMTP_ALLOW_PLAINTEXT: 'true', MAIL_FROM: 'support@desk.example' });
    const db = await openDatabase(config.database);
    await migratePostgres(db as PostgresDb);
    const deps: Deps = { config, db, files: openFileStore(db, dir), log: pino({ level: 'silent' }), clock: { now: () => Date.now() }, secrets: { session: 's'.repeat(40), token: 't'.repeat(40), credentials: 'c'.repeat(43) } };
    const services = buildServices(deps);
    const worker = createOutboxWorker(services.ctx, { senders: services.senders, pollMs: 100 });
    try {
      await services.intake.receive({ channel: 'email', source: 'smtp', mailboxId: null, raw: rawMail({ from: 'user@client.example', subject: 'Printer', body: 'It jams.', messageId: 'restart-1@client.example' }) });
      const [row] = await listOutbox(db, {}, { limit: 10 });
      expect(row.status).toBe('pending');

      // the server has read the mail; before it answers 250 the database stops, and it starts again 3 s later
      let restarted: Promise<void> | undefined;
      smtp.behaviour.beforeAnswer = () =>
        new Promise<void>((down) => {
          smtp.behaviour.beforeAnswer = undefined;
          restarted = cluster.restart({ downMs: 3000, whileDown: async () => down() });
        });
      worker.start();
      await waitUntil('the mail accepted while the database is down', () => smtp.received.length === 1 && restarted !== undefined, 30_000);
      await restarted;

      // within seconds of the database's return (its lease, 10 minutes, is far off)
      await waitUntil('the mail recorded as sent', async () => (await getOutbox(db, row.id)).status === 'sent', 20_000, 200);
      const sent = await getOutbox(db, row.id);
      expect(sent.attempts).toBe(1);
      expect(sent.headerMessageId).toBe(smtp.received[0].messageId);
      expect(smtp.messageIds()).toEqual([sent.headerMessageId]);
    } finally {
      await worker.stop();
      await closeDb(db);
    }
  });
});
