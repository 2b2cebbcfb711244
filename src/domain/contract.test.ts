import { describe, expect, it } from 'vitest';
import { budgetExceeded, checkScope, decideReopen, monthlyBill } from './contract.ts';
import type { TicketStatus } from './vocabulary.ts';

const DAY = 86_400_000;
const resolvedAt = Date.parse('2026-11-02T10:00:00Z');

describe('contract: reopening', () => {
  it.each<[string, number | null, number | null, number, TicketStatus, number, ReturnType<typeof decideReopen>]>([
    ['no limits', null, null, 5, 'resolved', 100 * DAY, { allowed: true }],
    ['first reopen with M = 1', 1, null, 0, 'resolved', DAY, { allowed: true }],
    ['second reopen with M = 1', 1, null, 1, 'resolved', DAY, { allowed: false, reason: 'limit', limit: 1 }],
    ['M = 0 never reopens', 0, null, 0, 'resolved', 0, { allowed: false, reason: 'limit', limit: 0 }],
    ['inside the window', null, 7, 0, 'resolved', 7 * DAY, { allowed: true }],
    ['just past the window', null, 7, 0, 'closed', 7 * DAY + 1, { allowed: false, reason: 'window', windowDays: 7, resolvedAt }],
    ['the limit is named before the window', 1, 7, 1, 'closed', 30 * DAY, { allowed: false, reason: 'limit', limit: 1 }],
  ])('%s', (_name, limit, windowDays, reopenCount, status, after, expected) => {
    expect(decideReopen({ status, reopenCount, resolvedAt, closedAt: resolvedAt + DAY }, { reopenLimit: limit, reopenWindowDays: windowDays }, resolvedAt + after)).toEqual(expected);
  });

  it('counts the window from closing when there is no resolution time', () => {
    expect(decideReopen({ status: 'closed', reopenCount: 0, resolvedAt: null, closedAt: resolvedAt }, { reopenLimit: null, reopenWindowDays: 1 }, resolvedAt + 2 * DAY)).toMatchObject({ allowed: false, reason: 'window' });
  });
});

describe('contract: scope and budget', () => {
  it.each<[string, number[] | null, ('email' | 'sms' | 'web')[] | null, number | null, 'email' | 'sms' | 'web', string[]]>([
    ['everything covered', null, null, 4, 'email', []],
    ['covered component and channel', [1, 4], ['email', 'web'], 4, 'email', []],
    ['component not covered', [1], null, 4, 'email', ['component']],
    ['no component yet is not out of scope', [1], null, null, 'email', []],
    ['channel not covered', null, ['email'], 4, 'sms', ['channel']],
    ['both', [1], ['email'], 2, 'sms', ['component', 'channel']],
  ])('%s', (_name, components, channels, componentId, channel, reasons) => {
    expect(checkScope({ coveredComponentIds: components, coveredChannels: channels }, { componentId, channel })).toEqual({ outOfScope: reasons.length > 0, reasons });
  });

  it.each([
    [null, 10_000, false],
    [120, 120, false],
    [120, 121, true],
    [0, 1, true],
  ])('budget %s with %s logged minutes exceeded: %s', (budget, logged, exceeded) => {
    expect(budgetExceeded({ ticketTimeBudgetMinutes: budget }, logged)).toBe(exceeded);
  });
});

describe('contract: the monthly bill', () => {
  it.each([
    ['inside the included minutes', { coveredMinutes: 300, outOfScopeMinutes: 0 }, { overageMinutes: 0, overageCents: 0, outOfScopeCents: 0, totalCents: 150_000, usedPercent: 50 }],
    ['over by 90 minutes at 60.00/h', { coveredMinutes: 690, outOfScopeMinutes: 0 }, { overageMinutes: 90, overageCents: 9_000, totalCents: 159_000, usedPercent: 115 }],
    ['out-of-scope time is billed in full', { coveredMinutes: 100, outOfScopeMinutes: 30 }, { overageMinutes: 0, outOfScopeCents: 3_000, totalCents: 153_000 }],
  ])('%s', (_name, usage, expected) => {
    expect(monthlyBill({ includedMinutes: 600, hourlyRateCents: 6_000, monthlyFeeCents: 150_000 }, usage)).toMatchObject(expected);
  });

  it('works without a contract', () => {
    expect(monthlyBill({ includedMinutes: null, hourlyRateCents: null, monthlyFeeCents: null }, { coveredMinutes: 50, outOfScopeMinutes: 0 })).toMatchObject({ totalCents: 0, usedPercent: null, overageMinutes: 50 });
  });
});
