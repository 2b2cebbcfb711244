// What the outbox page and the ticket page's mail notice see: presented rows, never raw payloads.
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { describeTier, type LimitTier } from '../../domain/send-limits.ts';
import { getChannelHealth, getOutboxSettings, type ChannelHealth } from '../../outbox/settings.ts';
import { countOutboxByStatus, findLatestTicketOutboxError, listTicketNumbers, type OutboxRow } from '../../store/outbox.ts';
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

export function outboxRows(db: Db, rows: OutboxRow[]): OutboxRowVM[] {
  const numbers = listTicketNumbers(db, rows.flatMap((r) => (r.ticketId ? [r.ticketId] : [])));
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

export type ChannelStateVM = { configured: boolean; down: boolean; since: number | null; lastError: string | null };

function channelState(configured: boolean, health: ChannelHealth | undefined): ChannelStateVM {
  const down = configured && !!health && !health.ok;
  return { configured, down, since: down ? health!.since : null, lastError: down ? health!.lastError : null };
}

export function channelStates(db: Db, config: Config) {
  return {
    email: channelState(!!config.smtp, getChannelHealth(db, 'email')),
    sms: channelState(!!config.twilio, getChannelHealth(db, 'sms')),
  };
}

export function limitTiers(db: Db): { audience: string; tiers: (LimitTier & { index: number; text: string; hours: number | null })[] }[] {
  const s = getOutboxSettings(db);
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
export function ticketOutbox(db: Db, config: Config, t: Ticket): TicketOutboxVM {
  const counts = countOutboxByStatus(db, ['pending', 'sending', 'dead'], { ticketId: t.id });
  const err = findLatestTicketOutboxError(db, t.id);
  return {
    ticketNumber: t.number,
    smtpConfigured: !!config.smtp,
    smtpDown: channelStates(db, config).email.down,
    waiting: (counts.pending ?? 0) + (counts.sending ?? 0),
    failed: counts.dead ?? 0,
    lastError: err?.lastError ?? null,
    nextAttemptAt: err?.status === 'pending' ? err.nextAttemptAt : null,
  };
}
