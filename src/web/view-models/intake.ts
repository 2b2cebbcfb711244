// What the quarantine and mailbox pages show: presented rows, never raw records or passwords.
import type { InboundRecord } from '../../store/inbound.ts';
import type { Mailbox } from '../../store/mailboxes.ts';
import { humanSize } from './ticket.ts';

export type InboundRowVM = {
  id: number;
  receivedAt: number;
  source: string;
  mailbox: string | null;
  from: string | null;
  subject: string;
  outcome: string;
  reason: string | null;
  error: string | null;
  problems: string[];
  attempts: number;
  size: string;
  ticketNumber: number | null;
  canReprocess: boolean;
  /** quarantined by reference (too big to read): the download is its headers, the mail is on its server */
  headersOnly: boolean;
};

export function inboundRow(r: InboundRecord & { ticketNumber: number | null }, mailboxNames: Map<number, string>): InboundRowVM {
  return {
    id: r.id,
    receivedAt: r.receivedAt,
    source: r.source,
    mailbox: r.mailboxId ? (mailboxNames.get(r.mailboxId) ?? null) : null,
    from: r.fromAddress,
    subject: r.subject || '—',
    outcome: r.outcome,
    reason: r.reason,
    error: r.error,
    problems: r.problems ?? [],
    attempts: r.attempts,
    size: humanSize(r.remoteRef?.size ?? r.rawSize),
    ticketNumber: r.ticketNumber,
    headersOnly: !!r.remoteRef,
    canReprocess: (r.outcome === 'quarantined' && !r.remoteRef) || r.outcome === 'ignored' || (r.ticketNumber === null && (r.outcome === 'auto_reply' || r.outcome === 'bounce')),
  };
}

export type MailboxRowVM = {
  id: number;
  name: string;
  address: string;
  server: string;
  /** read without any TLS (allowed explicitly): shown as a warning */
  plainText: boolean;
  folder: string;
  enabled: boolean;
  fromEnv: boolean;
  markSeen: boolean;
  moveTo: string | null;
  importSince: number | null;
  lastSuccessAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  /** the last error is newer than the last success */
  failing: boolean;
  importedToday: number;
  quarantinedToday: number;
};

export function mailboxRow(m: Mailbox, today: { imported: number; quarantined: number }): MailboxRowVM {
  return {
    id: m.id,
    name: m.name,
    address: m.address,
    server: `${m.username} @ ${m.host}:${m.port}${m.secure ? ' (TLS)' : m.allowPlaintext ? '' : ' (STARTTLS)'}`,
    plainText: !m.secure && m.allowPlaintext,
    folder: m.folder,
    enabled: m.enabled,
    fromEnv: m.fromEnv,
    markSeen: m.markSeen,
    moveTo: m.moveTo,
    importSince: m.importSince,
    lastSuccessAt: m.lastSuccessAt,
    lastError: m.lastError,
    lastErrorAt: m.lastErrorAt,
    failing: !!m.lastErrorAt && (!m.lastSuccessAt || m.lastErrorAt > m.lastSuccessAt),
    importedToday: today.imported,
    quarantinedToday: today.quarantined,
  };
}

/** The form's values: the stored settings, the password never sent back. */
export function mailboxFormValues(m: Mailbox): Record<string, string | boolean | number | null> {
  return {
    name: m.name, address: m.address, host: m.host, port: m.port, secure: m.secure, allowPlaintext: m.allowPlaintext, username: m.username, password: '',
    folder: m.folder, markSeen: m.markSeen, moveTo: m.moveTo ?? '', componentId: m.componentId ?? '', enabled: m.enabled,
  };
}

/** Midnight of today in a time zone, as epoch ms (for "today" counts). */
export function startOfToday(now: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  const sinceMidnight = ((Number(parts.hour) * 60 + Number(parts.minute)) * 60 + Number(parts.second)) * 1000 + (now % 1000);
  return now - sinceMidnight;
}
