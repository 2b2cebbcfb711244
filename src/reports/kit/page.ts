// What a report page built on the kit shows besides its own parts: the filter form, the chart,
// the table (with the downloads of the same data) — one view model, rendered by the partials
// report-filters and report-table.
import type { ReportCtx } from '../report.ts';
import { renderChart, type ChartSpec } from './chart.ts';
import { scopeForm, scopeQuery, type Scope } from './scope.ts';
import { tableView, type ReportTable } from './table.ts';

export async function kitPage(ctx: ReportCtx, reportPath: string, scope: Scope, table: ReportTable, chart: Omit<ChartSpec, 'title'> | null, opts: { grouping?: boolean; hidden?: Record<string, string> } = {}) {
  const title = ctx.viewer.t(`reports.${reportPath.slice('/reports/'.length)}.title`);
  const form = await scopeForm(ctx, scope);
  const f = scope.filters;
  const query = scopeQuery(scope);
  return {
    title,
    action: reportPath,
    form: {
      ...form,
      groups: opts.grouping === false ? null : form.groups,
      narrowed: [f.org, f.component, f.agent, f.type, f.channel, f.priority].some((v) => v !== undefined),
      // a report's own choices (a grouping) that the form must keep
      hidden: Object.entries(opts.hidden ?? {}).map(([name, value]) => ({ name, value })),
    },
    // SVG made by ECharts from our numbers and labels, its text escaped by it (see chart.ts)
    chart: chart && table.rows.length ? renderChart({ ...chart, title }) : null,
    caption: title,
    table: tableView(reportPath.slice('/reports/'.length), table, ctx.viewer),
    downloads: { csv: `${reportPath}.csv?${query}`, xlsx: `${reportPath}.xlsx?${query}` },
  };
}
