// The widgets a dashboard can hold: figures and short lists from the queue (each opening the queue
// it counts), the reports' charts and findings, and each of the person's saved views. A widget
// shows to the roles its permission allows; what it shows is read when the page is drawn.
import type { Ctx } from '../../../actions/context.ts';
import { filterFor, runQueue } from '../../../actions/queue.ts';
import { can, type Permission } from '../../../domain/permissions.ts';
import { parseQueueQuery, queueQueryString, type QueueQuery } from '../../../domain/queue-query.ts';
import { periodOf } from '../../../domain/report-period.ts';
import type { DashboardLayout, WidgetSize } from '../../../domain/dashboard-layout.ts';
import type { Role } from '../../../domain/vocabulary.ts';
import type { Report, ReportViewer, ReportWidget } from '../../../reports/report.ts';
import { resultCache, type ResultCache } from '../../../reports/kit/result-cache.ts';
import { chartTable } from '../../../reports/kit/chart.ts';
import { reportHeadline } from '../../../reports/kit/headline.ts';
import { CALENDAR_KIND_LABEL, listCalendarItems } from '../../../store/calendar-items.ts';
import { countQueue } from '../../../store/queue.ts';
import { listSavedViews } from '../../../store/saved-views.ts';
import type { User } from '../../../store/users.ts';

export type WidgetView =
  | { kind: 'count'; value: string; href: string }
  | { kind: 'figure'; value: string; caption: string; href: string }
  | { kind: 'list'; items: { href: string; number: number; subject: string; status: string }[]; moreHref: string }
  | { kind: 'deadlines'; items: { href: string; number: number; subject: string; kindKey: string; at: number }[]; moreHref: string }
  | { kind: 'chart'; svg: string | null; table: ReturnType<typeof chartTable> | null; href: string }
  | Exclude<ReportWidget, { kind: 'chart' }>;

export type WidgetDef = {
  id: string;
  /** a key of the console's strings (with a second one after a dash), or the widget's own title (a saved view's name) */
  title: { key: string; then?: string } | { text: string };
  permission: Permission;
  size: WidgetSize;
  show(ctx: Ctx, me: User, viewer: ReportViewer): Promise<WidgetView>;
};

const COUNT_CAP = 10_000;
const LIST_LENGTH = 8;

async function countOf(ctx: Ctx, me: User, q: QueueQuery): Promise<WidgetView> {
  const n = Number(await countQueue(ctx.db, await filterFor(ctx, q, me), COUNT_CAP));
  return { kind: 'count', value: n >= COUNT_CAP ? `${COUNT_CAP - 1}+` : String(n), href: `/tickets?${queueQueryString(q)}` };
}

async function listOf(ctx: Ctx, me: User, q: QueueQuery): Promise<WidgetView> {
  const page = await runQueue(ctx, q, await filterFor(ctx, q, me), LIST_LENGTH);
  return {
    kind: 'list',
    items: page.rows.map((t) => ({ href: `/tickets/${t.number}`, number: t.number, subject: t.subject, status: t.status })),
    moreHref: `/tickets?${queueQueryString(q)}`,
  };
}

const queue = (raw: Record<string, unknown>) => parseQueueQuery(raw);

const DEADLINES_AHEAD_MS = 7 * 86_400_000;

/** The person's due dates, planned work and SLA deadlines in the coming week, as their calendar shows them. */
async function deadlinesOf(ctx: Ctx, me: User): Promise<WidgetView> {
  const now = ctx.clock.now();
  const items = await listCalendarItems(ctx.db, { from: now, to: now + DEADLINES_AHEAD_MS, assigneeId: me.id }, LIST_LENGTH);
  return {
    kind: 'deadlines',
    items: items.map((it) => ({ href: `/tickets/${it.number}`, number: it.number, subject: it.subject, kindKey: `workflow.${CALENDAR_KIND_LABEL[it.kind]}`, at: it.at })),
    moreHref: '/calendar?view=week',
  };
}

/** The figures and lists every desk offers. */
function queueWidgets(ctx: Ctx): WidgetDef[] {
  const today = (me: User) => periodOf({}, ctx.clock.now(), me.timeZone, 1);
  const thisWeek = (me: User) => periodOf({}, ctx.clock.now(), me.timeZone, 7);
  return [
    { id: 'my-open', title: { key: 'dashboard.widgets.my-open' }, permission: 'ticket.view', size: 'small', show: (c, me) => countOf(c, me, queue({ view: 'mine' })) },
    { id: 'unassigned', title: { key: 'dashboard.widgets.unassigned' }, permission: 'ticket.view', size: 'small', show: (c, me) => countOf(c, me, queue({ view: 'unassigned' })) },
    { id: 'sla-risk', title: { key: 'dashboard.widgets.sla-risk' }, permission: 'ticket.view', size: 'small', show: (c, me) => countOf(c, me, queue({ view: 'sla' })) },
    { id: 'pending', title: { key: 'dashboard.widgets.pending' }, permission: 'ticket.view', size: 'small', show: (c, me) => countOf(c, me, queue({ view: 'pending' })) },
    {
      id: 'created-today', title: { key: 'dashboard.widgets.created-today' }, permission: 'ticket.view', size: 'small',
      show: (c, me) => countOf(c, me, { ...queue({ view: 'all' }), created: { from: today(me).from, to: today(me).to } }),
    },
    {
      id: 'done-week', title: { key: 'dashboard.widgets.done-week' }, permission: 'ticket.view', size: 'small',
      show: (c, me) => countOf(c, me, { ...queue({ view: 'all' }), done: { from: thisWeek(me).from, to: thisWeek(me).to } }),
    },
    { id: 'my-queue', title: { key: 'dashboard.widgets.my-queue' }, permission: 'ticket.view', size: 'wide', show: (c, me) => listOf(c, me, queue({ view: 'mine', sort: 'due' })) },
    { id: 'sla-list', title: { key: 'dashboard.widgets.sla-list' }, permission: 'ticket.view', size: 'wide', show: (c, me) => listOf(c, me, queue({ view: 'sla', sort: 'due' })) },
    { id: 'my-components', title: { key: 'dashboard.widgets.my-components' }, permission: 'ticket.view', size: 'wide', show: (c, me) => listOf(c, me, queue({ view: 'components', sort: 'due' })) },
    { id: 'my-deadlines', title: { key: 'dashboard.widgets.my-deadlines' }, permission: 'ticket.view', size: 'wide', show: (c, me) => deadlinesOf(c, me) },
  ];
}

