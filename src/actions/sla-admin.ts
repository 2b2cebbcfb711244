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
import { findDefaultSlaPolicyId, getWorkflowRules, updateDefaultSlaPolicyId, updateWorkflowRules } from '../store/workflow-settings.ts';
import type { AuditKind, AuditSnapshot } from '../domain/audit-entry.ts';
import { recordAudit } from './audit.ts';
import { calendarSnapshot, contractSnapshot, policySnapshot, rulesSnapshot } from './sla-audit.ts';
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

type Snapshotter = (ctx: Ctx, id: number) => Promise<{ label: string; snapshot: AuditSnapshot | null }>;

/** Runs a change to a calendar or a policy and records it: the thing before → after. */
async function audited<T>(ctx: Ctx, actor: UserActor, kind: AuditKind, snap: Snapshotter, id: number | null, action: string, change: () => Promise<T>, idOf: (r: T) => number): Promise<T> {
  const before = id === null ? null : (await snap(ctx, id)).snapshot;
  const result = await change();
  const after = await snap(ctx, idOf(result));
  await recordAudit(ctx, actor.user, { kind, id: idOf(result), label: after.label }, action, { before, after: after.snapshot });
  return result;
}

function fail(fields: Record<string, string>): never {
  throw invalid(Object.values(fields).join('; '), fields);
}

/** Recomputes the due times (and the billable flag) of open tickets after a rule changed. */
async function recompute(ctx: Ctx, ids: number[], now: number): Promise<void> {
  for (const id of new Set(ids)) {
    await refreshSla(ctx.db, ctx.calendars, id, now);
    await updateBillableFlag(ctx.db, id, now);
  }
}

// --- business calendars ----------------------------------------------------------------------

export async function saveCalendar(ctx: Ctx, actor: UserActor, id: number | null, form: CalendarForm): Promise<CalendarRow> {
  requirePermission(actor.user, 'sla.manage');
  const { name, timeZone, hours: weeklyHours } = parseInput(calendarFormSchema, form, calendarFormField);
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, () => audited(ctx, actor, 'calendar', calendarSnapshot, id, id === null ? 'created' : 'updated', async () => {
    let cal: CalendarRow;
    if (id === null) cal = await insertCalendar(ctx.db, { name, timeZone, weeklyHours }, now);
    else {
      await getCalendar(ctx.db, id);
      await updateCalendar(ctx.db, id, { name, timeZone, weeklyHours }, now);
      cal = await getCalendar(ctx.db, id);
      await recompute(ctx, await ticketsOnCalendar(ctx, id), now);
    }
    await insertEvent(ctx.db, { ticketId: null, actor: auditActor(actor), type: id === null ? 'calendar.created' : 'calendar.updated', data: { calendarId: cal.id } }, now);
    return cal;
  }, (c) => c.id));
}

async function ticketsOnCalendar(ctx: Ctx, calendarId: number): Promise<number[]> {
  return await listOpenTicketIdsOnPolicies(ctx.db, (await listSlaPolicies(ctx.db)).filter((p) => p.calendarId === calendarId).map((p) => p.id));
}

export async function addCalendarException(ctx: Ctx, actor: UserActor, calendarId: number, form: ExceptionForm): Promise<void> {
  requirePermission(actor.user, 'sla.manage');
  const { date, kind, hours, note } = parseInput(exceptionFormSchema, form);
  const now = ctx.clock.now();
  await inTransaction(ctx.db, () => audited(ctx, actor, 'calendar', calendarSnapshot, calendarId, 'exception_added', async () => {
    const cal = await getCalendar(ctx.db, calendarId);
    const key = dateKey(date);
    if (kind === 'holiday') await upsertCalendarException(ctx.db, calendarId, { date: key, kind: 'holiday', hours: null, note });
    else if (kind === 'short') {
      // a pre-holiday day: the usual hours of that weekday (or the standard day) an hour shorter
      const usual = cal.weeklyHours[weekdayOf(date)].length ? cal.weeklyHours[weekdayOf(date)] : standardHours(cal.weeklyHours);
      await upsertCalendarException(ctx.db, calendarId, { date: key, kind: 'workday', hours: hours ?? shortenedHours(usual), note });
    } else await upsertCalendarException(ctx.db, calendarId, { date: key, kind: 'workday', hours, note });
    await touchCalendar(ctx.db, calendarId, now);
    await validateCalendar(ctx, calendarId);
    await recompute(ctx, await ticketsOnCalendar(ctx, calendarId), now);
  }, () => calendarId));
}

