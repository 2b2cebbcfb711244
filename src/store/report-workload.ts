// Agent workload for the reports: per active staff member, the open tickets assigned to them now
// (with their estimates and the time already logged on them), the time they logged in a period,
// and the tickets resolved or closed in it while assigned to them; and the business calendar their
// working time is counted on. One query per question, whatever the number of people.
import { and, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { tickets, users } from '../db/schema.ts';
import { compileCalendar, type CompiledCalendar, type Interval } from '../domain/business-calendar.ts';
import type { CompiledCalendars } from '../domain/compiled-calendars.ts';
import type { QueueFilter } from '../domain/queue-query.ts';
import { countTicketsBy } from './day-counts.ts';
import { queueWhere } from './queue.ts';
import { ACTIVE_STAFF } from './ticket-flags.ts';
import { loadCompiledCalendar } from './sla-config.ts';
import { sumLogged } from './time-sums.ts';
import { findSlaPolicy } from './sla-policies.ts';
import { findDefaultSlaPolicyId } from './workflow-settings.ts';

/** The tickets counted (the assignee is each row's person) and the period [from, to); `userId` keeps one person. */
export type WorkloadFilter = { from: number; to: number; tickets: Omit<QueueFilter, 'assigneeId'>; userId?: number };

export type Workload = {
  userId: number;
  name: string;
  /** open tickets assigned to them now */
  open: number;
  /** the estimates of those tickets, and all the time ever logged on them (by anyone) */
  openEstimate: number;
  openLogged: number;
  /** per ticket, what is left of its estimate (never below zero), summed */
  openRemaining: number;
  /** minutes they logged in the period */
  logged: number;
  /** tickets resolved or closed in the period while assigned to them, and how many of those had been reopened */
  resolved: number;
  reopened: number;
};

const num = (v: unknown) => Number(v ?? 0);

/** Every active staff member (or the one asked for), by name, with their numbers. */
export async function listWorkload(db: Db, f: WorkloadFilter): Promise<Workload[]> {
  // the queue's filters on the active staff use the same condition (ticket-flags.ts)
  const staff: SQL[] = [ACTIVE_STAFF];
  if (f.userId !== undefined) staff.push(sql`${users.id} = ${f.userId}`);
  const [people, open, logged, done] = await Promise.all([
    db.all<{ id: number | string; name: string }>(sql`select ${users.id} as id, ${users.name} as name from ${users} where ${and(...staff)} order by ${users.name}, ${users.id}`),
    db.all<{ u: number | string; n: number | string; est: number | string | null; logged: number | string | null; todo: number | string | null }>(sql`select ${tickets.assigneeId} as u, count(*) as n,
        sum(coalesce(${tickets.estimateMinutes}, 0)) as est, sum(${tickets.loggedMinutes}) as logged,
        sum(case when ${tickets.estimateMinutes} > ${tickets.loggedMinutes} then ${tickets.estimateMinutes} - ${tickets.loggedMinutes} else 0 end) as todo
      from ${tickets} where ${and(sql`${tickets.assigneeId} is not null`, ...queueWhere({ ...f.tickets, open: true }))} group by ${tickets.assigneeId}`),
    // the minutes each person logged: the kept sums (store/time-sums.ts)
    sumLogged(db, [{ from: f.from, to: f.to }], { tickets: f.tickets }, 'worker'),
    // resolved while assigned: the day counts under each agent (store/day-counts.ts)
    countTicketsBy(db, [{ which: 'done', span: { from: f.from, to: f.to } }], f.tickets, { dim: 'agent', column: tickets.assigneeId }),
  ]);
  const byUser = <T extends { u: number | string }>(rows: T[]) => new Map(rows.map((r) => [Number(r.u), r]));
  const o = byUser(open);
  const l = new Map(logged.filter((s) => s.key !== null).map((s) => [Number(s.key), s.minutes]));
  const d = new Map(done.filter((c) => c.key !== null).map((c) => [Number(c.key), { n: c.n, r: c.reopened }]));
  return people.map((p) => {
    const id = Number(p.id);
    return {
      userId: id,
      name: p.name,
      open: num(o.get(id)?.n),
      openEstimate: num(o.get(id)?.est),
      openLogged: num(o.get(id)?.logged),
      openRemaining: num(o.get(id)?.todo),
      logged: num(l.get(id)),
      resolved: num(d.get(id)?.n),
      reopened: num(d.get(id)?.r),
    };
  });
}

const OFFICE_DAY: Interval[] = [['09:00', '17:00']];

/**
 * The calendar staff work on: the one the SLA clocks of the desk's default policy run on, else
 * 8 hours Monday to Friday in the desk's time zone (a policy without a calendar runs round the
 * clock, which is no one's working week).
 */
export async function loadWorkCalendar(db: Db, calendars: CompiledCalendars, timeZone: string): Promise<CompiledCalendar> {
  const policyId = await findDefaultSlaPolicyId(db);
  const policy = policyId ? await findSlaPolicy(db, policyId) : undefined;
  if (policy?.calendarId) return await loadCompiledCalendar(db, calendars, policy.calendarId);
  return compileCalendar({ timeZone, weeklyHours: [OFFICE_DAY, OFFICE_DAY, OFFICE_DAY, OFFICE_DAY, OFFICE_DAY, [], []], exceptions: [] });
}
