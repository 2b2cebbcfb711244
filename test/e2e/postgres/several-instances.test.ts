// Several desk processes on one PostgreSQL database: a named lock is held by one of them at a time
// and is free again when the connection that held it breaks; each mailbox is polled by one intake
// role at a time, and another takes it over when that one stops or loses its connection, without
// losing or duplicating a mail.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailChannel } from '../../../src/channels/email/index.ts';
import type { Db } from '../../../src/db/client.ts';
import { startIntake, type IntakeRole } from '../../../src/roles/intake.ts';
import { startScheduler } from '../../../src/roles/scheduler.ts';
import { buildServices } from '../../../src/services.ts';
import { insertMailbox, updateMailbox } from '../../../src/store/mailboxes.ts';
import { deskDeps, type DeskDeps } from '../../helpers/desk-deps.ts';
import { startDovecot, type Dovecot } from '../../helpers/dovecot.ts';
import { makeMail, waitUntil } from '../../helpers/mail.ts';
import { startPostgres, type PostgresCluster } from '../../helpers/postgres.ts';

let cluster: PostgresCluster;
let dovecot: Dovecot;
const dirs: string[] = [];
beforeAll(async () => {
  [cluster, dovecot] = await Promise.all([startPostgres(), startDovecot()]);
}, 120_000);
afterAll(async () => {
  await dovecot?.close();
  cluster?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A desk process's dependencies on the shared database (its own pool, its own locks), logging into `lines`. */
function desk(url: string, dataDir: string, lines: string[] = []): Promise<DeskDeps> {
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  return deskDeps(url, { dataDir, env: { IMAP_ALLOW_PLAINTEXT: 'true' }, log });
}

/** Ends the server side of the connection holding the named lock, as when its process's machine goes away. */
async function breakLockConnection(db: Db, name: string): Promise<number> {
  return (await db.value<number>(
    "select count(pg_terminate_backend(pid)) from pg_locks where locktype = 'advisory' and granted and classid = 26724 and objid = hashtext(?)::oid",
    name,
  )) ?? 0;
}

describe('named locks', () => {
  it('are held by one process at a time, passed on at release, and free when the holding connection breaks', async () => {
    const url = cluster.url(await cluster.createDatabase());
    const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-locks-'));
    dirs.push(dir);
    const [a, b] = [await desk(url, dir), await desk(url, dir)];
    try {
      const held = await a.db.tryLock('mailbox:1');
      expect(held).not.toBeNull();
      expect(await b.db.tryLock('mailbox:1')).toBeNull();
      const other = await b.db.tryLock('mailbox:2');
      expect(other).not.toBeNull();
      await held!.release();
      const taken = await b.db.tryLock('mailbox:1');
      expect(taken).not.toBeNull();
      await taken!.release();
      await other!.release();

      const scheduler = await a.db.tryLock('scheduler');
      let lost = false;
      void scheduler!.lost.then(() => (lost = true));
      expect(await breakLockConnection(b.db, 'scheduler')).toBe(1);
      await waitUntil('the holder notices', () => lost, 10_000);
      expect(await b.db.tryLock('scheduler')).not.toBeNull();
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('one poller per mailbox among intake roles', () => {
  it('polls each mailbox in one process, hands it over on stop and on a broken connection, and imports every mail once', { timeout: 120_000 }, async () => {
    const url = cluster.url(await cluster.createDatabase());
    const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-instances-'));
    dirs.push(dir);
    const user = dovecot.addUser();
    const a = await desk(url, dir);
    const b = await desk(url, dir);
    const mailbox = await insertMailbox(a.db, { name: 'Support', address: user.address, host: dovecot.host, port: dovecot.port, secure: false, allowPlaintext: true, username: user.user, password: user.password, folder: 'INBOX' }, Date.now());
    const timing = { reconcileMs: 200, backoff: { initialMs: 50, maxMs: 500 } };
    const roles: (IntakeRole | undefined)[] = [await startIntake(buildServices(a), timing), await startIntake(buildServices(b), timing)];
    const polling = () => roles.map((r) => r?.channel(emailChannel)?.pollers().map((p) => p.mailboxId).join(',') ?? '');
    const tickets = async () => Number(await a.db.value('select count(*) from tickets'));
    let sent = 0;
    const send = async (n: number, what: string) => {
      for (let i = 0; i < n; i++) await dovecot.append(user, makeMail({ subject: `${what} ${++sent}` }));
    };
    try {
      // several checks later, still exactly one of them polls it
      await new Promise((r) => setTimeout(r, 1000));
      expect(polling().sort()).toEqual(['', String(mailbox.id)]);
      await send(10, 'First');
      await waitUntil('the first mails', async () => (await tickets()) === 10);

      // the holder stops (a deploy, a restart): the other takes the mailbox within a check
      const first = polling().indexOf(String(mailbox.id));
      await roles[first]!.stop();
      roles[first] = undefined;
      await waitUntil('the take-over', () => polling()[1 - first] === String(mailbox.id), 10_000);
      await send(10, 'After the stop');
      await waitUntil('the mails after the stop', async () => (await tickets()) === 20);

      // the stopped process comes back, and then the holder's connection breaks: the holder stops
      // polling, and the mailbox moves to whichever process takes the lock next
      roles[first] = await startIntake(buildServices(first === 0 ? a : b), timing);
      await new Promise((r) => setTimeout(r, 600));
      expect(polling().filter((p) => p === String(mailbox.id))).toHaveLength(1);
      const sending = send(10, 'Across the break');
      expect(await breakLockConnection(a.db, `mailbox:${mailbox.id}`)).toBe(1);
      await sending;
      await waitUntil('the mails across the break', async () => (await tickets()) === 30, 30_000);
      await waitUntil('a poller again', () => polling().filter((p) => p === String(mailbox.id)).length === 1, 15_000);
      await send(5, 'Last');
      await waitUntil('the last mails', async () => (await tickets()) === 35, 30_000);
      // every mail once: as many messages and inbound records as mails
      expect(Number(await a.db.value('select count(*) from messages'))).toBe(35);
      expect(Number(await a.db.value("select count(*) from inbound_messages where outcome <> 'duplicate'"))).toBe(35);
    } finally {
      for (const r of roles) await r?.stop();
      await a.close();
      await b.close();
    }
  });
});

describe('notices between processes', () => {
  it('tells every listening process of a change once it commits, and not of one rolled back', async () => {
    const url = cluster.url(await cluster.createDatabase());
    const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-notify-'));
    dirs.push(dir);
    const [a, b] = [await desk(url, dir), await desk(url, dir)];
    const heard: string[] = [];
    const stop = await b.db.listen('mailboxes', () => heard.push('mailboxes'));
    try {
      await a.db.transaction(async () => {
        await a.db.notify('mailboxes');
        await new Promise((r) => setTimeout(r, 300));
        expect(heard).toEqual([]); // not before the commit
      });
      await waitUntil('the notice', () => heard.length === 1, 5_000);
      await a.db.transaction(async () => {
        await a.db.notify('mailboxes');
        throw new Error('rolled back');
      }).catch(() => undefined);
      await a.db.notify('other');
      await a.db.notify('mailboxes');
      await waitUntil('the second notice', () => heard.length === 2, 5_000);
      expect(heard).toEqual(['mailboxes', 'mailboxes']);
    } finally {
      await stop();
      await a.close();
      await b.close();
    }
  });

  it('stops and starts the poller of a mailbox in another process as soon as the console changes it', { timeout: 60_000 }, async () => {
    const url = cluster.url(await cluster.createDatabase());
    const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-notify-intake-'));
    dirs.push(dir);
    const user = dovecot.addUser();
    const [web, intakeDesk] = [await desk(url, dir), await desk(url, dir)];
    const mailbox = await insertMailbox(web.db, { name: 'Support', address: user.address, host: dovecot.host, port: dovecot.port, secure: false, allowPlaintext: true, username: user.user, password: user.password, folder: 'INBOX' }, Date.now());
    const role = await startIntake(buildServices(intakeDesk), { reconcileMs: 100_000, backoff: { initialMs: 50, maxMs: 500 } });
    const polled = () => role.channel(emailChannel)?.pollers().length ?? 0;
    try {
      expect(polled()).toBe(1);
      await updateMailbox(web.db, mailbox.id, { enabled: false }, Date.now());
      await waitUntil('the poller stopped', () => polled() === 0, 5_000);
      await updateMailbox(web.db, mailbox.id, { enabled: true }, Date.now());
      await waitUntil('the poller started again', () => polled() === 1, 5_000);
    } finally {
      await role.stop();
      await web.close();
      await intakeDesk.close();
    }
  });
});

describe('one scheduler among the processes', () => {
  it('runs in the process holding the lock, and moves to another when that one stops', async () => {
    const url = cluster.url(await cluster.createDatabase());
    const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-scheduler-'));
    dirs.push(dir);
    const logs: string[][] = [[], []];
    const desks = [await desk(url, dir, logs[0]), await desk(url, dir, logs[1])];
    const runs = (i: number) => logs[i].filter((l) => l.includes('this process runs the scheduler')).length;
    const schedulers = [await startScheduler(buildServices(desks[0]), { intervalMs: 100 }), await startScheduler(buildServices(desks[1]), { intervalMs: 100 })];
    try {
      await new Promise((r) => setTimeout(r, 800));
      expect(runs(0) + runs(1)).toBe(1);
      const holder = runs(0) === 1 ? 0 : 1;
      await schedulers[holder].stop();
      await waitUntil('the other process takes over', () => runs(1 - holder) === 1, 5_000);
      expect(await desks[holder].db.tryLock('scheduler')).toBeNull();
    } finally {
      for (const s of schedulers) await s.stop();
      for (const d of desks) await d.close();
    }
  });
});
