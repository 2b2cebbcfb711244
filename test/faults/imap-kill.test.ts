// Crash safety of IMAP intake: the real desk process (src/main.ts, ROLES=intake) reads a private
// Dovecot mailbox while mail sits in it and keeps arriving, and is killed with SIGKILL at random
// moments (seeded: FAULT_SEED) — while it starts, migrates, connects, or imports — then started
// again; half the mail waits in the mailbox from the start, the rest arrives while each process
// starts. At the end every mail is exactly one inbound record and, when it carries content, exactly
// one message, with the outcome a clean import gives it; mails without a Message-ID included.
// FAULT_MAILS and FAULT_KILLS size the run (npm test: 60 and 4; npm run test:faults: 500 and 20).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot, type DovecotUser } from '../helpers/dovecot.ts';
import { deskDatabase, envInt, readDb, seededRandom, startDesk, type DeskProcess } from '../helpers/desk-process.ts';
import { buildFaultMails, checkExactlyOnce, cleanOutcomes, summarize, type FaultMail } from '../helpers/fault-mail.ts';
import { waitUntil } from '../helpers/mail.ts';

const MAILS = envInt('FAULT_MAILS', 60);
const KILLS = envInt('FAULT_KILLS', 4);
const SEED = envInt('FAULT_SEED', 20261128);
// generous: the machine is shared and loaded; these bound a hang, they measure nothing
const TIMEOUT_MS = 240_000 + MAILS * 1_500 + KILLS * 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('IMAP intake under kill -9', () => {
  let dovecot: Dovecot;
  const dirs: string[] = [];
  const desks: DeskProcess[] = [];

  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterAll(async () => {
    await Promise.all(desks.map((d) => d.kill9()));
    await dovecot?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const deskEnv = (u: DovecotUser) => ({
    IMAP_HOST: dovecot.host, IMAP_PORT: String(dovecot.port), IMAP_SECURE: 'false', IMAP_USER: u.user, IMAP_PASSWORD: u.password, IMAP_ADDRESS: u.address,
  });
  const newDataDir = () => {
    const d = mkdtempSync(path.join(tmpdir(), 'helpdesk-fault-'));
    dirs.push(d);
    return d;
  };
  const inboundCount = (dbFile: string) => readDb(dbFile, (db) => (db.prepare('select count(*) n from inbound_messages').get() as { n: number }).n) ?? 0;
  const mailboxState = (dbFile: string) =>
    readDb(dbFile, (db) => db.prepare('select last_uid lastUid, last_success_at lastSuccessAt from mailboxes where from_env = 1').get() as { lastUid: number; lastSuccessAt: number | null } | undefined);
  const cursor = (dbFile: string) => mailboxState(dbFile)?.lastUid ?? 0;

  /** Appends mails in seeded chunks with seeded pauses while the desk is being killed. */
  const appendInBackground = (u: DovecotUser, mails: FaultMail[], rand: () => number) =>
    (async () => {
      let i = 0;
      while (i < mails.length) {
        const n = 1 + Math.floor(rand() * Math.max(1, mails.length / 8));
        await dovecot.appendMany(u, mails.slice(i, i + n).map((m) => m.raw));
        i += n;
        await sleep(Math.floor(rand() * 400));
      }
    })();

  /**
   * Waits until the desks have taken every mail, moved the cursor past the last one, and finished
   * a whole sync since `since` (so the running desks are up, not still starting).
   */
  const settle = async (dbFile: string, u: DovecotUser, what: string, running: DeskProcess[], since: number) => {
    const last = (await dovecot.status(u)).uidNext - 1;
    await waitUntil(what, () => {
      for (const d of running) d.assertRunning();
      const state = mailboxState(dbFile);
      return inboundCount(dbFile) >= MAILS && !!state && state.lastUid >= last && (state.lastSuccessAt ?? 0) >= since;
    }, TIMEOUT_MS / 2, 200);
  };

  it(`imports ${MAILS} mails exactly once while the desk is killed ${KILLS} times`, { timeout: TIMEOUT_MS }, async () => {
    const rand = seededRandom(SEED);
    const user = dovecot.addUser();
    const dataDir = newDataDir();
    const dbFile = deskDatabase(dataDir);
    const mails = await buildFaultMails(MAILS, SEED, 'kill');
    const expected = await cleanOutcomes(mails);

    // half the mail waits in the mailbox before the desk first starts; the rest arrives in seeded
    // chunks, one while each desk process starts, so every process has mail to be killed over
    const early = Math.ceil(MAILS / 2);
    await dovecot.appendMany(user, mails.slice(0, early).map((m) => m.raw));
    let appended = early;
    const chunkSizes: number[] = [];
    for (let k = 0, left = MAILS - early; k < KILLS; k++) {
      const n = k === KILLS - 1 ? left : Math.min(left, Math.max(1, Math.round((left / (KILLS - k)) * (0.5 + rand()))));
      chunkSizes.push(n);
      left -= n;
    }

    const kills: { phase: 'timed' | 'after-commits'; before: number; after: number }[] = [];
    // how long a start takes here (tsx, config, migrations): timed kills are spread over it
    let startupMs = 2000;
    for (let k = 0; k < KILLS; k++) {
      const spawned = Date.now();
      const desk = startDesk({ dataDir, roles: 'intake', env: deskEnv(user) });
      desks.push(desk);
      desk.started.then(() => (startupMs = Date.now() - spawned), () => undefined);
      const before = inboundCount(dbFile);
      const chunk = mails.slice(appended, appended + chunkSizes[k]);
      const arriving = dovecot.appendMany(user, chunk.map((m) => m.raw)).then(() => (appended += chunk.length));
      // the first kill and about a quarter of the rest come at a seeded moment of the start-up
      // (loading, config, migrations, the IMAP login) or the first moments of the import
      let phase: 'timed' | 'after-commits' = k === 0 || rand() < 0.25 ? 'timed' : 'after-commits';
      if (phase === 'after-commits') {
        await arriving;
        // nothing left to import (more kills than mail): a timed kill instead
        if (appended - before < 1) phase = 'timed';
      }
      if (phase === 'timed') {
        await sleep(Math.floor(rand() * startupMs * 1.3));
      } else {
        // 0-40 ms after a seeded number of commits, with mail still waiting: the kill lands in
        // the fetch, the parse, the steps or the transaction of a mail
        const waiting = appended - before;
        const target = before + 1 + Math.floor(rand() * Math.max(0, waiting - 1));
        await waitUntil(`mail to come in before kill ${k + 1}`, () => {
          desk.assertRunning();
          return inboundCount(dbFile) >= target;
        }, TIMEOUT_MS / 2, 5);
        await sleep(Math.floor(rand() * 40));
      }
      expect(desk.running(), `the desk exited on its own:\n${desk.log()}`).toBe(true);
      await desk.kill9();
      await arriving;
      kills.push({ phase, before, after: inboundCount(dbFile) });
    }
    expect(appended).toBe(MAILS);

    const finalStart = Date.now();
    const final = startDesk({ dataDir, roles: 'intake', env: deskEnv(user) });
    desks.push(final);
    await settle(dbFile, user, `all ${MAILS} mails after the last restart`, [final], finalStart);
    expect(await final.stop(), final.log()).toBe(0);

    const report = checkExactlyOnce(dataDir, dbFile, mails, expected);
    const midImport = kills.filter((k) => k.after > k.before).length;
    console.log(summarize('imap-kill', report, {
      seed: SEED, kills: KILLS,
      'timed-kills': kills.filter((k) => k.phase === 'timed').length, 'kills-after-commits': kills.filter((k) => k.phase === 'after-commits').length,
      // the killed process had committed mail of its own (the others died starting up or logging in)
      'killed-after-importing': midImport,
    }));
    expect(report.lost).toEqual([]);
    expect(report.duplicated).toEqual([]);
    expect(report.strangers).toBe(0);
    expect(report.inbound).toBe(MAILS);
    expect(report.wrongId).toEqual([]);
    expect(report.messageCountWrong).toEqual([]);
    expect(report.outcomeDiffers).toEqual([]);
    // the run did what it says: every kill after commits hit a process that was importing
    expect(kills.filter((k) => k.phase === 'after-commits' && k.after <= k.before)).toEqual([]);
  });

  it(`imports ${MAILS} mails exactly once when two desks read the same mailbox into one database, one of them killed now and then`, { timeout: TIMEOUT_MS }, async () => {
    // ROLES defaults to every role, so a second instance started for the console (or a restart
    // that overlaps the old process) runs a second poller on the same mailbox and database
    const rand = seededRandom(SEED + 1);
    const user = dovecot.addUser();
    const dataDir = newDataDir();
    const dbFile = deskDatabase(dataDir);
    const mails = await buildFaultMails(MAILS, SEED + 1, 'pair');
    const expected = await cleanOutcomes(mails);
    await dovecot.appendMany(user, mails.slice(0, Math.ceil(MAILS / 4)).map((m) => m.raw));

    let a = startDesk({ dataDir, roles: 'intake', env: deskEnv(user) });
    desks.push(a);
    await waitUntil('the first desk to create the database', () => cursor(dbFile) > 0 || inboundCount(dbFile) > 0, TIMEOUT_MS / 2, 50);
    let b = startDesk({ dataDir, roles: 'intake', env: deskEnv(user) });
    desks.push(b);
    const appending = appendInBackground(user, mails.slice(Math.ceil(MAILS / 4)), rand);
    const restarts = Math.max(1, Math.floor(KILLS / 2));
    let lastStart = Date.now();
    for (let k = 0; k < restarts; k++) {
      const target = Math.min(MAILS, inboundCount(dbFile) + 1 + Math.floor(rand() * Math.max(1, MAILS / (restarts + 1))));
      await waitUntil(`mail before restart ${k + 1}`, () => {
        for (const d of [a, b]) d.assertRunning();
        return inboundCount(dbFile) >= target;
      }, TIMEOUT_MS / 2, 5);
      await sleep(Math.floor(rand() * 40));
      const victim = rand() < 0.5 ? a : b;
      await victim.kill9();
      lastStart = Date.now();
      const fresh = startDesk({ dataDir, roles: 'intake', env: deskEnv(user) });
      desks.push(fresh);
      if (victim === a) a = fresh;
      else b = fresh;
    }
    await appending;
    await settle(dbFile, user, `all ${MAILS} mails with two desks`, [a, b], lastStart);
    expect(await a.stop(), a.log()).toBe(0);
    expect(await b.stop(), b.log()).toBe(0);

    const report = checkExactlyOnce(dataDir, dbFile, mails, expected);
    console.log(summarize('imap-two-desks', report, { seed: SEED + 1, restarts }));
    expect(report.lost).toEqual([]);
    expect(report.duplicated).toEqual([]);
    expect(report.strangers).toBe(0);
    expect(report.inbound).toBe(MAILS);
    expect(report.messageCountWrong).toEqual([]);
    expect(report.outcomeDiffers).toEqual([]);
  });
});
