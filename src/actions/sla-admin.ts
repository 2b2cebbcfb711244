// Admin use cases of the workflow: business calendars (hours, exceptions, import), SLA policies
// with per-priority targets, workflow rules per ticket type, and an organisation's contract.
// Open tickets affected by a change get their due times recomputed in the same transaction.
import { inTransaction } from '../db/client.ts';
import { CalendarError, compileCalendar, shortenedHours, standardHours, type CalendarException } from '../domain/business-calendar.ts';
import { parseCalendarImport } from '../domain/calendar-import.ts';
import { normalizeRules, type WorkflowRules } from '../domain/transitions.ts';
import { dateKey, weekdayOf } from '../domain/zoned-time.ts';
import {
  deleteCalendar, deleteCalendarException, deleteCalendarExceptionsOfYears, getCalendar, insertCalendar, listCalendarExceptions,
  touchCalendar, updateCalendar, upsertCalendarException, type CalendarRow,
} from '../store/calendars.ts';
import { insertEvent } from '../store/events.ts';
import { AppError, invalid } from '../domain/errors.ts';
import { getOrganization, updateOrganization, type Organization } from '../store/organizations.ts';
import {
  deleteSlaPolicy, findSlaPolicy, getSlaPolicy, insertSlaPolicy, listSlaPolicies, updateSlaPolicy, upsertSlaTarget, type SlaPolicy,
} from '../store/sla-policies.ts';
import { listOpenTicketIdsOfOrganization, listOpenTicketIdsOnPolicies, listOpenTicketIdsWithoutContractPolicy } from '../store/sla-tickets.ts';
import { findDefaultSlaPolicyId, updateDefaultSlaPolicyId, updateWorkflowRules } from '../store/workflow-settings.ts';
import { updateBillableFlag } from './contract-rules.ts';
import { refreshSla } from './sla-sync.ts';
import { checkContractReferences, CONTRACT_FORM_KEYS, contractFormSchema, type ContractForm } from './contract-schema.ts';
import type { ActorRef, Ctx } from './context.ts';
import {
  autoCloseDaysField, autoCloseDaysSchema, calendarFormField, calendarFormSchema, exceptionFormSchema, policyFormField, policyFormSchema,
  type CalendarForm, type ExceptionForm, type PolicyForm,
} from './sla-schemas.ts';
import { auditActor, requirePermission } from './tickets.ts';
import { parseInput } from './validate.ts';

type UserActor = ActorRef & { kind: 'user' };

function fail(fields: Record<string, string>): never {
  throw invalid(Object.values(fields).join('; '), fields);
}

/** Recomputes the due times (and the billable flag) of open tickets after a rule changed. */
function recompute(ctx: Ctx, ids: number[], now: number): void {
  for (const id of new Set(ids)) {
    refreshSla(ctx.db, ctx.calendars, id, now);
    updateBillableFlag(ctx.db, id, now);
  }
}

// --- business calendars ----------------------------------------------------------------------

export function saveCalendar(ctx: Ctx, actor: UserActor, id: number | null, form: CalendarForm): CalendarRow {
  requirePermission(actor.user, 'sla.manage');
  const { name, timeZone, hours: weeklyHours } = parseInput(calendarFormSchema, form, calendarFormField);
  const now = ctx.clock.now();
  return inTransaction(ctx.db, () => {
    let cal: CalendarRow;
    if (id === null) cal = insertCalendar(ctx.db, { name, timeZone, weeklyHours }, now);
    else {
      getCalendar(ctx.db, id);
      updateCalendar(ctx.db, id, { name, timeZone, weeklyHours }, now);
      cal = getCalendar(ctx.db, id);
      recompute(ctx, ticketsOnCalendar(ctx, id), now);
    }
    insertEvent(ctx.db, { ticketId: null, actor: auditActor(actor), type: id === null ? 'calendar.created' : 'calendar.updated', data: { calendarId: cal.id } }, now);
    return cal;
  });
}

function ticketsOnCalendar(ctx: Ctx, calendarId: number): number[] {
  return listOpenTicketIdsOnPolicies(ctx.db, listSlaPolicies(ctx.db).filter((p) => p.calendarId === calendarId).map((p) => p.id));
}

