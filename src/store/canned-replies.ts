import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { cannedReplies, type Locale } from '../db/schema.ts';
import { notFound } from '../domain/errors.ts';
import { listRows } from './rows.ts';

export type CannedReply = typeof cannedReplies.$inferSelect;
export type CannedReplyInput = { title: string; body: string; locale: Locale | null };

export async function listCannedReplies(db: Db, opts: { locale?: Locale } = {}): Promise<CannedReply[]> {
  return opts.locale
    ? await listRows(db, cannedReplies, 'where locale is null or locale = ? order by lower(title), id', opts.locale)
    : await listRows(db, cannedReplies, 'order by lower(title), id');
}

export async function findCannedReply(db: Db, id: number): Promise<CannedReply | undefined> {
  return await db.select().from(cannedReplies).where(eq(cannedReplies.id, id)).get();
}

export async function getCannedReply(db: Db, id: number): Promise<CannedReply> {
  const c = await findCannedReply(db, id);
  if (!c) throw notFound('Canned reply');
  return c;
}

export async function insertCannedReply(db: Db, c: CannedReplyInput & { createdBy: number | null }, now: number): Promise<CannedReply> {
  return await db.insert(cannedReplies).values({ ...c, createdAt: now, updatedAt: now }).returning().get();
}

export async function updateCannedReply(db: Db, id: number, c: CannedReplyInput, now: number): Promise<void> {
  await db.update(cannedReplies).set({ ...c, updatedAt: now }).where(eq(cannedReplies.id, id)).run();
}

export async function deleteCannedReply(db: Db, id: number): Promise<void> {
  await db.delete(cannedReplies).where(eq(cannedReplies.id, id)).run();
}
