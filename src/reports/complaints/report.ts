// Complaints: every complaint made in the period (a requester's from the portal or an agent's on
// their behalf), one row each with its ticket, who complained, why, and how long the manager took
// to take it up; above it how many each organisation and component had. A summary number opens
// the queue only when the queue can list exactly its tickets (no queue filter means "escalated").
import { zonedParts } from '../../domain/zoned-time.ts';
import { countTicketsPerSpan } from '../../store/report-counts.ts';
import { listComplaintsIn, type ComplaintRow } from '../../store/report-clients.ts';
import { kitPage } from '../kit/page.ts';
import { queueHref, scopeFilters, scopeOf, type Scope } from '../kit/scope.ts';
import { partCsv, tableView, type ReportRow, type ReportTable } from '../kit/table.ts';
import { countText } from '../kit/headline.ts';
import { defineReport, reportFolder, type ReportCtx } from '../report.ts';

const ID = 'complaints';
const PATH = `/reports/${ID}`;
const MINUTE = 60_000;

/** An instant as the desk reads it: "2026-11-03 13:00" in its time zone. */
function deskTime(ms: number, timeZone: string): string {
  const p = zonedParts(ms, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.y}-${two(p.m)}-${two(p.d)} ${two(p.hh)}:${two(p.mm)}`;
}

function complaintRow(ctx: ReportCtx, c: ComplaintRow): ReportRow {
  const none = (key: string) => ctx.viewer.t(`reports.${ID}.none.${key}`);
  return {
    cells: {
      ticket: String(c.number), subject: c.subject,
      organization: c.organizationName ?? none('organization'), component: c.componentName ?? none('component'),
      by: c.by, reason: c.reason, at: deskTime(c.at, ctx.config.timeZone),
      handling: c.handledAt === null ? null : Math.round((c.handledAt - c.at) / MINUTE),
      outcome: c.handledAt === null ? 'open' : 'handled', handlingNote: c.handlingNote, status: c.status,
    },
    links: { ticket: `/tickets/${c.number}` },
  };
}

function complaintsTable(ctx: ReportCtx, list: ComplaintRow[]): ReportTable {
  return {
    columns: [
      { key: 'ticket', kind: 'text' }, { key: 'subject', kind: 'text' }, { key: 'organization', kind: 'text' }, { key: 'component', kind: 'text' },
      { key: 'by', kind: 'text', labels: `reports.${ID}.by` }, { key: 'reason', kind: 'text' }, { key: 'at', kind: 'text' },
      { key: 'handling', kind: 'minutes' }, { key: 'outcome', kind: 'text', labels: `reports.${ID}.outcome` },
      { key: 'handlingNote', kind: 'text' }, { key: 'status', kind: 'text', labels: 'status' },
    ],
    rows: list.map((c) => complaintRow(ctx, c)),
  };
}

type Group = { id: number | null; name: string; complaints: ComplaintRow[] };

function groupsOf(list: ComplaintRow[], key: (c: ComplaintRow) => number | null, name: (c: ComplaintRow) => string | null): Group[] {
  const groups = new Map<number | null, Group>();
  for (const c of list) {
    const id = key(c);
    const g = groups.get(id) ?? { id, name: name(c) ?? '', complaints: [] };
    g.complaints.push(c);
    groups.set(id, g);
  }
  return [...groups.values()];
}

/**
 * The queue on a group's tickets (the group without one too) created in the period, when that list is exactly the complaints:
 * one complaint per ticket, each ticket created in the period, and no other ticket of the group.
 */
async function groupHref(ctx: ReportCtx, scope: Scope, by: 'organization' | 'component', g: Group): Promise<string | null> {
  const { from, to } = scope.period;
  const tickets = new Set(g.complaints.map((c) => c.ticketId));
  if (tickets.size !== g.complaints.length || g.complaints.some((c) => c.ticketCreatedAt < from || c.ticketCreatedAt >= to)) return null;
  const filter = by === 'organization' ? { ...scope.tickets, organizationId: g.id } : { ...scope.tickets, componentIds: [g.id] };
  const [created] = await countTicketsPerSpan(ctx.db, 'created', [{ from, to }], filter);
  if (created !== tickets.size) return null;
  const id = g.id ?? 'none';
  return queueHref(scope, { created: { from, to }, ...(by === 'organization' ? { organization: id } : { component: [id] }) });
}

/** The complaints per organisation or component, most first; the group without one last. */
function sortedGroups(ctx: ReportCtx, list: ComplaintRow[], by: 'organization' | 'component'): Group[] {
  const groups = by === 'organization'
    ? groupsOf(list, (c) => c.organizationId, (c) => c.organizationName)
    : groupsOf(list, (c) => c.componentId, (c) => c.componentName);
  const collator = new Intl.Collator(ctx.viewer.locale);
  return groups.sort((a, b) => Number(a.id === null) - Number(b.id === null) || b.complaints.length - a.complaints.length || collator.compare(a.name, b.name));
}

const groupName = (ctx: ReportCtx, g: Group, by: 'organization' | 'component') => (g.id === null ? ctx.viewer.t(`reports.${ID}.none.${by}`) : g.name);

/** Complaints per organisation or component, most first; the group without one last. */
async function summaryTable(ctx: ReportCtx, scope: Scope, list: ComplaintRow[], by: 'organization' | 'component'): Promise<ReportTable> {
  const rows = await Promise.all(sortedGroups(ctx, list, by).map(async (g): Promise<ReportRow> => {
    const href = await groupHref(ctx, scope, by, g);
    return {
      cells: { [by]: groupName(ctx, g, by), complaints: g.complaints.length },
      ...(href ? { links: { complaints: href } } : {}),
    };
  }));
  return { columns: [{ key: by, kind: 'text' }, { key: 'complaints', kind: 'count' }], rows };
}

/** Complaints per organisation in the order of its summary, the handled and the open ones stacked. */
function organizationChart(ctx: ReportCtx, list: ComplaintRow[]) {
  const groups = sortedGroups(ctx, list, 'organization');
  const series = (outcome: 'handled' | 'open') => ({
    name: ctx.viewer.t(`reports.${ID}.outcome.${outcome}`), kind: 'bar' as const, stack: 'outcome',
    values: groups.map((g) => g.complaints.filter((c) => (c.handledAt === null) === (outcome === 'open')).length),
  });
  return { categories: groups.map((g) => groupName(ctx, g, 'organization')), series: [series('handled'), series('open')], horizontal: true };
}

/** The complaints, one row each, with the counts per organisation and per component as its parts. */
async function complaintsWithSummaries(ctx: ReportCtx, scope: Scope): Promise<{ list: ComplaintRow[]; table: ReportTable }> {
  const list = await listComplaintsIn(ctx.db, scope.period, scope.tickets);
  const [byOrganization, byComponent] = await Promise.all([summaryTable(ctx, scope, list, 'organization'), summaryTable(ctx, scope, list, 'component')]);
  return { list, table: { ...complaintsTable(ctx, list), parts: [{ key: 'byOrganization', table: byOrganization }, { key: 'byComponent', table: byComponent }] } };
}

export const complaintsReport = defineReport({
  id: ID,
  path: PATH,
  permission: 'report.view',
  folder: reportFolder(import.meta.url),
  filters: scopeFilters,
  async table(ctx, f) {
    return (await complaintsWithSummaries(ctx, scopeOf(ctx, f))).table;
  },
  // the complaints of the last 30 days: escalations, which the queue cannot list, so it opens the report
  headline: (table, viewer) => ({ value: countText(table.rows.length, viewer), caption: viewer.t(`reports.${ID}.headline`), href: PATH }),
  async load(ctx, f) {
    const scope = scopeOf(ctx, f);
    const { list, table } = await complaintsWithSummaries(ctx, scope);
    const page = await kitPage(ctx, PATH, scope, table, organizationChart(ctx, list), { grouping: false });
    return {
      ...page,
      total: list.length,
      open: list.filter((c) => c.handledAt === null).length,
      summaries: (table.parts ?? []).map((p) => ({ ...tableView(ID, p.table, ctx.viewer), title: ctx.viewer.t(`reports.${ID}.parts.${p.key}`), csv: partCsv(page.downloads.csv, p.key) })),
    };
  },
});
