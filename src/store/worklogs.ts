import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { listRows } from './rows.ts';
import { tickets, worklogs } from '../db/schema.ts';

export type Worklog = typeof worklogs.$inferSelect;

export async function insertWorklog(db: Db, w: Omit<typeof worklogs.$inferInsert, 'id'>): Promise<Worklog> {
  return await db.insert(worklogs).values(w).returning().get();
}

export async function listTicketWorklogs(db: Db, ticketId: number): Promise<Worklog[]> {
  return await listRows(db, worklogs, 'where ticket_id = ? order by worked_at desc, id desc', ticketId);
}

export async function findWorklog(db: Db, id: number): Promise<Worklog | undefined> {
  return await db.select().from(worklogs).where(eq(worklogs.id, id)).get();
}

export async function deleteWorklog(db: Db, id: number): Promise<void> {
  await db.delete(worklogs).where(eq(worklogs.id, id)).run();
}

/** Moves a ticket's worklogs to another ticket (merging). */
export async function moveWorklogs(db: Db, fromTicketId: number, toTicketId: number): Promise<void> {
  await db.update(worklogs).set({ ticketId: toTicketId }).where(eq(worklogs.ticketId, fromTicketId)).run();
}

/** Recomputes tickets.logged_minutes from the worklogs (the column is a cache for the queue and reports). */
export async function refreshLoggedMinutes(db: Db, ticketId: number): Promise<number> {
  const total = (await db.select({ m: sql<number>`coalesce(sum(${worklogs.minutes}), 0)` }).from(worklogs).where(eq(worklogs.ticketId, ticketId)).get())?.m ?? 0;
  await db.update(tickets).set({ loggedMinutes: total }).where(eq(tickets.id, ticketId)).run();
  return total;
}

export async function sumWorklogs(db: Db, ticketId: number): Promise<{ total: number; billable: number }> {
  const r = (await db.get('select coalesce(sum(minutes), 0) as total, coalesce(sum(case when billable = 1 then minutes else 0 end), 0) as billable from worklogs where ticket_id = ?', ticketId)) as { total: number; billable: number } | undefined;
  return { total: r?.total ?? 0, billable: r?.billable ?? 0 };
}
