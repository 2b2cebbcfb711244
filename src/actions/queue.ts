// One page of the ticket queue for a user, as the console's queue and the API's ticket list read
// it: the indexed keyset path, or the search path when there is text.
import {
  decodeCursor, encodeCursor, queueFilter, type QueueFilter, type QueueQuery,
} from '../domain/queue-query.ts';
import { listUserComponentIds } from '../store/agent-loads.ts';
import { listQueue } from '../store/queue.ts';
import { decodeSearchCursor, encodeSearchCursor, searchTickets } from '../store/search.ts';
import type { Ticket } from '../store/tickets.ts';
import type { User } from '../store/users.ts';
import type { Ctx } from './context.ts';

export type QueueResult = { rows: Ticket[]; next: string | null; truncated: boolean };

/** One page of a queue query for a user: the indexed keyset path, or the search path when there is text. */
export async function runQueue(ctx: Ctx, q: QueueQuery, f: QueueFilter, limit: number): Promise<QueueResult> {
  if (q.q) {
    const page = await searchTickets(ctx.db, q.q, f, decodeSearchCursor(q.cursor), { limit });
    return { rows: page.hits.map((h) => h.ticket), next: page.next ? encodeSearchCursor(page.next) : null, truncated: page.truncated };
  }
  const page = await listQueue(ctx.db, f, q.sort, decodeCursor(q.cursor, q.sort), limit);
  return { rows: page.rows, next: page.next ? encodeCursor(page.next) : null, truncated: false };
}

export async function filterFor(ctx: Ctx, q: QueueQuery, user: User, componentIds?: number[]): Promise<QueueFilter> {
  componentIds ??= await listUserComponentIds(ctx.db, user.id);
  return queueFilter(q, { userId: user.id, componentIds, now: ctx.clock.now() });
}
