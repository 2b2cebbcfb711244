// What the audit log keeps of the workflow's configuration: a business calendar with its
// exceptions, an SLA policy with its targets, the workflow rules, an organisation's contract.
import type { AuditSnapshot } from '../domain/audit-entry.ts';
import type { WorkflowRules } from '../domain/transitions.ts';
import { findCalendar, listCalendarExceptions } from '../store/calendars.ts';
import type { Organization } from '../store/organizations.ts';
import { findSlaPolicy, listSlaTargets } from '../store/sla-policies.ts';
import { findDefaultSlaPolicyId } from '../store/workflow-settings.ts';
import { pickFields } from './audit.ts';
import type { Ctx } from './context.ts';

export async function calendarSnapshot(ctx: Ctx, id: number): Promise<{ label: string; snapshot: AuditSnapshot | null }> {
  const cal = await findCalendar(ctx.db, id);
  if (!cal) return { label: `#${id}`, snapshot: null };
  const exceptions = (await listCalendarExceptions(ctx.db, id))
    .map((e) => `${e.date} ${e.kind}${e.hours ? ' ' + JSON.stringify(e.hours) : ''}${e.note ? ' (' + e.note + ')' : ''}`);
  return { label: cal.name, snapshot: { ...pickFields(cal, ['name', 'timeZone', 'weeklyHours']), exceptions } };
}

const TARGET_FIELDS = ['firstResponseMinutes', 'nextResponseMinutes', 'resolutionMinutes', 'internalFirstResponseMinutes', 'internalResolutionMinutes'] as const;

export async function policySnapshot(ctx: Ctx, id: number): Promise<{ label: string; snapshot: AuditSnapshot | null }> {
  const p = await findSlaPolicy(ctx.db, id);
  if (!p) return { label: `#${id}`, snapshot: null };
  const snapshot: AuditSnapshot = { ...pickFields(p, ['name', 'calendarId', 'warningPercent', 'pauseOnThirdParty', 'escalationMinutes']), isDefault: await findDefaultSlaPolicyId(ctx.db) === id };
  for (const t of await listSlaTargets(ctx.db, id)) {
    for (const f of TARGET_FIELDS) snapshot[`${t.priority}.${f}`] = t[f];
  }
  return { label: p.name, snapshot };
}

const CONTRACT_FIELDS = [
  'monthlyFeeCents', 'currency', 'includedMinutes', 'hourlyRateCents', 'reopenLimit', 'reopenWindowDays', 'ticketTimeBudgetMinutes', 'slaPolicyId', 'coveredComponentIds', 'coveredChannels',
] as const;

export function contractSnapshot(o: Organization): AuditSnapshot {
  return pickFields(o, CONTRACT_FIELDS);
}

/** The rules per ticket type, one field each (the page shows which types changed). */
export function rulesSnapshot(rules: WorkflowRules): AuditSnapshot {
  return Object.fromEntries(Object.entries(rules).map(([type, r]) => [type, JSON.stringify(r)]));
}
