import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildServices } from '../../services.ts';
import { sha256Hex } from '../../store/file-store.ts';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { createSmsInbox } from './sms-inbox.ts';

let deps: TestDeps;
beforeEach(() => {
  deps = makeTestDeps({ TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`, TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+15005550006' });
});
afterEach(() => deps.close());

it('stores what was spooled before a restart, once, and empties the spool', async () => {
  const dir = path.join(deps.dataDir, 'spool', 'sms');
  mkdirSync(dir, { recursive: true });
  const raws = ['SM1', 'SM2'].map((sid) => Buffer.from(JSON.stringify({ MessageSid: sid, From: '+79123456789', To: '+15005550006', Body: `left over ${sid}` })));
  for (const raw of raws) writeFileSync(path.join(dir, `${sha256Hex(raw)}.json`), raw);
  // one of them was in fact stored just before the crash
  const services = buildServices(deps);
  await services.intake.receive({ channel: 'sms', source: 'twilio', mailboxId: null, raw: raws[0] });

  const inbox = createSmsInbox(deps, services.intake);
  await expect.poll(() => inbox.pending(), { timeout: 10_000 }).toBe(0);
  await inbox.drain();
  const rows = deps.db.$client.prepare('select external_id, outcome from inbound_messages order by id').all();
  expect(rows).toEqual([{ external_id: 'SM1', outcome: 'created' }, { external_id: 'SM2', outcome: 'appended' }]);
  expect(readdirSync(dir)).toEqual([]);
});