async function validateCalendar(ctx: Ctx, calendarId: number): Promise<void> {
  const cal = await getCalendar(ctx.db, calendarId);
  const exceptions: CalendarException[] = (await listCalendarExceptions(ctx.db, calendarId)).map((e) => ({ date: e.date, kind: e.kind, hours: e.hours ?? null }));
  try {
    compileCalendar({ timeZone: cal.timeZone, weeklyHours: cal.weeklyHours, exceptions });
  } catch (err) {
    if (err instanceof CalendarError) fail({ hours: err.message });
    throw err;
  }
}

export async function removeCalendarException(ctx: Ctx, actor: UserActor, calendarId: number, exceptionId: number): Promise<void> {
  requirePermission(actor.user, 'sla.manage');
  const now = ctx.clock.now();
  await inTransaction(ctx.db, () => audited(ctx, actor, 'calendar', calendarSnapshot, calendarId, 'exception_removed', async () => {
    await deleteCalendarException(ctx.db, calendarId, exceptionId);
    await touchCalendar(ctx.db, calendarId, now);
    await recompute(ctx, await ticketsOnCalendar(ctx, calendarId), now);
  }, () => calendarId));
}

/** Imports a year of holidays and working days; nothing is stored when any line is wrong. */
export async function importCalendar(ctx: Ctx, actor: UserActor, calendarId: number, text: string): Promise<{ count: number; years: number[] }> {
  requirePermission(actor.user, 'sla.manage');
  if (!text.trim()) fail({ import: 'Paste the calendar first' });
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, () => audited(ctx, actor, 'calendar', calendarSnapshot, calendarId, 'imported', async () => {
    const cal = await getCalendar(ctx.db, calendarId);
    const parsed = parseCalendarImport(text, cal.weeklyHours);
    if (parsed.errors.length) fail({ import: parsed.errors.slice(0, 10).join('; ') });
    if (!parsed.exceptions.length && !parsed.years.length) fail({ import: 'The text holds no dates' });
    await deleteCalendarExceptionsOfYears(ctx.db, calendarId, parsed.years);
    for (const e of parsed.exceptions) await upsertCalendarException(ctx.db, calendarId, e);
    await touchCalendar(ctx.db, calendarId, now);
    await validateCalendar(ctx, calendarId);
    await insertEvent(ctx.db, { ticketId: null, actor: auditActor(actor), type: 'calendar.imported', data: { calendarId, count: parsed.exceptions.length, years: parsed.years } }, now);
    await recompute(ctx, await ticketsOnCalendar(ctx, calendarId), now);
    return { count: parsed.exceptions.length, years: parsed.years };
  }, () => calendarId));
}

export async function removeCalendar(ctx: Ctx, actor: UserActor, calendarId: number): Promise<void> {
  requirePermission(actor.user, 'sla.manage');
  const now = ctx.clock.now();
  await inTransaction(ctx.db, async () => {
    const before = await calendarSnapshot(ctx, calendarId);
    const ids = await ticketsOnCalendar(ctx, calendarId);
    await deleteCalendar(ctx.db, calendarId); // policies fall back to round-the-clock time
    await recompute(ctx, ids, now);
    if (before.snapshot) await recordAudit(ctx, actor.user, { kind: 'calendar', id: calendarId, label: before.label }, 'removed', { before: before.snapshot, after: null });
  });
}

// --- SLA policies ----------------------------------------------------------------------------

