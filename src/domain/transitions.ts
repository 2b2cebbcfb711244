// The ticket workflow: which status may follow which, who may make each move, and which fields
// must be filled to enter a stage (configurable per ticket type). Plain data in, a verdict out.
import { STATUSES, TICKET_TYPES, type Role, type TicketStatus, type TicketType } from './vocabulary.ts';

/** Console roles, plus the requester (portal, mail) and the desk itself (intake, scheduler, auto-assignment). */
export type WorkflowRole = Role | 'requester' | 'system';
export const WORKFLOW_ROLES: readonly WorkflowRole[] = ['admin', 'manager', 'agent', 'requester', 'system'];

const STAFF = ['admin', 'manager', 'agent'] as const;
const LEADS = ['admin', 'manager'] as const;
const OPEN: TicketStatus[] = ['new', 'triaged', 'assigned', 'in_progress', 'pending_requester', 'pending_third_party', 'reopened'];

type Matrix = Partial<Record<TicketStatus, Partial<Record<TicketStatus, readonly WorkflowRole[]>>>>;

function build(): Matrix {
  const m: Matrix = {};
  const allow = (from: TicketStatus[], to: TicketStatus, roles: readonly WorkflowRole[]) => {
    for (const f of from) {
      if (f === to) continue;
      const row = (m[f] ??= {});
      row[to] = [...new Set([...(row[to] ?? []), ...roles])];
    }
  };
  allow(['new', 'reopened'], 'triaged', STAFF);
  allow(['assigned'], 'triaged', STAFF); // back to triage: the assignee cannot take it
  allow(['new', 'triaged', 'reopened'], 'assigned', [...STAFF, 'system']); // system: auto-assignment
  allow(['new', 'triaged', 'assigned', 'reopened', 'pending_requester', 'pending_third_party'], 'in_progress', STAFF);
  allow(['pending_requester', 'pending_third_party'], 'in_progress', ['system']); // the requester answered
  allow(['pending_requester'], 'new', ['system']); // the requester answered an unassigned ticket
  allow(['new', 'triaged', 'assigned', 'in_progress', 'reopened', 'pending_third_party'], 'pending_requester', STAFF);
  allow(['new', 'triaged', 'assigned', 'in_progress', 'reopened', 'pending_requester'], 'pending_third_party', STAFF);
  allow(OPEN, 'resolved', STAFF);
  allow(['resolved'], 'closed', [...LEADS, 'requester', 'system']); // confirmation, auto-close
  allow(OPEN, 'closed', LEADS); // cancelled, duplicate, spam
  allow(['resolved'], 'in_progress', LEADS); // resolution rejected: back to the assignee
  allow(['resolved'], 'reopened', [...STAFF, 'requester', 'system']);
  allow(['closed'], 'reopened', [...LEADS, 'requester', 'system']);
  // the desk itself (intake, scheduler, automation, the demo seed) may make any move there is
  for (const row of Object.values(m)) for (const to of Object.keys(row) as TicketStatus[]) if (!row[to]!.includes('system')) row[to] = [...row[to]!, 'system'];
  return m;
}

export const TRANSITIONS: Matrix = build();

export function rolesFor(from: TicketStatus, to: TicketStatus): readonly WorkflowRole[] {
  return TRANSITIONS[from]?.[to] ?? [];
}

export function allowedTargets(from: TicketStatus, role: WorkflowRole): TicketStatus[] {
  return STATUSES.filter((to) => rolesFor(from, to).includes(role));
}

// --- required fields -------------------------------------------------------------------------

export const REQUIRED_FIELDS = ['component', 'priority', 'category', 'estimate', 'assignee', 'resolution_note', 'logged_time'] as const;
export type RequiredField = (typeof REQUIRED_FIELDS)[number];
/** Stages that can demand fields, in the order a ticket passes them. */
export const GATED_STAGES = ['triaged', 'assigned', 'in_progress', 'resolved'] as const;
export type GatedStage = (typeof GATED_STAGES)[number];

const RANK: Record<TicketStatus, number> = {
  new: 0, triaged: 1, assigned: 2, reopened: 2, in_progress: 3, pending_requester: 3, pending_third_party: 3, resolved: 4, closed: 0,
};

export type TypeRules = {
  /** fields that must be filled to enter each stage; entering a later stage directly needs the earlier stages' fields too */
  requirements: Partial<Record<GatedStage, RequiredField[]>>;
  /** resolved tickets close after this many days without a reply (null: never) */
  autoCloseDays: number | null;
};
export type WorkflowRules = Record<TicketType, TypeRules>;

export const DEFAULT_AUTO_CLOSE_DAYS = 7;

/** Out of the box nothing is demanded (a fresh desk must take mail as it comes); see RECOMMENDED_REQUIREMENTS. */
export function defaultRules(): WorkflowRules {
  return Object.fromEntries(TICKET_TYPES.map((t) => [t, { requirements: {}, autoCloseDays: DEFAULT_AUTO_CLOSE_DAYS }])) as WorkflowRules;
}

/** The ITIL set the admin page offers: component and priority to leave triage, an estimate to assign, a note and logged time to resolve. */
export const RECOMMENDED_REQUIREMENTS: TypeRules['requirements'] = {
  assigned: ['component', 'priority', 'estimate'],
  resolved: ['resolution_note', 'logged_time'],
};

