// What a contract has used: billable time per organisation and month, out-of-scope tickets,
// and the time logged on one ticket.
import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { tickets, worklogs } from '../db/schema.ts';

export type OrganizationUsage = { organizationId: number; coveredMinutes: number; outOfScopeMinutes: number };

/** Billable minutes worked in [from, to), per organisation, split by whether the ticket is out of scope. */
export async function listUsageByOrganization(db: Db, range: { from: number; to: number }, organizationId?: number): Promise<OrganizationUsage[]> {
  const where: SQL[] = [eq(worklogs.billable, true), gte(worklogs.workedAt, range.from), lt(worklogs.workedAt, range.to), sql`${tickets.organizationId} is not null`];
  if (organizationId !== undefined) where.push(eq(tickets.organizationId, organizationId));
  const rows = await db
    .select({ organizationId: tickets.organizationId, billable: tickets.billable, minutes: sql<number>`coalesce(sum(${worklogs.minutes}), 0)` })
    .from(worklogs)
    .innerJoin(tickets, eq(tickets.id, worklogs.ticketId))
    .where(and(...where))
    .groupBy(tickets.organizationId, tickets.billable)
    .all();
  const out = new Map<number, OrganizationUsage>();
  for (const r of rows) {
    const id = r.organizationId!;
    const u = out.get(id) ?? { organizationId: id, coveredMinutes: 0, outOfScopeMinutes: 0 };
    if (r.billable) u.outOfScopeMinutes += Number(r.minutes);
    else u.coveredMinutes += Number(r.minutes);
    out.set(id, u);
  }
  return [...out.values()];
}

export type BillableTicket = { id: number; number: number; subject: string; status: string; organizationId: number | null; createdAt: number; minutes: number };

/** Out-of-scope (billable) tickets, newest first, optionally of one organisation and opened in [from, to). */
export async function listBillableTickets(db: Db, filter: { organizationId?: number; from?: number; to?: number }, limit = 200): Promise<BillableTicket[]> {
  const where: SQL[] = [eq(tickets.billable, true)];
  if (filter.organizationId !== undefined) where.push(eq(tickets.organizationId, filter.organizationId));
  if (filter.from !== undefined) where.push(gte(tickets.createdAt, filter.from));
  if (filter.to !== undefined) where.push(lt(tickets.createdAt, filter.to));
  return await db
    .select({
      id: tickets.id, number: tickets.number, subject: tickets.subject, status: tickets.status, organizationId: tickets.organizationId, createdAt: tickets.createdAt,
      // written out with table names: drizzle leaves the columns of a one-table select unqualified,
      // and inside the subquery a bare "id" would be the worklog's
      minutes: sql<number>`(select coalesce(sum(w.minutes), 0) from worklogs w where w.ticket_id = "tickets"."id")`,
    })
    .from(tickets)
    .where(and(...where))
    .orderBy(desc(tickets.id))
    .limit(limit)
    .all();
}
