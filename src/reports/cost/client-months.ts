// Each client's months for the cost report: what the contract brings in, what the time logged on
// its tickets cost, and the margin, for several months read in one pass. A ticket filter (component,
// agent, type, channel, priority) narrows the time and its cost; the contract's revenue is the
// organisation's and cannot be split by them, so a narrowed month has no margin.
import { monthlyBill, type MonthlyBill } from '../../domain/contract.ts';
import { serviceMargin, type ServiceMargin } from '../../domain/service-margin.ts';
import { contractOf } from '../../store/contract-of.ts';
import { listUsageByOrganizationIn } from '../../store/contract-usage.ts';
import { listOrganizations, type Organization } from '../../store/organizations.ts';
import { listCostByOrganizationIn, type CostFilter, type OrganizationCost } from '../../store/report-cost.ts';
import type { QueueQuery } from '../../domain/queue-query.ts';
import { monthOf, type Month } from '../contracts/month.ts';
import { queueHref, type Scope } from '../kit/scope.ts';
import type { ReportCtx } from '../report.ts';

/** the months of each client's trend (columns of the table) */
export const CLIENT_TREND_MONTHS = 6;

export type CostData = { month: Month; scope: Scope; history: CostHistory };

/** A trend column's key: the month's ("m2026-11"). */
export const monthColumn = (m: Month) => `m${m.key}`;

/** The queue on the scope's tickets of the organisation (the scope's, else any) worked on in the month, by the scope's agent. */
export function workedHref(scope: Scope, m: Month, patch: Partial<QueueQuery> = {}): string {
  return queueHref(scope, { assignee: null, worked: { from: m.from, to: m.to }, workedBy: scope.filters.agent ?? null, ...patch });
}

/** The months of each client's trend, with their index in the history. */
export const clientTrendMonths = (d: CostData) =>
  d.history.months.map((m, i) => ({ m, i })).slice(-CLIENT_TREND_MONTHS);

export type ClientMonth = { org: Organization; cost: OrganizationCost; bill: MonthlyBill; margin: ServiceMargin };

export type CostHistory = {
  /** oldest first; the last is the month the report is for */
  months: Month[];
  /** the organisations the filter keeps */
  orgs: Organization[];
  /** per month (as `months`), each organisation's month by its id */
  byMonth: Map<number, ClientMonth>[];
  /** a ticket filter is set: cost and time are narrowed, the margin is not known */
  narrowed: boolean;
};

/** The `count` months up to and including `month`, oldest first. */
export function monthsUpTo(month: Month, count: number, timeZone: string): Month[] {
  const months: Month[] = [month];
  while (months.length < count) months.unshift(monthOf(months[0].prev, 0, timeZone));
  return months;
}

/** Is time narrowed by more than the organisation? */
export const isNarrowed = (scope: Scope): boolean => {
  const f = scope.filters;
  return [f.component, f.agent, f.type, f.channel, f.priority].some((v) => v !== undefined);
};

/** The time the scope costs: on its tickets, logged by its agent (whose time, not the assignee). */
export function costFilterOf(scope: Scope): CostFilter {
  const tickets = { ...scope.tickets };
  delete tickets.assigneeId;
  return { tickets, workedBy: scope.filters.agent };
}

export async function costHistory(ctx: ReportCtx, scope: Scope, months: Month[]): Promise<CostHistory> {
  const [all, usage, costs] = await Promise.all([
    listOrganizations(ctx.db), listUsageByOrganizationIn(ctx.db, months, scope.filters.org), listCostByOrganizationIn(ctx.db, months, costFilterOf(scope)),
  ]);
  const orgs = all.filter((o) => scope.filters.org === undefined || o.id === scope.filters.org);
  const narrowed = isNarrowed(scope);
  const byMonth = months.map((_, i) => {
    const used = new Map(usage[i].map((u) => [u.organizationId, u]));
    return new Map(orgs.map((org) => {
      const cost = costs[i].get(org.id) ?? { organizationId: org.id, minutes: 0, uncostedMinutes: 0, costCents: 0 };
      const bill = monthlyBill(contractOf(org), used.get(org.id) ?? { coveredMinutes: 0, outOfScopeMinutes: 0 });
      return [org.id, { org, cost, bill, margin: serviceMargin(bill, cost.costCents, org.currency === ctx.config.costCurrency && !narrowed) }];
    }));
  });
  return { months, orgs, byMonth, narrowed };
}

/** The clients a month's table lists: the one chosen; else those with a fee or time (narrowed: those with time). */
export function listedClients(h: CostHistory, monthIndex: number, chosen: number | undefined): ClientMonth[] {
  return [...h.byMonth[monthIndex].values()].filter((c) =>
    chosen !== undefined || c.cost.minutes > 0 || (!h.narrowed && (c.org.monthlyFeeCents ?? 0) > 0));
}

/** The clients billed in `currency`, added up: their revenue, time, cost and margin (`noMargin`: none). */
export function sumClients(clients: ClientMonth[], currency: string, noMargin: boolean) {
  const same = clients.filter((c) => c.org.currency === currency);
  const sum = (f: (c: ClientMonth) => number) => same.reduce((a, c) => a + f(c), 0);
  const revenue = sum((c) => c.margin.revenueCents);
  return {
    fee: sum((c) => c.bill.feeCents), overage: sum((c) => c.bill.overageCents), outOfScope: sum((c) => c.bill.outOfScopeCents),
    logged: sum((c) => c.cost.minutes), uncosted: sum((c) => c.cost.uncostedMinutes),
    margin: serviceMargin({ totalCents: revenue }, sum((c) => c.margin.costCents), !noMargin),
  };
}
