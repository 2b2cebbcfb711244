// The loop backstop: however automatic mail got queued, one address gets only so much of it.
// Tiers count recent automatic sends to the address, on the same ticket or across all tickets.
export type LimitTier = { scope: 'ticket' | 'recipient'; windowMinutes: number; max: number };

/** Requester mail and staff notices have their own tiers (staff legitimately get more). */
export type SendLimits = { requester: LimitTier[]; agent: LimitTier[] };

export const DEFAULT_SEND_LIMITS: SendLimits = {
  requester: [
    { scope: 'ticket', windowMinutes: 10, max: 3 },
    { scope: 'ticket', windowMinutes: 600, max: 6 },
    { scope: 'recipient', windowMinutes: 10, max: 5 },
    { scope: 'recipient', windowMinutes: 60, max: 10 },
    { scope: 'recipient', windowMinutes: 600, max: 20 },
  ],
  agent: [
    { scope: 'ticket', windowMinutes: 10, max: 5 },
    { scope: 'recipient', windowMinutes: 10, max: 30 },
    { scope: 'recipient', windowMinutes: 60, max: 100 },
    { scope: 'recipient', windowMinutes: 600, max: 300 },
  ],
};

export type RecentSend = { ticketId: number | null; at: number };

export type LimitVerdict = { ok: true } | { ok: false; tier: LimitTier; count: number };

/** The longest window of the tiers: how far back the recent sends must be read. */
export function longestWindowMs(tiers: LimitTier[]): number {
  return Math.max(0, ...tiers.map((t) => t.windowMinutes)) * 60_000;
}

/** Whether one more automatic mail may go to an address that recently got `recent`. */
export function checkSendLimits(tiers: LimitTier[], recent: RecentSend[], ticketId: number | null, now: number): LimitVerdict {
  for (const tier of tiers) {
    const since = now - tier.windowMinutes * 60_000;
    const count = recent.filter((s) => s.at > since && (tier.scope === 'recipient' || (ticketId !== null && s.ticketId === ticketId))).length;
    if (count >= tier.max) return { ok: false, tier, count };
  }
  return { ok: true };
}

export function describeTier(t: LimitTier): string {
  const window = t.windowMinutes % 60 === 0 ? `${t.windowMinutes / 60} h` : `${t.windowMinutes} min`;
  return `${t.max} per ${window}${t.scope === 'ticket' ? ' on one ticket' : ''}`;
}
