// The queue's state as it lives in the URL (and in saved views and API calls): which view, which
// filters, which sort, where the page starts. Parsing is lenient — an unknown value is dropped, not
// an error — so old bookmarks keep working. Pure: no I/O.
import { CATEGORIES, CHANNELS, PRIORITIES, STATUSES, TICKET_TYPES, type Category, type Channel, type Priority, type TicketStatus, type TicketType } from './vocabulary.ts';

export const QUEUE_VIEWS = ['unassigned', 'mine', 'components', 'sla', 'pending', 'open', 'resolved', 'all'] as const;
export type QueueView = (typeof QUEUE_VIEWS)[number];
export const QUEUE_SORTS = ['updated', 'created', 'oldest', 'priority', 'due'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

/** Every view offers every sort; each has an index over open tickets and one over all of them (schema.ts). */
export function sortsFor(_view: QueueView): readonly QueueSort[] {
  return QUEUE_SORTS;
}

export function defaultSort(view: QueueView): QueueSort {
  return view === 'sla' ? 'due' : 'updated';
}

export type AssigneeFilter = 'me' | 'none' | number;

/** An SLA clock's targets a ticket is judged against: first response and resolution, contract and internal. */
export const SLA_TARGETS = ['fr', 'frInternal', 'res', 'resInternal'] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];

/**
 * Facts about a ticket that reports count: it has had its first response; it is resolved or closed
 * (not reopened since); it was ever reopened; it is billable (out of the contract's scope); it
 * missed a contract SLA target (met late, or overdue now); the desk waited on the requester; it is
 * assigned to an active staff member (the people the workload report has a row for).
 */
export const TICKET_FLAGS = ['answered', 'finished', 'reopened', 'billable', 'slaMissed', 'waitedOnClient', 'assignedToStaff'] as const;
export type TicketFlag = (typeof TICKET_FLAGS)[number];

export type QueueQuery = {
  view: QueueView;
  status: TicketStatus[];
  priority: Priority[];
  type: TicketType[];
  category: Category[];
  channel: Channel[];
  /** 'none': the tickets without a component (a report's row for them) */
  component: (number | 'none')[];
  assignee: AssigneeFilter | null;
  /** 'none': the tickets without an organisation */
  organization: number | 'none' | null;
  /** created within [from, to) (ms): a report's drill-down */
  created: TimeRange | null;
  /** resolved or closed within [from, to) (ms) */
  done: TimeRange | null;
  /** still open at that instant (created before it, not yet done): a report's backlog */
  openAt: number | null;
  /** time was logged on it within [from, to) */
  worked: TimeRange | null;
  /** time was logged on it by this person, or by any active staff member (within `worked` when both are given) */
  workedBy: number | 'staff' | null;
  /** it was in this status just before that instant (ms): a report's status history */
  statusAt: StatusAt | null;
  /** its clock met this target in time */
  met: SlaTarget | null;
  /** its clock missed this target: met late, or overdue now */
  breached: SlaTarget | null;
  /** its clock is still running for this target: not met, not due yet */
  running: SlaTarget | null;
  /** every one of these holds for it */
  flags: TicketFlag[];
  q: string;
  sort: QueueSort;
  cursor: string | null;
};

/** A status at an instant; in the URL `status.ms`. */
export type StatusAt = { status: TicketStatus; at: number };

function statusAt(raw: unknown): StatusAt | null {
  const m = /^([a-z_]{1,40})\.(\d{1,15})$/.exec(single(raw) ?? '');
  return m && (STATUSES as readonly string[]).includes(m[1]) ? { status: m[1] as TicketStatus, at: Number(m[2]) } : null;
}

/** [from, to) in ms since the epoch; in the URL `from-to`. */
export type TimeRange = { from: number; to: number };

function timeRange(raw: unknown): TimeRange | null {
  const m = /^(\d{1,15})-(\d{1,15})$/.exec(single(raw) ?? '');
  return m && Number(m[1]) < Number(m[2]) ? { from: Number(m[1]), to: Number(m[2]) } : null;
}

function instant(raw: unknown): number | null {
  const v = single(raw);
  return v && /^\d{1,15}$/.test(v) ? Number(v) : null;
}

type Raw = Record<string, unknown>;

function list(raw: unknown): string[] {
  const values = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  return values.flatMap((v) => (typeof v === 'string' ? v.split(',') : [])).map((s) => s.trim()).filter(Boolean);
}

function oneOf<T extends string>(allowed: readonly T[], raw: unknown): T[] {
  return [...new Set(list(raw).filter((v): v is T => (allowed as readonly string[]).includes(v)))];
}

