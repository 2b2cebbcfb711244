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

export async function findPolicyForTicket(db: Db, ticket: Pick<Ticket, 'organizationId'>): Promise<SlaPolicy | undefined> {
  const org = ticket.organizationId ? await findOrganization(db, ticket.organizationId) : undefined;
  const id = org?.slaPolicyId ?? await findDefaultSlaPolicyId(db);
  return id ? await findSlaPolicy(db, id) : undefined;
}

/**
 * The compiled calendar and its version (its row and a fingerprint of its exceptions), from the
 * desk's compiled calendars while that version is unchanged. No calendar: always open.
 */
export async function loadCalendarVersion(db: Db, calendars: CompiledCalendars, calendarId: number | null): Promise<{ version: string; calendar: CompiledCalendar }> {
  const row = calendarId ? await findCalendar(db, calendarId) : undefined;
  const version = row ? `${row.id}:${row.updatedAt}:${row.timeZone}:${JSON.stringify(row.weeklyHours)}:${await calendarExceptionsVersion(db, row.id)}` : 'always-open';
  const kept = calendars.peek(version);
  if (kept) return { version, calendar: kept };
  const business = row ? await loadBusinessCalendar(db, row.id) : undefined;
  return { version, calendar: calendars.get(version, () => compileCalendar(business || ALWAYS_OPEN)) };
}

/** The compiled calendar, from the desk's compiled calendars while its row and exceptions are unchanged. */
export async function loadCompiledCalendar(db: Db, calendars: CompiledCalendars, calendarId: number | null): Promise<CompiledCalendar> {
  return (await loadCalendarVersion(db, calendars, calendarId)).calendar;
}

/** The clock's configuration for a ticket, or null when no SLA applies to it. */
export async function loadSlaConfig(db: Db, calendars: CompiledCalendars, ticket: Pick<Ticket, 'organizationId' | 'priority'>): Promise<SlaConfig | null> {
  const policy = await findPolicyForTicket(db, ticket);
  if (!policy) return null;
  const t = await findSlaTarget(db, policy.id, ticket.priority);
  return {
    policyId: policy.id,
    calendar: await loadCompiledCalendar(db, calendars, policy.calendarId),
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
