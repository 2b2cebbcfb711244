// Response and resolution times: of the tickets created in the period, how long the first answer
// and the resolution took in business time — by the calendar of the ticket's SLA policy (the
// desk's default policy for a ticket without a clock; wall-clock time when there is no calendar),
// measured as the SLA clock measures it — with count, median, 90th percentile and mean per
// priority, organisation, component or assignee, and a histogram of both. Each group's ticket
// count, and its counts of first answers and resolutions, open their tickets; the queue cannot list
// tickets by how long they took, so the times and the histogram do not.
import type { QueueQuery } from '../../domain/queue-query.ts';
import { eachTicketCreatedIn } from '../../store/report-sla.ts';
import { businessMinutes, eachTicketTimes, keptTimesUsable, loadTimesCalendars } from '../../store/ticket-times.ts';
import { kitPage } from '../kit/page.ts';
import { chartWidget } from '../kit/chart.ts';
import { scopeOf, type Scope } from '../kit/scope.ts';
import { partCsv, tableView, type ReportColumn, type ReportRow, type ReportTable } from '../kit/table.ts';
import { defineReport, reportFolder, type ReportCtx } from '../report.ts';
import { createdHref, GROUP_KEY, groupColumn, groupedFilters, groupingLinks, groupNames, orderGroups, type GroupBy } from '../sla/ticket-groups.ts';

const ID = 'response-times';
const PATH = `/reports/${ID}`;

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
  return sortedStats(Float64Array.from(values.filter((v): v is number => v !== null)).sort());
}

/** Count, median, 90th percentile and mean of minutes sorted ascending. */
function sortedStats(xs: Float64Array | Int32Array): Stats {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i];
  const mean = xs.length ? Math.round(sum / xs.length) : null;
  return { count: xs.length, median: percentile(xs, 50), p90: percentile(xs, 90), mean };
}

/**
 * Whole minutes, growing as they come: a year of a large desk is half a million of them, which a
 * typed array holds without a value apiece for the collector and sorts natively.
 */
type MinuteList = { add(v: number): void; sorted(): Int32Array };

function minuteList(): MinuteList {
  let buf = new Int32Array(16);
  let n = 0;
  return {
    add(v) {
      if (n === buf.length) {
        const grown = new Int32Array(n * 2);
        grown.set(buf);
        buf = grown;
      }
      buf[n++] = v;
    },
    sorted: () => buf.subarray(0, n).sort(),
  };
}

/** A group's times in whole business minutes, sorted: first answers and resolutions, and its tickets. */
type Times = { tickets: number; firstResponse: Int32Array; resolution: Int32Array };

/** All the groups' times together. */
function allTimes(groups: Iterable<Times>): Times {
  const list = [...groups];
  const joined = (pick: (t: Times) => Int32Array) => {
    const out = new Int32Array(list.reduce((n, t) => n + pick(t).length, 0));
    let at = 0;
    for (const t of list) {
      out.set(pick(t), at);
      at += pick(t).length;
    }
    return out.sort();
  };
  return { tickets: list.reduce((n, t) => n + t.tickets, 0), firstResponse: joined((t) => t.firstResponse), resolution: joined((t) => t.resolution) };
}

/**
 * Each group's times, and all of them: those the tickets keep (store/ticket-times.ts), and those
 * of the tickets not measured yet measured here by their calendars, a page at a time; only the
 * minutes are kept (a year of a large desk is half a million tickets).
 */
