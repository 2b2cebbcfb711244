// Response and resolution times: of the tickets created in the period, how long the first answer
// and the resolution took in business time — by the calendar of the ticket's SLA policy (the
// desk's default policy for a ticket without a clock; wall-clock time when there is no calendar),
// measured as the SLA clock measures it — with count, median, 90th percentile and mean per
// priority, organisation, component or assignee, and a histogram of both. Each group's ticket
// count opens its tickets; the queue cannot list tickets by how long they took, so nothing else does.
import type { CompiledCalendar } from '../../domain/business-calendar.ts';
import { businessTimeBetween } from '../../domain/business-calendar.ts';
import { eachTicketCreatedIn, type MeasuredTicket } from '../../store/report-sla.ts';
import { loadCompiledCalendar } from '../../store/sla-config.ts';
import { listSlaPolicies } from '../../store/sla-policies.ts';
import { findDefaultSlaPolicyId } from '../../store/workflow-settings.ts';
import { kitPage } from '../kit/page.ts';
import { scopeOf, type Scope } from '../kit/scope.ts';
import { tableView, type ReportColumn, type ReportRow, type ReportTable } from '../kit/table.ts';
import { defineReport, reportFolder, type ReportCtx } from '../report.ts';
import { createdHref, GROUP_KEY, groupColumn, groupedFilters, groupingLinks, groupNames, orderGroups, type GroupBy } from '../sla/ticket-groups.ts';

const ID = 'response-times';
const PATH = `/reports/${ID}`;
const MINUTE = 60_000;

/** The histogram's ranges of business minutes, [from, to); a business day counts as 8 hours. */
export const BUCKETS = [
  { key: 'lt1h', from: 0, to: 60 },
  { key: '1to4h', from: 60, to: 240 },
  { key: '4to8h', from: 240, to: 480 },
  { key: '1to2d', from: 480, to: 960 },
  { key: '2to5d', from: 960, to: 2400 },
  { key: 'ge5d', from: 2400, to: Infinity },
] as const;

type Stats = { count: number; median: number | null; p90: number | null; mean: number | null };

/** The nearest-rank percentile: the time of the ticket below or at which `p` % of them lie. */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function statsOf(values: readonly (number | null)[]): Stats {
  // a typed array sorts numbers natively, several times faster than a comparator over a year's tickets
  const xs = Float64Array.from(values.filter((v): v is number => v !== null)).sort();
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = xs.length ? Math.round(sum / xs.length) : null;
  return { count: xs.length, median: percentile(xs, 50), p90: percentile(xs, 90), mean };
}

/** Each ticket's calendar: its clock's policy's, else the default policy's, else none (wall-clock time). */
async function calendarsOf(ctx: ReportCtx): Promise<(t: MeasuredTicket) => CompiledCalendar> {
  const policies = new Map((await listSlaPolicies(ctx.db)).map((p) => [p.id, p]));
  const fallback = policies.get((await findDefaultSlaPolicyId(ctx.db)) ?? 0)?.calendarId ?? null;
  // the few calendars compiled up front: a year's tickets are then measured without an await apiece
  const compiled = new Map<number | null, CompiledCalendar>();
  for (const id of new Set([fallback, ...[...policies.values()].map((p) => p.calendarId)])) {
    compiled.set(id, await loadCompiledCalendar(ctx.db, ctx.calendars, id));
  }
  return (t) => {
    const policy = t.policyId !== null ? policies.get(t.policyId) : undefined;
    return compiled.get(policy ? policy.calendarId : fallback)!;
  };
}

/** A group's times in whole business minutes: first answers and resolutions, of its tickets so far. */
type Times = { tickets: number; firstResponse: number[]; resolution: number[] };

const noTimes = (): Times => ({ tickets: 0, firstResponse: [], resolution: [] });

/**
 * Each group's times, and all of them, measured a page of tickets at a time: only the minutes are
 * kept (a year of a large desk is half a million tickets).
 */
