// Agent workload: per active staff member, the open tickets assigned to them now (with their
// estimates and the time already logged on them), the time they logged in the period against their
// working time on the desk's business calendar, and the tickets they resolved in it (with how many
// of those had been reopened). Overloaded and idle people are marked. The scope's agent filter
// keeps that person's row; its other filters narrow the tickets.
import { businessTimeBetween } from '../../domain/business-calendar.ts';
import { listWorkload, loadWorkCalendar, type Workload } from '../../store/report-workload.ts';
import { kitPage } from '../kit/page.ts';
import { queueHref, scopeFilters, scopeOf, type Scope } from '../kit/scope.ts';
import type { ReportColumn, ReportRow, ReportTable } from '../kit/table.ts';
import { defineReport, reportFolder, type ReportCtx } from '../report.ts';

const ID = 'workload';
const PATH = `/reports/${ID}`;
const MINUTE = 60_000;

/** Above this share of their working time logged, a person is overloaded; below IDLE, idle. */
const FULL = 100;
const IDLE = 30;

type Load = 'overloaded' | 'idle';

/** Working minutes in the period, and those still ahead of now (null once the period is over). */
type Hours = { working: number; remaining: number | null };

const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);

/** Overloaded: more logged than working time, or more work left on their open tickets than working time left. */
function loadOf(w: Pick<Workload, 'logged' | 'openRemaining'>, hours: Hours): Load | null {
  const used = percent(w.logged, hours.working);
  if ((used !== null && used > FULL) || (hours.remaining !== null && w.openRemaining > hours.remaining)) return 'overloaded';
  if (used !== null && used < IDLE) return 'idle';
  return null;
}

async function hoursOf(ctx: ReportCtx, scope: Scope): Promise<Hours> {
  const cal = await loadWorkCalendar(ctx.db, ctx.calendars, ctx.config.timeZone);
  const { from, to } = scope.period;
  const now = ctx.clock.now();
  return {
    working: Math.round(businessTimeBetween(cal, from, to) / MINUTE),
    remaining: now < to ? Math.round(businessTimeBetween(cal, Math.max(now, from), to) / MINUTE) : null,
  };
}

const COLUMNS: ReportColumn[] = [
  { key: 'agent', kind: 'text' },
  { key: 'open', kind: 'count' },
  { key: 'openEstimate', kind: 'minutes' },
  { key: 'openLogged', kind: 'minutes' },
  { key: 'logged', kind: 'minutes' },
  { key: 'working', kind: 'minutes' },
  { key: 'utilisation', kind: 'percent' },
  { key: 'resolved', kind: 'count' },
  { key: 'reopenRate', kind: 'percent' },
  { key: 'load', kind: 'text', labels: `reports.${ID}.load` },
];

function personRow(scope: Scope, w: Workload, hours: Hours): ReportRow {
  const { from, to } = scope.period;
  return {
    cells: {
      agent: w.name, open: w.open, openEstimate: w.openEstimate, openLogged: w.openLogged, logged: w.logged, working: hours.working,
      utilisation: percent(w.logged, hours.working), resolved: w.resolved, reopenRate: percent(w.reopened, w.resolved), load: loadOf(w, hours),
    },
    links: openWork(queueHref(scope, { view: 'open', assignee: w.userId }), {
      logged: queueHref(scope, { assignee: null, worked: { from, to }, workedBy: w.userId }),
      resolved: queueHref(scope, { done: { from, to }, assignee: w.userId }),
      // the rate's part: those resolved that had been reopened
      ...(w.resolved > 0 ? { reopenRate: queueHref(scope, { done: { from, to }, assignee: w.userId, flags: ['reopened'] }) } : {}),
    }),
  };
}

/** The open tickets open the queue from their count and from the sums of their estimates and logged time alike. */
const openWork = (open: string, more: Record<string, string>): Record<string, string> => ({ open, openEstimate: open, openLogged: open, ...more });

