import { describe, expect, it } from 'vitest';
import { checkSendLimits, DEFAULT_SEND_LIMITS, describeTier, longestWindowMs, type LimitTier } from './send-limits.ts';

const MIN = 60_000;

describe('send limits (loop backstop)', () => {
  const tiers: LimitTier[] = [
    { scope: 'ticket', windowMinutes: 10, max: 2 },
    { scope: 'recipient', windowMinutes: 60, max: 3 },
  ];
  const now = 1_000 * MIN;

  it('allows mail while every tier has room', () => {
    expect(checkSendLimits(tiers, [], 1, now)).toEqual({ ok: true });
    expect(checkSendLimits(tiers, [{ ticketId: 1, at: now - MIN }], 1, now)).toEqual({ ok: true });
  });

  it('stops the third mail on one ticket within ten minutes', () => {
    const recent = [{ ticketId: 1, at: now - 2 * MIN }, { ticketId: 1, at: now - 9 * MIN }];
    const v = checkSendLimits(tiers, recent, 1, now);
    expect(v).toMatchObject({ ok: false, tier: tiers[0], count: 2 });
    // another ticket is still fine on the per-ticket tier
    expect(checkSendLimits(tiers, recent, 2, now)).toEqual({ ok: true });
  });

  it('counts across tickets for the per-recipient tier, and forgets sends outside the window', () => {
    const recent = [1, 2, 3].map((t) => ({ ticketId: t, at: now - 30 * MIN }));
    expect(checkSendLimits(tiers, recent, 4, now)).toMatchObject({ ok: false, tier: tiers[1], count: 3 });
    expect(checkSendLimits(tiers, recent, 4, now + 31 * MIN)).toEqual({ ok: true });
  });

  it('defaults: requester mail is limited from 10 minutes to 10 hours, staff get more', () => {
    expect(longestWindowMs(DEFAULT_SEND_LIMITS.requester)).toBe(600 * MIN);
    const recipientMax = (ts: LimitTier[]) => Math.min(...ts.filter((t) => t.scope === 'recipient').map((t) => t.max));
    expect(recipientMax(DEFAULT_SEND_LIMITS.agent)).toBeGreaterThan(recipientMax(DEFAULT_SEND_LIMITS.requester));
    expect(describeTier({ scope: 'recipient', windowMinutes: 600, max: 20 })).toBe('20 per 10 h');
    expect(describeTier({ scope: 'ticket', windowMinutes: 10, max: 3 })).toBe('3 per 10 min on one ticket');
  });
});
