// Created vs resolved: per day, week or month of the period, how many tickets came in, how many
// were resolved or closed, and the backlog (tickets still open) at the end of each. Every number
// opens the queue on its tickets.
import { countCreatedDone } from '../../store/report-counts.ts';
import { chartWidget } from '../kit/chart.ts';
import { kitPage } from '../kit/page.ts';
import { queueHref, scopeFilters, scopeOf, type Scope } from '../kit/scope.ts';
import type { ReportTable } from '../kit/table.ts';
import { defineReport, reportFolder, type ReportCtx } from '../report.ts';

const PATH = '/reports/created-resolved';

async function createdResolved(ctx: ReportCtx, scope: Scope): Promise<ReportTable> {
  const { buckets, tickets } = scope;
  const { created, done, openAt: openAtStart } = await countCreatedDone(ctx.db, buckets, tickets, scope.period.from);
  // a ticket is done after it was created, so the backlog moves by what came in less what was done
  let backlog = openAtStart;
  const rows = buckets.map((b, i) => {
    backlog += created[i] - done[i];
    return {
      cells: { period: b.key, created: created[i], resolved: done[i], backlog },
      links: {
        created: queueHref(scope, { created: { from: b.from, to: b.to } }),
        resolved: queueHref(scope, { done: { from: b.from, to: b.to } }),
        backlog: queueHref(scope, { openAt: b.to }),
      },
    };
  });
  const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);
  const { from, to } = scope.period;
  return {
    columns: [{ key: 'period', kind: 'text' }, { key: 'created', kind: 'count' }, { key: 'resolved', kind: 'count' }, { key: 'backlog', kind: 'count' }],
    rows,
    totals: {
      cells: { period: null, created: sum(created), resolved: sum(done), backlog },
      links: { created: queueHref(scope, { created: { from, to } }), resolved: queueHref(scope, { done: { from, to } }), backlog: queueHref(scope, { openAt: to }) },
    },
  };
}

function chartOf(ctx: ReportCtx, table: ReportTable) {
  const col = (key: string) => table.rows.map((r) => r.cells[key] as number);
  const t = (key: string) => ctx.viewer.t(`reports.created-resolved.columns.${key}`);
  return {
    categories: col('period').map(String),
    series: [
      { name: t('created'), kind: 'bar' as const, values: col('created') },
      { name: t('resolved'), kind: 'bar' as const, values: col('resolved') },
      { name: t('backlog'), kind: 'line' as const, values: col('backlog') },
    ],
  };
}

export const createdResolvedReport = defineReport({
  id: 'created-resolved',
  path: PATH,
  permission: 'report.view',
  folder: reportFolder(import.meta.url),
  filters: scopeFilters,
  table: (ctx, f) => createdResolved(ctx, scopeOf(ctx, f)),
  async load(ctx, f) {
    const scope = scopeOf(ctx, f);
    const table = await createdResolved(ctx, scope);
    return kitPage(ctx, PATH, scope, table, chartOf(ctx, table));
  },
  // the last 30 days of the whole desk
  async widget(ctx) {
    const table = await createdResolved(ctx, scopeOf(ctx, {}));
    return chartWidget({ ...chartOf(ctx, table), title: ctx.viewer.t('reports.created-resolved.title') }, PATH);
  },
});
