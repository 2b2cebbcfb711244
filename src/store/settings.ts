import type { Db } from '../db/client.ts';
import { settings } from '../db/schema.ts';

export function findSetting<T>(db: Db, key: string): T | undefined {
  // the value is JSON (drizzle's json text column)
  const text = db.$client.prepare('select value from settings where key = ?').pluck().get(key) as string | undefined;
  return text === undefined ? undefined : (JSON.parse(text) as T);
}

export function upsertSetting(db: Db, key: string, value: unknown, now: number): void {
  db.insert(settings)
    .values({ key, value, updatedAt: now })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } })
    .run();
}
