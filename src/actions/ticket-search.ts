// One page of a ticket search, as the console's search page and the API's /search both serve it:
// words (ranked by relevance, or the latest match first) narrowed by the queue's filters and the
// fields typed into the search, or the fields alone (the tickets they select, recently updated first).
import { decodeCursor, encodeCursor, type QueueFilter } from '../domain/queue-query.ts';
import { hasText, onlyFields, parseSearch } from '../domain/search-query.ts';
import { listQueue } from '../store/queue.ts';
import { decodeSearchCursor, encodeSearchCursor, searchTickets, searchTicketsRanked, type SearchHit } from '../store/search.ts';
import type { User } from '../store/users.ts';
import type { Ctx } from './context.ts';
import { applySearchFields, type FieldProblem } from './search-fields.ts';

/** The orders of results: the best match first (the default), or the latest match first. */
export const SEARCH_ORDERS = ['relevance', 'date'] as const;
export type SearchOrder = (typeof SEARCH_ORDERS)[number];

/** A field that could not be placed, or a search with nothing to look for. */
export type SearchProblem = FieldProblem | { name: 'text'; value: string; problem: 'nothing' };

/** A page of results, with the cursor of the next one as it travels in a URL. */
export type SearchResultPage = { hits: SearchHit[]; next: string | null; scanned: number; truncated: boolean; /** relevance ranked only the newest matches */ ranked?: boolean };

async function textSearch(ctx: Ctx, text: string, filter: QueueFilter, cursorRaw: string | null, order: SearchOrder, limit: number): Promise<SearchResultPage> {
  if (order === 'relevance') {
    const offset = Number(/^r(\d{1,6})$/.exec(cursorRaw ?? '')?.[1] ?? 0);
    const page = await searchTicketsRanked(ctx.db, text, filter, offset, { limit, snippets: true });
    return { hits: page.hits, next: page.next === null ? null : `r${page.next}`, scanned: page.candidates, truncated: false, ranked: page.truncated };
  }
  const page = await searchTickets(ctx.db, text, filter, decodeSearchCursor(cursorRaw), { limit, snippets: true });
  return { ...page, next: page.next ? encodeSearchCursor(page.next) : null };
}

async function fieldsOnly(ctx: Ctx, filter: QueueFilter, cursorRaw: string | null, limit: number): Promise<SearchResultPage> {
  const page = await listQueue(ctx.db, filter, 'updated', decodeCursor(cursorRaw, 'updated'), limit);
  return { hits: page.rows.map((ticket) => ({ ticket, messageId: null, snippet: null })), next: page.next ? encodeCursor(page.next) : null, scanned: page.rows.length, truncated: false };
}

/**
 * Searches `text` within `base` (the queue filter the person may see, narrowed by any filters
 * chosen beside the search). Fields the desk cannot place, and a search with nothing to look
 * for, come back as problems with no hits.
 */
export async function searchPage(
  ctx: Ctx, text: string, base: QueueFilter,
  opts: { user: User; timeZone: string; cursor: string | null; order: SearchOrder; limit: number },
): Promise<{ page: SearchResultPage; problems: SearchProblem[] }> {
  const query = parseSearch(text);
  const { filter, problems }: { filter: QueueFilter; problems: SearchProblem[] } = await applySearchFields(ctx, query, { user: opts.user, timeZone: opts.timeZone }, base);
  const page = hasText(query) && !problems.length
    ? await textSearch(ctx, text, filter, opts.cursor, opts.order, opts.limit)
    : onlyFields(query) && !problems.length
      ? await fieldsOnly(ctx, filter, opts.cursor, opts.limit)
      : { hits: [], next: null, scanned: 0, truncated: false };
  // something typed, but nothing to look for: exclusions alone, or only marks
  if (text && !hasText(query) && !onlyFields(query)) problems.push({ name: 'text', value: text, problem: 'nothing' });
  return { page, problems };
}
