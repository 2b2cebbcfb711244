import type { Db } from '../db/client.ts';
import { settings } from '../db/schema.ts';

export async function findSetting<T>(db: Db, key: string): Promise<T | undefined> {
  // the value is JSON (drizzle's json text column)
  const text = (await db.value('select value from settings where key = ?', key)) as string | undefined;
  return text === undefined ? undefined : (JSON.parse(text) as T);
}

export async function upsertSetting(db: Db, key: string, value: unknown, now: number): Promise<void> {
  await db.insert(settings)
    .values({ key, value, updatedAt: now })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } })
    .run();
}

export async function deleteSetting(db: Db, key: string): Promise<void> {
  await db.run('delete from settings where key = ?', key);
}
