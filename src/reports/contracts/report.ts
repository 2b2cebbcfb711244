// The monthly contracts report: every organisation's bill for a month (or one organisation's),
// and the out-of-scope (billable) requests opened that month. Its page is view.hbs beside this
// file, its strings strings.<locale>.json.
import { z } from 'zod';
import { listBillableTickets, listUsageByOrganization } from '../../store/contract-usage.ts';
import { listOrganizations } from '../../store/organizations.ts';
import { defineReport, reportFolder } from '../report.ts';
import { billView, NO_USAGE } from './bill-view.ts';
import { monthOf } from './month.ts';

// a filter that does not parse is left out, as a hand-edited link should still show a month
const filters = z.object({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional().catch(undefined),
  org: z.string().regex(/^\d+$/).transform(Number).optional().catch(undefined),
});

export const contractsReport = defineReport({
  id: 'contracts',
  path: '/reports/contracts',
  permission: 'report.view',
  folder: reportFolder(import.meta.url),
  filters,
  async load(ctx, { month: monthKey, org: orgFilter }) {
    const month = monthOf(monthKey, ctx.clock.now(), ctx.config.timeZone);
    const usage = new Map((await listUsageByOrganization(ctx.db, month)).map((u) => [u.organizationId, u]));
    const orgs = await listOrganizations(ctx.db);
    const names = new Map(orgs.map((o) => [o.id, o.name]));
    return {
      title: 'Contracts',
      month,
      orgFilter,
      organizations: orgs.map((o) => ({ id: o.id, name: o.name, selected: o.id === orgFilter })),
      rows: orgs
        .filter((o) => orgFilter === undefined || o.id === orgFilter)
        .map((o) => ({ id: o.id, name: o.name, currency: o.currency, bill: billView(o, usage.get(o.id) ?? NO_USAGE, ctx.viewer.locale) })),
      billable: (await listBillableTickets(ctx.db, { organizationId: orgFilter, from: month.from, to: month.to })).map((t) => ({
        ...t, ms: t.minutes * 60_000, organization: t.organizationId ? names.get(t.organizationId) : null,
      })),
    };
  },
});
