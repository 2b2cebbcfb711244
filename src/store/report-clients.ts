// What the complaints and difficult-clients reports read: every complaint made in a period (one per
// `ticket.escalated` event, so a ticket escalated twice counts twice, each with its own handling),
// the tickets of organisations created in a period with what makes a client hard to serve, and how
// many people each organisation has. Plain reads, the same on both engines; judging is in code.
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { components, organizations, tickets } from '../db/schema.ts';
import type { QueueFilter } from '../domain/queue-query.ts';
import type { TicketStatus } from '../domain/vocabulary.ts';
import { andQueueWhere, queueWhere } from './queue.ts';
import type { TimeSpan } from './report-counts.ts';
import { createdAsValue } from './report-sla.ts';
import { UNMEASURED } from './sla-measures.ts';
import { closedSumParts, measuredClocks } from './closed-sums.ts';
import { flagIs } from './ticket-flags.ts';
import { parseData } from './rows.ts';

export type ComplaintRow = {
  ticketId: number;
  number: number;
  subject: string;
  status: TicketStatus;
  organizationId: number | null;
  organizationName: string | null;
  componentId: number | null;
  componentName: string | null;
  /** when the ticket was created */
  ticketCreatedAt: number;
  by: 'requester' | 'agent';
  at: number;
  reason: string;
  /** the first "complaint handled" after it (a ticket cannot be escalated again while a complaint is open) */
  handledAt: number | null;
  /** what the manager wrote when handling it (kept on the "complaint handled" event), null when nothing was written or it is open */
  handlingNote: string | null;
};

/** The complaints made in [from, to) on the tickets of the filter, oldest first. */
export async function listComplaintsIn(db: Db, span: TimeSpan, f: QueueFilter): Promise<ComplaintRow[]> {
  // a ticket escalated in the span has its last escalation at or after the span's start
  type Data = string | Record<string, unknown> | null;
  const events = await db.all<{ tid: number | string; actor: string; at: number | string; data: Data; handled: number | string | null; handling: Data }>(sql`
    select e.ticket_id as tid, e.actor_kind as actor, e.created_at as at, e.data as data,
      (select min(h.created_at) from events h where h.ticket_id = e.ticket_id and h.type = 'ticket.complaint_handled' and h.id > e.id) as handled,
      (select h.data from events h where h.ticket_id = e.ticket_id and h.type = 'ticket.complaint_handled' and h.id > e.id order by h.created_at, h.id limit 1) as handling
    from events e
    where e.type = 'ticket.escalated' and e.created_at >= cast(${span.from} as bigint) and e.created_at < cast(${span.to} as bigint)
      and e.ticket_id in (select ${tickets.id} from ${tickets} where ${tickets.escalatedAt} >= cast(${span.from} as bigint)${andQueueWhere(f)})
    order by e.created_at, e.id`);
  if (events.length === 0) return [];
  const about = new Map((await ticketsById(db, [...new Set(events.map((e) => Number(e.tid)))])).map((t) => [t.id, t]));
  return events.flatMap((e) => {
    const t = about.get(Number(e.tid));
    if (!t) return [];
    const reason = parseData(e.data).reason;
    const note = e.handled === null ? null : parseData(e.handling).note;
    return [{
      ticketId: t.id, number: t.number, subject: t.subject, status: t.status,
      organizationId: t.organizationId, organizationName: t.organizationName, componentId: t.componentId, componentName: t.componentName,
      ticketCreatedAt: Number(t.createdAt),
      by: e.actor === 'user' ? 'agent' as const : 'requester' as const,
      at: Number(e.at),
      reason: typeof reason === 'string' ? reason : '',
      handledAt: e.handled === null ? null : Number(e.handled),
      handlingNote: typeof note === 'string' && note !== '' ? note : null,
    }];
  });
}

async function ticketsById(db: Db, ids: number[]) {
  return await db
    .select({
      id: tickets.id, number: tickets.number, subject: tickets.subject, status: tickets.status, createdAt: tickets.createdAt,
      organizationId: tickets.organizationId, organizationName: organizations.name, componentId: tickets.componentId, componentName: components.name,
    })
    .from(tickets)
    .leftJoin(organizations, eq(organizations.id, tickets.organizationId))
    .leftJoin(components, eq(components.id, tickets.componentId))
    .where(inArray(tickets.id, ids))
    .all();
}

export type ClientTicket = {
  id: number;
  organizationId: number;
  reopenCount: number;
  /** resolved or closed now */
  done: boolean;
  billable: boolean;
  /** tickets.sla_state as stored (read it with readWorkflowState) */
  slaState: Record<string, unknown> | null;
  /** it was put to "pending requester" at least once: the desk waited on the client */
  waitedOnClient: boolean;
};

