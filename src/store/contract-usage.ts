// What a contract has used: billable time per organisation and month, out-of-scope tickets,
// and the time logged on one ticket.
import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { tickets } from '../db/schema.ts';
import { sumLogged } from './time-sums.ts';

export type OrganizationUsage = { organizationId: number; coveredMinutes: number; outOfScopeMinutes: number };

/**
 * Billable minutes worked in [from, to), per organisation, split by whether the ticket is out of
 * scope: from the kept sums of the minutes logged (store/time-sums.ts), the whole days of the span
 * read from them and its partial days from the worklogs.
 */
export async function listUsageByOrganization(db: Db, range: { from: number; to: number }, organizationId?: number): Promise<OrganizationUsage[]> {
  const [usage] = await listUsageByOrganizationIn(db, [range]);
  return organizationId === undefined ? usage : usage.filter((u) => u.organizationId === organizationId);
}

/**
 * The same for several spans (months) in one statement, span by span; `organizationId`: only its
 * (summed from its worklogs, fewer than the sums of every organisation).
 */
export async function listUsageByOrganizationIn(db: Db, ranges: readonly { from: number; to: number }[], organizationId?: number): Promise<OrganizationUsage[][]> {
  const sums = await sumLogged(db, ranges, { tickets: organizationId === undefined ? {} : { organizationId } }, 'scope.org');
  const out = ranges.map(() => new Map<number, OrganizationUsage>());
  for (const s of sums) {
    if (s.key === null || s.billable === 0) continue;
    const [scope, org] = s.key.split('/');
    const id = Number(org);
    const u = out[s.ask].get(id) ?? { organizationId: id, coveredMinutes: 0, outOfScopeMinutes: 0 };
    if (scope === '1') u.outOfScopeMinutes += s.billable;
    else u.coveredMinutes += s.billable;
    out[s.ask].set(id, u);
  }
  return out.map((m) => [...m.values()]);
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
