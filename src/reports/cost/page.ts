// The cost report's page: the month's clients (chart and table), each client's trend (figures and a
// sparkline), and the revenue and cost month by month of the desk or, over a year, of the client
// chosen (chart and table side by side), under the report filters.
import { renderChart } from '../kit/chart.ts';
import { scopeForm, scopeQuery } from '../kit/scope.ts';
import { formatCell, tableView, type ReportColumn, type ReportRow, type ReportTable } from '../kit/table.ts';
import type { ReportCtx } from '../report.ts';
import { listedClients, sumClients, workedHref, type CostData } from './client-months.ts';
import { sparkline } from './sparkline.ts';

const PATH = '/reports/cost';
const isTrendColumn = (c: ReportColumn) => /^m\d{4}-\d{2}$/.test(c.key);
const money = (v: unknown) => Math.round(Number(v ?? 0)) / 100;

/** Each client's row of monthly figures (linked to the queue) and its sparkline. */
function clientTrends(ctx: ReportCtx, table: ReportTable) {
  const cols = table.columns.filter(isTrendColumn);
  const line = (r: ReportRow, name: string) => {
    const figures = cols.map((c) => ({ text: formatCell(c, r, ctx.viewer), href: r.links?.[c.key] ?? null }));
    const words = cols.map((c, i) => `${c.heading} ${figures[i].text || '—'}`).join('; ');
    return { name, figures, svg: sparkline(cols.map((c) => (r.cells[c.key] as number | null) ?? null), `${name}: ${words}`) };
  };
  return {
    headers: cols.map((c) => c.heading),
    span: cols.length + 2,
    rows: table.rows.map((r) => line(r, String(r.cells.organization))),
    totals: table.totals ? line(table.totals, ctx.viewer.t('reportKit.total')) : null,
  };
}

/** Revenue, cost and margin month by month: of the client chosen, else of the clients billed in the cost currency. */
function yearTable(ctx: ReportCtx, d: CostData): ReportTable {
  const chosen = d.scope.filters.org;
  const rows = d.history.months.map((m, i) => {
    const clients = listedClients(d.history, i, chosen);
    // a client billed in another currency has revenue but no margin
    const currency = chosen !== undefined && clients[0] ? clients[0].org.currency : ctx.config.costCurrency;
    const s = sumClients(clients, currency, d.history.narrowed || currency !== ctx.config.costCurrency);
    return {
      cells: { month: m.key, currency, revenue: s.margin.revenueCents, cost: s.margin.costCents, margin: s.margin.marginCents, marginPercent: s.margin.marginPercent },
      links: { cost: workedHref(d.scope, m) },
    };
  });
  const own = { kind: 'money', currencyKey: 'currency' } as const;
  return { columns: [{ key: 'month', kind: 'text' }, { key: 'revenue', ...own }, { key: 'cost', kind: 'money', currency: ctx.config.costCurrency }, { key: 'margin', ...own }, { key: 'marginPercent', kind: 'percent' }], rows };
}

export async function costPage(ctx: ReportCtx, d: CostData, table: ReportTable) {
  const t = (key: string) => ctx.viewer.t(`reports.cost.${key}`);
  const f = d.scope.filters;
  const same = table.rows.filter((r) => r.cells.currency === ctx.config.costCurrency);
  const year = yearTable(ctx, d);
  const query = scopeQuery(d.scope, { month: d.month.key, from: undefined, to: undefined, group: undefined });
  const keep = (month: string) => `${PATH}?${scopeQuery(d.scope, { month, from: undefined, to: undefined, group: undefined })}`;
  return {
    month: d.month,
    prevHref: keep(d.month.prev),
    nextHref: keep(d.month.next),
    costCurrency: ctx.config.costCurrency,
    form: { ...(await scopeForm(ctx, d.scope)), narrowed: d.history.narrowed },
    narrowed: d.history.narrowed,
    chosen: f.org !== undefined ? d.history.orgs[0]?.name ?? null : null,
    losing: same.filter((r) => (r.cells.margin as number | null) !== null && (r.cells.margin as number) < 0).map((r) => r.cells.organization),
    chart: same.length ? renderChart({
      title: t('chartTitle'), horizontal: true, categories: same.map((r) => String(r.cells.organization)),
      series: [{ name: t('columns.revenue'), kind: 'bar', values: same.map((r) => money(r.cells.revenue)) }, { name: t('columns.cost'), kind: 'bar', values: same.map((r) => money(r.cells.cost)) }],
    }) : null,
    caption: t('title'),
    table: tableView('cost', { ...table, columns: table.columns.filter((c) => !isTrendColumn(c)) }, ctx.viewer),
    clientTrend: clientTrends(ctx, table),
    clientTrendTitle: t(d.history.narrowed ? 'clientTrendCostTitle' : 'clientTrendTitle'),
    downloads: { csv: `${PATH}.csv?${query}`, xlsx: `${PATH}.xlsx?${query}` },
    trendChart: renderChart({
      title: t('trendTitle'), categories: year.rows.map((r) => String(r.cells.month)),
      series: [
        ...(['revenue', 'cost'] as const).map((k) => ({ name: t(`columns.${k}`), kind: 'bar' as const, values: year.rows.map((r) => money(r.cells[k])) })),
        ...(d.history.narrowed ? [] : [{ name: t('columns.margin'), kind: 'line' as const, values: year.rows.map((r) => (r.cells.margin === null ? null : money(r.cells.margin))) }]),
      ],
    }),
    trend: tableView('cost', year, ctx.viewer),
  };
}
