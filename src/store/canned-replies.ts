import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { cannedReplies, type Locale } from '../db/schema.ts';
import { notFound } from '../domain/errors.ts';
import { listRows } from './rows.ts';

export type CannedReply = typeof cannedReplies.$inferSelect;
export type CannedReplyInput = { title: string; body: string; locale: Locale | null };

export function listCannedReplies(db: Db, opts: { locale?: Locale } = {}): CannedReply[] {
  return opts.locale
    ? listRows(db, cannedReplies, 'where locale is null or locale = ? order by title collate nocase, id', opts.locale)
    : listRows(db, cannedReplies, 'order by title collate nocase, id');
}

export function findCannedReply(db: Db, id: number): CannedReply | undefined {
  return db.select().from(cannedReplies).where(eq(cannedReplies.id, id)).get();
}

export function getCannedReply(db: Db, id: number): CannedReply {
  const c = findCannedReply(db, id);
  if (!c) throw notFound('Canned reply');
  return c;
}

export function insertCannedReply(db: Db, c: CannedReplyInput & { createdBy: number | null }, now: number): CannedReply {
  return db.insert(cannedReplies).values({ ...c, createdAt: now, updatedAt: now }).returning().get();
}

export function updateCannedReply(db: Db, id: number, c: CannedReplyInput, now: number): void {
  db.update(cannedReplies).set({ ...c, updatedAt: now }).where(eq(cannedReplies.id, id)).run();
}

export function deleteCannedReply(db: Db, id: number): void {
  db.delete(cannedReplies).where(eq(cannedReplies.id, id)).run();
}
