// What the outbox page (its rows and each sender's banner) and the ticket page's mail notice see:
// presented rows, never raw payloads.
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { describeTier, type LimitTier } from '../../domain/send-limits.ts';
import { getChannelHealth, getOutboxSettings } from '../../outbox/settings.ts';
import type { ChannelSender } from '../../outbox/types.ts';
import { countOutboxByStatus, findLatestTicketOutboxError, findOldestPending, listTicketNumbers, type OutboxRow } from '../../store/outbox.ts';
import type { Ticket } from '../../store/tickets.ts';

export type OutboxRowVM = {
  id: number;
  channel: string;
  event: string;
  template: string | null;
  automatic: boolean;
  recipient: string;
  cc: string[];
  status: string;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
  ticketNumber: number | null;
  canRetry: boolean;
  canDiscard: boolean;
};

export async function outboxRows(db: Db, rows: OutboxRow[]): Promise<OutboxRowVM[]> {
  const numbers = await listTicketNumbers(db, rows.flatMap((r) => (r.ticketId ? [r.ticketId] : [])));
  return rows.map((r) => {
    const p = r.payload as { template?: string; auto?: boolean };
    return {
      id: r.id,
      channel: r.channel,
      event: r.event,
      template: p.template ?? null,
      automatic: !!p.auto,
      recipient: r.recipient,
      cc: r.cc ?? [],
      status: r.status,
      attempts: r.attempts,
      nextAttemptAt: r.status === 'pending' ? r.nextAttemptAt : null,
      lastError: r.lastError,
      createdAt: r.createdAt,
      sentAt: r.sentAt,
      ticketNumber: r.ticketId ? (numbers.get(r.ticketId) ?? null) : null,
      canRetry: r.status === 'dead' || r.status === 'skipped' || r.status === 'discarded',
      canDiscard: r.status === 'pending' || r.status === 'dead',
    };
  });
}

/** What the outbox page needs of a sender: which channel, whether it is configured, and its words. */
export type BannerSender = Pick<ChannelSender, 'channel' | 'configured' | 'banners'>;

/** One banner of the outbox page; `key` and `waitingKey` are the sender's i18n keys. */
export type ChannelBannerVM = {
  channel: string;
  state: 'notConfigured' | 'down' | 'on';
  key: string;
  /** warn while messages wait or the server is down; muted for a channel that is off with nothing waiting */
  tone: 'warn' | 'muted' | 'ok';
  since: number | null;
  error: string;
  waitingKey: string | null;
  waitingSince: number | null;
};

/**
 * A banner per sender the desk runs, in the sender's own words: not configured (and since when
 * its messages wait), configured but down since a time with the last error, or fine — nothing,
 * unless the sender has something to say then.
 */
export async function channelBanners(db: Db, senders: readonly BannerSender[]): Promise<ChannelBannerVM[]> {
  return (await Promise.all(senders.map(async ({ channel, configured, banners }): Promise<ChannelBannerVM[]> => {
    const base = { channel, since: null, error: '', waitingKey: null, waitingSince: null };
    if (!configured) {
      const waitingSince = await findOldestPending(db, channel) ?? null;
      return [{
        ...base, state: 'notConfigured', key: banners.notConfigured, tone: waitingSince === null ? 'muted' : 'warn',
        waitingKey: waitingSince === null ? null : (banners.waitingSince ?? null), waitingSince,
      }];
    }
    const health = await getChannelHealth(db, channel);
    if (health && !health.ok) return [{ ...base, state: 'down', key: banners.down, tone: 'warn', since: health.since, error: health.lastError ?? '' }];
    return banners.on ? [{ ...base, state: 'on', key: banners.on, tone: 'ok' }] : [];
  }))).flat();
}

export async function limitTiers(db: Db): Promise<{ audience: string; tiers: (LimitTier & { index: number; text: string; hours: number | null })[] }[]> {
  const s = await getOutboxSettings(db);
  return (['requester', 'agent'] as const).map((audience) => ({
    audience,
    tiers: s.limits[audience].map((t, index) => ({ ...t, index, text: describeTier(t), hours: t.windowMinutes % 60 === 0 ? t.windowMinutes / 60 : null })),
  }));
}

export type TicketOutboxVM = {
  ticketNumber: number;
  smtpConfigured: boolean;
  smtpDown: boolean;
  waiting: number;
  failed: number;
  lastError: string | null;
  nextAttemptAt: number | null;
};

/** The ticket page's mail notice: reply by email, and whatever of this ticket's mail is not out. */
export async function ticketOutbox(db: Db, config: Config, t: Ticket): Promise<TicketOutboxVM> {
  const counts = await countOutboxByStatus(db, ['pending', 'sending', 'dead'], { ticketId: t.id });
  const err = await findLatestTicketOutboxError(db, t.id);
  return {
    ticketNumber: t.number,
    smtpConfigured: !!config.smtp,
    smtpDown: !!config.smtp && (await getChannelHealth(db, 'email'))?.ok === false,
    waiting: (counts.pending ?? 0) + (counts.sending ?? 0),
    failed: counts.dead ?? 0,
    lastError: err?.lastError ?? null,
    nextAttemptAt: err?.status === 'pending' ? err.nextAttemptAt : null,
  };
}
