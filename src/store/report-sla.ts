// The tickets the SLA and response-time reports measure: those of a queue filter created in a
// period, each with what the reports group by (priority, organisation, component, assignee), its
// response and resolution instants, and its SLA clock as the workflow keeps it, read a page at a time.
// The reports judge the clocks and measure business time in code (the domain's functions), so the
// query is one plain read, the same on both engines. The SLA report counts the clocks' measures
// (tickets.sla_*_mark, store/sla-measures.ts) in SQL instead, and reads only clocks not measured yet.
// The names of what these reports and the trend report group by are read apart, once each (namesByIds).
import { and, inArray, sql, type SQL } from 'drizzle-orm';
import { jsonNumber } from '../db/dialect.ts';
import type { Db } from '../db/client.ts';
import { components, organizations, tickets, users } from '../db/schema.ts';
import { SLA_TARGETS, type QueueFilter, type SlaTarget } from '../domain/queue-query.ts';
import type { Priority } from '../domain/vocabulary.ts';
import { queueWhere } from './queue.ts';
import { slaOutcomeIs, UNMEASURED } from './sla-measures.ts';
import { parseData } from './rows.ts';
import type { TimeSpan } from './report-counts.ts';
import { closedSumParts, measuredClocks } from './closed-sums.ts';
import type { CountKey } from './status-counts.ts';

export type MeasuredTicket = {
  id: number;
  priority: Priority;
  organizationId: number | null;
  componentId: number | null;
  assigneeId: number | null;
  createdAt: number;
  firstRespondedAt: number | null;
  /** resolved, or closed without a resolution (the first of them when both) */
  doneAt: number | null;
  /** tickets.sla_state as stored (read it with readWorkflowState); null unless asked for */
  slaState: Record<string, unknown> | null;
  /** the SLA policy of the ticket's clock */
  policyId: number | null;
};

/** Tickets per page: a year of a large desk is read a page at a time, in bounded memory. */
const PAGE = 5000;

/**
 * The tickets of the filter created in [from, to), in order of creation, handed to `onPage` a
 * page at a time; with their whole SLA clocks when `clock` is asked for, else only their
 * policies. Given `only` (the clocks not measured yet, `UNMEASURED`: a few, found by a partial index on
 * the ids), only the tickets meeting it, in order of their ids.
 */
export async function eachTicketCreatedIn(
  db: Db, span: TimeSpan, f: QueueFilter, opts: { clock: boolean; only?: SQL; page?: number }, onPage: (rows: MeasuredTicket[]) => void,
): Promise<void> {
  const size = opts.page ?? PAGE;
  // a plain read of plain values (a year of tickets: the query builder's mapping of each field costs more)
  type Row = { id: number | string; priority: Priority; org: number | string | null; comp: number | string | null; assignee: number | string | null;
    created: number | string; responded: number | string | null; done: number | string | null; sla: string | null; policy: number | string | null };
  const num = (v: number | string | null) => (v === null ? null : Number(v));
  let after: { at: number; id: number } | null = null;
  for (;;) {
    // the next page goes on from the last ticket read, along the index on the creation time (or on the ids)
    const where: SQL[] = opts.only
      ? [...queueWhere({ ...f, createdIn: undefined }), createdAsValue(span), opts.only, sql`${tickets.id} > ${after ? after.id : 0}`]
      : [
        ...queueWhere({ ...f, createdIn: { from: after ? after.at : span.from, to: span.to } }),
        ...(after ? [sql`(${tickets.createdAt} > ${after.at} or ${tickets.id} > ${after.id})`] : []),
      ];
    const order = opts.only ? sql`${tickets.id}` : sql`${tickets.createdAt}, ${tickets.id}`;
    const raw: Row[] = await db.all<Row>(sql`
      select ${tickets.id} as id, ${tickets.priority} as priority, ${tickets.organizationId} as org, ${tickets.componentId} as comp,
        ${tickets.assigneeId} as assignee, ${tickets.createdAt} as created, ${tickets.firstRespondedAt} as responded,
        coalesce(${tickets.resolvedAt}, ${tickets.closedAt}) as done, ${opts.clock ? tickets.slaState : sql`null`} as sla,
        ${jsonNumber(db, tickets.slaState, ['clock', 'policyId'])} as policy
      from ${tickets} where ${and(...where)} order by ${order} limit ${size}`);
    if (!raw.length) return;
    onPage(raw.map((r) => ({
      id: Number(r.id), priority: r.priority, organizationId: num(r.org), componentId: num(r.comp), assigneeId: num(r.assignee),
      createdAt: Number(r.created), firstRespondedAt: num(r.responded), doneAt: num(r.done),
      slaState: r.sla === null ? null : parseData(r.sla), policyId: num(r.policy),
    })));
    if (raw.length < size) return;
    const last = raw[raw.length - 1];
    after = { at: Number(last.created), id: Number(last.id) };
  }
}

/**
 * Created in the span, the creation time read as a value (`+`), not through its index: for the few
 * tickets a partial index on the ids finds (the clocks not measured yet), which the
 * planner would otherwise look for among the half a million of the span.
 */
export function createdAsValue(span: TimeSpan): SQL {
  return sql`+${tickets.createdAt} >= ${span.from} and +${tickets.createdAt} < ${span.to}`;
}

const NAMED_TABLES = { organization: organizations, component: components, user: users } as const;

/**
 * The names of the organisations, components or users with these ids, read once each: joined, each
 * of a year's tickets would carry its own copies of them. Ids without a row are left out.
 */