export function addCalendarException(ctx: Ctx, actor: UserActor, calendarId: number, form: ExceptionForm): void {
  requirePermission(actor.user, 'sla.manage');
  const { date, kind, hours, note } = parseInput(exceptionFormSchema, form);
  const now = ctx.clock.now();
  inTransaction(ctx.db, () => {
    const cal = getCalendar(ctx.db, calendarId);
    const key = dateKey(date);
    if (kind === 'holiday') upsertCalendarException(ctx.db, calendarId, { date: key, kind: 'holiday', hours: null, note });
    else if (kind === 'short') {
      // a pre-holiday day: the usual hours of that weekday (or the standard day) an hour shorter
      const usual = cal.weeklyHours[weekdayOf(date)].length ? cal.weeklyHours[weekdayOf(date)] : standardHours(cal.weeklyHours);
      upsertCalendarException(ctx.db, calendarId, { date: key, kind: 'workday', hours: hours ?? shortenedHours(usual), note });
    } else upsertCalendarException(ctx.db, calendarId, { date: key, kind: 'workday', hours, note });
    touchCalendar(ctx.db, calendarId, now);
    validateCalendar(ctx, calendarId);
    recompute(ctx, ticketsOnCalendar(ctx, calendarId), now);
  });
}

function validateCalendar(ctx: Ctx, calendarId: number): void {
  const cal = getCalendar(ctx.db, calendarId);
  const exceptions: CalendarException[] = listCalendarExceptions(ctx.db, calendarId).map((e) => ({ date: e.date, kind: e.kind, hours: e.hours ?? null }));
  try {
    compileCalendar({ timeZone: cal.timeZone, weeklyHours: cal.weeklyHours, exceptions });
  } catch (err) {
    if (err instanceof CalendarError) fail({ hours: err.message });
    throw err;
  }
}

export function removeCalendarException(ctx: Ctx, actor: UserActor, calendarId: number, exceptionId: number): void {
  requirePermission(actor.user, 'sla.manage');
  const now = ctx.clock.now();
  inTransaction(ctx.db, () => {
    deleteCalendarException(ctx.db, calendarId, exceptionId);
    touchCalendar(ctx.db, calendarId, now);
    recompute(ctx, ticketsOnCalendar(ctx, calendarId), now);
  });
}

/** Imports a year of holidays and working days; nothing is stored when any line is wrong. */
export function importCalendar(ctx: Ctx, actor: UserActor, calendarId: number, text: string): { count: number; years: number[] } {
  requirePermission(actor.user, 'sla.manage');
  if (!text.trim()) fail({ import: 'Paste the calendar first' });
  const now = ctx.clock.now();
  return inTransaction(ctx.db, () => {
    const cal = getCalendar(ctx.db, calendarId);
    const parsed = parseCalendarImport(text, cal.weeklyHours);
    if (parsed.errors.length) fail({ import: parsed.errors.slice(0, 10).join('; ') });
    if (!parsed.exceptions.length && !parsed.years.length) fail({ import: 'The text holds no dates' });
    deleteCalendarExceptionsOfYears(ctx.db, calendarId, parsed.years);
    for (const e of parsed.exceptions) upsertCalendarException(ctx.db, calendarId, e);
    touchCalendar(ctx.db, calendarId, now);
    validateCalendar(ctx, calendarId);
    insertEvent(ctx.db, { ticketId: null, actor: auditActor(actor), type: 'calendar.imported', data: { calendarId, count: parsed.exceptions.length, years: parsed.years } }, now);
    recompute(ctx, ticketsOnCalendar(ctx, calendarId), now);
    return { count: parsed.exceptions.length, years: parsed.years };
  });
}

export function removeCalendar(ctx: Ctx, actor: UserActor, calendarId: number): void {
  requirePermission(actor.user, 'sla.manage');
  const now = ctx.clock.now();
  inTransaction(ctx.db, () => {
    const ids = ticketsOnCalendar(ctx, calendarId);
    deleteCalendar(ctx.db, calendarId); // policies fall back to round-the-clock time
    recompute(ctx, ids, now);
  });
}

// --- SLA policies ----------------------------------------------------------------------------

