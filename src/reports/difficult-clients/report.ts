// Difficult clients: the organisations of the period ranked by what makes them hard to serve —
// many tickets per person they employ, resolutions that did not hold (reopens), complaints,
// out-of-scope requests, SLA breaches, and a cost of service above their fee — each reason that
// applies named, and a score that counts them (the formula is in the page's `about` text).
import type { TicketFlag } from '../../domain/queue-query.ts';
import { missedContractTarget } from '../../domain/sla-clock.ts';
import { listOrganizations, type Organization } from '../../store/organizations.ts';
import { countContactsByOrganization, listComplaintsIn, listUnmeasuredClientTickets, sumClientTickets, type ClientTicket, type ClientTicketSums } from '../../store/report-clients.ts';
import { listCostByOrganizationIn } from '../../store/report-cost.ts';
import { costFilterOf } from '../cost/client-months.ts';
import { readWorkflowState } from '../../store/workflow-state.ts';
import { monthOf } from '../contracts/month.ts';
import { kitPage } from '../kit/page.ts';
import { queueHref, scopeFilters, scopeOf, type Scope } from '../kit/scope.ts';
import type { ReportColumn, ReportRow, ReportTable } from '../kit/table.ts';
import { countText } from '../kit/headline.ts';
import { defineReport, reportFolder, type ReportCtx } from '../report.ts';

const ID = 'difficult-clients';
const PATH = `/reports/${ID}`;

/** The measures compared with the desk's median: one point each when a client is above it. */
const MEDIAN_REASONS = ['ticketsPerContact', 'reopenRate', 'complaints', 'outOfScope', 'slaBreaches'] as const;
type Reason = (typeof MEDIAN_REASONS)[number] | 'costOverFee';

type Client = {
  org: Organization;
  tickets: number;
  contacts: number;
  ticketsPerContact: number | null;
  reopenRate: number | null;
  complaints: number;
  outOfScope: number;
  slaBreaches: number;
  waitingBreaches: number;
  /** the fee of the period's months and the cost of the time logged in them, in the cost currency; null in another currency */
  feeCents: number | null;
  costCents: number;
  costOverFee: number | null;
  reasons: Reason[];
};

const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);


/** The calendar months (desk time) the period touches, as one span, and how many they are. */
function monthsOf(ctx: ReportCtx, scope: Scope): { from: number; to: number; count: number } {
  const tz = ctx.config.timeZone;
  const first = monthOf(scope.period.fromKey.slice(0, 7), 0, tz);
  const lastKey = scope.period.toKey.slice(0, 7);
  let last = first;
  let count = 1;
  while (last.key < lastKey) {
    last = monthOf(last.next, 0, tz);
    count += 1;
  }
  return { from: first.from, to: last.to, count };
}

const noSums = (): ClientTicketSums => ({ tickets: 0, everResolved: 0, reopened: 0, outOfScope: 0, slaBreaches: 0, waitingBreaches: 0 });

/** Adds tickets whose SLA clocks are not measured yet (kept before their measures), each clock read. */
function addUnmeasured(sums: Map<number, ClientTicketSums>, list: ClientTicket[], now: number): void {
  for (const t of list) {
    let s = sums.get(t.organizationId);
    if (!s) sums.set(t.organizationId, (s = noSums()));
    const breached = missedContractTarget(readWorkflowState({ slaState: t.slaState }).clock, now);
    s.tickets += 1;
    // a reopened ticket was resolved once, even when it is open again now
    if (t.done || t.reopenCount > 0) s.everResolved += 1;
    if (t.reopenCount > 0) s.reopened += 1;
    if (t.billable) s.outOfScope += 1;
    if (breached) s.slaBreaches += 1;
    if (breached && t.waitedOnClient) s.waitingBreaches += 1;
  }
}

