// The monthly contracts report: every organisation's bill for a month (or one organisation's),
// and the out-of-scope (billable) requests opened that month. Its page is view.hbs beside this
// file, its strings strings.<locale>.json. The bills are also its table: the CSV and XLSX for
// accounting and the JSON at /api/v1/reports/contracts (money in the organisation's currency).
import { z } from 'zod';
import { listBillableTickets, listUsageByOrganization } from '../../store/contract-usage.ts';
import { listOrganizations, type Organization } from '../../store/organizations.ts';
import { formatCell, type ReportTable } from '../kit/table.ts';
import { defineReport, reportFolder, type ReportCtx, type ReportHeadline, type ReportViewer } from '../report.ts';
import { billView, NO_USAGE } from './bill-view.ts';
import { monthOf } from './month.ts';

// a filter that does not parse is left out, as a hand-edited link should still show a month
const filters = z.object({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional().catch(undefined),
  org: z.string().regex(/^\d+$/).transform(Number).optional().catch(undefined),
});

type Filters = z.infer<typeof filters>;

/** The month asked for, and each organisation asked for with its usage that month. */
async function monthUsage(ctx: ReportCtx, { month: monthKey, org: orgFilter }: Filters) {
  const month = monthOf(monthKey, ctx.clock.now(), ctx.config.timeZone);
  const usage = new Map((await listUsageByOrganization(ctx.db, month)).map((u) => [u.organizationId, u]));
  const orgs = await listOrganizations(ctx.db);
  const asked = orgs.filter((o) => orgFilter === undefined || o.id === orgFilter);
  return { month, orgs, bills: asked.map((o: Organization) => ({ org: o, usage: usage.get(o.id) ?? NO_USAGE })) };
}

/** The month's bills as a table: times in minutes, money in minor units of each organisation's currency. */
async function billsTable(ctx: ReportCtx, f: Filters): Promise<ReportTable> {
  const { month, bills } = await monthUsage(ctx, f);
  const money = (key: string) => ({ key, kind: 'money' as const, currencyKey: 'currency' });
  return {
    columns: [
      { key: 'organization', kind: 'text' }, { key: 'currency', kind: 'text' },
      { key: 'included', kind: 'minutes' }, { key: 'used', kind: 'minutes' }, { key: 'usedPercent', kind: 'percent' },
      { key: 'overage', kind: 'minutes' }, money('overageCost'), { key: 'outOfScope', kind: 'minutes' }, money('outOfScopeCost'),
      money('fee'), money('total'),
    ],
    rows: bills.map(({ org, usage }) => {
      const b = billView(org, usage, ctx.viewer.locale);
      return {
        cells: {
          organization: org.name, currency: org.currency, included: b.includedMinutes, used: b.coveredMinutes, usedPercent: b.usedPercent,
          overage: b.overageMinutes, overageCost: b.overageCents, outOfScope: b.outOfScopeMinutes, outOfScopeCost: b.outOfScopeCents,
          fee: b.feeCents, total: b.totalCents,
        },
        links: { organization: `/organizations/${org.id}/contract?month=${month.key}` },
      };
    }),
  };
}

/** What the month's bills come to, a sum per currency ("€1,200 + $300"): money in two currencies does not add up. */
function billedHeadline(table: ReportTable, viewer: ReportViewer): ReportHeadline {
  const sums = new Map<string, number>();
  for (const r of table.rows) sums.set(String(r.cells.currency), (sums.get(String(r.cells.currency)) ?? 0) + Number(r.cells.total ?? 0));
  const money = [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([currency, total]) => formatCell({ key: 'total', kind: 'money', currency }, { cells: { total } }, viewer));
  return { value: money.join(' + ') || formatCell({ key: 'total', kind: 'count' }, { cells: { total: 0 } }, viewer), caption: viewer.t('reports.contracts.headline'), href: '/reports/contracts' };
}

export const contractsReport = defineReport({
  id: 'contracts',
  path: '/reports/contracts',
  permission: 'report.view',
  folder: reportFolder(import.meta.url),
  filters,
  async load(ctx, f) {
    const { month, orgs, bills } = await monthUsage(ctx, f);
    const orgFilter = f.org;
    const names = new Map(orgs.map((o) => [o.id, o.name]));
    const query = new URLSearchParams({ month: month.key, ...(orgFilter !== undefined ? { org: String(orgFilter) } : {}) }).toString();
    return {
      title: 'Contracts',
      month,
      orgFilter,
      organizations: orgs.map((o) => ({ id: o.id, name: o.name, selected: o.id === orgFilter })),
      rows: bills.map(({ org: o, usage }) => ({ id: o.id, name: o.name, currency: o.currency, bill: billView(o, usage, ctx.viewer.locale) })),
      downloads: { csv: `/reports/contracts.csv?${query}`, xlsx: `/reports/contracts.xlsx?${query}` },
      billable: (await listBillableTickets(ctx.db, { organizationId: orgFilter, from: month.from, to: month.to })).map((t) => ({
        ...t, ms: t.minutes * 60_000, organization: t.organizationId ? names.get(t.organizationId) : null,
      })),
    };
  },
  table: billsTable,
  headline: billedHeadline,
});
