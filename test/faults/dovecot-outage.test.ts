// The mail server goes away during intake: the real desk process (ROLES=intake) imports mail that
// keeps arriving while its private Dovecot is stopped and started again at seeded moments — half
// the time crashed (every Dovecot process killed at once), half the time shut down cleanly — and
// stays down for a seeded while. Nothing is lost and nothing is imported twice.
// FAULT_MAILS and FAULT_OUTAGES size the run (npm test: 60 and 3; npm run test:faults: 500 and 10).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { deskDatabase, envInt, readDb, seededRandom, startDesk, type DeskProcess } from '../helpers/desk-process.ts';
import { buildFaultMails, checkExactlyOnce, cleanOutcomes, summarize } from '../helpers/fault-mail.ts';
import { waitUntil } from '../helpers/mail.ts';

const MAILS = envInt('FAULT_MAILS', 60);
const OUTAGES = envInt('FAULT_OUTAGES', 3);
const SEED = envInt('FAULT_SEED', 20261128);
const TIMEOUT_MS = 240_000 + MAILS * 1_500 + OUTAGES * 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('IMAP intake while Dovecot stops and starts', () => {
  let dovecot: Dovecot;
  let desk: DeskProcess | undefined;
  let dataDir: string;

  beforeAll(async () => {
    dovecot = await startDovecot();
    dataDir = mkdtempSync(path.join(tmpdir(), 'helpdesk-fault-'));
  });
  afterAll(async () => {
    await desk?.kill9();
    await dovecot?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`imports ${MAILS} mails exactly once through ${OUTAGES} Dovecot outages`, { timeout: TIMEOUT_MS }, async () => {
    const rand = seededRandom(SEED + 2);
    const user = dovecot.addUser();
    const dbFile = deskDatabase(dataDir);
    const mails = await buildFaultMails(MAILS, SEED + 2, 'outage');
    const expected = await cleanOutcomes(mails);
    const port = dovecot.port;
    const inboundCount = () => readDb(dbFile, (db) => (db.prepare('select count(*) n from inbound_messages').get() as { n: number }).n) ?? 0;
    const state = () => readDb(dbFile, (db) => db.prepare('select last_uid lastUid, last_success_at lastSuccessAt from mailboxes where from_env = 1').get() as { lastUid: number; lastSuccessAt: number | null } | undefined);
    const alive = () => {
      desk!.assertRunning();
    };

    desk = startDesk({
      dataDir, roles: 'intake',
      env: { IMAP_HOST: dovecot.host, IMAP_PORT: String(port), IMAP_SECURE: 'false', IMAP_USER: user.user, IMAP_PASSWORD: user.password, IMAP_ADDRESS: user.address },
    });
    await desk.started;

    // the mail comes in chunks; each outage starts at a seeded point inside the import of a chunk
    const chunks: number[] = [];
    let left = MAILS;
    for (let o = 0; o <= OUTAGES; o++) {
      const n = o === OUTAGES ? left : Math.max(1, Math.min(left - (OUTAGES - o), Math.round((MAILS / (OUTAGES + 1)) * (0.5 + rand()))));
      chunks.push(n);
      left -= n;
    }
    const outages: { kind: 'crash' | 'shutdown'; downMs: number }[] = [];
    let appended = 0;
    for (let o = 0; o < chunks.length; o++) {
      const before = inboundCount();
      await dovecot.appendMany(user, mails.slice(appended, appended + chunks[o]).map((m) => m.raw));
      appended += chunks[o];
      if (o === OUTAGES) break;
      const target = before + Math.floor(rand() * chunks[o]);
      await waitUntil(`mail before outage ${o + 1}`, () => {
        alive();
        return inboundCount() >= target;
      }, TIMEOUT_MS / 2, 5);
      await sleep(Math.floor(rand() * 40));
      const kind = rand() < 0.5 ? 'crash' : 'shutdown';
      const downMs = 200 + Math.floor(rand() * 3000);
      await dovecot.stop({ graceful: kind === 'shutdown' });
      await sleep(downMs);
      await dovecot.start();
      expect(dovecot.port, 'Dovecot came back on another port').toBe(port);
      outages.push({ kind, downMs });
    }

    const last = (await dovecot.status(user)).uidNext - 1;
    const since = Date.now();
    await waitUntil(`all ${MAILS} mails after the last outage`, () => {
      alive();
      const s = state();
      return inboundCount() >= MAILS && !!s && s.lastUid >= last && (s.lastSuccessAt ?? 0) >= since;
    }, TIMEOUT_MS / 2, 200);
    expect(await desk.stop(), desk.log()).toBe(0);

    const report = checkExactlyOnce(dataDir, dbFile, mails, expected);
    console.log(summarize('dovecot-outage', report, {
      seed: SEED + 2, outages: OUTAGES,
      crashes: outages.filter((o) => o.kind === 'crash').length, shutdowns: outages.filter((o) => o.kind === 'shutdown').length,
      'down-ms': outages.map((o) => o.downMs).join('/'),
    }));
    expect(report.lost).toEqual([]);
    expect(report.duplicated).toEqual([]);
    expect(report.strangers).toBe(0);
    expect(report.inbound).toBe(MAILS);
    expect(report.wrongId).toEqual([]);
    expect(report.messageCountWrong).toEqual([]);
    expect(report.outcomeDiffers).toEqual([]);
  });
});
