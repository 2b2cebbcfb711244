// What an organisation's contract allows: how often and for how long a ticket may be reopened,
// which components and channels are covered, the per-ticket time budget, and the month's bill.
import type { Channel, TicketStatus } from './vocabulary.ts';

export type Contract = {
  monthlyFeeCents: number | null;
  currency: string;
  includedMinutes: number | null;
  hourlyRateCents: number | null;
  /** how many times one ticket may be reopened (null: no limit) */
  reopenLimit: number | null;
  /** days after resolution during which a reply reopens the ticket (null: no limit) */
  reopenWindowDays: number | null;
  ticketTimeBudgetMinutes: number | null;
  /** null: everything is covered */
  coveredComponentIds: number[] | null;
  coveredChannels: Channel[] | null;
};

export const NO_CONTRACT: Contract = {
  monthlyFeeCents: null, currency: 'RUB', includedMinutes: null, hourlyRateCents: null, reopenLimit: null,
  reopenWindowDays: null, ticketTimeBudgetMinutes: null, coveredComponentIds: null, coveredChannels: null,
};

const DAY_MS = 86_400_000;

export type ReopenDecision =
  | { allowed: true }
  | { allowed: false; reason: 'limit'; limit: number }
  | { allowed: false; reason: 'window'; windowDays: number; resolvedAt: number };

/** May the requester reopen this resolved or closed ticket now? */
export function decideReopen(
  ticket: { status: TicketStatus; reopenCount: number; resolvedAt: number | null; closedAt: number | null },
  contract: Pick<Contract, 'reopenLimit' | 'reopenWindowDays'>,
  now: number,
): ReopenDecision {
  if (contract.reopenLimit !== null && ticket.reopenCount >= contract.reopenLimit) {
    return { allowed: false, reason: 'limit', limit: contract.reopenLimit };
  }
  const since = ticket.resolvedAt ?? ticket.closedAt;
  if (contract.reopenWindowDays !== null && since !== null && now - since > contract.reopenWindowDays * DAY_MS) {
    return { allowed: false, reason: 'window', windowDays: contract.reopenWindowDays, resolvedAt: since };
  }
  return { allowed: true };
}

export type ScopeCheck = { outOfScope: boolean; reasons: ('component' | 'channel')[] };

/** A request on a component or through a channel the contract does not cover is billable. */
export function checkScope(contract: Pick<Contract, 'coveredComponentIds' | 'coveredChannels'>, ticket: { componentId: number | null; channel: Channel }): ScopeCheck {
  const reasons: ScopeCheck['reasons'] = [];
  if (contract.coveredComponentIds && ticket.componentId !== null && !contract.coveredComponentIds.includes(ticket.componentId)) reasons.push('component');
  if (contract.coveredChannels && !contract.coveredChannels.includes(ticket.channel)) reasons.push('channel');
  return { outOfScope: reasons.length > 0, reasons };
}

/** Did the logged time just pass the per-ticket budget? */
export function budgetExceeded(contract: Pick<Contract, 'ticketTimeBudgetMinutes'>, loggedMinutes: number): boolean {
  return contract.ticketTimeBudgetMinutes !== null && contract.ticketTimeBudgetMinutes >= 0 && loggedMinutes > contract.ticketTimeBudgetMinutes;
}

export type MonthlyBill = {
  includedMinutes: number;
  /** billable time on covered requests, which uses up the included minutes */
  coveredMinutes: number;
  /** billable time on out-of-scope requests, charged in full */
  outOfScopeMinutes: number;
  overageMinutes: number;
  feeCents: number;
  overageCents: number;
  outOfScopeCents: number;
  totalCents: number;
  /** share of the included minutes used, 0–100+ (null when nothing is included) */
  usedPercent: number | null;
};

/** The month's bill: the fee, plus time beyond the included minutes and out-of-scope time at the hourly rate. */
export function monthlyBill(contract: Pick<Contract, 'includedMinutes' | 'hourlyRateCents' | 'monthlyFeeCents'>, usage: { coveredMinutes: number; outOfScopeMinutes: number }): MonthlyBill {
  const included = contract.includedMinutes ?? 0;
  const rate = contract.hourlyRateCents ?? 0;
  const overageMinutes = Math.max(0, usage.coveredMinutes - included);
  const cost = (minutes: number) => Math.round((minutes * rate) / 60);
  const feeCents = contract.monthlyFeeCents ?? 0;
  const overageCents = cost(overageMinutes);
  const outOfScopeCents = cost(usage.outOfScopeMinutes);
  return {
    includedMinutes: included,
    coveredMinutes: usage.coveredMinutes,
    outOfScopeMinutes: usage.outOfScopeMinutes,
    overageMinutes,
    feeCents,
    overageCents,
    outOfScopeCents,
    totalCents: feeCents + overageCents + outOfScopeCents,
    usedPercent: included > 0 ? Math.round((usage.coveredMinutes / included) * 100) : null,
  };
}
