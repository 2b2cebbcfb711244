// Several real desk processes (src/main.ts) on one PostgreSQL database, under faults:
// 1. three intake processes share one Dovecot mailbox while mail arrives; the process polling it
//    (the one holding its lock) is killed with SIGKILL again and again, and another is started so
//    three stay up: each time another process takes the mailbox over, and every mail is imported
//    exactly once. The time without a poller after each kill is measured and reported.
// 2. two outbox workers deliver a burst to a real SMTP server; the one in the middle of a send is
//    killed: the other delivers the rest, and the killed one's claimed mail once its lease is over,
//    every mail exactly once at the server.
// 3. PostgreSQL itself is restarted (pg_ctl stop -m fast, a few seconds down) while mail arrives
//    before, during and after: the processes reconnect by themselves, take their locks again,
//    import every mail and send every acknowledgement exactly once, and the console answers.
// The cluster is this file's own (part 3 restarts it). FAULT_MAILS, FAULT_KILLS and FAULT_BURST size
// the run (npm test: 24, 2 and 20; npm run test:faults: 500, 20 and 100).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { closeDb } from '../../src/db/client.ts';
import { openDatabase } from '../../src/db/open.ts';
import type { Deps } from '../../src/deps.ts';
import { TemporaryIntakeError } from '../../src/intake/receive.ts';
import { buildServices } from '../../src/services.ts';
import { openFileStore } from '../../src/store/open-file-store.ts';
import { envInt, processOfConnection, readPostgres, seededRandom, startDesk, type DeskProcess, type PostgresReader } from '../helpers/desk-process.ts';
import { freePort, startDovecot, type Dovecot, type DovecotUser } from '../helpers/dovecot.ts';
import { buildFaultMails, checkExactlyOncePostgres, cleanOutcomes, summarize, type ExactlyOnceReport } from '../helpers/fault-mail.ts';
import { rawMail, StopWaiting, waitUntil } from '../helpers/mail.ts';
import { startTemplateCluster, type PostgresCluster } from '../helpers/postgres.ts';
import { startSmtpServer } from '../helpers/smtp.ts';
import { Browser } from '../helpers/web.ts';

const MAILS = envInt('FAULT_MAILS', 24);
const KILLS = envInt('FAULT_KILLS', 2);
const BURST = envInt('FAULT_BURST', 20);
const SEED = envInt('FAULT_SEED', 20261128);
// Every process tries the lock of a mailbox it does not poll at each mailbox check, every 5 s. A
// process killed on a live machine loses its connections at once (the kernel closes them), so the
// mailbox is free at once and taken at the next check of another process: at most 5 s, plus a
// connection and a query. A machine that vanishes is noticed by the server's TCP keep-alives
// (5 s idle, then 3 probes 2 s apart: 11 s), so 16 s. The bound allows for that and for a loaded
// machine; a missed check (10 s and more) on a live machine would still show in the report.
const GAP_BOUND_S = 20;
// after the PostgreSQL restart, wait for the scheduler's next pass (up to 30 s) to take its lock again
const SCHEDULER_WAIT = MAILS >= 100;
const TIMEOUT_MS = 120_000 + MAILS * 500 + KILLS * 15_000 + BURST * 500;
const ADMIN = { email: 'admin@desk.example', password: 'correct horse battery' };
const FROM = 'support@desk.example';
// the desk's named locks: pg_advisory_lock(0x6864, hashtext(name)) (src/db/postgres.ts)
const LOCK_SPACE = 0x6864;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Named = { name: string; proc: DeskProcess };

