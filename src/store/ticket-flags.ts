// Facts about a ticket that reports count and the queue filters by (TICKET_FLAGS), each one SQL
// condition on the tickets table, so a report's number and the list it opens are made of the same
// condition.
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { tickets, users } from '../db/schema.ts';
import type { TicketFlag } from '../domain/queue-query.ts';

/**
 * Whether the desk waited on the client for a ticket (the difficult-clients report): it was put to
 * "pending requester" before it was last resolved or closed (at any time, while open). Bounded by
 * the done time, so what a closed ticket added to the sums is what is taken away when it changes:
 * the status events after it are all later.
 */
export function waitedSql(r: string): string {
  return `EXISTS (SELECT 1 FROM events e WHERE e.ticket_id = ${r}.id AND e.type = 'ticket.status' AND e.data LIKE '%"to":"pending_requester"%'
      AND e.created_at < CASE WHEN ${r}.status IN ('resolved', 'closed') THEN coalesce(${r}.resolved_at, ${r}.closed_at, ${Number.MAX_SAFE_INTEGER}) ELSE ${Number.MAX_SAFE_INTEGER} END)`;
}

// JSON is stored as text on both engines: the status event's data is {"from":…,"to":…}
const WAITED = sql.raw(waitedSql('"tickets"'));

/** A contract target missed, judged from the clock's measures at `now` (`missedByMeasures`, written in SQL). */
function slaMissed(now: number): SQL {
  const past = (mark: AnyColumn) => sql`(${mark} >= 0 and ${mark} <= ${now})`;
  return sql`(coalesce(${tickets.slaNextLate}, 0) > 0 or ${past(tickets.slaFrMark)} or ${past(tickets.slaResMark)} or ${past(tickets.slaNextMark)})`;
}

/** An active staff member (agent, manager or admin): whom the workload report has a row for. */
export const ACTIVE_STAFF = sql`${users.active} = 1 and ${users.role} in ('agent', 'manager', 'admin')`;

/** The ids of the active staff, for `x in (…)`. */
export const activeStaffIds = (): SQL => sql`select ${users.id} from ${users} where ${ACTIVE_STAFF}`;

/** The condition on tickets that a flag holds; `now` judges SLA targets still running. */
export function flagIs(flag: TicketFlag, now: number): SQL {
  switch (flag) {
    case 'answered':
      return sql`${tickets.firstRespondedAt} is not null`;
    case 'finished':
      return sql`${tickets.doneAt} is not null`;
    case 'reopened':
      return sql`${tickets.reopenCount} > 0`;
    case 'billable':
      return sql`${tickets.billable} = 1`;
    case 'slaMissed':
      return slaMissed(now);
    case 'waitedOnClient':
      return sql`${WAITED}`;
    case 'assignedToStaff':
      return sql`${tickets.assigneeId} in (${activeStaffIds()})`;
  }
}