/** Fills gaps in stored rules (a new ticket type, a missing stage) with the defaults. */
export function normalizeRules(stored: unknown): WorkflowRules {
  const out = defaultRules();
  if (!stored || typeof stored !== 'object') return out;
  for (const type of TICKET_TYPES) {
    const r = (stored as Record<string, Partial<TypeRules> | undefined>)[type];
    if (!r) continue;
    const requirements: TypeRules['requirements'] = {};
    for (const stage of GATED_STAGES) {
      const fields = (r.requirements?.[stage] ?? []).filter((f): f is RequiredField => (REQUIRED_FIELDS as readonly string[]).includes(f));
      if (fields.length) requirements[stage] = [...new Set(fields)];
    }
    const days = r.autoCloseDays;
    out[type] = { requirements, autoCloseDays: typeof days === 'number' && Number.isInteger(days) && days > 0 ? days : days === null ? null : DEFAULT_AUTO_CLOSE_DAYS };
  }
  return out;
}

/** What the rules look at on a ticket. */
export type TicketFacts = {
  componentId: number | null;
  priority: string | null;
  category: string | null;
  estimateMinutes: number | null;
  assigneeId: number | null;
  resolutionNote: string | null;
  loggedMinutes: number;
};

const PRESENT: Record<RequiredField, (f: TicketFacts) => boolean> = {
  component: (f) => f.componentId !== null,
  priority: (f) => !!f.priority,
  category: (f) => !!f.category,
  estimate: (f) => f.estimateMinutes !== null && f.estimateMinutes > 0,
  assignee: (f) => f.assigneeId !== null,
  resolution_note: (f) => !!f.resolutionNote?.trim(),
  logged_time: (f) => f.loggedMinutes > 0,
};

/** The fields missing to move from `from` to `to` (the stages crossed on the way). */
export function missingFields(rules: WorkflowRules, type: TicketType, from: TicketStatus, to: TicketStatus, facts: TicketFacts): RequiredField[] {
  if (to === 'closed' || to === 'reopened') return [];
  const req = rules[type]?.requirements ?? {};
  const needed = new Set<RequiredField>();
  for (const stage of GATED_STAGES) {
    if (RANK[stage] > RANK[from] && RANK[stage] <= RANK[to]) for (const f of req[stage] ?? []) needed.add(f);
  }
  return REQUIRED_FIELDS.filter((f) => needed.has(f) && !PRESENT[f](facts));
}

export type TransitionVerdict =
  | { ok: true }
  | { ok: false; reason: 'unknown_status' | 'not_allowed' | 'role'; allowedRoles: WorkflowRole[]; missing: [] }
  | { ok: false; reason: 'missing'; allowedRoles: WorkflowRole[]; missing: RequiredField[] };

/**
 * May `role` move a ticket of `type` from `from` to `to`? Fields are not checked for the desk
 * itself (intake, auto-assignment, scheduler): it cannot fill them, and refusing would lose mail.
 */
export function checkTransition(input: {
  from: TicketStatus;
  to: TicketStatus;
  role: WorkflowRole;
  type: TicketType;
  facts: TicketFacts;
  rules: WorkflowRules;
}): TransitionVerdict {
  const { from, to, role } = input;
  if (!(STATUSES as readonly string[]).includes(to)) return { ok: false, reason: 'unknown_status', allowedRoles: [], missing: [] };
  const roles = rolesFor(from, to);
  if (!roles.length) return { ok: false, reason: 'not_allowed', allowedRoles: [], missing: [] };
  if (!roles.includes(role)) return { ok: false, reason: 'role', allowedRoles: [...roles], missing: [] };
  if (role === 'system') return { ok: true };
  const missing = missingFields(input.rules, input.type, from, to, input.facts);
  if (missing.length) return { ok: false, reason: 'missing', allowedRoles: [...roles], missing };
  return { ok: true };
}

const FIELD_NAMES: Record<RequiredField, string> = {
  component: 'component', priority: 'priority', category: 'category', estimate: 'estimate', assignee: 'assignee',
  resolution_note: 'resolution note', logged_time: 'logged time',
};
const STATUS_NAMES: Record<TicketStatus, string> = {
  new: 'New', triaged: 'Triaged', assigned: 'Assigned', in_progress: 'In progress', pending_requester: 'Pending requester',
  pending_third_party: 'Pending third party', resolved: 'Resolved', closed: 'Closed', reopened: 'Reopened',
};
const ROLE_NAMES: Record<WorkflowRole, string> = { admin: 'an admin', manager: 'a manager', agent: 'an agent', requester: 'the requester', system: 'the desk' };

/** One sentence naming exactly what stands in the way (the API and the console show it). */
export function refusalMessage(v: Exclude<TransitionVerdict, { ok: true }>, from: TicketStatus, to: TicketStatus, role: WorkflowRole): string {
  const move = `from ${STATUS_NAMES[from]} to ${STATUS_NAMES[to] ?? to}`;
  switch (v.reason) {
    case 'unknown_status':
      return `“${to}” is not a status`;
    case 'not_allowed':
      return `A ticket cannot move ${move}`;
    case 'role': {
      const who = ROLE_NAMES[role].replace(/^./, (c) => c.toUpperCase());
      const allowed = v.allowedRoles.filter((r) => r !== 'system').map((r) => ROLE_NAMES[r]);
      return `${who} may not move a ticket ${move}${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`;
    }
    case 'missing':
      return `To move the ticket ${move}, fill in: ${v.missing.map((f) => FIELD_NAMES[f]).join(', ')}`;
  }
}

/** Where a ticket waiting on its requester goes when they answer (by mail, SMS or the portal): back to work. */
export function resumedByRequester(t: { status: TicketStatus; assigneeId: number | null }): TicketStatus | null {
  if (t.status !== 'pending_requester') return null;
  return t.assigneeId ? 'in_progress' : 'new';
}
