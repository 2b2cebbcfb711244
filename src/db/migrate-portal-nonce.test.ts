// The portal nonce backfill: tickets that exist when the column arrives each get their own nonce.
import { expect, it } from 'vitest';
import { migrateDb } from './migrate.ts';
import { withDbBefore } from '../../test/helpers/migrations.ts';

it('gives every ticket that existed before the portal nonce its own random nonce', async () => {
  await withDbBefore('_portal_nonce', async (db) => {
    const now = Date.now();
    const insert = db.sqlite.prepare("insert into tickets (number, subject, channel, last_activity_at, created_at, updated_at) values (?, 'Old', 'email', ?, ?, ?)");
    insert.run(1, now, now, now);
    insert.run(2, now, now, now);
    await migrateDb(db);
    const nonces = (await db.column('select portal_nonce from tickets order by id')) as string[];
    expect(nonces).toHaveLength(2);
    for (const n of nonces) expect(n).toMatch(/^[0-9a-f]{32}$/);
    expect(nonces[0]).not.toBe(nonces[1]);
  });
});
