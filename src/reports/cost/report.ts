// Cost of service per client: for a month, what each organisation's contract brings in (fee,
// billable overage, out-of-scope work) against what the time logged on its tickets cost the desk
// (each person's hourly cost), the margin, and the trend over the six months up to it. Clients
// that cost more than they pay come first.
import { z } from 'zod';
import { monthlyBill } from '../../domain/contract.ts';
import { parseQueueQuery, queueQueryString } from '../../domain/queue-query.ts';
import { serviceMargin } from '../../domain/service-margin.ts';
import { contractOf } from '../../store/contract-of.ts';
import { listUsageByOrganization } from '../../store/contract-usage.ts';
import { listOrganizations, type Organization } from '../../store/organizations.ts';
import { listCostByOrganization, type OrganizationCost } from '../../store/report-cost.ts';
import { monthOf, type Month } from '../contracts/month.ts';
import { renderChart } from '../kit/chart.ts';
import { tableView, type ReportColumn, type ReportRow, type ReportTable } from '../kit/table.ts';
import { defineReport, reportFolder, type ReportCtx } from '../report.ts';

const PATH = '/reports/cost';
const TREND_MONTHS = 6;

// a filter that does not parse is left out, as a hand-edited link should still show a month
const filters = z.object({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional().catch(undefined),
  org: z.string().regex(/^\d{1,9}$/).transform(Number).optional().catch(undefined),
});
type Filters = z.infer<typeof filters>;

type ClientMonth = { org: Organization; cost: OrganizationCost; bill: ReturnType<typeof monthlyBill>; margin: ReturnType<typeof serviceMargin> };

async function clientMonths(ctx: ReportCtx, month: Month, orgFilter: number | undefined): Promise<ClientMonth[]> {
  const [orgs, usage, costs] = await Promise.all([listOrganizations(ctx.db), listUsageByOrganization(ctx.db, month), listCostByOrganization(ctx.db, month)]);
  const used = new Map(usage.map((u) => [u.organizationId, u]));
  const none = (id: number): OrganizationCost => ({ organizationId: id, minutes: 0, uncostedMinutes: 0, costCents: 0 });
  return orgs
    .filter((o) => (orgFilter === undefined ? (o.monthlyFeeCents ?? 0) > 0 || costs.has(o.id) : o.id === orgFilter))
    .map((org) => {
      const cost = costs.get(org.id) ?? none(org.id);
      const bill = monthlyBill(contractOf(org), used.get(org.id) ?? { coveredMinutes: 0, outOfScopeMinutes: 0 });
      return { org, cost, bill, margin: serviceMargin(bill, cost.costCents, org.currency === ctx.config.costCurrency) };
    });
}

function columns(costCurrency: string): ReportColumn[] {
  const own = { kind: 'money', currencyKey: 'currency' } as const;
  return [
    { key: 'organization', kind: 'text' }, { key: 'currency', kind: 'text' },
    { key: 'fee', ...own }, { key: 'overage', ...own }, { key: 'outOfScope', ...own }, { key: 'revenue', ...own },
    { key: 'logged', kind: 'minutes' }, { key: 'uncosted', kind: 'minutes' },
    { key: 'cost', kind: 'money', currency: costCurrency }, { key: 'margin', ...own }, { key: 'marginPercent', kind: 'percent' },
  ];
}

function row(c: ClientMonth, month: Month): ReportRow {
  return {
    cells: {
      organization: c.org.name, currency: c.org.currency, fee: c.bill.feeCents, overage: c.bill.overageCents, outOfScope: c.bill.outOfScopeCents,
      revenue: c.margin.revenueCents, logged: c.cost.minutes, uncosted: c.cost.uncostedMinutes, cost: c.margin.costCents,
      margin: c.margin.marginCents, marginPercent: c.margin.marginPercent,
    },
    links: {
      organization: `/organizations/${c.org.id}/contract?month=${month.key}`,
      // the client's tickets with time logged that month: the time (and so the cost) behind the row
      logged: `/tickets?${queueQueryString(parseQueueQuery({ view: 'all' }), { organization: c.org.id, worked: { from: month.from, to: month.to } })}`,
    },
  };
}

// the clients billed in the cost currency add up; the others are in the rows only
function totals(rows: ClientMonth[], costCurrency: string): ReportRow {
  const same = rows.filter((c) => c.org.currency === costCurrency);
  const sum = (f: (c: ClientMonth) => number) => same.reduce((a, c) => a + f(c), 0);
  const revenue = sum((c) => c.margin.revenueCents);
  const margin = serviceMargin({ totalCents: revenue }, sum((c) => c.margin.costCents), true);
  return {
    cells: {
      organization: null, currency: costCurrency, fee: sum((c) => c.bill.feeCents), overage: sum((c) => c.bill.overageCents), outOfScope: sum((c) => c.bill.outOfScopeCents),
      revenue, logged: sum((c) => c.cost.minutes), uncosted: sum((c) => c.cost.uncostedMinutes), cost: margin.costCents, margin: margin.marginCents, marginPercent: margin.marginPercent,
    },
  };
}