/** Report widgets drawn in the last minute, per report and language: they are the whole desk's, the same for everyone. */
export type WidgetCache = ResultCache;
const WIDGET_FRESH_MS = 60_000;
export const widgetCache = (ctx: Ctx): WidgetCache => resultCache({ now: () => ctx.clock.now(), freshMs: WIDGET_FRESH_MS, max: 100, slowMs: 0 });

/** A report's widget as the dashboard shows it: a chart with the table of its numbers beside it (screen readers, print). */
function reportWidgetView(w: ReportWidget, viewer: ReportViewer): WidgetView {
  if (w.kind !== 'chart') return w;
  return { kind: 'chart', svg: w.svg, table: w.data && chartTable(w.data, viewer.locale), href: w.href };
}

/** A report as a widget: its chart over the last 30 days (or its findings), opening the report. */
function reportWidgets(reports: readonly Report[], cache: WidgetCache): WidgetDef[] {
  return reports.flatMap((r): WidgetDef[] => (r.widget ? [{
    id: `report:${r.id}`,
    title: { key: `reports.${r.id}.title` },
    permission: r.permission,
    size: 'wide',
    show: async (ctx, _me, viewer) => (await cache.get(`chart ${r.id} ${viewer.locale}`, () => ctx.db.offLoop(async () => reportWidgetView(await r.widget!({ ...ctx, viewer }), viewer)))).value,
  }] : []));
}

/**
 * A report as one number: its headline as the report opens (its default filters), opening the
 * tickets behind it where the report links them, else the report.
 */
export async function reportFigure(r: Report, ctx: Ctx, viewer: ReportViewer): Promise<WidgetView> {
  const headline = reportHeadline(r, await r.table!({ ...ctx, viewer }, r.filters.parse({})), viewer);
  return { kind: 'figure', ...(headline ?? { value: '—', caption: viewer.t('reportKit.empty'), href: r.path }) };
}

function reportFigureWidgets(reports: readonly Report[], cache: WidgetCache): WidgetDef[] {
  return reports.flatMap((r): WidgetDef[] => (r.table ? [{
    id: `figure:${r.id}`,
    title: { key: `reports.${r.id}.title`, then: 'dashboard.asFigure' },
    permission: r.permission,
    size: 'small',
    show: async (ctx, _me, viewer) => (await cache.get(`figure ${r.id} ${viewer.locale}`, () => ctx.db.offLoop(() => reportFigure(r, ctx, viewer)))).value,
  }] : []));
}

/** Each of the person's saved views: how many tickets it holds, and the first of them. */
async function savedViewWidgets(ctx: Ctx, me: User): Promise<WidgetDef[]> {
  return (await listSavedViews(ctx.db, me.id)).map((v) => ({
    id: `view:${v.id}`,
    title: { text: v.name },
    permission: 'ticket.view' as const,
    size: 'wide' as const,
    show: (c: Ctx, who: User) => listOf(c, who, parseQueueQuery(Object.fromEntries(new URLSearchParams(v.query)))),
  }));
}

/** The widgets this person may put on their dashboard. */
export async function widgetCatalogue(ctx: Ctx, me: User, reports: readonly Report[], cache: WidgetCache): Promise<WidgetDef[]> {
  return [...queueWidgets(ctx), ...reportWidgets(reports, cache), ...reportFigureWidgets(reports, cache), ...(await savedViewWidgets(ctx, me))].filter((w) => can(me.role, w.permission));
}

/** What each role starts with (and returns to on "reset"): an agent their work, a manager the desk. */
export const DEFAULT_LAYOUTS: Record<Role, DashboardLayout> = {
  agent: [
    { id: 'my-open', size: 'small' }, { id: 'sla-risk', size: 'small' }, { id: 'unassigned', size: 'small' }, { id: 'pending', size: 'small' },
    { id: 'my-queue', size: 'wide' }, { id: 'sla-list', size: 'wide' },
  ],
  manager: [
    { id: 'sla-risk', size: 'small' }, { id: 'unassigned', size: 'small' }, { id: 'created-today', size: 'small' }, { id: 'done-week', size: 'small' },
    { id: 'report:created-resolved', size: 'wide' }, { id: 'report:cost', size: 'wide' }, { id: 'sla-list', size: 'wide' },
  ],
  admin: [
    { id: 'sla-risk', size: 'small' }, { id: 'unassigned', size: 'small' }, { id: 'created-today', size: 'small' }, { id: 'my-open', size: 'small' },
    { id: 'report:created-resolved', size: 'wide' }, { id: 'sla-list', size: 'wide' },
  ],
};
