// Which SLA applies to a ticket: the policy of its organisation's contract (else the desk's
// default policy), the targets for its priority, and the policy's business calendar.
import type { Db } from '../db/client.ts';
import { ALWAYS_OPEN, compileCalendar, type CompiledCalendar } from '../domain/business-calendar.ts';
import type { CompiledCalendars } from '../domain/compiled-calendars.ts';
import type { SlaConfig } from '../domain/sla-clock.ts';
import { calendarExceptionsVersion, findCalendar, loadBusinessCalendar } from './calendars.ts';
import { findOrganization } from './organizations.ts';
import { findSlaPolicy, findSlaTarget, type SlaPolicy } from './sla-policies.ts';
import type { Ticket } from './tickets.ts';
import { findDefaultSlaPolicyId } from './workflow-settings.ts';

export function findPolicyForTicket(db: Db, ticket: Pick<Ticket, 'organizationId'>): SlaPolicy | undefined {
  const org = ticket.organizationId ? findOrganization(db, ticket.organizationId) : undefined;
  const id = org?.slaPolicyId ?? findDefaultSlaPolicyId(db);
  return id ? findSlaPolicy(db, id) : undefined;
}

/** The compiled calendar, from the desk's compiled calendars while its row and exceptions are unchanged. */
export function loadCompiledCalendar(db: Db, calendars: CompiledCalendars, calendarId: number | null): CompiledCalendar {
  const row = calendarId ? findCalendar(db, calendarId) : undefined;
  const key = row ? `${row.id}:${row.updatedAt}:${row.timeZone}:${JSON.stringify(row.weeklyHours)}:${calendarExceptionsVersion(db, row.id)}` : 'always-open';
  return calendars.get(key, () => compileCalendar((row && loadBusinessCalendar(db, row.id)) || ALWAYS_OPEN));
}

/** The clock's configuration for a ticket, or null when no SLA applies to it. */
export function loadSlaConfig(db: Db, calendars: CompiledCalendars, ticket: Pick<Ticket, 'organizationId' | 'priority'>): SlaConfig | null {
  const policy = findPolicyForTicket(db, ticket);
  if (!policy) return null;
  const t = findSlaTarget(db, policy.id, ticket.priority);
  return {
    policyId: policy.id,
    calendar: loadCompiledCalendar(db, calendars, policy.calendarId),
    minutes: {
      firstResponse: t?.firstResponseMinutes ?? null,
      nextResponse: t?.nextResponseMinutes ?? null,
      resolution: t?.resolutionMinutes ?? null,
      internalFirstResponse: t?.internalFirstResponseMinutes ?? null,
      internalResolution: t?.internalResolutionMinutes ?? null,
      escalation: policy.escalationMinutes ?? null,
    },
    warningPercent: policy.warningPercent,
    pauseOnThirdParty: policy.pauseOnThirdParty,
  };
}
