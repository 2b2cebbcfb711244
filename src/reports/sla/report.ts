// SLA compliance: of the tickets created in the period, per priority, organisation, component or
// assignee, how many met their first-response and resolution targets, how many breached them and
// how many are still running — against the contract's targets and the desk's stricter internal
// ones side by side — judged from each ticket's SLA clock as the workflow keeps it (a met target
// keeps whether it was late; an open one is breached once its due time has passed). The queue
// has no filter for met or breached targets, so only each group's ticket count opens its tickets.
// Next response counts answers rather than tickets: every time the requester wrote after the first
// response and waited for the desk, met in time, late (or overdue now) or still waiting.
import { describeTargets, nextResponseCycles, type TargetKey } from '../../domain/sla-clock.ts';
import { listTicketsCreatedIn, type MeasuredTicket } from '../../store/report-sla.ts';
import { readWorkflowState } from '../../store/workflow-state.ts';
import { kitPage } from '../kit/page.ts';
import { scopeOf, type Scope } from '../kit/scope.ts';
import type { ReportColumn, ReportRow, ReportTable } from '../kit/table.ts';
import { defineReport, reportFolder, type ReportCtx } from '../report.ts';
import { createdHref, groupColumn, groupedFilters, groupingLinks, groupTickets, type GroupBy } from './ticket-groups.ts';

const ID = 'sla';
const PATH = `/reports/${ID}`;

export type Outcome = 'met' | 'breached' | 'pending';

/** The measures, each a target of the clock: its columns are `<prefix>Met`, `…Breached`, `…Pending`, `…Pct`. */
const MEASURES = [
  { prefix: 'fr', target: 'firstResponse' },
  { prefix: 'frInternal', target: 'internalFirstResponse' },
  { prefix: 'res', target: 'resolution' },
  { prefix: 'resInternal', target: 'internalResolution' },
] as const satisfies readonly { prefix: string; target: TargetKey }[];

/** How a ticket stands: each target its SLA tracks (next response apart), and its next-response cycles. */
type Judged = { outcomes: Partial<Record<TargetKey, Outcome>>; cycles: ReturnType<typeof nextResponseCycles> };

/**
 * How each target of a ticket's clock stands at `now`; a target the ticket's SLA does not track is
 * absent. Next response repeats, so its cycles are counted apart.
 */
function judge(t: Pick<MeasuredTicket, 'slaState'>, now: number): Judged {
  const clock = readWorkflowState(t).clock;
  const outcomes: Partial<Record<TargetKey, Outcome>> = {};
  for (const v of describeTargets(clock, now)) {
    if (v.target === 'nextResponse') continue;
    outcomes[v.target] = v.state === 'met' ? 'met' : v.state === 'met_late' || v.state === 'breached' ? 'breached' : 'pending';
  }
  return { outcomes, cycles: nextResponseCycles(clock, now) };
}

/** Met of met and breached, in per cent to one decimal; null when no target has an outcome yet. */
export function compliancePct(met: number, breached: number): number | null {
  return met + breached === 0 ? null : Math.round((met / (met + breached)) * 1000) / 10;
}

function countsRow(by: GroupBy, name: string | null, judged: Judged[]): ReportRow['cells'] {
  const cells: ReportRow['cells'] = { [by]: name, tickets: judged.length };
  for (const m of MEASURES) {
    const n = { met: 0, breached: 0, pending: 0 };
    for (const j of judged) {
      const o = j.outcomes[m.target];
      if (o) n[o]++;
    }
    cells[`${m.prefix}Met`] = n.met;
    cells[`${m.prefix}Breached`] = n.breached;
    cells[`${m.prefix}Pending`] = n.pending;
    cells[`${m.prefix}Pct`] = compliancePct(n.met, n.breached);
  }
  const cycles = { met: 0, breached: 0, pending: 0 };
  for (const { cycles: c } of judged) {
    cycles.met += c.met;
    cycles.breached += c.breached;
    cycles.pending += c.pending;
  }
  cells.nrMet = cycles.met;
  cells.nrBreached = cycles.breached;
  cells.nrPending = cycles.pending;
  cells.nrPct = compliancePct(cycles.met, cycles.breached);
  return cells;
}

const COLUMNS = (by: GroupBy): ReportColumn[] => [
  groupColumn(by),
  { key: 'tickets', kind: 'count' },
  ...MEASURES.flatMap((m) => [
    { key: `${m.prefix}Met`, kind: 'count' as const },
    { key: `${m.prefix}Breached`, kind: 'count' as const },
    { key: `${m.prefix}Pending`, kind: 'count' as const },
    { key: `${m.prefix}Pct`, kind: 'percent' as const },
  ]),
  ...['nrMet', 'nrBreached', 'nrPending'].map((key) => ({ key, kind: 'count' as const })),
  { key: 'nrPct', kind: 'percent' },
];

async function slaTable(ctx: ReportCtx, scope: Scope, by: GroupBy): Promise<ReportTable> {
  const now = ctx.clock.now();
  const all = await listTicketsCreatedIn(ctx.db, scope.period, scope.tickets, { clock: true });
  // each ticket judged once, for its group and for the totals
  const judged = new Map(all.map((t) => [t.id, judge(t, now)]));
  const of = (list: MeasuredTicket[]) => list.map((t) => judged.get(t.id)!);
  const rows = groupTickets(ctx, ID, scope, by, all).map((g) => ({
    cells: countsRow(by, g.name, of(g.tickets)),
    ...(g.href ? { links: { tickets: g.href } } : {}),
  }));
  return { columns: COLUMNS(by), rows, totals: { cells: countsRow(by, null, [...judged.values()]), links: { tickets: createdHref(scope) } } };
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
  async load(ctx, f) {
    const scope = scopeOf(ctx, f);
    const by = f.by ?? 'priority';
    const table = await slaTable(ctx, scope, by);
    const page = await kitPage(ctx, PATH, scope, table, chartOf(ctx, table, by), { grouping: false, hidden: { by } });
    return { ...page, ...groupingLinks(ctx, ID, scope, by) };
  },
});
