// SLA compliance: of the tickets created in the period, per priority, organisation, component or
// assignee, how many met their first-response and resolution targets, how many breached them and
// how many are still running — against the contract's targets and the desk's stricter internal
// ones side by side — judged from each ticket's SLA clock as the workflow keeps it (a met target
// keeps whether it was late; an open one is breached once its due time has passed). Each group's
// ticket count and its met, breached and running counts open the queue on their tickets.
// Next response counts answers rather than tickets: every time the requester wrote after the first
// response and waited for the desk, met in time, late (or overdue now) or still waiting. The clocks'
// measures are counted in SQL (store/sla-measures.ts), so a year of tickets is one grouped query.
import { describeTargets, nextResponseCycles, type TargetKey } from '../../domain/sla-clock.ts';
import { countSlaOutcomes, eachTicketCreatedIn, type MeasuredTicket, type OutcomeCounts, type SlaGroupCounts, type SlaMeasure } from '../../store/report-sla.ts';
import { UNMEASURED } from '../../store/sla-measures.ts';
import type { QueueQuery } from '../../domain/queue-query.ts';
import { readWorkflowState } from '../../store/workflow-state.ts';
import { kitPage } from '../kit/page.ts';
import { chartWidget } from '../kit/chart.ts';
import { scopeOf, type Scope } from '../kit/scope.ts';
import type { ReportColumn, ReportRow, ReportTable } from '../kit/table.ts';
import { defineReport, reportFolder, type ReportCtx } from '../report.ts';
import { createdHref, GROUP_KEY, groupColumn, groupedFilters, groupingLinks, groupNames, orderGroups, type GroupBy } from './ticket-groups.ts';

const ID = 'sla';
const PATH = `/reports/${ID}`;

export type Outcome = 'met' | 'breached' | 'pending';

/** The measures, each a target of the clock: its columns are `<prefix>Met`, `…Breached`, `…Pending`, `…Pct`. */
const MEASURES = [
  { prefix: 'fr', target: 'firstResponse' },
  { prefix: 'frInternal', target: 'internalFirstResponse' },
  { prefix: 'res', target: 'resolution' },
  { prefix: 'resInternal', target: 'internalResolution' },
] as const satisfies readonly { prefix: SlaMeasure; target: TargetKey }[];

const zero = (): OutcomeCounts => ({ met: 0, breached: 0, pending: 0 });
const emptyCounts = (key: string | number | null): SlaGroupCounts => ({
  key, tickets: 0, targets: { fr: zero(), frInternal: zero(), res: zero(), resInternal: zero() }, next: zero(),
});

function add(into: SlaGroupCounts, c: SlaGroupCounts): void {
  into.tickets += c.tickets;
  for (const m of MEASURES) for (const o of ['met', 'breached', 'pending'] as const) into.targets[m.prefix][o] += c.targets[m.prefix][o];
  for (const o of ['met', 'breached', 'pending'] as const) into.next[o] += c.next[o];
}

/**
 * A clock not measured yet (kept before its measures, until the scheduler measures it), judged
 * as its measures would be: each target it tracks met, breached or still running at `now`.
 */
function judge(t: MeasuredTicket, key: string | number | null, now: number): SlaGroupCounts {
  const clock = readWorkflowState(t).clock;
  const out = emptyCounts(key);
  out.tickets = 1;
  for (const v of describeTargets(clock, now)) {
    const m = MEASURES.find((x) => x.target === v.target);
    if (m) out.targets[m.prefix][v.state === 'met' ? 'met' : v.state === 'met_late' || v.state === 'breached' ? 'breached' : 'pending']++;
  }
  out.next = nextResponseCycles(clock, now);
  return out;
}

/** Met of met and breached, in per cent to one decimal; null when no target has an outcome yet. */
export function compliancePct(met: number, breached: number): number | null {
  return met + breached === 0 ? null : Math.round((met / (met + breached)) * 1000) / 10;
}

function countsRow(by: GroupBy, name: string | null, c: SlaGroupCounts): ReportRow['cells'] {
  const cells: ReportRow['cells'] = { [by]: name, tickets: c.tickets };
  for (const [prefix, n] of [...MEASURES.map((m) => [m.prefix, c.targets[m.prefix]] as const), ['nr', c.next] as const]) {
    cells[`${prefix}Met`] = n.met;
    cells[`${prefix}Breached`] = n.breached;
    cells[`${prefix}Pending`] = n.pending;
    cells[`${prefix}Pct`] = compliancePct(n.met, n.breached);
  }
  return cells;
}