async function measureClients(ctx: ReportCtx, scope: Scope): Promise<Client[]> {
  const months = monthsOf(ctx, scope);
  const now = ctx.clock.now();
  const [orgs, sums, unmeasured, complaints, contacts, costs] = await Promise.all([
    listOrganizations(ctx.db),
    sumClientTickets(ctx.db, scope.period, scope.tickets, now),
    listUnmeasuredClientTickets(ctx.db, scope.period, scope.tickets),
    listComplaintsIn(ctx.db, scope.period, scope.tickets),
    countContactsByOrganization(ctx.db),
    // the time the scope's tickets took (its agent: who logged it), as the cost report counts it
    listCostByOrganizationIn(ctx.db, [months], costFilterOf(scope)).then(([costs]) => costs),
  ]);
  addUnmeasured(sums, unmeasured, now);
  const complained = new Map<number, number>();
  for (const c of complaints) if (c.organizationId !== null) complained.set(c.organizationId, (complained.get(c.organizationId) ?? 0) + 1);
  return orgs
    .filter((o) => scope.filters.org === undefined || o.id === scope.filters.org)
    .map((org): Client => {
      const s = sums.get(org.id) ?? noSums();
      const people = contacts.get(org.id) ?? 0;
      const feeCents = org.currency === ctx.config.costCurrency ? (org.monthlyFeeCents ?? 0) * months.count : null;
      const costCents = costs.get(org.id)?.costCents ?? 0;
      return {
        org, tickets: s.tickets, contacts: people,
        ticketsPerContact: people > 0 ? Math.round((s.tickets / people) * 100) / 100 : null,
        reopenRate: percent(s.reopened, s.everResolved),
        complaints: complained.get(org.id) ?? 0, outOfScope: s.outOfScope, slaBreaches: s.slaBreaches, waitingBreaches: s.waitingBreaches,
        feeCents, costCents, costOverFee: feeCents !== null ? percent(costCents, feeCents) : null, reasons: [],
      };
    })
    // a client is ranked when it brought tickets or complaints in the period
    .filter((c) => c.tickets > 0 || c.complaints > 0);
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** The reasons that apply to each client (above the median of the ranked clients, or cost above fee), most first. */
function rankClients<C extends Omit<Client, 'org' | 'reasons'> & { name: string }>(clients: C[]): (C & { reasons: Reason[] })[] {
  const medians = Object.fromEntries(MEDIAN_REASONS.map((k) => [k, median(clients.map((c) => c[k]).filter((v): v is number => v !== null))]));
  const ranked = clients.map((c) => {
    const reasons: Reason[] = MEDIAN_REASONS.filter((k) => {
      const v = c[k];
      const m = medians[k];
      return v !== null && m !== null && v > 0 && v > m;
    });
    if (c.feeCents !== null && c.feeCents > 0 && c.costCents > c.feeCents) reasons.push('costOverFee');
    return { ...c, reasons };
  });
  return ranked.sort((a, b) => b.reasons.length - a.reasons.length || b.complaints - a.complaints || b.tickets - a.tickets || a.name.localeCompare(b.name));
}

function columns(costCurrency: string): ReportColumn[] {
  const money = { kind: 'money', currency: costCurrency } as const;
  return [
    { key: 'organization', kind: 'text' }, { key: 'score', kind: 'count' }, { key: 'reasons', kind: 'text' },
    { key: 'tickets', kind: 'count' }, { key: 'contacts', kind: 'count' }, { key: 'ticketsPerContact', kind: 'count' },
    { key: 'reopenRate', kind: 'percent' }, { key: 'complaints', kind: 'count' }, { key: 'outOfScope', kind: 'count' },
    { key: 'slaBreaches', kind: 'count' }, { key: 'waitingBreaches', kind: 'count' },
    { key: 'fee', ...money }, { key: 'cost', ...money }, { key: 'costOverFee', kind: 'percent' },
  ];
}

/**
 * A client's row. Its counts open the queue on their tickets, all but the complaints: those are
 * escalations (a ticket escalated twice counts twice), which the queue cannot list.
 */
function clientRow(ctx: ReportCtx, scope: Scope, c: Client): ReportRow {
  const { from, to } = scope.period;
  const its = (flags: TicketFlag[] = []) => queueHref(scope, { created: { from, to }, organization: c.org.id, flags });
  return {
    cells: {
      organization: c.org.name, score: c.reasons.length,
      reasons: c.reasons.map((r) => ctx.viewer.t(`reports.${ID}.reason.${r}`)).join(', ') || null,
      tickets: c.tickets, contacts: c.contacts, ticketsPerContact: c.ticketsPerContact, reopenRate: c.reopenRate,
      complaints: c.complaints, outOfScope: c.outOfScope, slaBreaches: c.slaBreaches, waitingBreaches: c.waitingBreaches,
      fee: c.feeCents, cost: c.costCents, costOverFee: c.costOverFee,
    },
    links: {
      tickets: its(),
      // the reopen rate's reopened tickets, and those behind each count (the conditions they are counted by)
      ...(c.reopenRate !== null ? { reopenRate: its(['reopened']) } : {}), outOfScope: its(['billable']), slaBreaches: its(['slaMissed']), waitingBreaches: its(['slaMissed', 'waitedOnClient']),
    },
  };
}

async function rankedClients(ctx: ReportCtx, scope: Scope): Promise<Client[]> {
  return rankClients((await measureClients(ctx, scope)).map((c) => ({ ...c, name: c.org.name })));
}

async function difficultClients(ctx: ReportCtx, scope: Scope): Promise<ReportTable> {
  const clients = await rankedClients(ctx, scope);
  return { columns: columns(ctx.config.costCurrency), rows: clients.map((c) => clientRow(ctx, scope, c)) };
}

/** The clients of the table (ranked, the first ten) with their cost beside their fee, in whole units of the cost currency. */
function costChart(ctx: ReportCtx, table: ReportTable) {
  const rows = table.rows.slice(0, 10);
  const units = (key: string) => rows.map((r) => (typeof r.cells[key] === 'number' ? Math.round(r.cells[key] / 100) : null));
  const name = (key: string) => `${ctx.viewer.t(`reports.${ID}.columns.${key}`)}, ${ctx.config.costCurrency}`;
  return {
    categories: rows.map((r) => String(r.cells.organization)),
    series: [{ name: name('cost'), kind: 'bar' as const, values: units('cost') }, { name: name('fee'), kind: 'bar' as const, values: units('fee') }],
    horizontal: true,
  };
}

export const difficultClientsReport = defineReport({
  id: ID,
  path: PATH,
  permission: 'report.view',
  folder: reportFolder(import.meta.url),
  filters: scopeFilters,
  table: (ctx, f) => difficultClients(ctx, scopeOf(ctx, f)),
  async load(ctx, f) {
    const scope = scopeOf(ctx, f);
    const table = await difficultClients(ctx, scope);
    const page = await kitPage(ctx, PATH, scope, table, costChart(ctx, table), { grouping: false });
    return { ...page, costCurrency: ctx.config.costCurrency };
  },
  // the last 30 days: the five clients with the most reasons
  async widget(ctx) {
    const clients = await rankedClients(ctx, scopeOf(ctx, {}));
    return { kind: 'names', names: clients.filter((c) => c.reasons.length > 0).slice(0, 5).map((c) => c.org.name), href: PATH, emptyKey: `reports.${ID}.noneDifficult` };
  },
  // how many clients are ranked, naming the first
  headline: (table, viewer) => ({
    value: countText(table.rows.length, viewer),
    caption: table.rows.length ? `${viewer.t(`reports.${ID}.headlineFirst`)}: ${String(table.rows[0].cells.organization)}` : viewer.t(`reports.${ID}.headline`),
    href: PATH,
  }),
});
