// The open work of a component's agents, for the assignment rules in src/domain/assignment.ts.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { componentAgents, tickets, users } from '../db/schema.ts';
import type { AgentLoad } from '../domain/assignment.ts';

export async function listComponentAgentLoads(db: Db, componentId: number, defaultEstimateMinutes: number): Promise<AgentLoad[]> {
  return await db
    .select({
      userId: users.id,
      available: users.available,
      active: users.active,
      openTickets: sql<number>`count(${tickets.id})`,
      openMinutes: sql<number>`coalesce(sum(coalesce(${tickets.estimateMinutes}, ${defaultEstimateMinutes})), 0)`,
    })
    .from(componentAgents)
    .innerJoin(users, eq(users.id, componentAgents.userId))
    .leftJoin(tickets, and(eq(tickets.isOpen, true), eq(tickets.assigneeId, users.id)))
    .where(eq(componentAgents.componentId, componentId))
    .groupBy(users.id)
    .all();
}

/** Components the user works in (member) or manages. */
export async function listUserComponentIds(db: Db, userId: number): Promise<number[]> {
  const ids = (await db.column('select component_id from component_agents where user_id = ? union select id from components where manager_id = ?', userId, userId)) as number[];
  return ids.sort((a, b) => a - b);
}

/** Open tickets per agent (the people pages show it next to availability). */
export async function countOpenTicketsByAssignee(db: Db): Promise<Map<number, number>> {
  const rows = await db
    .select({ id: tickets.assigneeId, n: sql<number>`count(*)` })
    .from(tickets)
    .where(and(eq(tickets.isOpen, true), sql`${tickets.assigneeId} is not null`))
    .groupBy(tickets.assigneeId)
    .all();
  return new Map(rows.map((r) => [r.id!, r.n]));
}
