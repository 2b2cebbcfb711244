// A ticket's status at a past instant, as a condition on tickets for the queue: its last step
// (status_steps, the history the status report's counts are kept from) before the instant entered
// that status. A ticket created after the instant has no step before it.
import { sql, type SQL } from 'drizzle-orm';
import type { StatusAt } from '../domain/queue-query.ts';

/**
 * In `status` just before `at`. Read per ticket along the steps' primary key (ticket, seq); nothing
 * leads from a status to its tickets, so the queue reads tickets in its sort order and keeps those
 * that match.
 */
export function inStatusAt(s: StatusAt): SQL {
  return sql`${sql.raw('"tickets"."created_at"')} < ${s.at} and exists (select 1 from status_steps s where s.ticket_id = ${sql.raw('"tickets"."id"')}
    and s.at < ${s.at} and s.status = ${s.status}
    and not exists (select 1 from status_steps n where n.ticket_id = s.ticket_id and n.seq > s.seq and n.at < ${s.at}))`;
}
