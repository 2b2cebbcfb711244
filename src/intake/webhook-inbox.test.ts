import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildServices } from '../services.ts';
import { sha256Hex } from '../store/file-store.ts';
import { webhookInboxStore } from '../store/webhook-inbox.ts';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { SMS_INBOX } from '../channels/sms/twilio-webhook.ts';
import { createIntake, type Parser } from './receive.ts';
import { createWebhookInbox, type WebhookInboxOptions } from './webhook-inbox.ts';

let deps: TestDeps;
beforeEach(async () => {
  deps = await makeTestDeps({ TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`, TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+15005550006' });
});
afterEach(() => deps.close());

const webhook = (sid: string, body: string) => JSON.stringify({ MessageSid: sid, From: '+79123456789', To: '+15005550006', Body: body });

it('after a restart, stores what was accepted or spooled before it, once, in order', async () => {
  const store = webhookInboxStore(deps.db, 'sms');
  // accepted, and SM1 even stored just before the crash (its inbox row not yet removed)
  for (const sid of ['SM1', 'SM2']) await store.insert({ key: sid, sender: '+79123456789', raw: webhook(sid, `accepted ${sid}`), hasMedia: false, receivedAt: 1 }, 1);
  const services = buildServices(deps);
  await services.intake.receive({ channel: 'sms', source: 'twilio', mailboxId: null, raw: Buffer.from(webhook('SM1', 'accepted SM1')) });
  // spooled to disk while the database was locked
  const dir = path.join(deps.dataDir, 'spool', 'sms');
  mkdirSync(dir, { recursive: true });
  const raw = Buffer.from(webhook('SM3', 'spooled SM3'));
  writeFileSync(path.join(dir, `${sha256Hex(raw)}.json`), raw);

  const inbox = createWebhookInbox(deps, services.intake, SMS_INBOX);
  expect(await inbox.pending()).toBe(3);
  await expect.poll(() => inbox.pending(), { timeout: 10_000 }).toBe(0);
  const rows = await deps.db.all('select external_id, outcome from inbound_messages order by id');
  expect(rows).toEqual([
    { external_id: 'SM1', outcome: 'created' },
    { external_id: 'SM2', outcome: 'appended' },
    { external_id: 'SM3', outcome: 'appended' },
  ]);
  expect(readdirSync(dir)).toEqual([]);
});

it('takes a MessageSid once, whether waiting or already stored', async () => {
  const services = buildServices(deps);
  const inbox = createWebhookInbox(deps, services.intake, SMS_INBOX);
  const raw = Buffer.from(webhook('SM9', 'hello'));
  const meta = { externalId: 'SM9', sender: '+79123456789', hasMedia: false };
  // the same message twice in one turn (one commit), then again once stored
  expect(await Promise.all([inbox.accept(raw, meta), inbox.accept(raw, meta)])).toEqual(['accepted', 'duplicate']);
  expect(await inbox.accept(raw, meta)).toBe('duplicate');
  await inbox.drain();
  expect(await inbox.pending()).toBe(0);
  expect(await inbox.accept(raw, meta)).toBe('duplicate');
  expect(await inbox.pending()).toBe(0);
});

// Another channel's webhook (the phone channel stands in for the next one, Telegram say): its own
// message ids, its own sender key, media it downloads during intake.
type CallWebhook = { id: string; caller: string; text: string; media?: boolean };
const call = (m: CallWebhook) => Buffer.from(JSON.stringify(m));
const callMeta = (raw: Buffer) => {
  const m = JSON.parse(raw.toString('utf8')) as CallWebhook;
  return { externalId: m.id, sender: m.caller, hasMedia: m.media === true };
};
const CALLS: WebhookInboxOptions = { channel: 'phone', source: 'api', metaOf: callMeta };

/** intake with a parser for the calls; a call with media waits for `media` (its download) */
function callIntake(media: Promise<void>) {
  const started: string[] = [];
  const parseCall: Parser = async (input) => {
    const m = JSON.parse(input.raw.toString('utf8')) as CallWebhook;
    started.push(m.id);
    if (m.media) await media;
    return {
      channel: input.channel, source: input.source, mailboxId: null, receivedAt: input.receivedAt, raw: input.raw, rawSha256: input.rawSha256,
      externalId: m.id, externalIdSynthesized: false, from: { address: m.caller, name: '' }, to: [], cc: [], replyTo: [], deliveredTo: [],
      subject: m.text, text: m.text, html: null, date: null, inReplyTo: [], references: [], headers: {}, attachments: [], problems: [],
    };
  };
  return { intake: createIntake(deps, { parsers: { phone: parseCall } }), started };
}

const inbound = async () => await deps.db.all('select channel, source, external_id from inbound_messages order by id');

it('serves another channel: its messages go to intake as that channel, in order per its sender key', async () => {
  let download!: () => void;
  const { intake, started } = callIntake(new Promise<void>((resolve) => (download = resolve)));
  const inbox = createWebhookInbox(deps, intake, CALLS);
  const anna = { caller: 'anna@example.test' };
  const boris = { caller: 'boris@example.test' };
  const messages = [
    { id: 'C1', ...anna, text: 'Photo of the broken screen', media: true },
    { id: 'C2', ...anna, text: 'It is the second floor' },
    { id: 'C3', ...boris, text: 'My badge does not open the door' },
  ];
  expect(await Promise.all(messages.map((m) => inbox.accept(call(m), callMeta(call(m)))))).toEqual(['accepted', 'accepted', 'accepted']);
  // Boris is not held up by Anna's download; Anna's next message waits for it
  await expect.poll(async () => await inbound(), { timeout: 10_000 }).toEqual([{ channel: 'phone', source: 'api', external_id: 'C3' }]);
  // the two senders' first messages start side by side, in either order
  expect([...started].sort()).toEqual(['C1', 'C3']);
  download();
  await inbox.drain();
  expect([...started.slice(0, 2)].sort()).toEqual(['C1', 'C3']);
  expect(started.slice(2)).toEqual(['C2']);
  expect(await inbound()).toEqual([
    { channel: 'phone', source: 'api', external_id: 'C3' },
    { channel: 'phone', source: 'api', external_id: 'C1' },
    { channel: 'phone', source: 'api', external_id: 'C2' },
  ]);
  expect(await inbox.pending()).toBe(0);
  // a message already stored under this channel's id is a duplicate
  expect(await inbox.accept(call(messages[1]), callMeta(call(messages[1])))).toBe('duplicate');
});

it('keeps the messages of each channel apart: ids, waiting rows and spool files', async () => {
  // an SMS waiting, and one spooled, with the id the call below has too
  await webhookInboxStore(deps.db, 'sms').insert({ key: 'X1', sender: '+79123456789', raw: webhook('X1', 'a text'), hasMedia: false, receivedAt: 1 }, 1);
  const smsSpool = path.join(deps.dataDir, 'spool', 'sms');
  mkdirSync(smsSpool, { recursive: true });
  writeFileSync(path.join(smsSpool, 'x.json'), webhook('SM2', 'spooled text'));

  const { intake } = callIntake(Promise.resolve());
  const inbox = createWebhookInbox(deps, intake, CALLS);
  expect(await inbox.pending()).toBe(0);
  const m = { id: 'X1', caller: 'anna@example.test', text: 'A call' };
  expect(await inbox.accept(call(m), callMeta(call(m)))).toBe('accepted');
  await inbox.drain();
  expect(await inbound()).toEqual([{ channel: 'phone', source: 'api', external_id: 'X1' }]);
  // the SMS is still waiting for the SMS inbox
  expect(await webhookInboxStore(deps.db, 'sms').count()).toBe(1);
  expect(readdirSync(smsSpool)).toEqual(['x.json']);
});
