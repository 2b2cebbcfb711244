// An organisation's bill for a month as the contract page and the contracts report show it:
// times in milliseconds (for the duration helper) and money formatted in the viewer's language.
import type { Locale } from '../../domain/vocabulary.ts';
import { monthlyBill } from '../../domain/contract.ts';
import { formatMoney } from '../../i18n/labels.ts';
import { contractOf } from '../../store/contract-of.ts';
import type { Organization } from '../../store/organizations.ts';

export type Usage = { coveredMinutes: number; outOfScopeMinutes: number };

export const NO_USAGE: Readonly<Usage> = Object.freeze({ coveredMinutes: 0, outOfScopeMinutes: 0 });

export function billView(org: Organization, usage: Usage, locale: Locale) {
  const bill = monthlyBill(contractOf(org), usage);
  const money = (c: number) => formatMoney(c, org.currency, locale);
  return {
    ...bill,
    includedMs: bill.includedMinutes * 60_000,
    coveredMs: bill.coveredMinutes * 60_000,
    outOfScopeMs: bill.outOfScopeMinutes * 60_000,
    overageMs: bill.overageMinutes * 60_000,
    fee: money(bill.feeCents),
    overageCost: money(bill.overageCents),
    outOfScopeCost: money(bill.outOfScopeCents),
    total: money(bill.totalCents),
    rate: org.hourlyRateCents !== null ? money(org.hourlyRateCents) : null,
    over: bill.usedPercent !== null && bill.usedPercent > 100,
  };
}
