// The inbox's channel column: texts waiting in the inbox when it arrives stay there, as SMS.
import { expect, it } from 'vitest';
import { webhookInboxStore } from '../store/webhook-inbox.ts';
import { migrateDb } from './migrate.ts';
import { withDbBefore } from '../../test/helpers/migrations.ts';

it('keeps the texts waiting in the inbox through the upgrade, as SMS, each id still taken once', async () => {
  await withDbBefore('_webhook_inbox_channel', async (db) => {
    const raw = JSON.stringify({ MessageSid: 'SM1', From: '+79123456789', Body: 'Printer jams' });
    await db.run("insert into sms_inbox (message_sid, from_address, raw, has_media, received_at, attempts, next_attempt_at, last_error) values ('SM1', '+79123456789', ?, 1, 1000, 2, 5000, 'database is locked')", raw);
    await migrateDb(db);

    expect(await db.all('select * from sms_inbox')).toEqual([{
      id: 1, channel: 'sms', message_sid: 'SM1', from_address: '+79123456789', raw, has_media: 1, received_at: 1000, attempts: 2, next_attempt_at: 5000, last_error: 'database is locked',
    }]);
    const sms = webhookInboxStore(db, 'sms');
    expect(await sms.listDue(5000, 16)).toEqual([{ id: 1, sender: '+79123456789', hasMedia: true }]);
    expect(await sms.get(1)).toEqual({ id: 1, key: 'SM1', sender: '+79123456789', raw, hasMedia: true, receivedAt: 1000, attempts: 2 });
    expect(await sms.insert({ key: 'SM1', sender: '+79123456789', raw, hasMedia: false, receivedAt: 2000 }, 2000)).toBe(false);
    // another channel's rows are its own, even under the same id
    const phone = webhookInboxStore(db, 'phone');
    expect(await phone.count()).toBe(0);
    expect(await phone.insert({ key: 'SM1', sender: null, raw: '{}', hasMedia: false, receivedAt: 2000 }, 2000)).toBe(true);
    expect(await sms.count()).toBe(1);
  });
});