function ids(raw: unknown): number[] {
  return [...new Set(list(raw).filter((v) => /^\d{1,9}$/.test(v)).map(Number))];
}

/** Ids, and 'none' for "without one". */
function idsOrNone(raw: unknown): (number | 'none')[] {
  return [...ids(raw), ...(list(raw).includes('none') ? ['none' as const] : [])];
}

function single(raw: unknown): string | undefined {
  return list(raw)[0];
}

export function parseQueueQuery(raw: Raw, fallbackView: QueueView = 'open'): QueueQuery {
  const view = oneOf(QUEUE_VIEWS, raw.view)[0] ?? fallbackView;
  const sortWanted = oneOf(QUEUE_SORTS, raw.sort)[0];
  const sort = sortWanted && sortsFor(view).includes(sortWanted) ? sortWanted : defaultSort(view);
  const a = single(raw.assignee);
  const assignee: AssigneeFilter | null = a === 'me' || a === 'none' ? a : a && /^\d{1,9}$/.test(a) ? Number(a) : null;
  const org = single(raw.organization);
  const q = typeof raw.q === 'string' ? raw.q.trim().slice(0, 200) : '';
  const cursor = typeof raw.cursor === 'string' && /^[A-Za-z0-9_-]{1,200}$/.test(raw.cursor) ? raw.cursor : null;
  return {
    view,
    status: oneOf(STATUSES, raw.status),
    priority: oneOf(PRIORITIES, raw.priority),
    type: oneOf(TICKET_TYPES, raw.type),
    category: oneOf(CATEGORIES, raw.category),
    channel: oneOf(CHANNELS, raw.channel),
    component: idsOrNone(raw.component),
    assignee,
    organization: org === 'none' ? 'none' : org && /^\d{1,9}$/.test(org) ? Number(org) : null,
    created: timeRange(raw.created),
    done: timeRange(raw.done),
    openAt: instant(raw.open_at),
    worked: timeRange(raw.worked),
    workedBy: single(raw.worked_by) === 'staff' ? 'staff' : instant(raw.worked_by),
    statusAt: statusAt(raw.status_at),
    met: oneOf(SLA_TARGETS, raw.met)[0] ?? null,
    breached: oneOf(SLA_TARGETS, raw.breached)[0] ?? null,
    running: oneOf(SLA_TARGETS, raw.running)[0] ?? null,
    flags: oneOf(TICKET_FLAGS, raw.flag),
    q,
    sort,
    cursor,
  };
}

/** The canonical query string (defaults left out), for links, saved views and the address bar. */
export function queueQueryString(q: QueueQuery, patch: Partial<QueueQuery> = {}): string {
  const v = { ...q, ...patch };
  const p = new URLSearchParams();
  p.set('view', v.view);
  for (const key of ['status', 'priority', 'type', 'category', 'channel'] as const) if (v[key].length) p.set(key, v[key].join(','));
  if (v.component.length) p.set('component', v.component.join(','));
  if (v.assignee !== null) p.set('assignee', String(v.assignee));
  if (v.organization !== null) p.set('organization', String(v.organization));
  if (v.created) p.set('created', `${v.created.from}-${v.created.to}`);
  if (v.done) p.set('done', `${v.done.from}-${v.done.to}`);
  if (v.openAt !== null) p.set('open_at', String(v.openAt));
  if (v.worked) p.set('worked', `${v.worked.from}-${v.worked.to}`);
  if (v.workedBy !== null) p.set('worked_by', String(v.workedBy));
  if (v.statusAt) p.set('status_at', `${v.statusAt.status}.${v.statusAt.at}`);
  if (v.met) p.set('met', v.met);
  if (v.breached) p.set('breached', v.breached);
  if (v.running) p.set('running', v.running);
  if (v.flags.length) p.set('flag', v.flags.join(','));
  if (v.q) p.set('q', v.q);
  if (v.sort !== defaultSort(v.view)) p.set('sort', v.sort);
  if (v.cursor) p.set('cursor', v.cursor);
  return p.toString();
}

/** True when anything beyond the view itself narrows the list. */
export function hasFilters(q: QueueQuery): boolean {
  return !!(q.status.length || q.priority.length || q.type.length || q.category.length || q.channel.length || q.component.length || q.assignee !== null || q.organization !== null || q.created || q.done || q.openAt !== null || q.worked || q.workedBy !== null || q.statusAt || q.met || q.breached || q.running || q.flags.length || q.q);
}

// Keyset cursors: the sort, the last row's sort value and its id, as base64url JSON.
export type Cursor = { sort: QueueSort; value: number; id: number };

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.value, c.id])).toString('base64url');
}