describe('desk processes sharing a PostgreSQL database, under faults', () => {
  let cluster: PostgresCluster;
  let template: string;
  let dovecot: Dovecot;
  const dirs: string[] = [];
  const desks: DeskProcess[] = [];
  const readers: PostgresReader[] = [];
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    [{ cluster, template }, dovecot] = await Promise.all([startTemplateCluster(), startDovecot()]);
  });
  afterAll(async () => {
    await Promise.all(desks.map((d) => d.kill9()));
    for (const r of readers) await r.close().catch(() => undefined);
    for (const c of closers) await c().catch(() => undefined);
    await dovecot?.close();
    cluster?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const newDir = () => {
    const d = mkdtempSync(path.join(tmpdir(), 'helpdesk-pg-fault-'));
    dirs.push(d);
    return d;
  };
  let databases = 0;
  /** a fresh migrated database (a copy of the template), and a reader on it */
  const newDatabase = async () => {
    const name = `faults_${++databases}`;
    const admin = readPostgres(cluster.url());
    try {
      await admin.value(`create database ${name} template ${template}`);
    } finally {
      await admin.close();
    }
    const db = readPostgres(cluster.url(name));
    readers.push(db);
    return { url: cluster.url(name), db };
  };
  /** a desk process on the database; its connections carry `name` as their application_name */
  const spawnDesk = (url: string, name: string, roles: string, env: Record<string, string> = {}): Named => {
    const proc = startDesk({ dataDir: newDir(), roles, databaseUrl: `${url}?application_name=${name}`, env });
    desks.push(proc);
    return { name, proc };
  };
  const imapEnv = (u: DovecotUser) => ({
    IMAP_HOST: dovecot.host, IMAP_PORT: String(dovecot.port), IMAP_SECURE: 'false', IMAP_USER: u.user, IMAP_PASSWORD: u.password, IMAP_ADDRESS: u.address,
  });
  /** the application_name of the process holding a named lock, if one does */
  const lockHolder = (db: PostgresReader, lock: string) =>
    db.value<string>(
      `select a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid
       where l.locktype = 'advisory' and l.granted and l.database = (select oid from pg_database where datname = current_database())
         and l.classid = $1 and l.objid = hashtext($2)::oid`,
      LOCK_SPACE, lock,
    );
  const mailboxLock = async (db: PostgresReader) => `mailbox:${await db.value<number>('select id from mailboxes order by id limit 1')}`;
  const inboundCount = async (db: PostgresReader) => (await db.value<number>('select count(*) from inbound_messages')) ?? 0;
  const lastUid = async (db: PostgresReader) => (await db.value<number>('select last_uid from mailboxes order by id limit 1')) ?? 0;
  /** every mail in the mailbox taken and the cursor past the last one */
  const settle = async (db: PostgresReader, user: DovecotUser, n: number, running: Named[], what: string) => {
    const last = (await dovecot.status(user)).uidNext - 1;
    await waitUntil(what, async () => {
      for (const d of running) d.proc.assertRunning();
      return (await inboundCount(db)) >= n && (await lastUid(db)) >= last;
    }, TIMEOUT_MS / 2, 200);
  };
  const expectExactlyOnce = (report: ExactlyOnceReport, n: number) => {
    expect(report.lost).toEqual([]);
    expect(report.duplicated).toEqual([]);
    expect(report.strangers).toBe(0);
    expect(report.inbound).toBe(n);
    expect(report.wrongId).toEqual([]);
    expect(report.messageCountWrong).toEqual([]);
    expect(report.outcomeDiffers).toEqual([]);
  };
  const stopAll = async (running: Named[]) => {
    const codes = await Promise.all(running.map((d) => d.proc.stop()));
    running.forEach((d, i) => expect(codes[i], `${d.name}:\n${d.proc.log()}`).toBe(0));
  };

  it(`imports ${MAILS} mails exactly once while the process polling the mailbox is killed ${KILLS} times`, { timeout: TIMEOUT_MS }, async () => {
    const rand = seededRandom(SEED + 7);
    const user = dovecot.addUser();
    const { url, db } = await newDatabase();
    const mails = await buildFaultMails(MAILS, SEED + 7, 'pg-kill');
    const env = imapEnv(user);
    let started = 0;
    const fresh = () => spawnDesk(url, `desk-${++started}`, 'intake', env);

    // a quarter of the mail waits before the desks start; the rest arrives in one chunk per kill
    const early = Math.ceil(MAILS / 4);
    await dovecot.appendMany(user, mails.slice(0, early).map((m) => m.raw));
    let appended = early;
    const sizes = Array.from({ length: KILLS }, (_, k) => Math.floor(((MAILS - early) * (k + 1)) / KILLS) - Math.floor(((MAILS - early) * k) / KILLS));

    let live = [fresh(), fresh(), fresh()];
    // while they start: what each mail becomes (done before the kills, so the timing is not disturbed)
    const expected = await cleanOutcomes(mails);
    const lock = await waitUntil('the mailbox from IMAP_* to be created', async () => ((await db.value<number>('select count(*) from mailboxes')) ? await mailboxLock(db) : undefined), TIMEOUT_MS / 4, 100);
    await waitUntil('a desk to poll the mailbox', () => lockHolder(db, lock), TIMEOUT_MS / 4, 100);

    const gaps: number[] = [];
    const takers: string[] = [];
    for (let k = 0; k < KILLS; k++) {
      const before = await inboundCount(db);
      const chunk = mails.slice(appended, appended + sizes[k]);
      const arriving = dovecot.appendMany(user, chunk.map((m) => m.raw)).then(() => (appended += chunk.length));
      // the kill comes while the holder imports: after a seeded number of this chunk's mails
      const target = before + Math.min(chunk.length, 1 + Math.floor(rand() * Math.max(1, chunk.length / 2)));
      await waitUntil(`mail to come in before kill ${k + 1}`, async () => {
        for (const d of live) d.proc.assertRunning();
        return (await inboundCount(db)) >= target;
      }, TIMEOUT_MS / 4, 10);
      await sleep(Math.floor(rand() * 40));
      const holder = await lockHolder(db, lock);
      const victim = live.find((d) => d.name === holder);
      expect(victim, `the mailbox is held by ${holder}, not by a running desk (${live.map((d) => d.name).join(', ')})`).toBeDefined();
      await victim!.proc.kill9();
      const killedAt = Date.now();
      // three stay up: a new process is started at once (it takes the mailbox only if it is first)
      live = [...live.filter((d) => d !== victim), fresh()];
      const taker = await waitUntil(`another desk to take the mailbox after kill ${k + 1}`, async () => {
        const h = await lockHolder(db, lock);
        return h && h !== victim!.name ? h : undefined;
      }, GAP_BOUND_S * 3_000, 50);
      gaps.push((Date.now() - killedAt) / 1000);
      takers.push(taker);
      expect(live.map((d) => d.name)).toContain(taker);
      await arriving;
    }
    expect(appended).toBe(MAILS);
    await settle(db, user, MAILS, live, `all ${MAILS} mails after the last kill`);
    await stopAll(live);

    const report = await checkExactlyOncePostgres(db, mails, expected);
    const sorted = [...gaps].sort((a, b) => a - b);
    const median = sorted.length ? (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2 : 0;
    const max = sorted.at(-1) ?? 0;
    const byNew = takers.filter((t, k) => t === `desk-${k + 4}`).length;
    console.log(`[pg-instances] poller gap after kill: max ${max.toFixed(1)} s, median ${median.toFixed(1)} s over ${gaps.length} kills (bound ${GAP_BOUND_S} s; all: ${gaps.map((g) => g.toFixed(1)).join(' ')}); taken by a survivor ${takers.length - byNew}, by the process started after the kill ${byNew}`);
    console.log(summarize('pg-instances-kill', report, { seed: SEED + 7, kills: KILLS, processes: started }));
    expectExactlyOnce(report, MAILS);
    expect(max).toBeLessThan(GAP_BOUND_S);
  });

  it(`delivers a burst of ${BURST} notifications exactly once with two outbox workers, one killed in the middle of a send`, { timeout: TIMEOUT_MS }, async () => {
    const rand = seededRandom(SEED + 8);
    const smtp = await startSmtpServer();
    const { url, db } = await newDatabase();
    // this process queues the burst, as the intake of any desk process would
    const dataDir = newDir();
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, DATABASE_URL: url, LOG_LEVEL: 'silent', SESSION_SECRET: 's'.repeat(40), SMTP_URL: smtp.url, SMTP_ALLOW_PLAINTEXT: 'true', MAIL_FROM: FROM });
    const queueDb = await openDatabase(config.database);
    const deps: Deps = { config, db: queueDb, files: openFileStore(queueDb, dataDir), log: pino({ level: 'silent' }), clock: { now: () => Date.now() }, secrets: { session: 's'.repeat(40), token: 't'.repeat(40), credentials: 'c'.repeat(43) } };
    const { intake } = buildServices(deps);
    try {
      const env = { SMTP_URL: smtp.url, MAIL_FROM: FROM };
      const workers = [spawnDesk(url, 'outbox-1', 'outbox', env), spawnDesk(url, 'outbox-2', 'outbox', env)];
      await Promise.all(workers.map((w) => w.proc.started));
      // the server reads one mail of the middle of the burst and never answers: its worker is
      // killed in the middle of that send
      const holdAt = Math.max(2, Math.floor(BURST / 4)) + Math.floor(rand() * Math.max(1, BURST / 4));
      let seen = 0;
      smtp.behaviour.hold = () => ++seen === holdAt;
      let temporary = 0;
      for (let i = 1; i <= BURST; i++) {
        const input = {
          channel: 'email', source: 'smtp', mailboxId: null,
          raw: rawMail({ from: `User ${i} <user${i}@client.example>`, subject: `Problem ${i}`, body: `Details of problem ${i}.`, messageId: `pg-burst-${i}@client.example` }),
        } as const;
        // a temporary failure (the workers' transactions kept conflicting with this one) is tried
        // again later, as the IMAP poller and the SMTP listener do
        const r = await waitUntil(`mail ${i} received`, () => intake.receive(input).catch((err: unknown) => {
          if (!(err instanceof TemporaryIntakeError)) throw new StopWaiting(String(err));
          temporary++;
          throw err;
        }), TIMEOUT_MS / 8, 200);
        expect(r.outcome).toBe('created');
      }
      expect(await db.value<number>('select count(*) from outbox')).toBe(BURST);
      await waitUntil('a send in flight', () => smtp.held.length === 1, TIMEOUT_MS / 4);
      const held = smtp.held[0];
      const pid = processOfConnection(held.remotePort, workers.map((w) => w.proc.pid));
      const victim = workers.find((w) => w.proc.pid === pid);
      expect(victim, 'the worker sending the held mail').toBeDefined();
      const survivor = workers.find((w) => w !== victim)!;
      const [claimed] = await db.all<{ id: number; status: string; attempts: number }>('select id, status, attempts from outbox where header_message_id = $1', held.messageId);
      expect(claimed).toMatchObject({ status: 'sending', attempts: 1 });
      await victim!.proc.kill9();

      // the other worker delivers everything else and passes over the claimed row while its lease runs
      await waitUntil('the rest of the burst', async () => {
        survivor.proc.assertRunning();
        return (await db.value<number>("select count(*) from outbox where status = 'sent'")) === BURST - 1;
      }, TIMEOUT_MS / 2, 100);
      await sleep(1500); // more than a poll of the worker
      expect((await db.all('select status, attempts from outbox where id = $1', claimed.id))[0]).toEqual({ status: 'sending', attempts: 1 });
      expect(smtp.messageIds()).not.toContain(held.messageId);
      // its lease (10 minutes) is over: the end of the lease is moved to now instead of waiting
      await db.value('update outbox set next_attempt_at = $1 where id = $2', Date.now(), claimed.id);
      await waitUntil('the interrupted mail sent again', async () => {
        survivor.proc.assertRunning();
        return (await db.value<number>("select count(*) from outbox where status = 'sent'")) === BURST;
      }, TIMEOUT_MS / 4, 100);
      expect(survivor.proc.log()).toContain('resuming an attempt that was interrupted');
      await stopAll([survivor]);

      const ids = smtp.messageIds();
      const counts = new Map<string, number>();
      for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
      const twice = [...counts].filter(([, n]) => n > 1);
      const rows = await db.all<{ id: number; attempts: number; mid: string }>('select id, attempts, header_message_id as mid from outbox order by id');
      console.log(`[pg-instances] outbox burst=${BURST} workers=2 killed=${victim!.name} at send ${holdAt} received=${ids.length} distinct=${counts.size} delivered-twice=${twice.length} intake-retried=${temporary}`);
      expect(twice).toEqual([]);
      expect(ids).toHaveLength(BURST);
      expect([...counts.keys()].sort()).toEqual(rows.map((r) => r.mid).sort());
      // the interrupted one went out again with its Message-ID, everything else at the first attempt
      expect(rows.filter((r) => r.attempts !== 1)).toEqual([{ id: claimed.id, attempts: 2, mid: held.messageId }]);
    } finally {
      await closeDb(queueDb);
      await smtp.close();
    }
  });

  it('imports every mail and sends every acknowledgement exactly once across a PostgreSQL restart, takes its locks again, and the console answers afterwards', { timeout: TIMEOUT_MS }, async () => {
    const n = Math.max(12, Math.round(MAILS / 8));
    const smtp = await startSmtpServer();
    closers.push(() => smtp.close());
    const user = dovecot.addUser();
    const { url, db } = await newDatabase();
    const mails = await buildFaultMails(n, SEED + 9, 'pg-restart');
    const ports = [await freePort(), await freePort(), await freePort()];
    const env = (i: number) => ({ ...imapEnv(user), PORT: String(ports[i]), ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, SMTP_URL: smtp.url, MAIL_FROM: FROM });
    // every role in every process (ROLES' default): web, intake, outbox and scheduler
    const live = [0, 1, 2].map((i) => spawnDesk(url, `full-${i + 1}`, 'web,intake,outbox,scheduler', env(i)));
    const expected = await cleanOutcomes(mails);
    await Promise.all(live.map((d) => d.proc.started));
    const lock = await mailboxLock(db);
    const thirds = [0, Math.ceil(n / 3), Math.ceil((2 * n) / 3), n];
    const part = (i: number) => mails.slice(thirds[i], thirds[i + 1]).map((m) => m.raw);

    // before
    await dovecot.appendMany(user, part(0));
    await settle(db, user, thirds[1], live, 'the mail before the restart');
    expect(await lockHolder(db, 'scheduler')).toBeDefined();

    // during: the server goes down (every connection ended), mail arrives, the server comes back
    const restartedAt = Date.now();
    await cluster.restart({ downMs: 3000, whileDown: () => dovecot.appendMany(user, part(1)).then(() => undefined) });
    const downS = (Date.now() - restartedAt) / 1000;

    // after
    await dovecot.appendMany(user, part(2));
    await settle(db, user, n, live, `all ${n} mails after the restart`);
    const importedS = (Date.now() - restartedAt) / 1000;
    // the acknowledgements, some of them queued or in flight when the database went down
    const logged = (text: string) => live.reduce((k, d) => k + d.proc.log().split(text).length - 1, 0);
    await waitUntil('every acknowledgement sent (or skipped by the send limits)', async () => {
      for (const d of live) d.proc.assertRunning();
      return (await db.value<number>("select count(*) from outbox where status in ('pending', 'sending')")) === 0;
    }, TIMEOUT_MS / 4, 200).catch(async (err: Error) => {
      const waiting = await db.all("select id, status, attempts, next_attempt_at, last_error from outbox where status in ('pending', 'sending')");
      throw new Error(`${err.message}; still waiting: ${JSON.stringify(waiting)}`);
    });
    for (const d of live) d.proc.assertRunning();
    // the locks were lost with their connections and taken again: the mailbox's at once (it is
    // polled), the scheduler's at its next pass, within 30 s of the restart (waited for in the fault
    // run only, where it costs little; `npm test` sees that the scheduler noticed the loss)
    expect(live.map((d) => d.name)).toContain(await lockHolder(db, lock));
    expect(live.some((d) => d.proc.log().includes('lost the database connection that held the scheduler'))).toBe(true);
    if (SCHEDULER_WAIT) expect(live.map((d) => d.name)).toContain(await waitUntil('the scheduler running again', () => lockHolder(db, 'scheduler'), 45_000, 200));

    // the console of every process answers: sign-in (a session written) and the ticket list
    for (const port of ports) {
      const browser = new Browser(`http://127.0.0.1:${port}`);
      await browser.login(ADMIN.email, ADMIN.password);
      const page = await browser.get('/tickets');
      expect(page.status).toBe(200);
    }
    await stopAll(live);

    const report = await checkExactlyOncePostgres(db, mails, expected);
    const statuses = await db.all<{ status: string; n: number }>('select status, count(*) as n from outbox group by status order by status');
    const outbox = (await db.all<{ mid: string }>("select header_message_id as mid from outbox where status = 'sent' order by id")).map((r) => r.mid);
    const received = smtp.messageIds();
    console.log(summarize('pg-instances-restart', report, { processes: 3, 'restart-s': downS.toFixed(1), 'all-imported-after-s': importedS.toFixed(1), acknowledgements: statuses.map((r) => `${r.status}:${r.n}`).join(','), received: received.length,
      // times a worker found the database down when recording an outcome (a mail the server had accepted), and waited
      'record-sent-waits': logged('the outcome is recorded when it is back'),
      // mails whose preparation met the restart (kept queued, the attempt uncounted)
      'prepare-lost': logged('the database went out of reach before the message was sent'),
      // claims whose commit went unanswered but was written
      'claims-unanswered': logged('the claim was written though its commit went unanswered') }));
    expectExactlyOnce(report, n);
    expect(outbox.length).toBeGreaterThan(0);
    expect(statuses.map((r) => r.status).filter((st) => st !== 'sent' && st !== 'skipped')).toEqual([]);
    expect([...received].sort()).toEqual([...outbox].sort());
  });
});