// worst margin first (a loss on top), clients without a margin (another currency) last
const byMargin = (a: ClientMonth, b: ClientMonth) =>
  (a.margin.marginCents ?? Infinity) - (b.margin.marginCents ?? Infinity) || a.org.name.localeCompare(b.org.name);

async function costTable(ctx: ReportCtx, f: Filters): Promise<ReportTable> {
  const month = monthOf(f.month, ctx.clock.now(), ctx.config.timeZone);
  const clients = (await clientMonths(ctx, month, f.org)).sort(byMargin);
  return { columns: columns(ctx.config.costCurrency), rows: clients.map((c) => row(c, month)), totals: totals(clients, ctx.config.costCurrency) };
}

/** Revenue, cost and margin of the clients in the cost currency, month by month up to `month`. */
async function trend(ctx: ReportCtx, month: Month, orgFilter: number | undefined): Promise<ReportTable> {
  const months: Month[] = [month];
  while (months.length < TREND_MONTHS) months.unshift(monthOf(months[0].prev, 0, ctx.config.timeZone));
  const rows = await Promise.all(months.map(async (m) => {
    const t = totals(await clientMonths(ctx, m, orgFilter), ctx.config.costCurrency);
    return { cells: { month: m.key, revenue: t.cells.revenue, cost: t.cells.cost, margin: t.cells.margin, marginPercent: t.cells.marginPercent } };
  }));
  const money = { kind: 'money', currency: ctx.config.costCurrency } as const;
  return { columns: [{ key: 'month', kind: 'text' }, { key: 'revenue', ...money }, { key: 'cost', ...money }, { key: 'margin', ...money }, { key: 'marginPercent', kind: 'percent' }], rows };
}

/** This month's clients that cost more than they pay, the biggest loss first. */
export async function losingClients(ctx: ReportCtx): Promise<string[]> {
  const month = monthOf(undefined, ctx.clock.now(), ctx.config.timeZone);
  return (await clientMonths(ctx, month, undefined)).filter((c) => (c.margin.marginCents ?? 0) < 0).sort(byMargin).map((c) => c.org.name);
}

export const costReport = defineReport({
  id: 'cost',
  path: PATH,
  permission: 'report.view',
  folder: reportFolder(import.meta.url),
  filters,
  table: costTable,
  // this month's clients that cost more than they pay
  async widget(ctx) {
    return { kind: 'names', names: await losingClients(ctx), href: PATH, emptyKey: 'reports.cost.noneLosing' };
  },
  async load(ctx, f) {
    const month = monthOf(f.month, ctx.clock.now(), ctx.config.timeZone);
    const table = await costTable(ctx, f);
    const history = await trend(ctx, month, f.org);
    const t = (key: string) => ctx.viewer.t(`reports.cost.${key}`);
    const same = table.rows.filter((r) => r.cells.currency === ctx.config.costCurrency);
    const money = (v: unknown) => Math.round(Number(v ?? 0)) / 100;
    const query = new URLSearchParams({ month: month.key, ...(f.org !== undefined ? { org: String(f.org) } : {}) }).toString();
    return {
      month,
      orgFilter: f.org,
      costCurrency: ctx.config.costCurrency,
      organizations: (await listOrganizations(ctx.db)).map((o) => ({ id: o.id, name: o.name, selected: o.id === f.org })),
      losing: same.filter((r) => (r.cells.margin as number) < 0).map((r) => r.cells.organization),
      chart: same.length ? renderChart({
        title: t('chartTitle'), horizontal: true, categories: same.map((r) => String(r.cells.organization)),
        series: [{ name: t('columns.revenue'), kind: 'bar', values: same.map((r) => money(r.cells.revenue)) }, { name: t('columns.cost'), kind: 'bar', values: same.map((r) => money(r.cells.cost)) }],
      }) : null,
      caption: t('title'),
      table: tableView('cost', table, ctx.viewer),
      downloads: { csv: `${PATH}.csv?${query}`, xlsx: `${PATH}.xlsx?${query}` },
      trendChart: renderChart({
        title: t('trendTitle'), categories: history.rows.map((r) => String(r.cells.month)),
        series: ['revenue', 'cost', 'margin'].map((k) => ({ name: t(`columns.${k}`), kind: 'line' as const, values: history.rows.map((r) => money(r.cells[k])) })),
      }),
      trend: tableView('cost', history, ctx.viewer),
    };
  },
});
