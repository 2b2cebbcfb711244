// Incident trends: per month of the period (the last twelve by default, at most 36), which
// components, categories or organisations the tickets (incidents, unless the type filter says
// otherwise) came from, and how much time was logged on them. The ten groups with the most tickets
// get a row each, the rest one row together. Each month's count opens the queue on its tickets.
import { z } from 'zod';
import type { QueueQuery } from '../../domain/queue-query.ts';
import { dateKey, parseDateKey } from '../../domain/zoned-time.ts';
import type { Category, TicketType } from '../../domain/vocabulary.ts';
import { listTrendGroups, TREND_GROUPS, type TrendGroup, type TrendGroupBy, type TrendKey } from '../../store/report-trends.ts';
import { kitPage } from '../kit/page.ts';
import { chartWidget } from '../kit/chart.ts';
import { queueHref, scopeFilters, scopeOf, scopeQuery, type Scope, type ScopeFilters } from '../kit/scope.ts';
import type { ReportColumn, ReportRow, ReportTable } from '../kit/table.ts';
import { defineReport, reportFolder, type ReportCtx } from '../report.ts';

const ID = 'trends';
const PATH = `/reports/${ID}`;
const TOP = 10;
const MONTHS = 12;
const MAX_MONTHS = 36;

const filters = scopeFilters.extend({ by: z.enum(TREND_GROUPS).optional().catch(undefined) });

const t = (ctx: ReportCtx, key: string) => ctx.viewer.t(`reports.${ID}.${key}`);

/**
 * Months: those of the period, at most 36 ending with the month of the period's end; without a
 * start, the last twelve.
 */
function trendScope(ctx: ReportCtx, f: ScopeFilters): Scope {
  const asked = scopeOf(ctx, { ...f, group: 'month' }, 365);
  const end = parseDateKey(asked.period.toKey)!;
  const firstOf = (months: number) => {
    const month = end.y * 12 + end.m - 1 - (months - 1);
    return dateKey({ y: Math.floor(month / 12), m: (month % 12) + 1, d: 1 });
  };
  if (f.from === undefined) return scopeOf(ctx, { ...f, from: firstOf(MONTHS), to: asked.period.toKey, group: 'month' });
  if (asked.period.fromKey >= firstOf(MAX_MONTHS)) return asked;
  return scopeOf(ctx, { ...f, from: firstOf(MAX_MONTHS), to: asked.period.toKey, group: 'month' });
}

/** The tickets counted: the scope's, of its type or else incidents. */
const typeOf = (scope: Scope): TicketType => (scope.filters.type as TicketType | undefined) ?? 'incident';

/** A month's column: m2026-09 (the header is the month's name and year). */
const monthColumn = (bucketKey: string) => `m${bucketKey.slice(0, 7)}`;
const monthHeading = (ctx: ReportCtx, bucketKey: string) => `${t(ctx, `columns.m${bucketKey.slice(5, 7)}`)} ${bucketKey.slice(0, 4)}`;

/** The queue on the group's tickets created in a span; none for the tickets without a category (the queue has no such filter). */
function groupHref(scope: Scope, by: TrendGroupBy, key: TrendKey, span: { from: number; to: number }): string | null {
  const patch: Partial<QueueQuery> = { created: span, type: [typeOf(scope)] };
  const id = key === null ? ('none' as const) : Number(key);
  if (by === 'component') patch.component = [id];
  else if (by === 'organization') patch.organization = id;
  else if (key === null) return null;
  else patch.category = [key as Category];
  return queueHref(scope, patch);
}

type Line = { name: string; key: TrendKey | undefined; perSpan: number[]; minutes: number };

const total = (xs: number[]) => xs.reduce((a, x) => a + x, 0);

/** The groups by tickets (then time, then name); past the tenth, one line "Other" (key undefined: no links). */
function linesOf(ctx: ReportCtx, by: TrendGroupBy, groups: TrendGroup[], spans: number): Line[] {
  const name = (g: TrendGroup) => (g.key === null ? t(ctx, `none.${by}`) : by === 'category' ? ctx.viewer.t(`category.${String(g.key)}`) : (g.name ?? String(g.key)));
  const collator = new Intl.Collator(ctx.viewer.locale);
  const lines = groups
    .map((g): Line => ({ name: name(g), key: g.key, perSpan: g.perSpan, minutes: g.minutes }))
    .sort((a, b) => total(b.perSpan) - total(a.perSpan) || b.minutes - a.minutes || collator.compare(a.name, b.name));
  const rest = lines.slice(TOP);
  if (rest.length === 0) return lines;
  const other: Line = { name: t(ctx, 'other'), key: undefined, perSpan: Array.from({ length: spans }, (_, i) => total(rest.map((l) => l.perSpan[i]))), minutes: total(rest.map((l) => l.minutes)) };
  return [...lines.slice(0, TOP), other];
}

