import type { Db } from '../db/client.ts';
import { outbox } from '../db/schema.ts';

export type OutboxRow = typeof outbox.$inferSelect;
export type OutboxInsert = Omit<typeof outbox.$inferInsert, 'id' | 'status' | 'attempts' | 'createdAt' | 'nextAttemptAt' | 'sentAt' | 'lastError' | 'providerId'>;

/** Queues one outbound mail or SMS. Call inside the transaction of the change that causes it. */
export function insertOutbox(db: Db, row: OutboxInsert, now: number): OutboxRow {
  return db.insert(outbox).values({ ...row, status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now }).returning().get();
}