export async function saveSlaPolicy(ctx: Ctx, actor: UserActor, id: number | null, form: PolicyForm): Promise<SlaPolicy> {
  requirePermission(actor.user, 'sla.manage');
  const { name, calendarId, warningPercent, pauseOnThirdParty, escalation, isDefault, targets } = parseInput(policyFormSchema, form, policyFormField);
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, () => audited(ctx, actor, 'sla_policy', policySnapshot, id, id === null ? 'created' : 'updated', async () => {
    if (calendarId !== null) await getCalendar(ctx.db, calendarId);
    const values = { name, calendarId, warningPercent, pauseOnThirdParty, escalationMinutes: escalation };
    let policy: SlaPolicy;
    if (id === null) policy = await insertSlaPolicy(ctx.db, values, now);
    else {
      await getSlaPolicy(ctx.db, id);
      await updateSlaPolicy(ctx.db, id, values, now);
      policy = await getSlaPolicy(ctx.db, id);
    }
    for (const t of targets) await upsertSlaTarget(ctx.db, policy.id, t);
    const oldDefault = await findDefaultSlaPolicyId(ctx.db);
    const affected = await listOpenTicketIdsOnPolicies(ctx.db, [policy.id]);
    if (isDefault && oldDefault !== policy.id) {
      await updateDefaultSlaPolicyId(ctx.db, policy.id, now);
      affected.push(...await listOpenTicketIdsWithoutContractPolicy(ctx.db));
    } else if (!isDefault && oldDefault === policy.id) {
      await updateDefaultSlaPolicyId(ctx.db, null, now);
      affected.push(...await listOpenTicketIdsWithoutContractPolicy(ctx.db));
    }
    await insertEvent(ctx.db, { ticketId: null, actor: auditActor(actor), type: id === null ? 'sla_policy.created' : 'sla_policy.updated', data: { policyId: policy.id } }, now);
    await recompute(ctx, affected, now);
    return policy;
  }, (p) => p.id));
}

export async function removeSlaPolicy(ctx: Ctx, actor: UserActor, id: number): Promise<void> {
  requirePermission(actor.user, 'sla.manage');
  const now = ctx.clock.now();
  await inTransaction(ctx.db, async () => {
    if (!await findSlaPolicy(ctx.db, id)) throw new AppError('not_found', 'SLA policy not found');
    const before = await policySnapshot(ctx, id);
    const affected = await listOpenTicketIdsOnPolicies(ctx.db, [id]);
    if (await findDefaultSlaPolicyId(ctx.db) === id) await updateDefaultSlaPolicyId(ctx.db, null, now);
    await deleteSlaPolicy(ctx.db, id); // contracts that used it fall back to the default policy
    await recompute(ctx, affected, now);
    await recordAudit(ctx, actor.user, { kind: 'sla_policy', id, label: before.label }, 'removed', { before: before.snapshot, after: null });
  });
}

// --- workflow rules --------------------------------------------------------------------------

export async function saveWorkflowRules(ctx: Ctx, actor: UserActor, rules: unknown, autoCloseDays: Record<string, string | undefined>): Promise<WorkflowRules> {
  requirePermission(actor.user, 'settings.manage');
  const days = parseInput(autoCloseDaysSchema, autoCloseDays, autoCloseDaysField);
  const normalized = normalizeRules(rules);
  for (const [type, d] of Object.entries(days)) normalized[type as keyof WorkflowRules].autoCloseDays = d;
  const now = ctx.clock.now();
  await inTransaction(ctx.db, async () => {
    const before = await getWorkflowRules(ctx.db);
    await updateWorkflowRules(ctx.db, normalized, now);
    await recordAudit(ctx, actor.user, { kind: 'workflow', id: null, label: 'Workflow rules' }, 'updated', { before: rulesSnapshot(before), after: rulesSnapshot(normalized) });
    await insertEvent(ctx.db, { ticketId: null, actor: auditActor(actor), type: 'workflow.rules_updated', data: {} }, now);
  });
  return normalized;
}

// --- contracts -------------------------------------------------------------------------------

export async function saveContract(ctx: Ctx, actor: UserActor, organizationId: number, form: ContractForm): Promise<Organization> {
  requirePermission(actor.user, 'organization.manage');
  const contract = parseInput(contractFormSchema, form);
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, async () => {
    const before = await getOrganization(ctx.db, organizationId);
    await checkContractReferences(ctx.db, contract, CONTRACT_FORM_KEYS);
    await updateOrganization(ctx.db, organizationId, contract, now);
    const after = await getOrganization(ctx.db, organizationId);
    await recordAudit(ctx, actor.user, { kind: 'contract', id: organizationId, label: after.name }, 'updated', { before: contractSnapshot(before), after: contractSnapshot(after) });
    await insertEvent(ctx.db, { ticketId: null, actor: auditActor(actor), type: 'organization.contract_updated', data: { organizationId } }, now);
    await recompute(ctx, await listOpenTicketIdsOfOrganization(ctx.db, organizationId), now);
    return await getOrganization(ctx.db, organizationId);
  });
}
