// The cost of the time logged on each organisation's tickets in a span: minutes, the minutes of
// people whose hourly cost is not set, and the cost at each person's hourly cost.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema.ts';
import type { QueueFilter } from '../domain/queue-query.ts';
import { countKeyOf } from './status-counts.ts';
import { sumLogged, type LoggedSum } from './time-sums.ts';

export type OrganizationCost = { organizationId: number; minutes: number; uncostedMinutes: number; costCents: number };

/** Which time is costed: on the tickets of a queue filter, logged by one person or anyone. */
export type CostFilter = { tickets: QueueFilter; workedBy?: number };

/**
 * Logged time in [from, to) per organisation of the ticket, priced at the hourly cost of who logged
 * it: the minutes per person and organisation from the kept sums (store/time-sums.ts).
 */
export async function listCostByOrganization(db: Db, span: { from: number; to: number }): Promise<Map<number, OrganizationCost>> {
  return (await listCostByOrganizationIn(db, [span], { tickets: {} }))[0];
}

/**
 * The same for several spans (months), of the time the filter keeps: the whole desk's from the kept
 * sums, a narrower filter's summed from the worklogs (exact either way). The sums of a person and
 * organisation are many rows a day, and one statement over many spans matches each of them against
 * every span: they are read span by span (a year on a desk of a million tickets: 1 s rather than 4 s).
 * The worklogs of a filter (one organisation's: a few thousand in a year) are read once for all the spans.
 */
export async function listCostByOrganizationIn(db: Db, spans: readonly { from: number; to: number }[], f: CostFilter): Promise<Map<number, OrganizationCost>[]> {
  const people = await db.all<{ id: number | string; cost: number | string | null }>(sql`select ${users.id} as id, ${users.hourlyCostCents} as cost from ${users}`);
  const hourly = new Map(people.map((p) => [Number(p.id), p.cost === null ? null : Number(p.cost)]));
  const filter = { tickets: f.tickets, workedBy: f.workedBy };
  const wholeDesk = f.workedBy === undefined && countKeyOf(f.tickets)?.dim === 'all';
  if (!wholeDesk) {
    const sums = await sumLogged(db, spans, filter, 'worker.org');
    return spans.map((_, i) => priced(sums.filter((s) => s.ask === i), hourly));
  }
  const out: Map<number, OrganizationCost>[] = [];
  for (const span of spans) out.push(priced(await sumLogged(db, [span], filter, 'worker.org'), hourly));
  return out;
}

function priced(sums: LoggedSum[], hourly: Map<number, number | null>): Map<number, OrganizationCost> {
  const out = new Map<number, { organizationId: number; minutes: number; uncostedMinutes: number; costx60: number }>();
  for (const s of sums) {
    if (s.key === null) continue;
    const [user, org] = s.key.split('/').map(Number);
    const got = out.get(org) ?? { organizationId: org, minutes: 0, uncostedMinutes: 0, costx60: 0 };
    const cost = hourly.get(user) ?? null;
    got.minutes += s.minutes;
    if (cost === null) got.uncostedMinutes += s.minutes;
    else got.costx60 += s.minutes * cost;
    out.set(org, got);
  }
  return new Map([...out].filter(([, c]) => c.minutes !== 0).map(([org, c]) => [org, {
    organizationId: org, minutes: c.minutes, uncostedMinutes: c.uncostedMinutes, costCents: Math.round(c.costx60 / 60),
  }]));
}
