// Queues the workflow's mail to staff (SLA warnings and breaches, time budget, complaints,
// rejected resolutions) in each recipient's language and time zone, through the outbox.
import type { Db } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import type { LocaleStrings } from '../i18n/locale-strings.ts';
import { queueEmail } from '../outbox/queue.ts';
import type { Ticket } from '../store/tickets.ts';
import type { User } from '../store/users.ts';
import { formatDateTime, label } from '../i18n/labels.ts';

export type StaffNotice = {
  template: 'sla_warning' | 'sla_breach' | 'budget_exceeded' | 'escalated' | 'resolution_rejected';
  /** what the notice is about, for the outbox and per-user preferences */
  event: string;
  vars: (user: User, fmt: { date(ms: number): string; t(key: string, v?: Record<string, string | number>): string }) => Record<string, unknown>;
};

export function ticketUrl(deps: Pick<Deps, 'config'>, ticket: Pick<Ticket, 'number'>): string {
  return `${deps.config.publicUrl}/tickets/${ticket.number}`;
}

/** One mail per recipient; a user who turned this notice off (notifyPrefs[event] === false) gets none. */
export async function queueStaffNotice(db: Db, deps: Pick<Deps, 'config'> & { locales: LocaleStrings }, ticket: Ticket, recipients: User[], notice: StaffNotice, now: number): Promise<number> {
  let queued = 0;
  const seen = new Set<string>();
  for (const user of recipients) {
    const address = user.email.trim().toLowerCase();
    if (seen.has(address) || user.notifyPrefs?.[notice.event] === false) continue;
    seen.add(address);
    const fmt = {
      date: (ms: number) => formatDateTime(ms, user.locale, user.timeZone),
      t: (key: string, v?: Record<string, string | number>) => label(deps.locales, user.locale, key, v),
    };
    await queueEmail(
      db,
      {
        ticketId: ticket.id,
        event: notice.event,
        recipient: address,
        payload: {
          template: notice.template,
          locale: user.locale,
          auto: true,
          audience: 'agent',
          vars: {
            deskName: deps.config.deskName,
            recipientName: user.name,
            ticketNumber: ticket.number,
            subject: ticket.subject,
            ticketUrl: ticketUrl(deps, ticket),
            ...notice.vars(user, fmt),
          },
        },
      },
      now,
    );
    queued++;
  }
  return queued;
}
