// Status and backlog age: how many tickets are in each status now, how many were in each at the end
// of every day, week or month of the period, and how long the open tickets have waited. Every
// count opens the queue on its tickets: the history's on those in the status at the bucket's end.
import { countOpenByAgeInDays } from '../../store/report-counts.ts';
import { countStatusesAt, countStatusesNow } from '../../store/report-status.ts';
import { STATUSES } from '../../domain/vocabulary.ts';
import { chartWidget, renderChart } from '../kit/chart.ts';
import { kitPage } from '../kit/page.ts';
import { queueHref, scopeFilters, scopeOf, type Scope } from '../kit/scope.ts';
import { partCsv, tableView, type ReportTable } from '../kit/table.ts';
import { defineReport, reportFolder, type ReportCtx } from '../report.ts';

const ID = 'status';
const PATH = `/reports/${ID}`;
const DAY = 86_400_000;

/** The backlog's age groups, in days: [from, to). */
const AGES = [
  { key: 'lt1', from: 0, to: 1 },
  { key: '1to3', from: 1, to: 3 },
  { key: '3to7', from: 3, to: 7 },
  { key: '7to30', from: 7, to: 30 },
  { key: '30to90', from: 30, to: 90 },
  { key: 'ge90', from: 90, to: Infinity },
] as const;

const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);

/** Per bucket of the period, the tickets in each status at its end: the report's table. */
async function statusHistory(ctx: ReportCtx, scope: Scope): Promise<ReportTable> {
  const counts = await countStatusesAt(ctx.db, scope.buckets.map((b) => b.to), scope.tickets);
  return {
    columns: [{ key: 'period', kind: 'text' }, ...STATUSES.map((s) => ({ key: s, kind: 'count' as const }))],
    rows: scope.buckets.map((b, i) => ({
      cells: { period: b.key, ...counts[i] },
      links: Object.fromEntries(STATUSES.map((s) => [s, queueHref(scope, { statusAt: { status: s, at: b.to } })])),
    })),
  };
}

/** The tickets in each status now, each count opening the queue on them. */
async function statusNow(ctx: ReportCtx, scope: Scope): Promise<ReportTable> {
  const counts = await countStatusesNow(ctx.db, scope.tickets);
  const label = (s: string) => ctx.viewer.t(`reports.${ID}.columns.${s}`);
  const n = STATUSES.map((s) => counts[s]);
  return {
    columns: [{ key: 'status', kind: 'text' }, { key: 'tickets', kind: 'count' }],
    rows: STATUSES.map((s, i) => ({ cells: { status: label(s), tickets: n[i] }, links: { tickets: queueHref(scope, { status: [s] }) } })),
    totals: { cells: { status: null, tickets: sum(n) }, links: { tickets: queueHref(scope, {}) } },
  };
}

/**
 * The open tickets by how long ago they were created. An age in [from, to) days is a creation
 * time in (now − to, now − from], which the queue's created filter, [from, to) in ms, reads as
 * [now − to + 1, now − from + 1).
 */
async function backlogAge(ctx: ReportCtx, scope: Scope): Promise<ReportTable> {
  const now = ctx.clock.now();
  const spans = AGES.map((a) => ({ from: a.to === Infinity ? 0 : now - a.to * DAY + 1, to: now - a.from * DAY + 1 }));
  const byAge = await countOpenByAgeInDays(ctx.db, now, scope.tickets);
  const n = AGES.map((a) => [...byAge].reduce((sum, [days, k]) => (days >= a.from && days < a.to ? sum + k : sum), 0));
  return {
    columns: [{ key: 'age', kind: 'text' }, { key: 'tickets', kind: 'count' }],
    rows: AGES.map((a, i) => ({
      cells: { age: ctx.viewer.t(`reports.${ID}.ages.${a.key}`), tickets: n[i] },
      links: { tickets: queueHref(scope, { view: 'open', created: spans[i] }) },
    })),
    totals: { cells: { age: null, tickets: sum(n) }, links: { tickets: queueHref(scope, { view: 'open' }) } },
  };
}

/** A table besides the kit's one: its chart and its view, rendered like the report-table partial. */
function section(ctx: ReportCtx, key: string, table: ReportTable, name: string, csvHref = '') {
  const title = ctx.viewer.t(`reports.${ID}.sections.${key}`);
  const values = table.rows.map((r) => r.cells.tickets as number);
  const chartSpec = { title, horizontal: true, categories: table.rows.map((r) => String(r.cells[name])), series: [{ name: ctx.viewer.t(`reports.${ID}.columns.tickets`), kind: 'bar' as const, values }] };
  return {
    caption: title,
    chartSpec,
    chart: renderChart(chartSpec),
    table: tableView(ID, table, ctx.viewer),
    csv: partCsv(csvHref, key),
  };
}

/** The status history, with the statuses now and the backlog's age as its parts (the page's other tables). */
async function statusTables(ctx: ReportCtx, scope: Scope): Promise<ReportTable> {
  const [history, now, age] = await Promise.all([statusHistory(ctx, scope), statusNow(ctx, scope), backlogAge(ctx, scope)]);
  return { ...history, parts: [{ key: 'now', table: now }, { key: 'age', table: age }] };
}

export const statusReport = defineReport({
  id: ID,
  path: PATH,
  permission: 'report.view',
  folder: reportFolder(import.meta.url),
  filters: scopeFilters,
  table: (ctx, f) => statusTables(ctx, scopeOf(ctx, f)),
  // the whole desk's open tickets by age
  async widget(ctx) {
    const age = await backlogAge(ctx, scopeOf(ctx, {}));
    return chartWidget(section(ctx, 'age', age, 'age').chartSpec, PATH);
  },
  // the open tickets now (the backlog's total), opening the queue on them
  headline: { part: 'age', row: 'totals', column: 'tickets', caption: 'headline' },
  async load(ctx, f) {
    const scope = scopeOf(ctx, f);
    const history = await statusTables(ctx, scope);
    const part = (key: string) => history.parts!.find((p) => p.key === key)!.table;
    const t = (key: string) => ctx.viewer.t(`reports.${ID}.columns.${key}`);
    const page = await kitPage(ctx, PATH, scope, history, {
      categories: history.rows.map((r) => String(r.cells.period)),
      series: STATUSES.map((s) => ({ name: t(s), kind: 'bar' as const, stack: 'status', values: history.rows.map((r) => r.cells[s] as number) })),
    });
    return { ...page, now: section(ctx, 'now', part('now'), 'status', page.downloads.csv), age: section(ctx, 'age', part('age'), 'age', page.downloads.csv) };
  },
});
