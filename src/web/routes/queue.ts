// The queue: views (unassigned, mine, my components, SLA, pending, open, resolved, all), the filter
// bar whose state lives in the URL, saved views, keyset pages, bulk changes and the "N new" poll.
import { localPath } from '../local-path.ts';
import { Router } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { filterFor, runQueue } from '../../actions/queue.ts';
import { bulkUpdate, type BulkAction } from '../../actions/bulk.ts';
import { gettingStartedForQueue } from '../../actions/getting-started.ts';
import { removeView, saveView } from '../../actions/saved-views.ts';
import { CATEGORIES, CHANNELS, PRIORITIES, STATUSES, TICKET_TYPES, type Priority, type TicketStatus } from '../../db/schema.ts';
import { can } from '../../domain/permissions.ts';
import { hasFilters, parseQueueQuery, queueQueryString, QUEUE_VIEWS, sortsFor, type QueueQuery, type QueueSort, type QueueView } from '../../domain/queue-query.ts';
import { listUserComponentIds } from '../../store/agent-loads.ts';
import { invalid } from '../../domain/errors.ts';
import { listOrganizationOptions } from '../../store/organization-names.ts';
import { countQueue, countQueueChanges } from '../../store/queue.ts';
import { changeToken } from '../../db/client.ts';
import { listSavedViews } from '../../store/saved-views.ts';
import { maxTicketId } from '../../store/tickets.ts';
import { currentUser, intParam, isHtmx } from '../context.ts';
import { formError, ids, str } from '../forms.ts';
import { requirePermission } from '../middleware/auth.ts';
import { redirectWithFlash, type Renderer } from '../render.ts';
import { lookupsFor } from '../view-models/lookups.ts';
import { ticketRow } from '../view-models/ticket.ts';

export const PAGE_SIZE = 50;
/** tab counts stop here ("99+"): counting a whole million-ticket view would cost more than the page */
const COUNT_CAP = 100;
const COUNTED_VIEWS: QueueView[] = ['unassigned', 'mine', 'components', 'sla', 'pending', 'open'];

function options<T extends string>(all: readonly T[], selected: readonly string[]) {
  return all.map((id) => ({ id, selected: selected.includes(id) }));
}

/**
 * The sortable column headings: each a link to the same view sorted by it (the number column
 * toggles newest and oldest first); none while a text search orders the list by match.
 */
function sortLinks(q: QueueQuery) {
  const link = (sort: QueueSort, toggle?: QueueSort) => {
    const active = q.sort === sort || (toggle !== undefined && q.sort === toggle);
    const next = active && toggle !== undefined ? (q.sort === sort ? toggle : sort) : sort;
    return { href: `/tickets?${queueQueryString(q, { sort: next, cursor: null })}`, active, dir: q.sort === 'oldest' || q.sort === 'priority' || q.sort === 'due' ? 'ascending' : 'descending' };
  };
  return { num: link('created', 'oldest'), priority: link('priority'), updated: link('updated'), due: link('due') };
}

/** What an empty list says: why it is empty and what to do about it. */
// a report's drill-down narrows the queue to a period (or to what the report counted): each shows as a chip that can be taken off
function periodChips(q: QueueQuery, names: ReadonlyMap<number, string>) {
  const off = (patch: Partial<QueueQuery>) => `/tickets?${queueQueryString(q, { ...patch, cursor: null })}`;
  return [
    q.created && { key: 'created', name: 'created', value: `${q.created.from}-${q.created.to}`, from: q.created.from, to: q.created.to, removeHref: off({ created: null }) },
    q.done && { key: 'done', name: 'done', value: `${q.done.from}-${q.done.to}`, from: q.done.from, to: q.done.to, removeHref: off({ done: null }) },
    q.openAt !== null && { key: 'openAt', name: 'open_at', value: String(q.openAt), at: q.openAt, removeHref: off({ openAt: null }) },
    q.worked && { key: 'worked', name: 'worked', value: `${q.worked.from}-${q.worked.to}`, from: q.worked.from, to: q.worked.to, removeHref: off({ worked: null }) },
    q.workedBy !== null && {
      key: 'workedBy', name: 'worked_by', value: String(q.workedBy), removeHref: off({ workedBy: null }),
      ...(q.workedBy === 'staff' ? { word: 'staff' } : { who: names.get(q.workedBy) ?? `#${q.workedBy}` }),
    },
    q.statusAt && { key: 'statusAt', name: 'status_at', value: `${q.statusAt.status}.${q.statusAt.at}`, status: q.statusAt.status, at: q.statusAt.at, removeHref: off({ statusAt: null }) },
    q.met && { key: 'met', name: 'met', value: q.met, word: q.met, removeHref: off({ met: null }) },
    q.breached && { key: 'breached', name: 'breached', value: q.breached, word: q.breached, removeHref: off({ breached: null }) },
    q.running && { key: 'running', name: 'running', value: q.running, word: q.running, removeHref: off({ running: null }) },
    q.organization === 'none' && { key: 'noOrganization', name: 'organization', value: 'none', bare: true, removeHref: off({ organization: null }) },
    q.component.includes('none') && { key: 'noComponent', name: 'component', value: 'none', bare: true, removeHref: off({ component: q.component.filter((c) => c !== 'none') }) },
    ...q.flags.map((flag) => ({ key: `flags.${flag}`, name: 'flag', value: flag, bare: true, removeHref: off({ flags: q.flags.filter((x) => x !== flag) }) })),
  ].filter(Boolean);
}

