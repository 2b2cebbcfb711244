// Cost of service per client: for a month, what each organisation's contract brings in (fee,
// billable overage, out-of-scope work) against what the time logged on its tickets cost the desk
// (each person's hourly cost), the margin, each client's margin in the six months up to it, and the
// revenue and cost month by month of the desk (those six months) or of the client chosen (a year).
// Clients that cost more than they pay come first. The report filters narrow the time and its cost
// (client-months.ts).
import { z } from 'zod';
import { scopeFilters, scopeOf } from '../kit/scope.ts';
import type { ReportColumn, ReportRow, ReportTable } from '../kit/table.ts';
import { monthOf, type Month } from '../contracts/month.ts';
import { defineReport, reportFolder, type ReportCtx } from '../report.ts';
import { CLIENT_TREND_MONTHS, clientTrendMonths, costHistory, listedClients, monthColumn, monthsUpTo, sumClients, workedHref, type ClientMonth, type CostData } from './client-months.ts';
import { costPage } from './page.ts';

export const COST_PATH = '/reports/cost';
/** the months of the revenue and cost chart of one client (the desk's is as long as each client's trend: a year of every client's costs takes a second to read) */
export const CLIENT_YEAR_MONTHS = 12;

// a filter that does not parse is left out, as a hand-edited link should still show a month
const filters = scopeFilters.omit({ from: true, to: true, group: true }).extend({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional().catch(undefined),
});
export type CostFilters = z.infer<typeof filters>;

/** The report's month and the history behind it, `count` months long. */
export async function costData(ctx: ReportCtx, f: CostFilters, count: number): Promise<CostData> {
  const month = monthOf(f.month, ctx.clock.now(), ctx.config.timeZone);
  const scope = scopeOf(ctx, f);
  return { month, scope, history: await costHistory(ctx, scope, monthsUpTo(month, count, ctx.config.timeZone)) };
}

const monthName = (ctx: ReportCtx, m: Month) =>
  new Intl.DateTimeFormat(ctx.viewer.locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(Number(m.key.slice(0, 4)), Number(m.key.slice(5)) - 1, 15));

function columns(ctx: ReportCtx, d: CostData): ReportColumn[] {
  const own = { kind: 'money', currencyKey: 'currency' } as const;
  // the trend is of the margin, or narrowed (no margin) of the cost
  const trendOf = d.history.narrowed ? 'cost' : 'margin';
  const trendMoney = d.history.narrowed ? { kind: 'money', currency: ctx.config.costCurrency } as const : own;
  return [
    { key: 'organization', kind: 'text' }, { key: 'currency', kind: 'text' },
    { key: 'fee', ...own }, { key: 'overage', ...own }, { key: 'outOfScope', ...own }, { key: 'revenue', ...own },
    { key: 'logged', kind: 'minutes' }, { key: 'uncosted', kind: 'minutes' },
    { key: 'cost', kind: 'money', currency: ctx.config.costCurrency }, { key: 'margin', ...own }, { key: 'marginPercent', kind: 'percent' },
    ...clientTrendMonths(d).map(({ m }) => ({ key: monthColumn(m), ...trendMoney, heading: `${ctx.viewer.t(`reports.cost.columns.${trendOf}`)}, ${monthName(ctx, m)}` })),
  ];
}

/** A client's figure of a month: its margin, or narrowed its cost. */
const trendFigure = (d: CostData, c: ClientMonth | undefined) => (c === undefined ? 0 : d.history.narrowed ? c.margin.costCents : c.margin.marginCents);

function row(d: CostData, c: ClientMonth): ReportRow {
  const worked = workedHref(d.scope, d.month, { organization: c.org.id });
  const cells: ReportRow['cells'] = {
    organization: c.org.name, currency: c.org.currency, fee: c.bill.feeCents, overage: c.bill.overageCents, outOfScope: c.bill.outOfScopeCents,
    revenue: c.margin.revenueCents, logged: c.cost.minutes, uncosted: c.cost.uncostedMinutes, cost: c.margin.costCents,
    margin: c.margin.marginCents, marginPercent: c.margin.marginPercent,
  };
  // the client's tickets with time logged in the month (under the filters): the time and so the cost behind the figure
  const links: Record<string, string> = { organization: `/organizations/${c.org.id}/contract?month=${d.month.key}`, logged: worked, cost: worked };
  for (const { m, i } of clientTrendMonths(d)) {
    cells[monthColumn(m)] = trendFigure(d, d.history.byMonth[i].get(c.org.id));
    links[monthColumn(m)] = workedHref(d.scope, m, { organization: c.org.id });
  }
  return { cells, links };
}

// the clients billed in the cost currency add up; the others are in the rows only
function totals(ctx: ReportCtx, d: CostData, clients: ClientMonth[]): ReportRow {
  const s = sumClients(clients, ctx.config.costCurrency, d.history.narrowed);
  const cells: ReportRow['cells'] = {
    organization: null, currency: ctx.config.costCurrency, fee: s.fee, overage: s.overage, outOfScope: s.outOfScope, revenue: s.margin.revenueCents,
    logged: s.logged, uncosted: s.uncosted, cost: s.margin.costCents, margin: s.margin.marginCents, marginPercent: s.margin.marginPercent,
  };
  const ids = new Set(clients.map((c) => c.org.id));
  for (const { m, i } of clientTrendMonths(d)) {
    const month = sumClients([...d.history.byMonth[i].values()].filter((c) => ids.has(c.org.id)), ctx.config.costCurrency, d.history.narrowed);
    cells[monthColumn(m)] = d.history.narrowed ? month.margin.costCents : month.margin.marginCents;
  }
  return { cells };
}

// worst margin first (a loss on top), clients without a margin (another currency, or narrowed) by cost, the highest first
const byMargin = (a: ClientMonth, b: ClientMonth) =>
  (a.margin.marginCents ?? Infinity) - (b.margin.marginCents ?? Infinity) || b.margin.costCents - a.margin.costCents || a.org.name.localeCompare(b.org.name);

/** The month's clients, with their trend columns, worst first. */
export function costTable(ctx: ReportCtx, d: CostData): ReportTable {
  const clients = listedClients(d.history, d.history.months.length - 1, d.scope.filters.org).sort(byMargin);
  return { columns: columns(ctx, d), rows: clients.map((c) => row(d, c)), totals: totals(ctx, d, clients) };
}

/** This month's clients that cost more than they pay, the biggest loss first. */
export async function losingClients(ctx: ReportCtx): Promise<string[]> {
  const d = await costData(ctx, {}, 1);
  return listedClients(d.history, 0, undefined).filter((c) => (c.margin.marginCents ?? 0) < 0).sort(byMargin).map((c) => c.org.name);
}

export const costReport = defineReport({
  id: 'cost',
  path: COST_PATH,
  permission: 'report.view',
  folder: reportFolder(import.meta.url),
  filters,
  table: async (ctx, f) => costTable(ctx, await costData(ctx, f, CLIENT_TREND_MONTHS)),
  // the month's margin over the clients billed in the cost currency
  headline: { row: 'totals', column: 'margin' },
  // this month's clients that cost more than they pay
  async widget(ctx) {
    return { kind: 'names', names: await losingClients(ctx), href: COST_PATH, emptyKey: 'reports.cost.noneLosing' };
  },
  async load(ctx, f) {
    const d = await costData(ctx, f, f.org !== undefined ? CLIENT_YEAR_MONTHS : CLIENT_TREND_MONTHS);
    return costPage(ctx, d, costTable(ctx, d));
  },
});
