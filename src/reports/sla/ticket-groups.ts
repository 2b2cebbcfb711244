// The groupings the SLA and response-time reports share: the tickets created in the period, per
// priority, organisation, component or assignee, each group named in the viewer's language and
// its ticket count opening the queue on exactly its tickets (created in the period, of the group).
import { z } from 'zod';
import { PRIORITIES, type Priority } from '../../domain/vocabulary.ts';
import type { QueueQuery } from '../../domain/queue-query.ts';
import { namesByIds } from '../../store/report-sla.ts';
import { queueHref, scopeFilters, scopeQuery, type Scope } from '../kit/scope.ts';
import type { ReportColumn } from '../kit/table.ts';
import type { ReportCtx } from '../report.ts';

export const GROUP_BY = ['priority', 'organization', 'component', 'agent'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export const groupedFilters = scopeFilters.extend({ by: z.enum(GROUP_BY).optional().catch(undefined) });
export type GroupedFilters = z.infer<typeof groupedFilters>;

// urgent first, as the queue sorts them
const PRIORITY_ORDER = [...PRIORITIES].reverse();

/**
 * The first column of a grouped table. Priorities are named in the cells rather than through the
 * column's `labels`: the kit would look the totals row's "Total" up among the labels too.
 */
export const groupColumn = (by: GroupBy): ReportColumn => ({ key: by, kind: 'text' });

/** The queue on the scope's tickets created in the period, narrowed further by `patch`. */
export function createdHref(scope: Scope, patch: Partial<QueueQuery> = {}): string {
  const { from, to } = scope.period;
  return queueHref(scope, { created: { from, to }, ...patch });
}

/** The queue's filter on a group's tickets (null: the tickets without one). */
function patchOf(by: GroupBy, key: string | number | null): Partial<QueueQuery> {
  if (by === 'priority') return { priority: [key as Priority] };
  const id = key === null ? ('none' as const) : Number(key);
  if (by === 'agent') return { assignee: id };
  return by === 'organization' ? { organization: id } : { component: [id] };
}

/**
 * The names of the groups' organisations, components or people, read once each (priorities are
 * named by `orderGroups` in the viewer's language).
 */
export async function groupNames(ctx: ReportCtx, by: GroupBy, keys: (string | number | null)[]): Promise<(key: string | number | null) => string | null> {
  if (by === 'priority') return () => null;
  const ids = keys.filter((k): k is number => typeof k === 'number');
  const names = await namesByIds(ctx.db, by === 'agent' ? 'user' : by, ids);
  return (key) => (typeof key === 'number' ? (names.get(key) ?? null) : null);
}

/** The column a grouping groups by, as the store names it. */
export const GROUP_KEY = { priority: 'priority', organization: 'organizationId', component: 'componentId', agent: 'assigneeId' } as const satisfies Record<GroupBy, string>;

/**
 * Groups by their keys, named (`nameOf` gives the name of an organisation, component or person; a
 * priority is named in the viewer's language), each with its queue link, in the report's order:
 * priorities urgent first, the others by name, "none" last.
 */
export function orderGroups(ctx: ReportCtx, reportId: string, scope: Scope, by: GroupBy, keys: (string | number | null)[], nameOf: (key: string | number | null) => string | null) {
  const named = keys.map((key) => {
    const patch = patchOf(by, key);
    return {
      key,
      name: (by === 'priority' ? ctx.viewer.t(`priority.${String(key)}`) : key === null ? null : nameOf(key)) ?? ctx.viewer.t(`reports.${reportId}.none.${by}`),
      /** the queue on the group's tickets created in the period, narrowed further by `more` */
      href: (more: Partial<QueueQuery> = {}) => createdHref(scope, { ...patch, ...more }),
    };
  });
  const collator = new Intl.Collator(ctx.viewer.locale);
  const rank = (key: string | number | null) => (by === 'priority' ? PRIORITY_ORDER.indexOf(key as Priority) : key === null ? 1 : 0);
  return named.sort((a, b) => rank(a.key) - rank(b.key) || collator.compare(a.name, b.name));
}

/** The page's links to the other groupings, and the downloads that keep the current one. */
export function groupingLinks(ctx: ReportCtx, reportId: string, scope: Scope, by: GroupBy) {
  const path = `/reports/${reportId}`;
  const query = scopeQuery(scope, { by });
  return {
    downloads: { csv: `${path}.csv?${query}`, xlsx: `${path}.xlsx?${query}` },
    groupings: GROUP_BY.map((id) => ({ label: ctx.viewer.t(`reports.${reportId}.by.${id}`), href: `${path}?${scopeQuery(scope, { by: id })}`, current: id === by })),
  };
}
