import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildServices } from '../services.ts';
import { sha256Hex } from '../store/file-store.ts';
import { smsInboxStore } from '../store/webhook-inbox.ts';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { createSmsInbox } from './webhook-inbox.ts';

let deps: TestDeps;
beforeEach(() => {
  deps = makeTestDeps({ TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`, TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+15005550006' });
});
afterEach(() => deps.close());

const webhook = (sid: string, body: string) => JSON.stringify({ MessageSid: sid, From: '+79123456789', To: '+15005550006', Body: body });

it('after a restart, stores what was accepted or spooled before it, once, in order', async () => {
  const store = smsInboxStore(deps.db);
  // accepted, and SM1 even stored just before the crash (its inbox row not yet removed)
  for (const sid of ['SM1', 'SM2']) store.insert({ messageSid: sid, fromAddress: '+79123456789', raw: webhook(sid, `accepted ${sid}`), hasMedia: false, receivedAt: 1 }, 1);
  const services = buildServices(deps);
  await services.intake.receive({ channel: 'sms', source: 'twilio', mailboxId: null, raw: Buffer.from(webhook('SM1', 'accepted SM1')) });
  // spooled to disk while the database was locked
  const dir = path.join(deps.dataDir, 'spool', 'sms');
  mkdirSync(dir, { recursive: true });
  const raw = Buffer.from(webhook('SM3', 'spooled SM3'));
  writeFileSync(path.join(dir, `${sha256Hex(raw)}.json`), raw);

  const inbox = createSmsInbox(deps, services.intake);
  expect(inbox.pending()).toBe(3);
  await expect.poll(() => inbox.pending(), { timeout: 10_000 }).toBe(0);
  const rows = deps.db.$client.prepare('select external_id, outcome from inbound_messages order by id').all();
  expect(rows).toEqual([
    { external_id: 'SM1', outcome: 'created' },
    { external_id: 'SM2', outcome: 'appended' },
    { external_id: 'SM3', outcome: 'appended' },
  ]);
  expect(readdirSync(dir)).toEqual([]);
});

it('takes a MessageSid once, whether waiting or already stored', async () => {
  const services = buildServices(deps);
  const inbox = createSmsInbox(deps, services.intake);
  const raw = Buffer.from(webhook('SM9', 'hello'));
  const meta = { sid: 'SM9', from: '+79123456789', hasMedia: false };
  // the same message twice in one turn (one commit), then again once stored
  expect(await Promise.all([inbox.accept(raw, meta), inbox.accept(raw, meta)])).toEqual(['accepted', 'duplicate']);
  expect(await inbox.accept(raw, meta)).toBe('duplicate');
  await inbox.drain();
  expect(inbox.pending()).toBe(0);
  expect(await inbox.accept(raw, meta)).toBe('duplicate');
  expect(inbox.pending()).toBe(0);
});
