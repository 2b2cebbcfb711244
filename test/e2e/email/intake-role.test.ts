// The intake role as main.ts runs it: the IMAP_* mailbox, mailboxes added and switched off in the
// console picked up while running, the SMTP listener, and a clean stop on SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox, setMailboxEnabled } from '../../../src/actions/mailboxes.ts';
import { emailChannel } from '../../../src/channels/email/index.ts';
import { startIntake, type IntakeRole } from '../../../src/roles/intake.ts';
import { buildServices } from '../../../src/services.ts';
import { listMailboxes } from '../../../src/store/mailboxes.ts';
import { makeTestDeps, newDatabaseUrl, type TestDeps } from '../../helpers/deps.ts';
import { loadConfig } from '../../../src/config.ts';
import { closeDb, type Db } from '../../../src/db/client.ts';
import { openDatabase } from '../../../src/db/open.ts';
import { startDovecot, type Dovecot } from '../../helpers/dovecot.ts';
import { makeMail, waitUntil } from '../../helpers/mail.ts';
import { addUser } from '../../helpers/web.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const count = async (db: Db, sql: string) => Number(await db.value(sql));

describe('intake role', () => {
  let dovecot: Dovecot;
  let deps: TestDeps;
  let role: IntakeRole | undefined;
  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterAll(async () => {
    await dovecot?.close();
  });
  afterEach(async () => {
    await role?.stop();
    role = undefined;
    // once per desk: a test without a desk of its own must not close the last one again
    deps?.close();
    deps = undefined!;
  });

  it('reads the IMAP_* mailbox, picks up console changes, and runs the SMTP listener', { timeout: 60_000 }, async () => {
    const envUser = dovecot.addUser();
    deps = await makeTestDeps({
      IMAP_HOST: dovecot.host, IMAP_PORT: String(dovecot.port), IMAP_SECURE: 'false', IMAP_USER: envUser.user, IMAP_PASSWORD: envUser.password,
      SMTP_INBOUND_PORT: '0',
    }, { file: true });
    const services = buildServices(deps);
    role = await startIntake(services, { reconcileMs: 100_000, backoff: { initialMs: 50, maxMs: 500 } });
    const [envBox] = await listMailboxes(deps.db);
    expect(envBox).toMatchObject({ fromEnv: true, address: envUser.address, host: dovecot.host, port: dovecot.port, enabled: true });
    expect(role.channel(emailChannel)?.smtp?.port).toBeGreaterThan(0);

    await dovecot.append(envUser, makeMail({ subject: 'From the env mailbox' }));
    await waitUntil('the first ticket', async () => await count(deps.db, 'select count(*) n from tickets') === 1);

    // an admin adds a second mailbox in the console
    const admin = await addUser(services, 'admin');
    const second = dovecot.addUser();
    const mb = await createMailbox(services.ctx, admin, {
      name: 'Second', address: second.address, host: dovecot.host, port: dovecot.port, secure: false, allowPlaintext: true, username: second.user, password: second.password, folder: 'INBOX', enabled: true,
    });
    await role.reconcile();
    await dovecot.append(second, makeMail({ subject: 'From the second mailbox' }));
    await waitUntil('the second ticket', async () => await count(deps.db, 'select count(*) n from tickets') === 2);

    // switched off: nothing more is read until it is switched on again
    await setMailboxEnabled(services.ctx, admin, mb.id, false);
    await role.reconcile();
    expect(role.channel(emailChannel)?.pollers().map((p) => p.mailboxId)).toEqual([envBox.id]);
    await dovecot.append(second, makeMail({ subject: 'While off' }));
    // positive signal first: a mail appended later to the running mailbox has been taken in, so
    // intake has gone round since; only then is the absence of 'While off' evidence
    await dovecot.append(envUser, makeMail({ subject: 'After the switch-off' }));
    await waitUntil('the later mail of the running mailbox', async () => await count(deps.db, "select count(*) n from tickets where subject = 'After the switch-off'") === 1);
    expect(await count(deps.db, "select count(*) n from tickets where subject = 'While off'")).toBe(0);
    await setMailboxEnabled(services.ctx, admin, mb.id, true);
    await role.reconcile();
    await waitUntil('the mail that came while off', async () => await count(deps.db, "select count(*) n from tickets where subject = 'While off'") === 1);
  });

  it('applies a mailbox switched off or on in the console at once, without waiting for its next check', { timeout: 60_000 }, async () => {
    deps = await makeTestDeps({}, { file: true });
    const services = buildServices(deps);
    const admin = await addUser(services, 'admin');
    const u = dovecot.addUser();
    const mb = await createMailbox(services.ctx, admin, {
      name: 'Support', address: u.address, host: dovecot.host, port: dovecot.port, secure: false, allowPlaintext: true, username: u.user, password: u.password, folder: 'INBOX', enabled: true,
    });
    role = await startIntake(services, { reconcileMs: 100_000, backoff: { initialMs: 50, maxMs: 500 } });
    const polled = () => role!.channel(emailChannel)?.pollers().map((p) => p.mailboxId) ?? [];
    expect(polled()).toEqual([mb.id]);
    await setMailboxEnabled(services.ctx, admin, mb.id, false);
    await waitUntil('the poller stopped', () => polled().length === 0, 5_000);
    await setMailboxEnabled(services.ctx, admin, mb.id, true);
    await waitUntil('the poller started again', () => polled().length === 1, 5_000);
    await dovecot.append(u, makeMail({ subject: 'After the switch-on' }));
    await waitUntil('the mail', async () => (await count(deps.db, 'select count(*) n from tickets')) === 1);
  });

  it('stops cleanly on SIGTERM (main.ts with ROLES=intake)', { timeout: 60_000 }, async () => {
    const u = dovecot.addUser();
    const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-role-'));
    const url = await newDatabaseUrl(dir);
    try {
      const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(root, 'src/main.ts')], {
        cwd: dir,
        env: {
          ...process.env, ROLES: 'intake', NODE_ENV: 'test', LOG_LEVEL: 'warn', DATA_DIR: dir, DATABASE_URL: url,
          IMAP_HOST: dovecot.host, IMAP_PORT: String(dovecot.port), IMAP_SECURE: 'false', IMAP_ALLOW_PLAINTEXT: 'true', IMAP_USER: u.user, IMAP_PASSWORD: u.password,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await dovecot.append(u, makeMail({ subject: 'Imported by the intake role' }));
      await waitUntil('the ticket from the child process', async () => {
        try {
          const db = await openDatabase(loadConfig({ DATABASE_URL: url, DATA_DIR: dir }).database);
          try {
            return (await count(db, "select count(*) n from tickets where subject = 'Imported by the intake role'")) === 1;
          } finally {
            await closeDb(db);
          }
        } catch {
          return false;
        }
      }, 45_000, 200);
      child.kill('SIGTERM');
      expect(await exited, stderr).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