export async function namesByIds(db: Db, kind: 'organization' | 'component' | 'user', ids: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const list = [...new Set(ids)];
  if (list.length === 0) return out;
  const table = NAMED_TABLES[kind];
  // in slices: the engines bound the parameters of one statement
  for (let i = 0; i < list.length; i += 1000) {
    for (const r of await db.select({ id: table.id, name: table.name }).from(table).where(inArray(table.id, list.slice(i, i + 1000))).all()) out.set(r.id, r.name);
  }
  return out;
}

// the targets the queue can filter by (domain/queue-query.ts)
export const SLA_MEASURES = SLA_TARGETS;
export type SlaMeasure = SlaTarget;
export type OutcomeCounts = { met: number; breached: number; pending: number };
export type SlaGroupKey = 'priority' | 'organizationId' | 'componentId' | 'assigneeId';

/** One group's counts of measured tickets: its tickets, each target's outcomes, and next-response cycles. */
export type SlaGroupCounts = { key: string | number | null; tickets: number; targets: Record<SlaMeasure, OutcomeCounts>; next: OutcomeCounts };

/** Each measure's columns in the closed tickets' sums (store/closed-sums.ts). */
const SUMMED: Record<SlaMeasure, string> = { fr: 'fr', frInternal: 'fr_internal', res: 'res', resInternal: 'res_internal' };

/** The key of the closed tickets' sums each grouping reads. */
const SUM_DIM: Record<SlaGroupKey, CountKey['dim']> = { priority: 'priority', organizationId: 'org', componentId: 'component', assigneeId: 'agent' };

/** Every count of a group, in the order of the statement's columns. */
const COUNTS = ['tickets', ...SLA_MEASURES.flatMap((m) => [`${SUMMED[m]}_met`, `${SUMMED[m]}_breached`, `${SUMMED[m]}_pending`]), 'next_met', 'next_breached', 'next_pending'];

/**
 * Per group, the SLA outcomes of the measured tickets of the filter created in [from, to), judged
 * at `now` as the clock judges them (a mark of -1 is met, one at or before now breached, a later one
 * still running; see SlaMeasures). Clocks not measured yet are left out: read them with
 * `eachTicketCreatedIn(…, { only: UNMEASURED })`.
 *
 * The closed tickets of the whole UTC days of the period are read from their sums, kept by the
 * database (closed_ticket_sums: their outcomes no longer change with time), when the filter is the
 * whole desk or one value of the field grouped by; the open tickets, those of the period's first
 * and last partial days, and every ticket of any other filter, from the tickets. One statement, so
 * a ticket closed meanwhile is counted once.
 */
export async function countSlaOutcomes(db: Db, span: TimeSpan, f: QueueFilter, by: SlaGroupKey, now: number): Promise<SlaGroupCounts[]> {
  const col = tickets[by];
  const when = (cond: SQL) => sql`case when ${cond} then 1 else 0 end`;
  // a ticket's counts, from its row
  const facts: SQL[] = [sql`1`];
  for (const m of SLA_MEASURES) facts.push(when(slaOutcomeIs(m, 'met', now)), when(slaOutcomeIs(m, 'breached', now)), when(slaOutcomeIs(m, 'pending', now)));
  facts.push(sql`coalesce(${tickets.slaNextMet}, 0)`, sql`coalesce(${tickets.slaNextLate}, 0) + ${when(sql`${tickets.slaNextMark} >= 0 and ${tickets.slaNextMark} <= ${now}`)}`,
    when(sql`${tickets.slaNextMark} > ${now}`));
  const named = (values: SQL[]) => sql.join(values.map((v, i) => sql`${v} as ${sql.raw(COUNTS[i])}`), sql`, `);
  // (the clocks not measured yet are found by their partial index, so the open tickets are read from theirs alone)
  const fromTickets = (g: QueueFilter, also?: SQL) => sql`select 2 as part, cast(${col} as text) as key, ${named(facts)}
    from ${tickets} where ${and(...queueWhere(g), measuredClocks(UNMEASURED), also)}`;
  // the tickets without a value: the whole desk's, less those of every value (a closed ticket has nothing pending)
  const { parts, withoutValue } = await closedSumParts(db, span, f, SUM_DIM[by], {
    sums: named(COUNTS.map((c) => (c.endsWith('_pending') ? sql`0` : sql.raw(`c.${c}`)))), fromTickets, withoutValue: by !== 'priority',
  });
  const totals = sql.join(COUNTS.map((c) => sql.raw(`sum(u.${c}) as ${c}`)), sql`, `);
  const rows = await db.all<Record<string, number | string | null>>(sql`select u.part as part, u.key as key, ${totals}
    from (${sql.join(parts, sql` union all `)}) u group by u.part, u.key`);
  const groups = new Map<string | number | null, number[]>();
  const addTo = (k: string | number | null, r: Record<string, number | string | null>, sign: number) => {
    let g = groups.get(k);
    if (!g) groups.set(k, (g = COUNTS.map(() => 0)));
    for (const [i, c] of COUNTS.entries()) g[i] += sign * Number(r[c] ?? 0);
  };
  for (const r of rows) {
    const k = r.key === null || by === 'priority' ? r.key : Number(r.key);
    if (Number(r.part) === 1) addTo(null, r, 1);
    else addTo(k, r, 1);
    if (Number(r.part) === 0 && withoutValue) addTo(null, r, -1);
  }
  return [...groups].filter(([, g]) => g[0] > 0).map(([k, g]) => {
    const num = (c: string) => g[COUNTS.indexOf(c)];
    const counts = (p: string): OutcomeCounts => ({ met: num(`${p}_met`), breached: num(`${p}_breached`), pending: num(`${p}_pending`) });
    return {
      key: k,
      tickets: num('tickets'),
      targets: Object.fromEntries(SLA_MEASURES.map((m) => [m, counts(SUMMED[m])])) as Record<SlaMeasure, OutcomeCounts>,
      next: counts('next'),
    };
  });
}