async function measure(ctx: ReportCtx, scope: Scope, by: GroupBy): Promise<{ groups: Map<string | number | null, Times>; all: Times }> {
  const calendarOf = await calendarsOf(ctx);
  const key = GROUP_KEY[by];
  const groups = new Map<string | number | null, Times>();
  const all = noTimes();
  await eachTicketCreatedIn(ctx.db, scope.period, scope.tickets, { clock: false }, (page) => {
    for (const t of page) {
      let g = groups.get(t[key]);
      if (!g) groups.set(t[key], (g = noTimes()));
      const cal = calendarOf(t);
      g.tickets++;
      all.tickets++;
      for (const [to, into] of [[t.firstRespondedAt, 'firstResponse'], [t.doneAt, 'resolution']] as const) {
        if (to === null) continue;
        const minutes = Math.round(businessTimeBetween(cal, t.createdAt, to) / MINUTE);
        g[into].push(minutes);
        all[into].push(minutes);
      }
    }
  });
  return { groups, all };
}

const KEYS = ['Count', 'Median', 'P90', 'Mean'] as const;

function statsCells(by: GroupBy, name: string | null, times: Times): ReportRow['cells'] {
  const fr = statsOf(times.firstResponse);
  const res = statsOf(times.resolution);
  return {
    [by]: name, tickets: times.tickets,
    frCount: fr.count, frMedian: fr.median, frP90: fr.p90, frMean: fr.mean,
    resCount: res.count, resMedian: res.median, resP90: res.p90, resMean: res.mean,
  };
}

const COLUMNS = (by: GroupBy): ReportColumn[] => [
  groupColumn(by),
  { key: 'tickets', kind: 'count' },
  ...(['fr', 'res'] as const).flatMap((p) => KEYS.map((k) => ({ key: `${p}${k}`, kind: k === 'Count' ? ('count' as const) : ('minutes' as const) }))),
];

/** The report's table, and all the times (for the histogram). */
async function timesTable(ctx: ReportCtx, scope: Scope, by: GroupBy): Promise<{ table: ReportTable; times: Times }> {
  const { groups, all } = await measure(ctx, scope, by);
  const nameOf = await groupNames(ctx, by, [...groups.keys()]);
  const rows = orderGroups(ctx, ID, scope, by, [...groups.keys()], nameOf).map((g) => ({
    cells: statsCells(by, g.name, groups.get(g.key)!),
    ...(g.href ? { links: { tickets: g.href } } : {}),
  }));
  const table = { columns: COLUMNS(by), rows, totals: { cells: statsCells(by, null, all), links: { tickets: createdHref(scope) } } };
  return { table, times: all };
}

/** How many first answers and resolutions took each range of business time. */
export function histogram(times: Pick<Times, 'firstResponse' | 'resolution'>): ReportTable {
  const count = (values: number[], b: (typeof BUCKETS)[number]) => values.reduce((n, v) => (v >= b.from && v < b.to ? n + 1 : n), 0);
  return {
    columns: [{ key: 'range', kind: 'text', labels: `reports.${ID}.ranges` }, { key: 'frCount', kind: 'count' }, { key: 'resCount', kind: 'count' }],
    rows: BUCKETS.map((b) => ({ cells: { range: b.key, frCount: count(times.firstResponse, b), resCount: count(times.resolution, b) } })),
  };
}

function histogramChart(ctx: ReportCtx, h: ReportTable) {
  const t = (key: string) => ctx.viewer.t(`reports.${ID}.${key}`);
  return {
    categories: h.rows.map((r) => t(`ranges.${String(r.cells.range)}`)),
    series: (['frCount', 'resCount'] as const).map((k) => ({ name: t(`columns.${k}`), kind: 'bar' as const, values: h.rows.map((r) => r.cells[k] as number) })),
  };
}

export const responseTimesReport = defineReport({
  id: ID,
  path: PATH,
  permission: 'report.view',
  folder: reportFolder(import.meta.url),
  filters: groupedFilters,
  table: async (ctx, f) => (await timesTable(ctx, scopeOf(ctx, f), f.by ?? 'priority')).table,
  async load(ctx, f) {
    const scope = scopeOf(ctx, f);
    const by = f.by ?? 'priority';
    const { table, times } = await timesTable(ctx, scope, by);
    const h = histogram(times);
    const page = await kitPage(ctx, PATH, scope, table, histogramChart(ctx, h), { grouping: false, hidden: { by } });
    return { ...page, ...groupingLinks(ctx, ID, scope, by), histogram: { caption: ctx.viewer.t(`reports.${ID}.histogram`), table: tableView(ID, h, ctx.viewer) } };
  },
});
