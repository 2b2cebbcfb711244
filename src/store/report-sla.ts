// The tickets the SLA and response-time reports measure: those of a queue filter created in a
// period, each with what the reports group by (priority, organisation, component, assignee, with
// their names), its response and resolution instants, and its SLA clock as the workflow keeps it.
// The reports judge the clocks and measure business time in code (the domain's functions), so the
// query is one plain read, the same on both engines.
import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { components, organizations, tickets, users } from '../db/schema.ts';
import type { QueueFilter } from '../domain/queue-query.ts';
import type { Priority } from '../domain/vocabulary.ts';
import { queueWhere } from './queue.ts';
import type { TimeSpan } from './report-counts.ts';

export type MeasuredTicket = {
  id: number;
  priority: Priority;
  organizationId: number | null;
  organizationName: string | null;
  componentId: number | null;
  componentName: string | null;
  assigneeId: number | null;
  assigneeName: string | null;
  createdAt: number;
  firstRespondedAt: number | null;
  /** resolved, or closed without a resolution (the first of them when both) */
  doneAt: number | null;
  /** tickets.sla_state as stored (read it with readWorkflowState) */
  slaState: Record<string, unknown> | null;
};

/** The tickets of the filter created in [from, to), in id order. */
export async function listTicketsCreatedIn(db: Db, span: TimeSpan, f: QueueFilter): Promise<MeasuredTicket[]> {
  const where: SQL[] = queueWhere({ ...f, createdIn: span });
  const rows = await db
    .select({
      id: tickets.id,
      priority: tickets.priority,
      organizationId: tickets.organizationId,
      organizationName: organizations.name,
      componentId: tickets.componentId,
      componentName: components.name,
      assigneeId: tickets.assigneeId,
      assigneeName: users.name,
      createdAt: tickets.createdAt,
      firstRespondedAt: tickets.firstRespondedAt,
      resolvedAt: tickets.resolvedAt,
      closedAt: tickets.closedAt,
      slaState: tickets.slaState,
    })
    .from(tickets)
    .leftJoin(organizations, eq(organizations.id, tickets.organizationId))
    .leftJoin(components, eq(components.id, tickets.componentId))
    .leftJoin(users, eq(users.id, tickets.assigneeId))
    .where(and(...where))
    .orderBy(asc(tickets.id))
    .all();
  return rows.map(({ resolvedAt, closedAt, ...r }) => ({
    ...r,
    createdAt: Number(r.createdAt),
    firstRespondedAt: r.firstRespondedAt === null ? null : Number(r.firstRespondedAt),
    doneAt: resolvedAt !== null ? Number(resolvedAt) : closedAt !== null ? Number(closedAt) : null,
    slaState: r.slaState ?? null,
  }));
}
