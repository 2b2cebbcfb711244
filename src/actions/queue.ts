// One page of the ticket queue for a user, as the console's queue and the API's ticket list read
// it: the indexed keyset path, or the search path when there is text.
import {
  decodeCursor, encodeCursor, queueFilter, type QueueFilter, type QueueQuery,
} from '../domain/queue-query.ts';
import { hasText, onlyFields, parseSearch } from '../domain/search-query.ts';
import { invalid } from '../domain/errors.ts';
import { listUserComponentIds } from '../store/agent-loads.ts';
import { applySearchFields } from './search-fields.ts';
import { listQueue } from '../store/queue.ts';
import { decodeSearchCursor, encodeSearchCursor, searchTickets } from '../store/search.ts';
import type { Ticket } from '../store/tickets.ts';
import type { User } from '../store/users.ts';
import type { Ctx } from './context.ts';

export type QueueResult = { rows: Ticket[]; next: string | null; truncated: boolean };

/** One page of a queue query for a user: the indexed keyset path, or the search path when there is text. */
export async function runQueue(ctx: Ctx, q: QueueQuery, f: QueueFilter, limit: number): Promise<QueueResult> {
  const text = q.q ? parseSearch(q.q) : null;
  if (text && hasText(text)) {
    const page = await searchTickets(ctx.db, q.q, f, decodeSearchCursor(q.cursor), { limit });
    return { rows: page.hits.map((h) => h.ticket), next: page.next ? encodeSearchCursor(page.next) : null, truncated: page.truncated };
  }
  // exclusions alone, or only marks: nothing to look for (fields alone select like the filters)
  if (text && !onlyFields(text)) return { rows: [], next: null, truncated: false };
  const page = await listQueue(ctx.db, f, q.sort, decodeCursor(q.cursor, q.sort), limit);
  return { rows: page.rows, next: page.next ? encodeCursor(page.next) : null, truncated: false };
}

/**
 * The queue filter of a query for a user, narrowed by the fields typed into its text
 * (`status:open org:romashka`, see search-fields.ts); a field the desk cannot place is refused.
 */
export async function filterFor(ctx: Ctx, q: QueueQuery, user: User, componentIds?: number[]): Promise<QueueFilter> {
  componentIds ??= await listUserComponentIds(ctx.db, user.id);
  const f = queueFilter(q, { userId: user.id, componentIds, now: ctx.clock.now() });
  if (!q.q) return f;
  const { filter, problems } = await applySearchFields(ctx, parseSearch(q.q), { user, timeZone: user.timeZone }, f);
  if (problems.length) {
    throw invalid(`Search fields not understood: ${problems.map((p) => `${p.name}:${p.value} (${p.problem === 'ambiguous' ? 'more than one match' : 'no match'})`).join(', ')}`, { q: 'fields' });
  }
  return filter;
}
