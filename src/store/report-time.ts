// Logged time for the reports: the minutes worked in a period (billable or not), the tickets worked
// on, and those tickets' estimates against all the time ever logged on them — per agent who logged
// it, per organisation, component or type of the ticket, per span of the period, or in all. One
// query per question, whatever the number of groups.
import { and, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { components, organizations, tickets, users, worklogs } from '../db/schema.ts';
import type { QueueFilter } from '../domain/queue-query.ts';
import { queueWhere } from './queue.ts';
import { sumLogged, type TimeSplit } from './time-sums.ts';
import type { TimeSpan } from './report-counts.ts';

/** The worklogs counted: worked in [from, to), on tickets of the filter, by one user or anyone. */
export type TimeFilter = { from: number; to: number; tickets: QueueFilter; workedBy?: number };

/**
 * How the worklogs are grouped: by who logged them or by a field of their ticket (key: the id or the
 * type, null for none), by span (key: the span's index), or all together (key: null).
 */
export type TimeGrouping = { by: 'agent' | 'organization' | 'component' | 'type' } | { by: 'span'; spans: readonly TimeSpan[] } | { by: 'all' };

export type TimeSums = {
  minutes: number;
  billable: number;
  /** distinct tickets worked on */
  tickets: number;
  /** the estimates of the tickets worked on that have one */
  estimated: number;
  /** every minute ever logged on those estimated tickets, in or out of the period, by anyone */
  spentOnEstimated: number;
};

export type TimeGroup = TimeSums & { key: number | string | null; name: string | null };

// ids start at 1: 0 stands for "none" in the grouping (a NULL key would not compare equal to itself)
const KEYS: Record<TimeGrouping['by'], SQL> = {
  agent: sql`coalesce(${worklogs.userId}, 0)`,
  organization: sql`coalesce(${tickets.organizationId}, 0)`,
  component: sql`coalesce(${tickets.componentId}, 0)`,
  type: sql`${tickets.type}`,
  span: sql`b.i`,
  all: sql`0`,
};

const NAMES: Partial<Record<TimeGrouping['by'], SQL>> = {
  agent: sql`(select ${users.name} from ${users} where ${users.id} = g.k)`,
  organization: sql`(select ${organizations.name} from ${organizations} where ${organizations.id} = g.k)`,
  component: sql`(select ${components.name} from ${components} where ${components.id} = g.k)`,
};

type Row = { k: number | string; name: string | null; tickets: number | string; estimated: number | string | null; spent: number | string | null };

const SPLITS: Partial<Record<TimeGrouping['by'], TimeSplit>> = { agent: 'worker', organization: 'org', component: 'component', type: 'type' };

/**
 * The sums per group, in no particular order (a group without worklogs is absent), and the sums of
 * all the worklogs grouped, each ticket counted once. The minutes come from the kept sums where they
 * serve (store/time-sums.ts); the tickets worked on and their estimates from the worklogs, in one
 * pass for the groups and the total, on the worklogs' index alone when neither the filter nor the
 * grouping reads the ticket.
 */
export async function sumTimeWithTotal(db: Db, f: TimeFilter, g: TimeGrouping): Promise<{ groups: TimeGroup[]; total: TimeSums }> {
  if (g.by === 'span' && g.spans.length === 0) return { groups: [], total: NO_TIME };
  const ofTickets = queueWhere(f.tickets);
  const where: SQL[] = [sql`${worklogs.workedAt} >= ${f.from}`, sql`${worklogs.workedAt} < ${f.to}`, ...ofTickets];
  if (f.workedBy !== undefined) where.push(sql`${worklogs.userId} = ${f.workedBy}`);
  let spans = sql``;
  let join = sql``;
  if (ofTickets.length > 0 || g.by === 'organization' || g.by === 'component' || g.by === 'type') join = sql` inner join ${tickets} on ${tickets.id} = ${worklogs.ticketId}`;
  if (g.by === 'span') {
    const values = sql.join(g.spans.map((s, i) => sql`(cast(${i} as integer), cast(${s.from} as bigint), cast(${s.to} as bigint))`), sql`, `);
    spans = sql`b(i, s, e) as (values ${values}), `;
    join = sql`${join} cross join b`;
    where.push(sql`${worklogs.workedAt} >= b.s`, sql`${worklogs.workedAt} < b.e`);
  }
  const asked = g.by === 'span' ? g.spans : [{ from: f.from, to: f.to }];
  const whole = [{ from: f.from, to: f.to }];
  // the tickets per group (so a ticket's estimate counts once in its group), then per group, and
  // each ticket once for the total; all the time ever logged on a ticket is its logged_minutes
  const estimates = sql`count(*) as tickets, sum(e.estimate_minutes) as estimated, sum(case when e.estimate_minutes is not null then e.logged_minutes end) as spent`;
  const [rows, logged, all] = await Promise.all([
    db.all<Row & { total: number | string }>(sql`with ${spans}w as (
      select distinct ${KEYS[g.by]} as k, ${worklogs.ticketId} as t
      from ${worklogs}${join}
      where ${and(...where)}
    ), g as (
      select w.k as k, ${estimates} from w inner join tickets e on e.id = w.t group by w.k
    ), a as (
      select ${estimates} from (select distinct t from w) x inner join tickets e on e.id = x.t
    )
    select 0 as total, g.k as k, ${NAMES[g.by] ?? sql`null`} as name, g.tickets as tickets, g.estimated as estimated, g.spent as spent from g
    union all select 1, null, null, a.tickets, a.estimated, a.spent from a`),
    sumLogged(db, asked, { tickets: f.tickets, workedBy: f.workedBy }, SPLITS[g.by]),
    g.by === 'all' ? Promise.resolve([]) : sumLogged(db, whole, { tickets: f.tickets, workedBy: f.workedBy }),
  ]);
  const minutes = new Map(logged.map((l) => [String(keyOf(g, g.by === 'span' ? l.ask : (l.key ?? 0))), l]));
  const sums = (r: Row, m: { minutes: number; billable: number } | undefined): TimeSums => ({
    minutes: m?.minutes ?? 0,
    billable: m?.billable ?? 0,
    tickets: Number(r.tickets),
    estimated: Number(r.estimated ?? 0),
    spentOnEstimated: Number(r.spent ?? 0),
  });
  const totalRow = rows.find((r) => Number(r.total) === 1)!;
  const totalMinutes = g.by === 'all' ? logged[0] : all[0];
  return {
    groups: rows.filter((r) => Number(r.total) === 0).map((r) => {
      const key = keyOf(g, r.k);
      return { key, name: r.name ?? null, ...sums(r, minutes.get(String(key))) };
    }),
    total: sums(totalRow, totalMinutes),
  };
}

/** The sums of no worklogs. */
export const NO_TIME: TimeSums = { minutes: 0, billable: 0, tickets: 0, estimated: 0, spentOnEstimated: 0 };

function keyOf(g: TimeGrouping, k: number | string): number | string | null {
  if (g.by === 'all') return null;
  if (g.by === 'type') return String(k);
  return g.by !== 'span' && Number(k) === 0 ? null : Number(k);
}
