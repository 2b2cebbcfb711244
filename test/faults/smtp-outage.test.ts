// The SMTP server goes down in the middle of a burst of notifications, and the desk is killed and
// started again while it is down. The real desk process (ROLES=outbox) delivers the burst — acknowledgements
// of mail that keeps coming in, and agents' replies — to a real SMTP server on loopback; the server
// shuts down the way mail servers do (421 to the mail in flight, then the port closes), the desk is
// killed with SIGKILL and started again, the burst goes on being queued, and the server comes back.
// Every notification arrives exactly once, counted by Message-ID at the server.
// FAULT_BURST sizes the burst (npm test: 30; npm run test:faults: 100).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replyToTicket } from '../../src/actions/tickets.ts';
import { buildServices, type Services } from '../../src/services.ts';
import { getChannelHealth } from '../../src/outbox/settings.ts';
import { makeTestDeps, type TestDeps } from '../helpers/deps.ts';
import { envInt, seededRandom, startDesk, type DeskProcess } from '../helpers/desk-process.ts';
import { rawMail, waitUntil } from '../helpers/mail.ts';
import { startSmtpServer, type TestSmtp } from '../helpers/smtp.ts';
import { addUser } from '../helpers/web.ts';

const BURST = envInt('FAULT_BURST', 30);
const SEED = envInt('FAULT_SEED', 20261128);
const TIMEOUT_MS = 300_000 + BURST * 2_000;
const FROM = 'support@desk.example';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('outbox while the SMTP server is down', () => {
  let smtp: TestSmtp;
  let deps: TestDeps;
  let services: Services;
  const desks: DeskProcess[] = [];

  beforeEach(async () => {
    smtp = await startSmtpServer();
    deps = await makeTestDeps({ SMTP_URL: smtp.url, MAIL_FROM: FROM }, { file: true });
    // the desk process runs on the real clock: queue with it too
    deps.clock.set(Date.now());
    services = buildServices(deps);
  });
  afterEach(async () => {
    await Promise.all(desks.splice(0).map((d) => d.kill9()));
    await smtp.close();
    deps.close();
  });

  const rows = async () =>
    (await deps.db.all('select id, status, attempts, header_message_id mid, last_error err from outbox order by id')) as
      { id: number; status: string; attempts: number; mid: string | null; err: string | null }[];
  const outboxDesk = () => {
    const d = startDesk({ dataDir: deps.dataDir, roles: 'outbox', env: { SMTP_URL: smtp.url, MAIL_FROM: FROM } });
    desks.push(d);
    return d;
  };

  it(`delivers a burst of ${BURST} notifications exactly once across an SMTP outage and a desk restart`, { timeout: TIMEOUT_MS }, async () => {
    const rand = seededRandom(SEED + 3);
    const agent = await addUser(services, 'agent', 'boris@desk.example', 'Boris');
    const tickets: number[] = [];
    let queued = 0;
    let mailNo = 0;
    /** one notification: the acknowledgement of a new mail, or (about one in three) an agent's reply */
    const queueOne = async () => {
      if (tickets.length > 0 && rand() < 0.35) {
        await replyToTicket(services.ctx, { kind: 'user', user: agent }, { ticketId: tickets[Math.floor(rand() * tickets.length)], body: `Please try again now (${queued}).` });
      } else {
        mailNo++;
        const r = await services.intake.receive({
          channel: 'email', source: 'smtp', mailboxId: null,
          raw: rawMail({ from: `User ${mailNo} <user${mailNo}@client.example>`, subject: `Problem ${mailNo}`, body: `Details of problem ${mailNo}.`, messageId: `burst-${mailNo}@client.example` }),
        });
        expect(r.outcome).toBe('created');
        tickets.push(r.ticketId!);
      }
      queued++;
      expect(await rows()).toHaveLength(queued);
    };
    const queueMany = async (n: number, pauseMs: number) => {
      for (let i = 0; i < n; i++) {
        await queueOne();
        if (pauseMs) await sleep(Math.floor(rand() * pauseMs));
      }
    };

    let desk = outboxDesk();
    await desk.started;

    // the burst starts while all is well
    const beforeOutage = Math.max(2, Math.round(BURST * 0.3));
    await queueMany(beforeOutage, 30);
    // the server goes down after a seeded number of deliveries, in the middle of the burst
    const downAfter = 1 + Math.floor(rand() * (beforeOutage - 1));
    await waitUntil(`${downAfter} deliveries before the outage`, () => smtp.received.length >= downAfter, TIMEOUT_MS / 4);
    // a mail server shutting down refuses the mail in flight with 421 and then closes its port
    smtp.behaviour.respond = () => ({ code: 421, message: '4.3.2 Service shutting down, try again later' });
    await sleep(200);
    await smtp.stop();
    const deliveredBeforeOutage = smtp.received.length;

    // more is queued while the server is down
    const duringOutage = Math.round((BURST - beforeOutage) / 2);
    await queueMany(duringOutage, 10);
    // the desk has tried and paused the channel: now it is killed, between two attempts
    const downSince = Date.now();
    await waitUntil('the desk to notice the outage', async () => {
      desk.assertRunning();
      const h = await getChannelHealth(deps.db, 'email');
      return h && !h.ok && h.checkedAt >= downSince && (await rows()).every((r) => r.status !== 'sending');
    }, TIMEOUT_MS / 4, 20);
    await desk.kill9();
    // killed between attempts, so no row waits for the lease of an interrupted send (that case is
    // test/e2e/email/outbox-crash.test.ts); a row left 'sending' here would hold this test for 10 minutes
    expect((await rows()).filter((r) => r.status === 'sending')).toEqual([]);

    desk = outboxDesk();
    await desk.started;
    await queueMany(BURST - beforeOutage - duringOutage, 10);
    const restartedAt = Date.now();
    await waitUntil('the restarted desk to find the server still down', async () => {
      const h = await getChannelHealth(deps.db, 'email');
      return h && !h.ok && h.checkedAt >= restartedAt;
    }, TIMEOUT_MS / 4, 20);
    // nothing was given up on while the server was away: what was not delivered waits, untried
    const waiting = (await rows()).filter((r) => r.status !== 'sent');
    expect(waiting.length).toBe(BURST - deliveredBeforeOutage);
    expect(waiting.every((r) => r.status === 'pending')).toBe(true);
    expect(smtp.received.length).toBe(deliveredBeforeOutage);

    // the server comes back
    smtp.behaviour.respond = undefined;
    await smtp.start();
    await waitUntil(`all ${BURST} notifications delivered`, async () => {
      desk.assertRunning();
      return (await rows()).every((r) => r.status === 'sent');
    }, TIMEOUT_MS / 2, 100);
    expect(await desk.stop(), desk.log()).toBe(0);

    const ids = smtp.messageIds();
    const all = await rows();
    const counts = new Map<string, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    const twice = [...counts].filter(([, n]) => n > 1);
    console.log(`[smtp-outage] seed=${SEED + 3} burst=${BURST} (acknowledgements ${mailNo}, agent replies ${BURST - mailNo}) delivered-before-outage=${deliveredBeforeOutage} refused-with-421=${smtp.refused.length} desk-restarts=1 received=${ids.length} distinct=${counts.size} delivered-twice=${twice.length}`);
    expect(all).toHaveLength(BURST);
    expect(twice).toEqual([]);
    expect(ids).toHaveLength(BURST);
    expect([...counts.keys()].sort()).toEqual(all.map((r) => r.mid).sort());
    // refused mail came back to the queue without using up an attempt
    expect(all.filter((r) => r.attempts !== 1)).toEqual([]);
  });
});
