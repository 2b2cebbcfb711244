import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { listRows } from './rows.ts';
import { tickets, worklogs } from '../db/schema.ts';

export type Worklog = typeof worklogs.$inferSelect;

export function insertWorklog(db: Db, w: Omit<typeof worklogs.$inferInsert, 'id'>): Worklog {
  return db.insert(worklogs).values(w).returning().get();
}

export function listTicketWorklogs(db: Db, ticketId: number): Worklog[] {
  return listRows(db, worklogs, 'where ticket_id = ? order by worked_at desc, id desc', ticketId);
}

export function findWorklog(db: Db, id: number): Worklog | undefined {
  return db.select().from(worklogs).where(eq(worklogs.id, id)).get();
}

export function deleteWorklog(db: Db, id: number): void {
  db.delete(worklogs).where(eq(worklogs.id, id)).run();
}

/** Moves a ticket's worklogs to another ticket (merging). */
export function moveWorklogs(db: Db, fromTicketId: number, toTicketId: number): void {
  db.update(worklogs).set({ ticketId: toTicketId }).where(eq(worklogs.ticketId, fromTicketId)).run();
}

/** Recomputes tickets.logged_minutes from the worklogs (the column is a cache for the queue and reports). */
export function refreshLoggedMinutes(db: Db, ticketId: number): number {
  const total = db.select({ m: sql<number>`coalesce(sum(${worklogs.minutes}), 0)` }).from(worklogs).where(eq(worklogs.ticketId, ticketId)).get()?.m ?? 0;
  db.update(tickets).set({ loggedMinutes: total }).where(eq(tickets.id, ticketId)).run();
  return total;
}

export function sumWorklogs(db: Db, ticketId: number): { total: number; billable: number } {
  const r = db.$client
    .prepare('select coalesce(sum(minutes), 0) as total, coalesce(sum(case when billable then minutes else 0 end), 0) as billable from worklogs where ticket_id = ?')
    .get(ticketId) as { total: number; billable: number } | undefined;
  return { total: r?.total ?? 0, billable: r?.billable ?? 0 };
}
