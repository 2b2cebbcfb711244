// What the use cases run with: the deps plus the hooks other modules plug in (notifications,
// SLA clocks, workflow rules). Hooks run inside the action's transaction, so a hook that throws
// refuses the whole change and one that writes (an outbox row) commits with it.
import type { Db } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import type { ApplyHook } from '../intake/apply.ts';
import type { Message } from '../store/messages.ts';
import type { Ticket } from '../store/tickets.ts';
import type { User } from '../store/users.ts';
import type { TicketStatus } from '../db/schema.ts';
import type { CompiledCalendars } from '../domain/compiled-calendars.ts';
import type { MailHtmlCache } from '../domain/safe-mail-html.ts';
import type { LocaleStrings } from '../i18n/locale-strings.ts';

/** Who makes a change: a staff user, a requester (their mail or SMS, the portal) or the desk itself. */
export type ActorRef = { kind: 'user'; user: User } | { kind: 'contact'; contactId: number } | { kind: 'system' };

export type TicketChange =
  | { type: 'created'; ticket: Ticket; message: Message | null }
  | { type: 'status'; ticket: Ticket; from: TicketStatus; to: TicketStatus; reason?: string }
  | { type: 'assigned'; ticket: Ticket; from: number | null; to: number | null }
  | { type: 'updated'; ticket: Ticket; before: Ticket; fields: (keyof Ticket)[] }
  | { type: 'note'; ticket: Ticket; message: Message }
  | { type: 'reply'; ticket: Ticket; message: Message }
  | { type: 'worklog'; ticket: Ticket; minutes: number; billable: boolean };

export type TicketChangeHook = (tx: Db, change: TicketChange & { actor: ActorRef }, ctx: Ctx) => Promise<void> | void;

export type Hooks = {
  /** runs before a change is written; throw an AppError to refuse it */
  validateChange: TicketChangeHook[];
  /** runs after a change is written, in the same transaction */
  ticketChanged: TicketChangeHook[];
  inboundApplied: ApplyHook[];
};

/**
 * `mailHtml`: stored mail HTML sanitised again when it is shown (web pages and the API);
 * `locales`: the strings the workflow writes into notes and mail, read once per desk;
 * `calendars`: the business calendars the SLA clocks run on, compiled once per version.
 */
export type Ctx = Deps & { hooks: Hooks; mailHtml: MailHtmlCache; locales: LocaleStrings; calendars: CompiledCalendars };

export function emptyHooks(): Hooks {
  return { validateChange: [], ticketChanged: [], inboundApplied: [] };
}

export async function runHooks(list: TicketChangeHook[], ctx: Ctx, change: TicketChange & { actor: ActorRef }): Promise<void> {
  for (const hook of list) await hook(ctx.db, change, ctx);
}
