// What a calendar shows: the SLA deadlines still ahead of open tickets (the first response until
// it is given, the next response, the resolution) within a span, of one assignee or component.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';

export const DEADLINE_KINDS = ['first_response', 'next_response', 'resolution'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];
/** Each deadline's SLA target, as the workflow strings name it (workflow.target.<key>). */
export const DEADLINE_TARGET: Record<DeadlineKind, string> = { first_response: 'firstResponse', next_response: 'nextResponse', resolution: 'resolution' };

export type CalendarItem = { ticketId: number; number: number; subject: string; priority: string; assigneeId: number | null; kind: DeadlineKind; at: number };

export type CalendarFilter = { from: number; to: number; assigneeId?: number; componentId?: number };

type Row = { id: number | string; num: number | string; subject: string; priority: string; assignee: number | string | null; kind: DeadlineKind; at: number | string };

/** The deadlines in [from, to), earliest first; a paused clock (waiting on the requester) shows none. */
export async function listCalendarItems(db: Db, f: CalendarFilter, limit = 2000): Promise<CalendarItem[]> {
  const where: SQL[] = [sql`t.status not in ('resolved', 'closed')`, sql`t.sla_paused_at is null`];
  if (f.assigneeId !== undefined) where.push(sql`t.assignee_id = ${f.assigneeId}`);
  if (f.componentId !== undefined) where.push(sql`t.component_id = ${f.componentId}`);
  const base = sql.join(where, sql` and `);
  const one = (kind: DeadlineKind, column: string, extra: SQL = sql``) =>
    sql`select t.id as id, t.number as num, t.subject as subject, t.priority as priority, t.assignee_id as assignee, ${kind} as kind, ${sql.raw(`t.${column}`)} as at
      from tickets t where ${base} and ${sql.raw(`t.${column}`)} >= ${f.from} and ${sql.raw(`t.${column}`)} < ${f.to}${extra}`;
  const rows = await db.all<Row>(sql`select * from (${one('first_response', 'first_response_due_at', sql` and t.first_responded_at is null`)}
    union all ${one('next_response', 'next_response_due_at')}
    union all ${one('resolution', 'resolution_due_at')}) d order by at, num limit ${limit}`);
  return rows.map((r) => ({ ticketId: Number(r.id), number: Number(r.num), subject: r.subject, priority: r.priority, assigneeId: r.assignee === null ? null : Number(r.assignee), kind: r.kind, at: Number(r.at) }));
}
