// The search page: ticket subjects and every message, latest match first, with the matching words
// highlighted. "#123" (or a bare number of an existing ticket) opens that ticket.
import { Router } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { parseQueueQuery } from '../../domain/queue-query.ts';
import { decodeSearchCursor, encodeSearchCursor, MARK_END, MARK_START, searchTickets } from '../../store/search.ts';
import { findTicketByNumber } from '../../store/tickets.ts';
import { currentUser } from '../context.ts';
import { requirePermission } from '../middleware/auth.ts';
import type { Renderer } from '../render.ts';
import { lookupsFor } from '../view-models/lookups.ts';
import { ticketRow } from '../view-models/ticket.ts';
import { filterFor } from '../../actions/queue.ts';

export const SEARCH_PAGE_SIZE = 25;

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes the snippet, then turns our private-use marks into <mark>: safe HTML for {{{ }}}. */
export function snippetHtml(snippet: string): string {
  return snippet.replace(/[&<>"']/g, (c) => ESC[c]).replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>');
}

export function searchRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  r.get('/search', requirePermission('ticket.view'), async (req, res) => {
    const text = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 200) : '';
    const ref = /^#?(\d{1,9})$/.exec(text);
    if (ref && await findTicketByNumber(ctx.db, Number(ref[1]))) return res.redirect(303, `/tickets/${ref[1]}`);
    const scope = req.query.scope === 'open' ? 'open' : 'all';
    const cursorRaw = typeof req.query.cursor === 'string' ? req.query.cursor : null;
    const page = text
      ? await searchTickets(ctx.db, text, await filterFor(ctx, parseQueueQuery({ view: scope }), currentUser(res)), decodeSearchCursor(cursorRaw), { limit: SEARCH_PAGE_SIZE, snippets: true })
      : { hits: [], next: null, scanned: 0, truncated: false };
    const names = await lookupsFor(ctx.db, page.hits.map((h) => h.ticket));
    const base = new URLSearchParams({ q: text, ...(scope === 'open' ? { scope } : {}) });
    render(req, res, 'search', {
      title: text,
      q: text,
      scope,
      searched: text !== '',
      results: page.hits.map((h) => ({ ...ticketRow(h.ticket, names, ctx.clock.now()), snippet: h.snippet ? snippetHtml(h.snippet) : null, messageId: h.messageId })),
      truncated: page.truncated,
      scanned: page.scanned,
      nextHref: page.next ? `/search?${new URLSearchParams({ ...Object.fromEntries(base), cursor: encodeSearchCursor(page.next) })}` : null,
      firstHref: cursorRaw ? `/search?${base}` : null,
    });
  });
  return r;
}