export function saveSlaPolicy(ctx: Ctx, actor: UserActor, id: number | null, form: PolicyForm): SlaPolicy {
  requirePermission(actor.user, 'sla.manage');
  const { name, calendarId, warningPercent, pauseOnThirdParty, escalation, isDefault, targets } = parseInput(policyFormSchema, form, policyFormField);
  const now = ctx.clock.now();
  return inTransaction(ctx.db, () => {
    if (calendarId !== null) getCalendar(ctx.db, calendarId);
    const values = { name, calendarId, warningPercent, pauseOnThirdParty, escalationMinutes: escalation };
    let policy: SlaPolicy;
    if (id === null) policy = insertSlaPolicy(ctx.db, values, now);
    else {
      getSlaPolicy(ctx.db, id);
      updateSlaPolicy(ctx.db, id, values, now);
      policy = getSlaPolicy(ctx.db, id);
    }
    for (const t of targets) upsertSlaTarget(ctx.db, policy.id, t);
    const oldDefault = findDefaultSlaPolicyId(ctx.db);
    const affected = listOpenTicketIdsOnPolicies(ctx.db, [policy.id]);
    if (isDefault && oldDefault !== policy.id) {
      updateDefaultSlaPolicyId(ctx.db, policy.id, now);
      affected.push(...listOpenTicketIdsWithoutContractPolicy(ctx.db));
    } else if (!isDefault && oldDefault === policy.id) {
      updateDefaultSlaPolicyId(ctx.db, null, now);
      affected.push(...listOpenTicketIdsWithoutContractPolicy(ctx.db));
    }
    insertEvent(ctx.db, { ticketId: null, actor: auditActor(actor), type: id === null ? 'sla_policy.created' : 'sla_policy.updated', data: { policyId: policy.id } }, now);
    recompute(ctx, affected, now);
    return policy;
  });
}

export function removeSlaPolicy(ctx: Ctx, actor: UserActor, id: number): void {
  requirePermission(actor.user, 'sla.manage');
  const now = ctx.clock.now();
  inTransaction(ctx.db, () => {
    if (!findSlaPolicy(ctx.db, id)) throw new AppError('not_found', 'SLA policy not found');
    const affected = listOpenTicketIdsOnPolicies(ctx.db, [id]);
    if (findDefaultSlaPolicyId(ctx.db) === id) updateDefaultSlaPolicyId(ctx.db, null, now);
    deleteSlaPolicy(ctx.db, id); // contracts that used it fall back to the default policy
    recompute(ctx, affected, now);
  });
}

// --- workflow rules --------------------------------------------------------------------------

export function saveWorkflowRules(ctx: Ctx, actor: UserActor, rules: unknown, autoCloseDays: Record<string, string | undefined>): WorkflowRules {
  requirePermission(actor.user, 'settings.manage');
  const days = parseInput(autoCloseDaysSchema, autoCloseDays, autoCloseDaysField);
  const normalized = normalizeRules(rules);
  for (const [type, d] of Object.entries(days)) normalized[type as keyof WorkflowRules].autoCloseDays = d;
  const now = ctx.clock.now();
  inTransaction(ctx.db, () => {
    updateWorkflowRules(ctx.db, normalized, now);
    insertEvent(ctx.db, { ticketId: null, actor: auditActor(actor), type: 'workflow.rules_updated', data: {} }, now);
  });
  return normalized;
}

// --- contracts -------------------------------------------------------------------------------

export function saveContract(ctx: Ctx, actor: UserActor, organizationId: number, form: ContractForm): Organization {
  requirePermission(actor.user, 'organization.manage');
  const contract = parseInput(contractFormSchema, form);
  const now = ctx.clock.now();
  return inTransaction(ctx.db, () => {
    getOrganization(ctx.db, organizationId);
    checkContractReferences(ctx.db, contract, CONTRACT_FORM_KEYS);
    updateOrganization(ctx.db, organizationId, contract, now);
    insertEvent(ctx.db, { ticketId: null, actor: auditActor(actor), type: 'organization.contract_updated', data: { organizationId } }, now);
    recompute(ctx, listOpenTicketIdsOfOrganization(ctx.db, organizationId), now);
    return getOrganization(ctx.db, organizationId);
  });
}
