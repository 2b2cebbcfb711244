import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { savedViews } from '../db/schema.ts';
import { listRows } from './rows.ts';

export type SavedView = typeof savedViews.$inferSelect;

export function listSavedViews(db: Db, userId: number): SavedView[] {
  return listRows(db, savedViews, 'where user_id = ? order by name', userId);
}

export function insertSavedView(db: Db, v: { userId: number; name: string; query: string }, now: number): SavedView {
  return db.insert(savedViews).values({ ...v, createdAt: now }).returning().get();
}

export function deleteSavedView(db: Db, userId: number, id: number): boolean {
  return db.delete(savedViews).where(and(eq(savedViews.userId, userId), eq(savedViews.id, id))).run().changes > 0;
}