const COLUMNS = (by: GroupBy): ReportColumn[] => [
  groupColumn(by),
  { key: 'tickets', kind: 'count' },
  ...[...MEASURES.map((m) => m.prefix), 'nr'].flatMap((prefix) => [
    { key: `${prefix}Met`, kind: 'count' as const },
    { key: `${prefix}Breached`, kind: 'count' as const },
    { key: `${prefix}Pending`, kind: 'count' as const },
    { key: `${prefix}Pct`, kind: 'percent' as const },
  ]),
];

/**
 * A row's links: its tickets, and those that met, breached or are still running for each target
 * (the queue's `met`, `breached` and `running` filters are the conditions the counts are made of).
 * Next responses count answers, not tickets, so they have none.
 */
function countLinks(href: (more?: Partial<QueueQuery>) => string | null): Record<string, string> {
  const links: Record<string, string> = { tickets: href()! };
  for (const { prefix } of MEASURES) {
    links[`${prefix}Met`] = href({ met: prefix })!;
    links[`${prefix}Breached`] = href({ breached: prefix })!;
    links[`${prefix}Pending`] = href({ running: prefix })!;
  }
  return links;
}

/**
 * Per group, the counts: the measured clocks counted in SQL, and those not measured yet (after an
 * upgrade, until the scheduler has measured them) read and judged here.
 */
async function slaTable(ctx: ReportCtx, scope: Scope, by: GroupBy): Promise<ReportTable> {
  const now = ctx.clock.now();
  const key = GROUP_KEY[by];
  const groups = new Map<string | number | null, SlaGroupCounts>();
  const into = (k: string | number | null) => {
    let g = groups.get(k);
    if (!g) groups.set(k, (g = emptyCounts(k)));
    return g;
  };
  for (const c of await countSlaOutcomes(ctx.db, scope.period, scope.tickets, key, now)) add(into(c.key), c);
  await eachTicketCreatedIn(ctx.db, scope.period, scope.tickets, { clock: true, only: UNMEASURED }, (page) => {
    for (const t of page) add(into(t[key]), judge(t, t[key], now));
  });
  const nameOf = await groupNames(ctx, by, [...groups.keys()]);
  const total = emptyCounts(null);
  for (const g of groups.values()) add(total, g);
  const rows = orderGroups(ctx, ID, scope, by, [...groups.keys()], nameOf).map((g) => ({
    cells: countsRow(by, g.name, groups.get(g.key)!),
    links: countLinks(g.href),
  }));
  return { columns: COLUMNS(by), rows, totals: { cells: countsRow(by, null, total), links: countLinks((more) => createdHref(scope, more)) } };
}

/** Per group, the compliance with each target, contract and internal. */
function chartOf(ctx: ReportCtx, table: ReportTable, by: GroupBy) {
  const t = (key: string) => ctx.viewer.t(`reports.${ID}.columns.${key}`);
  return {
    categories: table.rows.map((r) => String(r.cells[by])),
    series: [...MEASURES.map((m) => m.prefix), 'nr'].map((prefix) => ({ name: t(`${prefix}Pct`), kind: 'bar' as const, values: table.rows.map((r) => r.cells[`${prefix}Pct`] as number | null) })),
    horizontal: true,
  };
}

export const slaReport = defineReport({
  id: ID,
  path: PATH,
  permission: 'report.view',
  folder: reportFolder(import.meta.url),
  filters: groupedFilters,
  table: (ctx, f) => slaTable(ctx, scopeOf(ctx, f), f.by ?? 'priority'),
  // the share of first responses in time (contract targets): the figure an SLA is read by
  headline: { row: 'totals', column: 'frPct' },
  async load(ctx, f) {
    const scope = scopeOf(ctx, f);
    const by = f.by ?? 'priority';
    const table = await slaTable(ctx, scope, by);
    const page = await kitPage(ctx, PATH, scope, table, chartOf(ctx, table, by), { grouping: false, hidden: { by } });
    return { ...page, ...groupingLinks(ctx, ID, scope, by) };
  },
  // the last 30 days' compliance by priority
  async widget(ctx) {
    const table = await slaTable(ctx, scopeOf(ctx, {}), 'priority');
    return chartWidget(table.rows.length ? { ...chartOf(ctx, table, 'priority'), title: ctx.viewer.t(`reports.${ID}.title`) } : null, PATH);
  },
});
