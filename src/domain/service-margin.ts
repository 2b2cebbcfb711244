// What serving a client earned in a month: what the contract brings in (fee, billable overage,
// out-of-scope work) less what the time logged on their tickets cost the desk. A client billed in
// another currency than staff costs are kept in has no margin: the two do not subtract.
import type { MonthlyBill } from './contract.ts';

export type ServiceMargin = {
  revenueCents: number;
  costCents: number;
  /** null when the contract's currency is not the cost currency */
  marginCents: number | null;
  /** margin as a share of revenue, in percent (one decimal); null without revenue or margin */
  marginPercent: number | null;
};

export function serviceMargin(bill: Pick<MonthlyBill, 'totalCents'>, costCents: number, sameCurrency: boolean): ServiceMargin {
  const revenueCents = bill.totalCents;
  const marginCents = sameCurrency ? revenueCents - costCents : null;
  const marginPercent = marginCents !== null && revenueCents > 0 ? Math.round((marginCents / revenueCents) * 1000) / 10 : null;
  return { revenueCents, costCents, marginCents, marginPercent };
}
