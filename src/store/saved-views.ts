import { and, eq } from 'drizzle-orm';
import { changed, type Db } from '../db/client.ts';
import { savedViews } from '../db/schema.ts';
import { listRows } from './rows.ts';

export type SavedView = typeof savedViews.$inferSelect;

export async function listSavedViews(db: Db, userId: number): Promise<SavedView[]> {
  return await listRows(db, savedViews, 'where user_id = ? order by name', userId);
}

export async function insertSavedView(db: Db, v: { userId: number; name: string; query: string }, now: number): Promise<SavedView> {
  return await db.insert(savedViews).values({ ...v, createdAt: now }).returning().get();
}

export async function deleteSavedView(db: Db, userId: number, id: number): Promise<boolean> {
  return changed(await db.delete(savedViews).where(and(eq(savedViews.userId, userId), eq(savedViews.id, id))).run()) > 0;
}
