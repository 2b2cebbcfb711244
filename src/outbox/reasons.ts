// Why a mail was not sent: English text for the outbox row and the log, plus a translation key
// and parameters so the ticket thread says it in the reader's language.
import type { LimitTier } from '../domain/send-limits.ts';
import { describeTier } from '../domain/send-limits.ts';

export type Reason = { text: string; key?: string; params?: Record<string, string | number> };

const r = (code: string, text: string, params: Record<string, string | number> = {}): Reason => ({ text, key: `outbox.reason.${code}`, params });

export const reasons = {
  undeliverable: (detail: string | null) => r('undeliverable', `the address is marked undeliverable${detail ? ` (${detail})` : ''}`, { detail: detail ? ` (${detail})` : '' }),
  optedOut: () => r('optedOut', 'the address opted out of mail'),
  smsOptedOut: () => r('smsOptedOut', 'the number opted out of SMS'),
  ownAddress: () => r('ownAddress', 'the recipient is one of the desk’s own addresses'),
  sendLimit: (count: number, tier: LimitTier) =>
    r(tier.scope === 'ticket' ? 'sendLimitTicket' : 'sendLimit', `send limit reached: ${count} automatic mails to this address (limit ${describeTier(tier)})`, {
      count, max: tier.max, minutes: tier.windowMinutes,
    }),
  notAcknowledged: (detail: string) => r('notAcknowledged', `not acknowledged: ${detail}`, { detail }),
  noAddress: () => r('noAddress', 'the requester has no email address'),
  discarded: (by: string) => r('discarded', `discarded by ${by}`, { by }),
  demo: () => r('demo', 'demo data: not sent'),
  interrupted: () => r('interrupted', 'the last attempt was interrupted (the worker stopped during the send)'),
};

export function asReason(reason: Reason | string): Reason {
  return typeof reason === 'string' ? { text: reason } : reason;
}

/** What a thread event keeps of a reason. */
export function reasonData(reason: Reason | string): Record<string, unknown> {
  const x = asReason(reason);
  return { reason: x.text, reasonKey: x.key ?? null, reasonParams: x.params ?? {} };
}
