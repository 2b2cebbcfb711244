// The fields of the desk's search syntax that a requester's search of their own requests reads:
// `status:` (`open`, `closed` for resolved or closed, or any status the console knows) and
// `after:`/`before:` a day (when the request was made). The other fields are about the desk's
// work (assignee, organisation, …) and are reported back rather than quietly ignored.
import type { SearchField, SearchQuery } from './search-query.ts';
import { CLOSED_STATUSES, STATUSES, type TicketStatus } from './vocabulary.ts';
import { instantOf, parseDateKey } from './zoned-time.ts';

/** What the fields select: any of these statuses, made at or after `from` and before `to` (epoch ms). */
export type RequesterFilter = { statuses?: TicketStatus[]; from?: number; to?: number };

export type RequesterFieldProblem = { name: SearchField; value: string };

/** The statuses a requester's `status:` value stands for, or undefined when it names none. */
function statusesOf(value: string): TicketStatus[] | undefined {
  const v = value.toLowerCase().replace(/-/g, '_');
  if (v === 'open') return STATUSES.filter((s) => !CLOSED_STATUSES.includes(s));
  if (v === 'closed' || v === 'done') return [...CLOSED_STATUSES];
  const one = STATUSES.find((s) => s === v);
  return one ? [one] : undefined;
}

/**
 * The filter a requester's typed fields make (a status given twice allows either; dates narrow),
 * and the fields it could not read. Days are read in `timeZone`.
 */
export function requesterSearchFilter(q: SearchQuery, timeZone: string): { filter: RequesterFilter; problems: RequesterFieldProblem[] } {
  const filter: RequesterFilter = {};
  const problems: RequesterFieldProblem[] = [];
  for (const { name, value } of q.fields) {
    if (name === 'status') {
      const s = statusesOf(value);
      if (s) filter.statuses = [...new Set([...(filter.statuses ?? []), ...s])];
      else problems.push({ name, value });
      continue;
    }
    const day = name === 'after' || name === 'before' ? parseDateKey(value) : undefined;
    if (!day) {
      problems.push({ name, value });
      continue;
    }
    const at = instantOf(day, 0, timeZone);
    // after: that day and later; before: the days before it
    if (name === 'after') filter.from = Math.max(filter.from ?? 0, at);
    else filter.to = Math.min(filter.to ?? Number.MAX_SAFE_INTEGER, at);
  }
  return { filter, problems };
}
