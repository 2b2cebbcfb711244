// Incoming texts with several desk processes on one PostgreSQL database: any process accepts
// Twilio's webhooks, one at a time hands the inbox over to intake (so a sender's texts land in the
// order they came), and another takes that over when the one doing it loses its connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/client.ts';
import { buildServices } from '../../../src/services.ts';
import { deskDeps, type DeskDeps } from '../../helpers/desk-deps.ts';
import { startPostgres, type PostgresCluster } from '../../helpers/postgres.ts';
import { inboundSms, postSigned, startTwilioFake, twilioEnv, type TwilioFake } from '../../helpers/twilio-fake.ts';
import { startTestServer, type TestServer } from '../../helpers/web.ts';

const SMS = '/webhooks/twilio/sms';
let cluster: PostgresCluster;
let fake: TwilioFake;
beforeAll(async () => {
  [cluster, fake] = await Promise.all([startPostgres(), startTwilioFake()]);
}, 120_000);
afterAll(async () => {
  await fake?.close();
  cluster?.stop();
});

type Desk = { deps: DeskDeps; server: TestServer; handedOver: string[] };

async function desk(url: string): Promise<Desk> {
  const deps = await deskDeps(url, { env: twilioEnv(fake) });
  const services = buildServices(deps);
  // which process puts each text through intake
  const handedOver: string[] = [];
  const receive = services.intake.receive.bind(services.intake);
  services.intake.receive = async (msg) => {
    handedOver.push(new URLSearchParams(Object.entries(JSON.parse(msg.raw.toString('utf8')) as Record<string, string>)).get('Body') ?? '');
    return await receive(msg);
  };
  return { deps, server: await startTestServer(deps, services), handedOver };
}

const bodiesOf = async (db: Db) => await db.column<string>("select body_text from messages where channel = 'sms' order by id");

async function breakLockConnection(db: Db, name: string): Promise<number> {
  return (await db.value<number>(
    "select count(pg_terminate_backend(pid)) from pg_locks where locktype = 'advisory' and granted and classid = 26724 and objid = hashtext(?)::oid",
    name,
  )) ?? 0;
}

describe('the SMS inbox shared by the desk processes on PostgreSQL', () => {
  it('takes texts in at any process, hands them over in one, in order, once each, and moves on when that one is gone', { timeout: 120_000 }, async () => {
    const url = cluster.url(await cluster.createDatabase());
    const a = await desk(url);
    const b = await desk(url);
    try {
      // one sender's texts, sent to the two processes in turn as a load balancer would
      const first = Array.from({ length: 30 }, (_, i) => `text ${String(i).padStart(2, '0')}`);
      for (const [i, body] of first.entries()) {
        const r = await postSigned((i % 2 ? b : a).server.url, SMS, inboundSms({ from: '+79123456789', body }));
        expect(r.status).toBe(200);
      }
      await expect.poll(() => bodiesOf(a.deps.db), { timeout: 30_000, interval: 50 }).toEqual(first);
      // one process handed them all over, each once
      const [holder, other] = a.handedOver.length ? [a, b] : [b, a];
      expect(holder.handedOver).toEqual(first);
      expect(other.handedOver).toEqual([]);

      // the process handing over loses its connection: the other takes the inbox over
      expect(await breakLockConnection(a.deps.db, 'webhook-inbox:sms')).toBe(1);
      const second = Array.from({ length: 6 }, (_, i) => `later ${i}`);
      for (const [i, body] of second.entries()) {
        expect((await postSigned((i % 2 ? b : a).server.url, SMS, inboundSms({ from: '+79123456789', body }))).status).toBe(200);
      }
      await expect.poll(() => bodiesOf(a.deps.db), { timeout: 30_000, interval: 100 }).toEqual([...first, ...second]);
      expect(await a.deps.db.value('select count(*) from tickets')).toBe(1);
      expect(await a.deps.db.value('select count(*) from sms_inbox')).toBe(0);
    } finally {
      for (const d of [a, b]) {
        await d.server.close();
        await d.deps.close();
      }
    }
  });
});
