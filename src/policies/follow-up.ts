// A reply to a resolved ticket that the contract does not let reopen became a new linked ticket
// (decide-reopen): note the reason on it for the agents and tell the requester why, in their
// language, by mail (or by SMS when they wrote by SMS). The mail is an automatic answer to theirs:
// it is refused exactly where an acknowledgement would be (auto-reply, mailing list, no-reply…).
// A reopen refused because the sender could not be verified gets the note only.
import type { Db } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import type { Locale } from '../db/schema.ts';
import { addressKindOf, channelTraits } from '../domain/channel-traits.ts';
import type { LocaleStrings } from '../i18n/locale-strings.ts';
import { portalUrl } from '../domain/portal-link.ts';
import type { AppliedInbound } from '../intake/apply.ts';
import { autoAnswerBlock } from './notification-rules.ts';
import { recordNotSent } from '../outbox/outcomes.ts';
import { queueEmail, queueSms } from '../outbox/queue.ts';
import { reasons } from '../outbox/reasons.ts';
import { findContact } from '../store/contacts.ts';
import { insertEvent } from '../store/events.ts';
import { insertMessage } from '../store/messages.ts';
import { getTicket, type Ticket } from '../store/tickets.ts';
import { contractOfTicket } from '../store/contract-of.ts';
import { formatDateTime, label, plural } from '../i18n/labels.ts';

export async function requesterLocale(db: Db, deps: Pick<Deps, 'config'>, ticket: Pick<Ticket, 'requesterId'>): Promise<Locale> {
  const contact = ticket.requesterId ? await findContact(db, ticket.requesterId) : undefined;
  return contact?.locale ?? deps.config.defaultLocale;
}

export async function onFollowUpOpened(db: Db, applied: AppliedInbound, deps: Deps, locales: LocaleStrings): Promise<void> {
  const follow = applied.draft.followUpOf;
  const ticket = applied.ticket;
  if (!follow || !ticket || !applied.ticketCreated) return;
  const now = deps.clock.now();
  const old = await getTicket(db, follow.ticketId);
  const contract = await contractOfTicket(db, old);
  const reason = follow.reason === 'window' || follow.reason === 'sender' ? follow.reason : 'limit';
  const vars = {
    oldNumber: old.number,
    oldSubject: old.subject,
    newNumber: ticket.number,
    limit: contract.reopenLimit ?? 0,
    days: contract.reopenWindowDays ?? 0,
  };

  const deskLocale = deps.config.defaultLocale;
  await insertMessage(db, {
    ticketId: ticket.id, kind: 'note', direction: 'internal', channel: ticket.channel,
    bodyText: label(locales, deskLocale, `followUp.note.${reason}`, vars), createdAt: now,
  });
  await insertEvent(db, { ticketId: ticket.id, actor: { kind: 'system' }, type: 'ticket.follow_up_of', data: { ticketId: old.id, number: old.number, reason } }, now);
  await insertEvent(db, { ticketId: old.id, actor: { kind: 'system' }, type: 'ticket.follow_up_opened', data: { ticketId: ticket.id, number: ticket.number, reason } }, now);

  // an unverified sender is not told about contracts: the new ticket is acknowledged as any other
  if (reason === 'sender') return;
  const address = applied.draft.requester?.address ?? applied.draft.msg.from?.address;
  if (!address) return;
  const locale = await requesterLocale(db, deps, ticket);
  if (channelTraits(ticket.channel).answeredBy === 'sms' || addressKindOf(address) === 'phone') {
    const link = portalUrl(deps.config.publicUrl, deps.secrets.token, ticket, now);
    await queueSms(db, { ticketId: ticket.id, event: 'reopen_refused', recipient: address, payload: { text: label(locales, locale, `followUp.sms.${reason}`, { ...vars, link }) } }, now);
    return;
  }
  const refusal = autoAnswerBlock(applied, address);
  if (refusal) {
    await recordNotSent(db, ticket, { event: 'reopen_refused', recipient: address, audience: 'requester', reason: reasons.notAcknowledged(refusal) }, now);
    return;
  }
  await queueEmail(
    db,
    {
      ticketId: ticket.id,
      event: 'reopen_refused',
      recipient: address,
      payload: {
        template: 'reopen_refused',
        locale,
        auto: true,
        audience: 'requester',
        autoSubmitted: 'auto-replied',
        vars: {
          deskName: deps.config.deskName,
          requesterName: applied.draft.requester?.name || address,
          ...vars,
          limitText: plural(locales, locale, 'plural.times', contract.reopenLimit ?? 0),
          daysText: plural(locales, locale, 'plural.days', contract.reopenWindowDays ?? 0),
          limitReached: reason === 'limit',
          windowPassed: reason === 'window',
          resolvedAt: old.resolvedAt ? formatDateTime(old.resolvedAt, locale, deps.config.timeZone) : '',
          // portalUrl: added when the mail is sent (channels/email/compose-email.ts)
        },
      },
    },
    now,
  );
}
