// What a calendar shows of open tickets within a span, of one assignee or component: the due dates
// people set, the planned work (from its start, for the estimate or an hour), and the SLA deadlines
// still ahead (the first response until it is given, the next response, the resolution).
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { Priority, TicketType } from '../domain/vocabulary.ts';

export const DEADLINE_KINDS = ['first_response', 'next_response', 'resolution'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];
export type CalendarKind = DeadlineKind | 'due' | 'planned';
/** Each kind's name among the workflow strings (workflow.<key>): a deadline's SLA target, or the calendar's own word. */
export const CALENDAR_KIND_LABEL: Record<CalendarKind, string> = {
  first_response: 'target.firstResponse', next_response: 'target.nextResponse', resolution: 'target.resolution',
  due: 'calendarItem.due', planned: 'calendarItem.planned',
};
/** The three families a calendar marks and filters by: a due date, planned work, an SLA deadline (any of the three). */
export const CALENDAR_FAMILIES = ['due', 'planned', 'sla'] as const;
export type CalendarFamily = (typeof CALENDAR_FAMILIES)[number];
export const calendarFamily = (kind: CalendarKind): CalendarFamily => (kind === 'due' || kind === 'planned' ? kind : 'sla');
/** How long planned work lasts in the calendar when the ticket has no estimate. */
export const DEFAULT_PLANNED_MINUTES = 60;

export type CalendarItem = {
  ticketId: number; number: number; subject: string; priority: string; assigneeId: number | null;
  componentId: number | null; organizationId: number | null;
  kind: CalendarKind; at: number;
  /** planned work's length (the estimate, or DEFAULT_PLANNED_MINUTES); null for the other kinds */
  minutes: number | null;
};

export type CalendarFilter = {
  from: number; to: number; assigneeId?: number; componentId?: number; organizationId?: number; type?: TicketType; priority?: Priority;
  /** the families shown; all when left out */
  families?: readonly CalendarFamily[];
};

type Row = {
  id: number | string; num: number | string; subject: string; priority: string; assignee: number | string | null; component: number | string | null; org: number | string | null;
  kind: CalendarKind; at: number | string; minutes: number | string | null;
};
const idOrNull = (v: number | string | null) => (v === null ? null : Number(v));

/**
 * The items in [from, to), earliest first. A paused SLA clock (waiting on the requester) shows no
 * deadlines; due dates and planned work show regardless. Due dates and planned work are read through
 * the partial indexes over open tickets that have them (tickets_open_*_due_at_idx, *_planned_at_idx).
 */
export async function listCalendarItems(db: Db, f: CalendarFilter, limit = 2000): Promise<CalendarItem[]> {
  const where: SQL[] = [sql`t.status not in ('resolved', 'closed')`];
  if (f.assigneeId !== undefined) where.push(sql`t.assignee_id = ${f.assigneeId}`);
  if (f.componentId !== undefined) where.push(sql`t.component_id = ${f.componentId}`);
  if (f.organizationId !== undefined) where.push(sql`t.organization_id = ${f.organizationId}`);
  if (f.type !== undefined) where.push(sql`t.type = ${f.type}`);
  if (f.priority !== undefined) where.push(sql`t.priority = ${f.priority}`);
  const base = sql.join(where, sql` and `);
  // (a typed null: PostgreSQL makes a union's bare nulls text, which bigint cannot join)
  const one = (kind: CalendarKind, column: string, extra: SQL = sql``, minutes: SQL = sql`cast(null as bigint)`) =>
    sql`select t.id as id, t.number as num, t.subject as subject, t.priority as priority, t.assignee_id as assignee, t.component_id as component, t.organization_id as org, ${kind} as kind, ${sql.raw(`t.${column}`)} as at, ${minutes} as minutes
      from tickets t where ${base} and ${sql.raw(`t.${column}`)} >= ${f.from} and ${sql.raw(`t.${column}`)} < ${f.to}${extra}`;
  const running = sql` and t.sla_paused_at is null`;
  const parts: Record<CalendarFamily, SQL[]> = {
    sla: [
      one('first_response', 'first_response_due_at', sql`${running} and t.first_responded_at is null`),
      one('next_response', 'next_response_due_at', running),
      one('resolution', 'resolution_due_at', running),
    ],
    due: [one('due', 'due_at', sql` and t.due_at is not null`)],
    planned: [one('planned', 'planned_at', sql` and t.planned_at is not null`, sql.raw(`coalesce(t.estimate_minutes, ${DEFAULT_PLANNED_MINUTES})`))],
  };
  const chosen = CALENDAR_FAMILIES.filter((fam) => !f.families || f.families.includes(fam)).flatMap((fam) => parts[fam]);
  if (!chosen.length) return [];
  const rows = await db.all<Row>(sql`select * from (${sql.join(chosen, sql` union all `)}) d order by at, num, kind limit ${limit}`);
  return rows.map((r) => ({
    ticketId: Number(r.id), number: Number(r.num), subject: r.subject, priority: r.priority, assigneeId: idOrNull(r.assignee),
    componentId: idOrNull(r.component), organizationId: idOrNull(r.org),
    kind: r.kind, at: Number(r.at), minutes: r.minutes === null ? null : Number(r.minutes),
  }));
}
