// Time: the minutes logged in a period, billable and not, per agent who logged them, per
// organisation, component or type of the ticket, or per day, week or month; with the tickets worked
// on and, for those that have an estimate, the estimate against all the time ever logged on them.
// Each group's ticket count (and the total) opens the queue on the tickets worked on in the
// period, by the group's agent or of its organisation, component or type.
import { z } from 'zod';
import { TICKET_TYPES } from '../../domain/vocabulary.ts';
import { NO_TIME, sumTimeWithTotal, type TimeFilter, type TimeGroup, type TimeSums } from '../../store/report-time.ts';
import { kitPage } from '../kit/page.ts';
import { chartWidget } from '../kit/chart.ts';
import { queueHref, scopeFilters, scopeOf, scopeQuery, type Scope } from '../kit/scope.ts';
import type { QueueQuery } from '../../domain/queue-query.ts';
import type { TicketType } from '../../domain/vocabulary.ts';
import type { ReportColumn, ReportRow, ReportTable } from '../kit/table.ts';
import { defineReport, reportFolder, type ReportCtx } from '../report.ts';

const PATH = '/reports/time';
const GROUP_BY = ['agent', 'organization', 'component', 'type', 'period'] as const;
type GroupBy = (typeof GROUP_BY)[number];

const filters = scopeFilters.extend({ by: z.enum(GROUP_BY).optional().catch(undefined) });

const t = (ctx: ReportCtx, key: string) => ctx.viewer.t(`reports.time.${key}`);

/** The worklogs the scope counts: its agent is who logged the time, not who the ticket is assigned to. */
function worklogFilter(scope: Scope, by: GroupBy): TimeFilter {
  const tickets = { ...scope.tickets };
  delete tickets.assigneeId;
  // per period, the buckets drawn (a very long period keeps only its last ones) are what is counted
  const { from, to } = by === 'period' ? { from: scope.buckets[0].from, to: scope.buckets[scope.buckets.length - 1].to } : scope.period;
  return { from, to, tickets, workedBy: scope.filters.agent };
}

async function timeTable(ctx: ReportCtx, scope: Scope, by: GroupBy): Promise<ReportTable> {
  const f = worklogFilter(scope, by);
  const { groups, total } = await sumTimeWithTotal(ctx.db, f, by === 'period' ? { by: 'span', spans: scope.buckets } : { by });
  const rows = by === 'period' ? periodRows(scope, groups) : namedRows(ctx, scope, by, groups);
  const columns: ReportColumn[] = [
    // ticket types stay ids in the data (the API's) and read as the console names them
    { key: by, kind: 'text', ...(by === 'type' ? { labels: 'type' } : {}) },
    ...(['minutes', 'billable', 'nonBillable'] as const).map((key) => ({ key, kind: 'minutes' as const })),
    { key: 'tickets', kind: 'count' },
    { key: 'estimated', kind: 'minutes' },
    { key: 'spentOnEstimated', kind: 'minutes' },
  ];
  // the totals count each ticket once, also when several agents or days worked on it
  return { columns, rows, totals: { ...sumsRow(by, null, total), links: workedLinks(workedHref(scope, {})) } };
}

/** The queue on the scope's tickets worked on in the period (by the scope's agent, when one is chosen). */
function workedHref(scope: Scope, patch: Partial<QueueQuery>): string {
  const { from, to } = scope.period;
  return queueHref(scope, { assignee: null, worked: { from, to }, workedBy: scope.filters.agent ?? null, ...patch });
}

/**
 * A row's links: its tickets worked on, from their count and from the time logged on them. Billable
 * and other time are parts of single entries, which the queue does not tell apart: no links.
 */
const workedLinks = (href: string): Record<string, string> => ({ tickets: href, minutes: href });

/** The queue on a group's tickets (key null or 0: the tickets without an organisation or component). */
function groupHref(scope: Scope, by: Exclude<GroupBy, 'period'>, key: TimeGroup['key']): string | null {
  const id = key === null || key === 0 ? ('none' as const) : Number(key);
  if (by === 'agent') return id === 'none' ? null : workedHref(scope, { workedBy: id });
  if (by === 'organization') return workedHref(scope, { organization: id });
  if (by === 'component') return workedHref(scope, { component: [id] });
  return workedHref(scope, { type: [key as TicketType] });
}