// the same test as the closed tickets' sums make, and the queue's filter
const WAITED = flagIs('waitedOnClient', 0);

/** Per organisation, what the difficult-clients report sums of its tickets. */
export type ClientTicketSums = { tickets: number; everResolved: number; reopened: number; outOfScope: number; slaBreaches: number; waitingBreaches: number };

const CLIENT_SUMS = ['n', 'resolved', 'reopened', 'scope', 'breached', 'waiting'] as const;

/**
 * Per organisation, the sums over its tickets of the filter created in [from, to) whose SLA clocks
 * are measured (or that have none): a missed contract target judged from the measures at `now`
 * (`missedByMeasures`, written in SQL). The closed tickets of the whole days of the period are read
 * from their sums when the filter is the whole desk or one organisation (closedSumParts), the others
 * from the tickets. The clocks not measured yet are left out: `listUnmeasuredClientTickets` lists
 * those tickets.
 */
export async function sumClientTickets(db: Db, span: TimeSpan, f: QueueFilter, now: number): Promise<Map<number, ClientTicketSums>> {
  const breached = flagIs('slaMissed', now);
  const n = (cond: SQL) => sql`case when ${cond} then 1 else 0 end`;
  const fromTickets = (g: QueueFilter, also?: SQL) => sql`select 2 as part, cast(${tickets.organizationId} as text) as key, 1 as n,
      ${n(sql`${flagIs('finished', now)} or ${flagIs('reopened', now)}`)} as resolved, ${n(flagIs('reopened', now))} as reopened,
      ${n(flagIs('billable', now))} as scope, ${n(breached)} as breached, ${n(sql`${breached} and ${WAITED}`)} as waiting
    from ${tickets} where ${tickets.organizationId} is not null and ${and(...queueWhere(g), measuredClocks(UNMEASURED), also)}`;
  // a closed ticket was resolved (or closed), and its marks are all met or past
  const sums = sql`c.tickets as n, c.tickets as resolved, c.reopened as reopened, c.out_of_scope as scope, c.contract_breached as breached, c.waiting_breached as waiting`;
  const { parts } = await closedSumParts(db, span, f, 'org', { sums, fromTickets, withoutValue: false });
  const rows = await db.all<Record<'org' | (typeof CLIENT_SUMS)[number], number | string | null>>(sql`
    select u.key as org, ${sql.raw(CLIENT_SUMS.map((c) => `sum(u.${c}) as ${c}`).join(', '))}
    from (${sql.join(parts, sql` union all `)}) u group by u.key`);
  const num = (v: number | string | null) => Number(v ?? 0);
  return new Map(rows.filter((r) => num(r.n) > 0).map((r) => [num(r.org), {
    tickets: num(r.n), everResolved: num(r.resolved), reopened: num(r.reopened), outOfScope: num(r.scope), slaBreaches: num(r.breached), waitingBreaches: num(r.waiting),
  }]));
}

/** The tickets of the filter that belong to an organisation, created in [from, to), whose SLA clocks are not measured yet. */
export async function listUnmeasuredClientTickets(db: Db, span: TimeSpan, f: QueueFilter): Promise<ClientTicket[]> {
  const w = [...queueWhere({ ...f, createdIn: undefined }), createdAsValue(span), UNMEASURED, sql`${tickets.id} > 0`]; // (a bound on the ids: the partial index on them is read)
  const waited = WAITED;
  const rows = await db.all<{ id: number | string; org: number | string; reopens: number | string; done: number | string | null; billable: number | string | boolean; sla: string | Record<string, unknown> | null; waited: number | string | boolean }>(sql`
    select ${tickets.id} as id, ${tickets.organizationId} as org, ${tickets.reopenCount} as reopens, ${tickets.doneAt} as done,
      ${tickets.billable} as billable, ${tickets.slaState} as sla, case when ${waited} then 1 else 0 end as waited
    from ${tickets} where ${tickets.organizationId} is not null and ${and(...w)}
    order by ${tickets.id}`);
  return rows.map((r) => ({
    id: Number(r.id),
    organizationId: Number(r.org),
    reopenCount: Number(r.reopens),
    done: r.done !== null,
    billable: Number(r.billable) === 1 || r.billable === true,
    slaState: r.sla === null ? null : parseData(r.sla),
    waitedOnClient: Number(r.waited) === 1,
  }));
}

/** How many contacts (the client's people) each organisation has. */
export async function countContactsByOrganization(db: Db): Promise<Map<number, number>> {
  const rows = await db.all<{ org: number | string; n: number | string }>(sql`select organization_id as org, count(*) as n from contacts where organization_id is not null group by organization_id`);
  return new Map(rows.map((r) => [Number(r.org), Number(r.n)]));
}


