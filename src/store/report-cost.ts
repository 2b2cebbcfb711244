// The cost of the time logged on each organisation's tickets in a span: minutes, the minutes of
// people whose hourly cost is not set, and the cost at each person's hourly cost.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';

export type OrganizationCost = { organizationId: number; minutes: number; uncostedMinutes: number; costCents: number };

/** Logged time in [from, to) per organisation of the ticket, priced at the hourly cost of who logged it. */
export async function listCostByOrganization(db: Db, span: { from: number; to: number }): Promise<Map<number, OrganizationCost>> {
  const rows = await db.all<{ org: number | string; minutes: number | string; uncosted: number | string; costx60: number | string }>(sql`
    select t.organization_id as org, sum(w.minutes) as minutes,
      sum(case when u.hourly_cost_cents is null then w.minutes else 0 end) as uncosted,
      sum(w.minutes * coalesce(u.hourly_cost_cents, 0)) as costx60
    from worklogs w join tickets t on t.id = w.ticket_id left join users u on u.id = w.user_id
    where w.worked_at >= cast(${span.from} as bigint) and w.worked_at < cast(${span.to} as bigint) and t.organization_id is not null
    group by t.organization_id`);
  return new Map(rows.map((r) => [Number(r.org), {
    organizationId: Number(r.org), minutes: Number(r.minutes), uncostedMinutes: Number(r.uncosted), costCents: Math.round(Number(r.costx60) / 60),
  }]));
}
