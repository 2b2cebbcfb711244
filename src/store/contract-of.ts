// The contract terms of a ticket's organisation (no organisation: no limits, everything covered).
import type { Db } from '../db/client.ts';
import { NO_CONTRACT, type Contract } from '../domain/contract.ts';
import { findOrganization, type Organization } from './organizations.ts';
import type { Ticket } from './tickets.ts';

export function contractOf(org: Organization | undefined | null): Contract {
  if (!org) return NO_CONTRACT;
  return {
    monthlyFeeCents: org.monthlyFeeCents,
    currency: org.currency,
    includedMinutes: org.includedMinutes,
    hourlyRateCents: org.hourlyRateCents,
    reopenLimit: org.reopenLimit,
    reopenWindowDays: org.reopenWindowDays,
    ticketTimeBudgetMinutes: org.ticketTimeBudgetMinutes,
    coveredComponentIds: org.coveredComponentIds ?? null,
    coveredChannels: org.coveredChannels ?? null,
  };
}

export async function contractOfTicket(db: Db, ticket: Pick<Ticket, 'organizationId'>): Promise<Contract> {
  return contractOf(ticket.organizationId ? await findOrganization(db, ticket.organizationId) : undefined);
}