function emptyState(q: QueueQuery): { key: string; clearHref: string | null } {
  if (hasFilters(q)) return { key: 'queue.emptyState.filtered', clearHref: `/tickets?view=${q.view}` };
  return { key: `queue.emptyState.${q.view}`, clearHref: null };
}

export function queueRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  // tab counts are six counting queries per page view: kept per user and view until the database
  // changes (any commit, from any process) or half a minute passes (the SLA view moves with time)
  // (promises: pages asking at once share one count)
  const counts = new Map<string, Promise<number>>();
  let countsToken = '';
  /** the kept counts, emptied first when the database changed or the half minute passed */
  const keptCounts = async (now: number): Promise<Map<string, Promise<number>>> => {
    const token = `${await changeToken(ctx.db)}:${Math.floor(now / 30_000)}`;
    if (token !== countsToken) {
      counts.clear();
      countsToken = token;
    }
    return counts;
  };

  r.get('/tickets', requirePermission('ticket.view'), async (req, res) => {
    const me = currentUser(res);
    const q = parseQueueQuery(req.query as Record<string, unknown>);
    const myComponents = await listUserComponentIds(ctx.db, me.id);
    const f = await filterFor(ctx, q, me, myComponents);
    const result = await runQueue(ctx, q, f, PAGE_SIZE);
    const names = await lookupsFor(ctx.db, result.rows);
    const now = ctx.clock.now();
    const kept = await keptCounts(now);
    const base = queueQueryString(q, { cursor: null });
    const users = names.userOptions.filter((u) => u.active);
    const components = names.componentOptions;
    const saved = await listSavedViews(ctx.db, me.id);
    const pollQuery = new URLSearchParams(base);
    pollQuery.set('since', String(now));
    pollQuery.set('max', String(await maxTicketId(ctx.db)));
    render(req, res, 'queue', {
      q,
      start: await gettingStartedForQueue(ctx, me),
      query: base,
      back: `/tickets?${queueQueryString(q)}`,
      views: await Promise.all(QUEUE_VIEWS.map(async (v) => {
        const key = `${me.id}:${v}`;
        if (COUNTED_VIEWS.includes(v) && !kept.has(key)) {
          const counting = filterFor(ctx, parseQueueQuery({ view: v }), me, myComponents).then((f) => countQueue(ctx.db, f, COUNT_CAP));
          // a failed count is not kept: the next page asks again
          counting.catch(() => kept.get(key) === counting && kept.delete(key));
          kept.set(key, counting);
        }
        const count = (await kept.get(key)) ?? null;
        return { id: v, active: v === q.view, href: `/tickets?view=${v}`, count: count === null ? null : count >= COUNT_CAP ? `${COUNT_CAP - 1}+` : String(count) };
      })),
      savedViews: saved.map((s) => ({ id: s.id, name: s.name, href: `/tickets?${s.query}`, active: s.query === base })),
      filtered: hasFilters(q),
      filters: {
        statuses: options(STATUSES, q.status),
        priorities: options(PRIORITIES, q.priority),
        types: options(TICKET_TYPES, q.type),
        categories: options(CATEGORIES, q.category),
        channels: options(CHANNELS, q.channel),
        components: components.map((c) => ({ id: c.id, name: c.name, selected: q.component.includes(c.id) })),
        assignees: users.map((u) => ({ id: u.id, name: u.name, selected: q.assignee === u.id })),
        assigneeMe: q.assignee === 'me',
        assigneeNone: q.assignee === 'none',
        organizations: (await listOrganizationOptions(ctx.db)).map((o) => ({ ...o, selected: q.organization === o.id })),
        sorts: sortsFor(q.view).map((s) => ({ id: s, selected: s === q.sort })),
      },
      periods: periodChips(q, new Map(names.userOptions.map((u) => [u.id, u.name]))),
      sortBy: q.q ? null : sortLinks(q),
      empty: emptyState(q),
      tickets: result.rows.map((t) => ticketRow(t, names, now)),
      truncated: result.truncated,
      nextHref: result.next ? `/tickets?${queueQueryString(q, { cursor: result.next })}` : null,
      firstHref: q.cursor ? `/tickets?${base}` : null,
      pollHref: `/tickets/poll?${pollQuery.toString()}`,
      bulk: can(me.role, 'ticket.bulk_own') && {
        all: can(me.role, 'ticket.bulk'),
        agents: users.map((u) => ({ id: u.id, name: u.name })),
        statuses: STATUSES,
        priorities: PRIORITIES,
      },
    }, { partial: 'ticket-list' });
  });

  // The "N new" badge: counts what changed in this view since the page was drawn.
  r.get('/tickets/poll', requirePermission('ticket.view'), async (req, res) => {
    const q = parseQueueQuery(req.query as Record<string, unknown>);
    if (!isHtmx(req)) return res.redirect(303, `/tickets?${queueQueryString(q, { cursor: null })}`);
    const since = Number(req.query.since);
    const max = Number(req.query.max);
    const me = currentUser(res);
    const f = await filterFor(ctx, { ...q, q: '' }, me);
    const changes = Number.isSafeInteger(since) && Number.isSafeInteger(max) ? await countQueueChanges(ctx.db, f, since, max) : { created: 0, updated: 0 };
    const base = queueQueryString(q, { cursor: null });
    const params = new URLSearchParams(base);
    params.set('since', String(since));
    params.set('max', String(max));
    res.set('Cache-Control', 'no-store');
    render(req, res, 'queue', { pollHref: `/tickets/poll?${params.toString()}`, query: base, changes, hasChanges: changes.created + changes.updated > 0 }, { partial: 'queue-poll' });
  });

  r.post('/tickets/bulk', requirePermission('ticket.bulk_own'), async (req, res) => {
    const me = currentUser(res);
    const body = req.body as Record<string, unknown>;
    const back = localPath(str(body, 'back'), '/tickets', '/tickets');
    const kind = str(body, 'action');
    let action: BulkAction | null = null;
    // every choice starts empty: pressing a button without choosing changes nothing
    const chosen = (key: string) => str(body, key);
    if (kind === 'assign' || kind === 'status' || kind === 'priority') {
      const key = kind === 'assign' ? 'assigneeId' : kind;
      if (chosen(key) === '') return redirectWithFlash(res, back, `queue.bulkChoose${kind[0].toUpperCase()}${kind.slice(1)}`);
    }
    try {
      if (kind === 'assign') {
        const v = chosen('assigneeId');
        action = { kind: 'assign', assigneeId: v === 'me' ? me.id : v === 'none' ? null : Number(v) };
      } else if (kind === 'status') action = { kind: 'status', status: chosen('status') as TicketStatus };
      else if (kind === 'priority') action = { kind: 'priority', priority: chosen('priority') as Priority };
      if (!action) throw invalid('Choose what to change');
      const result = await bulkUpdate(ctx, { kind: 'user', user: me }, { ticketIds: ids(body, 'ids'), action });
      const skipped = result.skipped.map((s) => (s.number ? `#${s.number}: ${s.reason}` : s.reason)).slice(0, 5).join('; ');
      redirectWithFlash(res, back, result.skipped.length ? 'queue.bulkPartly' : 'queue.bulkDone', { changed: result.changed.length, skipped: result.skipped.length, reasons: skipped });
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      redirectWithFlash(res, back, 'queue.bulkFailed', { reason: e.message });
    }
  });

  r.post('/views', requirePermission('view.save'), async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const query = Object.fromEntries(new URLSearchParams(str(body, 'query')));
    try {
      const v = await saveView(ctx, currentUser(res), { name: str(body, 'name'), query });
      redirectWithFlash(res, `/tickets?${v.query}`, 'queue.viewSaved', { name: v.name });
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      redirectWithFlash(res, `/tickets?${str(body, 'query')}`, 'queue.viewNotSaved', { reason: e.message });
    }
  });

  r.post('/views/:id/delete', requirePermission('view.save'), async (req, res) => {
    await removeView(ctx, currentUser(res), intParam(req.params.id, 'Saved view'));
    redirectWithFlash(res, '/tickets', 'queue.viewDeleted');
  });

  return r;
}