export function decodeCursor(raw: string | null, sort: QueueSort): Cursor | null {
  if (!raw) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (!Array.isArray(v) || v.length !== 3 || v[0] !== sort) return null;
    const [, value, id] = v as [string, unknown, unknown];
    if (!Number.isSafeInteger(value) || !Number.isSafeInteger(id)) return null;
    return { sort, value: value as number, id: id as number };
  } catch {
    return null;
  }
}

/** How far ahead the "overdue and at risk" view looks. */
export const SLA_RISK_MS = 60 * 60 * 1000;

/** What the store filters on, with the view resolved for one user at one time. */
export type QueueFilter = {
  open?: boolean;
  statuses?: TicketStatus[];
  priorities?: Priority[];
  types?: TicketType[];
  categories?: Category[];
  channels?: Channel[];
  /** an empty list matches nothing (a user with no components); null: no component */
  componentIds?: (number | null)[];
  /** null: unassigned */
  assigneeId?: number | null;
  /** null: no organisation */
  organizationId?: number | null;
  /** the tickets of requesters writing from one of these addresses, or from any address at one of these domains */
  requesters?: { emails: string[]; domains: string[] };
  createdIn?: TimeRange;
  doneIn?: TimeRange;
  openAt?: number;
  /** time logged on the ticket (within the range, by the person, when given) */
  work?: { in?: TimeRange; by?: number | 'staff' };
  /** in this status just before the instant (its status history) */
  statusAt?: StatusAt;
  /** the clock's outcome for targets: met in time, missed (met late, or overdue at `at`), or still running at `at` */
  sla?: { met?: SlaTarget; breached?: SlaTarget; running?: SlaTarget; at: number };
  /** every one of these holds (an SLA target missed judged at `at`) */
  flags?: { names: TicketFlag[]; at: number };
  /** earliest pending SLA time before this */
  slaDueBefore?: number;
  text?: string;
};

export function queueFilter(q: QueueQuery, who: { userId: number; componentIds: number[]; now: number }): QueueFilter {
  const f: QueueFilter = {};
  switch (q.view) {
    case 'unassigned':
      Object.assign(f, { open: true, assigneeId: null });
      break;
    case 'mine':
      Object.assign(f, { open: true, assigneeId: who.userId });
      break;
    case 'components':
      Object.assign(f, { open: true, componentIds: who.componentIds });
      break;
    case 'sla':
      Object.assign(f, { open: true, slaDueBefore: who.now + SLA_RISK_MS });
      break;
    case 'pending':
      Object.assign(f, { open: true, statuses: ['pending_requester'] });
      break;
    case 'open':
      f.open = true;
      break;
    case 'resolved':
      f.open = false;
      break;
    case 'all':
      break;
  }
  // the filter bar narrows the view further
  if (q.status.length) f.statuses = f.statuses ? f.statuses.filter((s) => q.status.includes(s)) : q.status;
  if (f.statuses && f.statuses.length === 0) f.statuses = ['__none__' as TicketStatus];
  if (q.priority.length) f.priorities = q.priority;
  if (q.type.length) f.types = q.type;
  if (q.category.length) f.categories = q.category;
  if (q.channel.length) f.channels = q.channel;
  const component = q.component.map((c) => (c === 'none' ? null : c));
  if (component.length) f.componentIds = f.componentIds ? f.componentIds.filter((c) => component.includes(c)) : component;
  if (q.assignee !== null && f.assigneeId === undefined) f.assigneeId = q.assignee === 'me' ? who.userId : q.assignee === 'none' ? null : q.assignee;
  else if (q.assignee !== null) {
    const wanted = q.assignee === 'me' ? who.userId : q.assignee === 'none' ? null : q.assignee;
    if (wanted !== f.assigneeId) f.assigneeId = -1; // contradicts the view: nothing matches
  }
  if (q.organization !== null) f.organizationId = q.organization === 'none' ? null : q.organization;
  if (q.created) f.createdIn = q.created;
  if (q.done) f.doneIn = q.done;
  if (q.openAt !== null) f.openAt = q.openAt;
  if (q.worked || q.workedBy !== null) f.work = { ...(q.worked ? { in: q.worked } : {}), ...(q.workedBy !== null ? { by: q.workedBy } : {}) };
  if (q.statusAt) f.statusAt = q.statusAt;
  if (q.met || q.breached || q.running) {
    f.sla = { ...(q.met ? { met: q.met } : {}), ...(q.breached ? { breached: q.breached } : {}), ...(q.running ? { running: q.running } : {}), at: who.now };
  }
  if (q.flags.length) f.flags = { names: q.flags, at: who.now };
  if (q.q) f.text = q.q;
  return f;
}