async function measure(ctx: ReportCtx, scope: Scope, by: GroupBy): Promise<{ groups: Map<string | number | null, Times>; all: Times }> {
  const cals = await loadTimesCalendars(ctx.db, ctx.calendars);
  const key = GROUP_KEY[by];
  type Taking = { tickets: number; firstResponse: MinuteList; resolution: MinuteList };
  const taking = new Map<string | number | null, Taking>();
  const add = (k: string | number | null, fr: number | null, res: number | null) => {
    let g = taking.get(k);
    if (!g) taking.set(k, (g = { tickets: 0, firstResponse: minuteList(), resolution: minuteList() }));
    g.tickets++;
    if (fr !== null) g.firstResponse.add(fr);
    if (res !== null) g.resolution.add(res);
  };
  if (await keptTimesUsable(ctx.db, cals)) {
    await eachTicketTimes(ctx.db, scope.period, scope.tickets, key, cals, add);
  } else {
    // the kept times are of other calendars (or being forgotten): every ticket measured here
    await eachTicketCreatedIn(ctx.db, scope.period, scope.tickets, { clock: false }, (page) => {
      for (const t of page) {
        const cal = cals.calendarOf(t.policyId);
        const minutes = (to: number | null) => (to === null ? null : businessMinutes(cal, t.createdAt, to));
        add(t[key], minutes(t.firstRespondedAt), minutes(t.doneAt));
      }
    });
  }
  const groups = new Map([...taking].map(([k, g]) => [k, { tickets: g.tickets, firstResponse: g.firstResponse.sorted(), resolution: g.resolution.sorted() }]));
  return { groups, all: allTimes(groups.values()) };
}

const KEYS = ['Count', 'Median', 'P90', 'Mean'] as const;

function statsCells(by: GroupBy, name: string | null, times: Times): ReportRow['cells'] {
  const fr = sortedStats(times.firstResponse);
  const res = sortedStats(times.resolution);
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

/** A row's links: its tickets, those answered (the first responses counted) and those resolved or closed (the resolutions). */
function countLinks(href: (more?: Partial<QueueQuery>) => string | null): Record<string, string> {
  return { tickets: href()!, frCount: href({ flags: ['answered'] })!, resCount: href({ flags: ['finished'] })! };
}

/** The report's table, and all the times (for the histogram). */
async function timesTable(ctx: ReportCtx, scope: Scope, by: GroupBy): Promise<{ table: ReportTable; times: Times }> {
  const { groups, all } = await measure(ctx, scope, by);
  const nameOf = await groupNames(ctx, by, [...groups.keys()]);
  const rows = orderGroups(ctx, ID, scope, by, [...groups.keys()], nameOf).map((g) => ({
    cells: statsCells(by, g.name, groups.get(g.key)!),
    links: countLinks(g.href),
  }));
  const table = { columns: COLUMNS(by), rows, totals: { cells: statsCells(by, null, all), links: countLinks((more) => createdHref(scope, more)) } };
  return { table, times: all };
}

/** How many of the sorted minutes are below `limit`. */
function below(sorted: Int32Array, limit: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many first answers and resolutions took each range of business time (of minutes sorted ascending). */
export function histogram(times: Pick<Times, 'firstResponse' | 'resolution'>): ReportTable {
  const count = (sorted: Int32Array, b: (typeof BUCKETS)[number]) => below(sorted, b.to) - below(sorted, b.from);
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
  // the histogram is the table's part: a sheet of the XLSX, a CSV of its own, `parts` in the API
  table: async (ctx, f) => {
    const { table, times } = await timesTable(ctx, scopeOf(ctx, f), f.by ?? 'priority');
    return { ...table, parts: [{ key: 'histogram', table: histogram(times) }] };
  },
  async load(ctx, f) {
    const scope = scopeOf(ctx, f);
    const by = f.by ?? 'priority';
    const { table, times } = await timesTable(ctx, scope, by);
    const h = histogram(times);
    const page = await kitPage(ctx, PATH, scope, table, histogramChart(ctx, h), { grouping: false, hidden: { by } });
    return { ...page, ...groupingLinks(ctx, ID, scope, by), histogram: { caption: ctx.viewer.t(`reports.${ID}.histogram`), table: tableView(ID, h, ctx.viewer), csv: partCsv(page.downloads.csv, 'histogram') } };
  },
  // the last 30 days' first responses and resolutions, by how long they took
  async widget(ctx) {
    const { times } = await timesTable(ctx, scopeOf(ctx, {}), 'priority');
    const h = histogram(times);
    const any = h.rows.some((r) => Number(r.cells.frCount) > 0 || Number(r.cells.resCount) > 0);
    return chartWidget(any ? { ...histogramChart(ctx, h), title: ctx.viewer.t(`reports.${ID}.title`) } : null, PATH);
  },
});