function sumsRow(by: GroupBy, name: string | null, s: TimeSums): ReportRow {
  return {
    cells: {
      [by]: name, minutes: s.minutes, billable: s.billable, nonBillable: s.minutes - s.billable,
      tickets: s.tickets, estimated: s.estimated, spentOnEstimated: s.spentOnEstimated,
    },
  };
}

/** Every bucket of the period, in order, the empty ones too (the chart is a time line). */
function periodRows(scope: Scope, groups: TimeGroup[]): ReportRow[] {
  const byIndex = new Map(groups.map((g) => [g.key, g]));
  return scope.buckets.map((b, i) => ({ ...sumsRow('period', b.key, byIndex.get(i) ?? NO_TIME), links: workedLinks(workedHref(scope, { worked: { from: b.from, to: b.to } })) }));
}

/** The groups that have time, by name (types in their usual order), the group of "none" last. */
function namedRows(ctx: ReportCtx, scope: Scope, by: Exclude<GroupBy, 'period'>, groups: TimeGroup[]): ReportRow[] {
  const name = (g: TimeGroup) => (by === 'type' ? String(g.key) : g.key === null ? t(ctx, `none.${by}`) : (g.name ?? t(ctx, `none.${by}`)));
  const rank = (g: TimeGroup) => (by === 'type' ? TICKET_TYPES.indexOf(g.key as (typeof TICKET_TYPES)[number]) : g.key === null ? 1 : 0);
  const collator = new Intl.Collator(ctx.viewer.locale);
  return groups
    .map((g) => ({ g, name: name(g), rank: rank(g) }))
    .sort((a, b) => a.rank - b.rank || collator.compare(a.name, b.name))
    .map(({ g, name }) => {
      const href = groupHref(scope, by, g.key);
      return { ...sumsRow(by, name, g), ...(href ? { links: workedLinks(href) } : {}) };
    });
}

/** Billable and other hours per group, stacked. */
function hoursChart(ctx: ReportCtx, table: ReportTable, by: GroupBy) {
  const hours = (key: string) => table.rows.map((r) => Math.round(((r.cells[key] as number) / 60) * 10) / 10);
  const inHours = (key: string) => `${t(ctx, `columns.${key}`)}, ${ctx.viewer.t('reportKit.hoursUnit')}`;
  return {
    categories: table.rows.map((r) => String(r.cells[by])),
    series: [
      { name: inHours('billable'), kind: 'bar' as const, stack: 'time', values: hours('billable') },
      { name: inHours('nonBillable'), kind: 'bar' as const, stack: 'time', values: hours('nonBillable') },
    ],
    horizontal: by !== 'period',
  };
}

export const timeReport = defineReport({
  id: 'time',
  path: PATH,
  permission: 'report.view',
  folder: reportFolder(import.meta.url),
  filters,
  table: (ctx, f) => timeTable(ctx, scopeOf(ctx, f), f.by ?? 'agent'),
  async load(ctx, f) {
    const scope = scopeOf(ctx, f);
    const by = f.by ?? 'agent';
    const table = await timeTable(ctx, scope, by);
    const page = await kitPage(ctx, PATH, scope, table, hoursChart(ctx, table, by), { grouping: by === 'period', hidden: { by } });
    // the downloads and the grouping links keep the grouping (the filter form does too)
    const query = scopeQuery(scope, { by });
    return {
      ...page,
      downloads: { csv: `${PATH}.csv?${query}`, xlsx: `${PATH}.xlsx?${query}` },
      groupings: GROUP_BY.map((id) => ({ label: t(ctx, `by.${id}`), href: `${PATH}?${scopeQuery(scope, { by: id })}`, current: id === by })),
    };
  },
  // the last 30 days' hours per agent
  async widget(ctx) {
    const table = await timeTable(ctx, scopeOf(ctx, {}), 'agent');
    return chartWidget(table.rows.length ? { ...hoursChart(ctx, table, 'agent'), title: t(ctx, 'title') } : null, PATH);
  },
});