function lineRow(scope: Scope, by: TrendGroupBy, line: Line): ReportRow {
  const { buckets } = scope;
  const whole = { from: buckets[0].from, to: buckets[buckets.length - 1].to };
  const cells: ReportRow['cells'] = { [by]: line.name };
  const links: Record<string, string> = {};
  const link = (col: string, span: { from: number; to: number }) => {
    const href = line.key === undefined ? null : groupHref(scope, by, line.key, span);
    if (href) links[col] = href;
  };
  buckets.forEach((b, i) => {
    cells[monthColumn(b.key)] = line.perSpan[i];
    link(monthColumn(b.key), b);
  });
  cells.tickets = total(line.perSpan);
  link('tickets', whole);
  cells.minutes = line.minutes;
  return { cells, links };
}

function totalsRow(scope: Scope, by: TrendGroupBy, lines: Line[]): ReportRow {
  const { buckets } = scope;
  const href = (span: { from: number; to: number }) => queueHref(scope, { created: span, type: [typeOf(scope)] });
  const cells: ReportRow['cells'] = { [by]: null };
  const links: Record<string, string> = {};
  buckets.forEach((b, i) => {
    cells[monthColumn(b.key)] = total(lines.map((l) => l.perSpan[i]));
    links[monthColumn(b.key)] = href(b);
  });
  cells.tickets = total(lines.map((l) => total(l.perSpan)));
  links.tickets = href({ from: buckets[0].from, to: buckets[buckets.length - 1].to });
  cells.minutes = total(lines.map((l) => l.minutes));
  return { cells, links };
}

async function trendsTable(ctx: ReportCtx, scope: Scope, by: TrendGroupBy): Promise<ReportTable> {
  const groups = await listTrendGroups(ctx.db, by, scope.buckets, { ...scope.tickets, types: [typeOf(scope)] });
  const lines = linesOf(ctx, by, groups, scope.buckets.length);
  const columns: ReportColumn[] = [
    { key: by, kind: 'text' },
    ...scope.buckets.map((b) => ({ key: monthColumn(b.key), kind: 'count' as const, heading: monthHeading(ctx, b.key) })),
    { key: 'tickets', kind: 'count' },
    { key: 'minutes', kind: 'minutes' },
  ];
  return { columns, rows: lines.map((l) => lineRow(scope, by, l)), totals: totalsRow(scope, by, lines) };
}

function chartOf(scope: Scope, by: TrendGroupBy, table: ReportTable) {
  return {
    categories: scope.buckets.map((b) => b.key),
    series: table.rows.map((r) => ({ name: String(r.cells[by]), kind: 'line' as const, values: scope.buckets.map((b) => r.cells[monthColumn(b.key)] as number) })),
  };
}

export const trendsReport = defineReport({
  id: ID,
  path: PATH,
  permission: 'report.view',
  folder: reportFolder(import.meta.url),
  filters,
  table: (ctx, f) => trendsTable(ctx, trendScope(ctx, f), f.by ?? 'component'),
  // the incidents of the twelve months, opening the queue on them
  headline: { row: 'totals', column: 'tickets', caption: 'headline' },
  async load(ctx, f) {
    const scope = trendScope(ctx, f);
    const by = f.by ?? 'component';
    const table = await trendsTable(ctx, scope, by);
    const page = await kitPage(ctx, PATH, scope, table, chartOf(scope, by, table), { grouping: false, hidden: { by } });
    // the downloads and the grouping links keep the grouping (the filter form does too)
    const query = scopeQuery(scope, { by });
    return {
      ...page,
      downloads: { csv: `${PATH}.csv?${query}`, xlsx: `${PATH}.xlsx?${query}` },
      groupings: TREND_GROUPS.map((id) => ({ label: t(ctx, `by.${id}`), href: `${PATH}?${scopeQuery(scope, { by: id })}`, current: id === by })),
    };
  },
  // the last twelve months per component
  async widget(ctx) {
    const scope = trendScope(ctx, {});
    const table = await trendsTable(ctx, scope, 'component');
    return chartWidget(table.rows.length ? { ...chartOf(scope, 'component', table), title: ctx.viewer.t(`reports.${ID}.title`) } : null, PATH);
  },
});
