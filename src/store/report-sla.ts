// The tickets the SLA and response-time reports measure: those of a queue filter created in a
// period, each with what the reports group by (priority, organisation, component, assignee, with
// their names), its response and resolution instants, and its SLA clock as the workflow keeps it.
// The reports judge the clocks and measure business time in code (the domain's functions), so the
// query is one plain read, the same on both engines. The SLA report counts the clocks' measures
// (tickets.sla_*_mark, store/sla-measures.ts) in SQL instead, and reads only clocks not measured yet.
import { and, inArray, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { jsonNumber } from '../db/dialect.ts';
import type { Db } from '../db/client.ts';
import { components, organizations, tickets, users } from '../db/schema.ts';
import type { QueueFilter } from '../domain/queue-query.ts';
import type { Priority } from '../domain/vocabulary.ts';
import { queueWhere } from './queue.ts';
import { UNMEASURED } from './sla-measures.ts';
import { parseData } from './rows.ts';
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
export async function listTicketsCreatedIn(db: Db, span: TimeSpan, f: QueueFilter, opts: { clock: boolean; unmeasured?: boolean }): Promise<MeasuredTicket[]> {
  const where: SQL[] = [...queueWhere({ ...f, createdIn: span }), ...(opts.unmeasured ? [UNMEASURED] : [])];
  // the names come apart, once per organisation, component and person: joined, each of a year's
  // tickets would carry its own copies of them (a third of the read)
  // a plain read of plain values (a year of tickets: the query builder's mapping of each field costs more)
  type Row = { id: number | string; priority: Priority; org: number | string | null; comp: number | string | null; assignee: number | string | null;
    created: number | string; responded: number | string | null; resolved: number | string | null; closed: number | string | null;
    sla: string | null; policy: number | string | null };
  const raw = await db.all<Row>(sql`
    select ${tickets.id} as id, ${tickets.priority} as priority, ${tickets.organizationId} as org, ${tickets.componentId} as comp,
      ${tickets.assigneeId} as assignee, ${tickets.createdAt} as created, ${tickets.firstRespondedAt} as responded,
      ${tickets.resolvedAt} as resolved, ${tickets.closedAt} as closed, ${opts.clock ? tickets.slaState : sql`null`} as sla,
      ${jsonNumber(db, tickets.slaState, ['clock', 'policyId'])} as policy
    from ${tickets} where ${and(...where)} order by ${tickets.id}`);
  const num = (v: number | string | null) => (v === null ? null : Number(v));
  const rows = raw.map((r) => ({
    id: Number(r.id), priority: r.priority, organizationId: num(r.org), componentId: num(r.comp), assigneeId: num(r.assignee),
    createdAt: Number(r.created), firstRespondedAt: num(r.responded), resolvedAt: num(r.resolved), closedAt: num(r.closed),
    slaState: r.sla === null ? null : parseData(r.sla), policyId: num(r.policy),
  }));
  const names = await namesOf(db, rows);
  // built field by field: an object rest and spread per row costs more than the rest of the row
  return rows.map((r) => ({
    id: r.id,
    priority: r.priority,
    organizationId: r.organizationId,
    organizationName: r.organizationId === null ? null : (names.organizations.get(r.organizationId) ?? null),
    componentId: r.componentId,
    componentName: r.componentId === null ? null : (names.components.get(r.componentId) ?? null),
    assigneeId: r.assigneeId,
    assigneeName: r.assigneeId === null ? null : (names.users.get(r.assigneeId) ?? null),
    createdAt: Number(r.createdAt),
    firstRespondedAt: r.firstRespondedAt === null ? null : Number(r.firstRespondedAt),
    doneAt: r.resolvedAt !== null ? Number(r.resolvedAt) : r.closedAt !== null ? Number(r.closedAt) : null,
    slaState: r.slaState ?? null,
    policyId: r.policyId === null ? null : Number(r.policyId),
  }));
}

type Named = { organizationId: number | null; componentId: number | null; assigneeId: number | null };
export type GroupNames = { organizations: Map<number, string>; components: Map<number, string>; users: Map<number, string> };

/**
 * The names of the rows' organisations, components and assignees, read once each: joined, each of a
 * year's tickets would carry its own copies of them.
 */
export async function namesOf(db: Db, rows: readonly Named[]): Promise<GroupNames> {
  const ids = (key: keyof Named) => {
    const set = new Set<number>();
    for (const r of rows) if (r[key] !== null) set.add(r[key]);
    return [...set];
  };
  const names = async (table: typeof organizations | typeof components | typeof users, list: number[]) => {
    const out = new Map<number, string>();
    // in slices: the engines bound the parameters of one statement
    for (let i = 0; i < list.length; i += 1000) {
      for (const r of await db.select({ id: table.id, name: table.name }).from(table).where(inArray(table.id, list.slice(i, i + 1000))).all()) out.set(r.id, r.name);
    }
    return out;
  };
  const [orgs, comps, people] = await Promise.all([names(organizations, ids('organizationId')), names(components, ids('componentId')), names(users, ids('assigneeId'))]);
  return { organizations: orgs, components: comps, users: people };
}

export const SLA_MEASURES = ['fr', 'frInternal', 'res', 'resInternal'] as const;
export type SlaMeasure = (typeof SLA_MEASURES)[number];
export type OutcomeCounts = { met: number; breached: number; pending: number };
export type SlaGroupKey = 'priority' | 'organizationId' | 'componentId' | 'assigneeId';

/** One group's counts of measured tickets: its tickets, each target's outcomes, and next-response cycles. */
export type SlaGroupCounts = { key: string | number | null; tickets: number; targets: Record<SlaMeasure, OutcomeCounts>; next: OutcomeCounts };

const MARKS: Record<SlaMeasure, AnyColumn> = {
  fr: tickets.slaFrMark, frInternal: tickets.slaFrInternalMark, res: tickets.slaResMark, resInternal: tickets.slaResInternalMark,
};

/**
 * Per group, the SLA outcomes of the measured tickets of the filter created in [from, to), judged
 * at `now` as the clock judges them (a mark of -1 is met, one at or before now breached, a later one
 * still running; see SlaMeasures). Clocks not measured yet are left out: read them with
 * `listTicketsCreatedIn(…, { unmeasured: true })`.
 */
export async function countSlaOutcomes(db: Db, span: TimeSpan, f: QueueFilter, by: SlaGroupKey, now: number): Promise<SlaGroupCounts[]> {
  const key = tickets[by];
  const n = (cond: SQL) => sql<number | string>`sum(case when ${cond} then 1 else 0 end)`;
  const cols: Record<string, SQL> = { tickets: sql`count(*)` };
  for (const [m, mark] of Object.entries(MARKS)) {
    cols[`${m}Met`] = n(sql`${mark} = -1`);
    cols[`${m}Breached`] = n(sql`${mark} >= 0 and ${mark} <= ${now}`);
    cols[`${m}Pending`] = n(sql`${mark} > ${now}`);
  }
  cols.nextMet = sql`sum(coalesce(${tickets.slaNextMet}, 0))`;
  cols.nextBreached = sql`sum(coalesce(${tickets.slaNextLate}, 0) + case when ${tickets.slaNextMark} >= 0 and ${tickets.slaNextMark} <= ${now} then 1 else 0 end)`;
  cols.nextPending = n(sql`${tickets.slaNextMark} > ${now}`);
  const rows = await db
    .select({ key, ...cols })
    .from(tickets)
    .where(and(...queueWhere({ ...f, createdIn: span }), sql`not (${UNMEASURED})`))
    .groupBy(key)
    .all();
  return rows.map((r) => {
    const c = r as unknown as Record<string, number | string | null>;
    const num = (k: string) => Number(c[k] ?? 0);
    const counts = (p: string): OutcomeCounts => ({ met: num(`${p}Met`), breached: num(`${p}Breached`), pending: num(`${p}Pending`) });
    return {
      key: r.key as string | number | null,
      tickets: num('tickets'),
      targets: Object.fromEntries(SLA_MEASURES.map((m) => [m, counts(m)])) as Record<SlaMeasure, OutcomeCounts>,
      next: counts('next'),
    };
  });
}
