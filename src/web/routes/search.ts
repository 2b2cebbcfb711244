// The search page: ticket subjects and every message, latest match first, with the matching words
// highlighted. "#123" (or a bare number of an existing ticket) opens that ticket.
import { Router } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { hasFilters, parseQueueQuery, queueQueryString } from '../../domain/queue-query.ts';
import { searchPage, type SearchOrder } from '../../actions/ticket-search.ts';
import { PRIORITIES, STATUSES } from '../../db/schema.ts';
import { listOrganizationOptions } from '../../store/organization-names.ts';
import { MARK_END, MARK_START, RANKED_MATCHES } from '../../store/search.ts';
import { findTicketByNumber } from '../../store/tickets.ts';
import { currentUser, web } from '../context.ts';
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

/** What to try when nothing was found: each with the search that tries it. */
export function suggestionsFor(text: string, scope: 'all' | 'open', filtered: boolean): { key: string; href?: string; example?: string }[] {
  const out: { key: string; href?: string; example?: string }[] = [];
  const search = (q: string, extra: Record<string, string> = {}) => `/search?${new URLSearchParams({ q, ...extra })}`;
  if (scope === 'open') out.push({ key: 'search.try.allTickets', href: search(text) });
  if (filtered) out.push({ key: 'search.try.noFilters', href: search(text, scope === 'open' ? { scope } : {}) });
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length > 1) out.push({ key: 'search.try.fewerWords', href: search(words[0]), example: words[0] });
  const last = words.at(-1) ?? '';
  if (!last.endsWith('*') && last.length >= 4) {
    const stem = `${[...last].slice(0, Math.max(3, [...last].length - 2)).join('')}*`;
    out.push({ key: 'search.try.wordStart', href: search([...words.slice(0, -1), stem].join(' ')), example: stem });
  }
  out.push({ key: 'search.try.number' });
  return out;
}

export function searchRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  r.get('/search', requirePermission('ticket.view'), async (req, res) => {
    const text = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 200) : '';
    const ref = /^#?(\d{1,9})$/.exec(text);
    if (ref && await findTicketByNumber(ctx.db, Number(ref[1]))) return res.redirect(303, `/tickets/${ref[1]}`);
    const scope = req.query.scope === 'open' ? 'open' : 'all';
    const order: SearchOrder = req.query.order === 'date' ? 'date' : 'relevance';
    // the queue's filters narrow the search too (status, priority, component, assignee, organisation)
    const q = parseQueueQuery({ ...(req.query as Record<string, unknown>), view: scope, q: '', sort: undefined, cursor: undefined });
    const me = currentUser(res);
    const cursorRaw = typeof req.query.cursor === 'string' ? req.query.cursor : null;
    const { page, problems } = await searchPage(ctx, text, await filterFor(ctx, q, me), { user: me, timeZone: web(res).timeZone, cursor: cursorRaw, order, limit: SEARCH_PAGE_SIZE });
    const names = await lookupsFor(ctx.db, page.hits.map((h) => h.ticket));
    const filters = new URLSearchParams(queueQueryString(q));
    filters.delete('view');
    const base = new URLSearchParams({ q: text, ...(scope === 'open' ? { scope } : {}), ...(order === 'date' ? { order } : {}), ...Object.fromEntries(filters) });
    render(req, res, 'search', {
      title: text,
      q: text,
      scope,
      order,
      searched: text !== '',
      filtered: hasFilters(q),
      filters: {
        statuses: STATUSES.map((id) => ({ id, selected: q.status.includes(id) })),
        priorities: PRIORITIES.map((id) => ({ id, selected: q.priority.includes(id) })),
        components: names.componentOptions.filter((c) => c.active).map((c) => ({ id: c.id, name: c.name, selected: q.component.includes(c.id) })),
        assignees: names.userOptions.filter((u) => u.active).map((u) => ({ id: u.id, name: u.name, selected: q.assignee === u.id })),
        assigneeMe: q.assignee === 'me',
        assigneeNone: q.assignee === 'none',
        organizations: (await listOrganizationOptions(ctx.db)).map((o) => ({ ...o, selected: q.organization === o.id })),
      },
      results: page.hits.map((h) => ({ ...ticketRow(h.ticket, names, ctx.clock.now()), snippet: h.snippet ? snippetHtml(h.snippet) : null, subjectHtml: snippetHtml(h.subject ?? h.ticket.subject), messageId: h.messageId })),
      problems: problems.map((p) => ({ field: p.name === 'text' ? p.value : `${p.name}:${p.value}`, key: `search.problem.${p.name === 'before' || p.name === 'after' ? 'date' : p.problem}` })),
      ranked: !!page.ranked,
      rankedCount: RANKED_MATCHES,
      suggestions: text && !problems.length && page.hits.length === 0 && !cursorRaw ? suggestionsFor(text, scope, hasFilters(q)) : null,
      truncated: page.truncated,
      scanned: page.scanned,
      nextHref: page.next ? `/search?${new URLSearchParams({ ...Object.fromEntries(base), cursor: page.next })}` : null,
      firstHref: cursorRaw ? `/search?${base}` : null,
      dateHref: `/search?${new URLSearchParams({ ...Object.fromEntries(base), order: 'date' })}`,
    });
  });
  return r;
}
