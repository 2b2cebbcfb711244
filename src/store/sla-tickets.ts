// The scheduler's questions about tickets: whose SLA notice falls due, which resolved tickets
// are old enough to close, which open tickets follow a policy.
import { and, asc, eq, gt, isNotNull, isNull, lte, notInArray, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { organizations, tickets, type TicketType } from '../db/schema.ts';
import { jsonNumber } from '../db/dialect.ts';

/** Where the scheduler stopped reading a list: the key of the last row it saw. */
export type SlaDueCursor = { at: number; id: number };

/**
 * Tickets whose next SLA event is due at `now`, in (due time, id) order, after `after`. Callers
 * page with the last row's key, so tickets that stay due (their check failed) cannot hide the rest.
 */
export async function listTicketsWithSlaDue(db: Db, now: number, limit: number, after?: SlaDueCursor): Promise<{ id: number; at: number }[]> {
  return (await db
    .select({ id: tickets.id, at: tickets.slaNextEventAt })
    .from(tickets)
    .where(
      and(
        isNotNull(tickets.slaNextEventAt),
        lte(tickets.slaNextEventAt, now),
        after ? or(gt(tickets.slaNextEventAt, after.at), and(eq(tickets.slaNextEventAt, after.at), gt(tickets.id, after.id))) : undefined,
      ),
    )
    .orderBy(asc(tickets.slaNextEventAt), asc(tickets.id))
    .limit(limit)
    .all())
    .map((r) => ({ id: r.id, at: r.at! }));
}

/** Resolved tickets of a type resolved by `resolvedBefore`, in id order, with ids above `afterId` (the paging cursor). */
export async function listResolvedTicketIdsBefore(db: Db, type: TicketType, resolvedBefore: number, limit: number, afterId = 0): Promise<number[]> {
  return (await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(eq(tickets.status, 'resolved'), eq(tickets.type, type), lte(tickets.resolvedAt, resolvedBefore), gt(tickets.id, afterId)))
    .orderBy(asc(tickets.id))
    .limit(limit)
    .all())
    .map((r) => r.id);
}

/** Open tickets whose clock follows one of these policies (after an admin changes them). */
export async function listOpenTicketIdsOnPolicies(db: Db, policyIds: number[]): Promise<number[]> {
  if (!policyIds.length) return [];
  return (await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(notInArray(tickets.status, ['closed']), sql`${jsonNumber(db, tickets.slaState, ['clock', 'policyId'])} in (${sql.join(policyIds.map((id) => sql`${id}`), sql`, `)})`))
    .all())
    .map((r) => r.id);
}

/** Open tickets of an organisation (its contract changed). */
export async function listOpenTicketIdsOfOrganization(db: Db, organizationId: number): Promise<number[]> {
  return (await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(eq(tickets.organizationId, organizationId), notInArray(tickets.status, ['closed'])))
    .all())
    .map((r) => r.id);
}

/** Open tickets that follow the desk's default policy (no organisation, or a contract without a policy). */
export async function listOpenTicketIdsWithoutContractPolicy(db: Db): Promise<number[]> {
  return (await db
    .select({ id: tickets.id })
    .from(tickets)
    .leftJoin(organizations, eq(organizations.id, tickets.organizationId))
    .where(and(notInArray(tickets.status, ['closed']), isNull(organizations.slaPolicyId)))
    .all())
    .map((r) => r.id);
}
