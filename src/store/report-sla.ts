// The tickets the SLA and response-time reports measure: those of a queue filter created in a
// period, each with what the reports group by (priority, organisation, component, assignee, with
// their names), its response and resolution instants, and its SLA clock as the workflow keeps it.
// The reports judge the clocks and measure business time in code (the domain's functions), so the
// query is one plain read, the same on both engines.
import { and, asc, inArray, sql, type SQL } from 'drizzle-orm';
import { jsonNumber } from '../db/dialect.ts';
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
  /** tickets.sla_state as stored (read it with readWorkflowState); null unless asked for */
  slaState: Record<string, unknown> | null;
  /** the SLA policy of the ticket's clock */
  policyId: number | null;
};

/**
 * The tickets of the filter created in [from, to), in id order; with their whole SLA clocks when
 * `clock` is asked for (reading a year's clocks is most of the work), else only their policies.
 */
export async function listTicketsCreatedIn(db: Db, span: TimeSpan, f: QueueFilter, opts: { clock: boolean }): Promise<MeasuredTicket[]> {
  const where: SQL[] = queueWhere({ ...f, createdIn: span });
  // the names come apart, once per organisation, component and person: joined, each of a year's
  // tickets would carry its own copies of them (a third of the read)
  const rows = await db
    .select({
      id: tickets.id,
      priority: tickets.priority,
      organizationId: tickets.organizationId,
      componentId: tickets.componentId,
      assigneeId: tickets.assigneeId,
      createdAt: tickets.createdAt,
      firstRespondedAt: tickets.firstRespondedAt,
      resolvedAt: tickets.resolvedAt,
      closedAt: tickets.closedAt,
      slaState: opts.clock ? tickets.slaState : sql<null>`null`,
      policyId: jsonNumber(db, tickets.slaState, ['clock', 'policyId']),
    })
    .from(tickets)
    .where(and(...where))
    .orderBy(asc(tickets.id))
    .all();
  const ids = (key: 'organizationId' | 'componentId' | 'assigneeId') => [...new Set(rows.flatMap((r) => (r[key] === null ? [] : [r[key]])))];
  const names = async (table: typeof organizations | typeof components | typeof users, list: number[]) => {
    const out = new Map<number, string>();
    // in slices: the engines bound the parameters of one statement
    for (let i = 0; i < list.length; i += 1000) {
      for (const r of await db.select({ id: table.id, name: table.name }).from(table).where(inArray(table.id, list.slice(i, i + 1000))).all()) out.set(r.id, r.name);
    }
    return out;
  };
  const [orgNames, componentNames, userNames] = await Promise.all([
    names(organizations, ids('organizationId')), names(components, ids('componentId')), names(users, ids('assigneeId')),
  ]);
  // built field by field: an object rest and spread per row costs more than the rest of the row
  return rows.map((r) => ({
    id: r.id,
    priority: r.priority,
    organizationId: r.organizationId,
    organizationName: r.organizationId === null ? null : (orgNames.get(r.organizationId) ?? null),
    componentId: r.componentId,
    componentName: r.componentId === null ? null : (componentNames.get(r.componentId) ?? null),
    assigneeId: r.assigneeId,
    assigneeName: r.assigneeId === null ? null : (userNames.get(r.assigneeId) ?? null),
    createdAt: Number(r.createdAt),
    firstRespondedAt: r.firstRespondedAt === null ? null : Number(r.firstRespondedAt),
    doneAt: r.resolvedAt !== null ? Number(r.resolvedAt) : r.closedAt !== null ? Number(r.closedAt) : null,
    slaState: r.slaState ?? null,
    policyId: r.policyId === null ? null : Number(r.policyId),
  }));
}