/**
 * The sums over the people shown; the rates are of the sums. Its counts open the queue on the
 * tickets of every person shown: assigned to (or worked on by) an active staff member, the same
 * condition that picks the people; with the agent filter, that one person's.
 */
function totalsRow(scope: Scope, people: Workload[], hours: Hours, rows: ReportRow[]): ReportRow {
  const sum = (f: (w: Workload) => number) => people.reduce((a, w) => a + f(w), 0);
  const logged = sum((w) => w.logged);
  const working = hours.working * people.length;
  const resolved = sum((w) => w.resolved);
  const { from, to } = scope.period;
  const links = scope.filters.agent !== undefined ? rows[0]?.links : openWork(queueHref(scope, { view: 'open', flags: ['assignedToStaff'] }), {
    logged: queueHref(scope, { worked: { from, to }, workedBy: 'staff' }),
    resolved: queueHref(scope, { done: { from, to }, flags: ['assignedToStaff'] }),
    ...(resolved > 0 ? { reopenRate: queueHref(scope, { done: { from, to }, flags: ['assignedToStaff', 'reopened'] }) } : {}),
  });
  return {
    cells: {
      agent: null, open: sum((w) => w.open), openEstimate: sum((w) => w.openEstimate), openLogged: sum((w) => w.openLogged), logged, working,
      utilisation: percent(logged, working), resolved, reopenRate: percent(sum((w) => w.reopened), resolved), load: null,
    },
    ...(links ? { links } : {}),
  };
}

async function workloadTable(ctx: ReportCtx, scope: Scope): Promise<ReportTable> {
  // the agent filter picks the row, not the tickets: each row's tickets are its person's
  const tickets = { ...scope.tickets };
  delete tickets.assigneeId;
  const { from, to } = scope.period;
  const [people, hours] = await Promise.all([listWorkload(ctx.db, { from, to, tickets, userId: scope.filters.agent }), hoursOf(ctx, scope)]);
  // by name in the viewer's language (the databases' collations differ)
  const collator = new Intl.Collator(ctx.viewer.locale);
  people.sort((a, b) => collator.compare(a.name, b.name) || a.userId - b.userId);
  const rows = people.map((w) => personRow(scope, w, hours));
  return { columns: COLUMNS, rows, totals: totalsRow(scope, people, hours, rows) };
}

function chartOf(ctx: ReportCtx, table: ReportTable) {
  const hours = (key: string) => table.rows.map((r) => Math.round(((r.cells[key] as number) / 60) * 10) / 10);
  const inHours = (key: string) => `${ctx.viewer.t(`reports.${ID}.columns.${key}`)}, ${ctx.viewer.t('reportKit.hoursUnit')}`;
  return {
    categories: table.rows.map((r) => String(r.cells.agent)),
    series: [
      { name: inHours('logged'), kind: 'bar' as const, values: hours('logged') },
      { name: inHours('working'), kind: 'bar' as const, values: hours('working') },
    ],
    horizontal: true,
  };
}

export const workloadReport = defineReport({
  id: ID,
  path: PATH,
  permission: 'report.view',
  folder: reportFolder(import.meta.url),
  filters: scopeFilters,
  table: (ctx, f) => workloadTable(ctx, scopeOf(ctx, f)),
  async load(ctx, f) {
    const scope = scopeOf(ctx, f);
    const table = await workloadTable(ctx, scope);
    return await kitPage(ctx, PATH, scope, table, chartOf(ctx, table), { grouping: false });
  },
  // the overloaded and idle people of the last 30 days
  async widget(ctx) {
    const table = await workloadTable(ctx, scopeOf(ctx, {}));
    const names = table.rows
      .filter((r) => r.cells.load !== null)
      .map((r) => `${String(r.cells.agent)}: ${ctx.viewer.t(`reports.${ID}.load.${String(r.cells.load)}`)}`);
    return { kind: 'names', names, href: PATH, emptyKey: `reports.${ID}.widgetEmpty` };
  },
});
