// What most reports are filtered by: a period (with its grouping) and the tickets' organisation,
// component, agent, type, channel and priority, read from the query string. The same scope is the
// store's queue filter (so a report counts exactly what the queue would list) and the query of the
// drill-down links, which open the queue on the tickets behind a number.
import { z } from 'zod';
import { parseQueueQuery, queueQueryString, type QueueFilter, type QueueQuery } from '../../domain/queue-query.ts';
import { bucketsOf, GROUPINGS, periodOf, type Bucket, type Period } from '../../domain/report-period.ts';
import { CHANNELS, PRIORITIES, TICKET_TYPES, type Channel, type Priority, type TicketType } from '../../domain/vocabulary.ts';
import { listComponents } from '../../store/components.ts';
import { listOrganizationOptions } from '../../store/organization-names.ts';
import { listUserOptions } from '../../store/users.ts';
import type { ReportCtx } from '../report.ts';

// a filter that does not parse is dropped, so a hand-edited link still shows a report
const id = z.string().regex(/^\d{1,9}$/).transform(Number).optional().catch(undefined);
const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values).optional().catch(undefined);

export const scopeFilters = z.object({
  from: z.string().optional().catch(undefined),
  to: z.string().optional().catch(undefined),
  group: oneOf(GROUPINGS),
  org: id,
  component: id,
  agent: id,
  type: oneOf(TICKET_TYPES),
  channel: oneOf(CHANNELS),
  priority: oneOf(PRIORITIES),
});
export type ScopeFilters = z.infer<typeof scopeFilters>;

export type Scope = {
  period: Period;
  buckets: Bucket[];
  /** the tickets the report counts, as the queue filters them */
  tickets: QueueFilter;
  filters: ScopeFilters;
};

export function scopeOf(ctx: ReportCtx, f: ScopeFilters, defaultDays = 30): Scope {
  const period = periodOf({ from: f.from, to: f.to, group: f.group }, ctx.clock.now(), ctx.config.timeZone, defaultDays);
  const tickets: QueueFilter = {};
  if (f.org !== undefined) tickets.organizationId = f.org;
  if (f.component !== undefined) tickets.componentIds = [f.component];
  if (f.agent !== undefined) tickets.assigneeId = f.agent;
  if (f.type) tickets.types = [f.type as TicketType];
  if (f.channel) tickets.channels = [f.channel as Channel];
  if (f.priority) tickets.priorities = [f.priority as Priority];
  return { period, buckets: bucketsOf(period, ctx.config.timeZone), tickets, filters: f };
}

/** The queue (every view) on the scope's tickets, narrowed further by `patch`. */
export function queueHref(scope: Scope, patch: Partial<QueueQuery>): string {
  const f = scope.filters;
  const q = parseQueueQuery({ view: 'all' });
  return `/tickets?${queueQueryString(q, {
    organization: f.org ?? null,
    component: f.component !== undefined ? [f.component] : [],
    assignee: f.agent ?? null,
    type: f.type ? [f.type as TicketType] : [],
    channel: f.channel ? [f.channel as Channel] : [],
    priority: f.priority ? [f.priority as Priority] : [],
    ...patch,
  })}`;
}

/** The query string that keeps the scope's filters (for links between reports and to exports). */
export function scopeQuery(scope: Scope, patch: Record<string, string | undefined> = {}): string {
  const f = scope.filters;
  const p = new URLSearchParams({ from: scope.period.fromKey, to: scope.period.toKey, group: scope.period.group });
  for (const [k, v] of Object.entries({ org: f.org, component: f.component, agent: f.agent, type: f.type, channel: f.channel, priority: f.priority, ...patch })) {
    if (v !== undefined && String(v) !== '') p.set(k, String(v));
    else p.delete(k);
  }
  return p.toString();
}

/** The choices of the filter form, the current ones selected. */
export async function scopeForm(ctx: ReportCtx, scope: Scope) {
  const f = scope.filters;
  const pick = <T extends string | number>(values: readonly T[], current: T | undefined) => values.map((v) => ({ id: v, selected: v === current }));
  return {
    from: scope.period.fromKey,
    to: scope.period.toKey,
    groups: pick(GROUPINGS, scope.period.group),
    organizations: (await listOrganizationOptions(ctx.db)).map((o) => ({ ...o, selected: o.id === f.org })),
    components: (await listComponents(ctx.db)).map((c) => ({ id: c.id, name: c.name, selected: c.id === f.component })),
    agents: (await listUserOptions(ctx.db)).map((u) => ({ id: u.id, name: u.name, selected: u.id === f.agent })),
    types: pick(TICKET_TYPES, f.type),
    channels: pick(CHANNELS, f.channel),
    priorities: pick(PRIORITIES, f.priority),
  };
}
