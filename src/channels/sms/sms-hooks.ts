// The SMS channel's hooks. On an agent's reply to an SMS ticket: text it to the requester
// (a reply too long for SMS goes as its beginning and a link to the whole thread), or record
// visibly why it was not sent. After intake: write the opt-out state a keyword decided, answer
// keywords and acknowledge new tickets, and note media that could not be fetched.
import type { TicketChangeHook } from '../../actions/context.ts';
import { portalUrl } from '../../domain/portal-link.ts';
import { fitsSms, shortenForSms, smsSize } from '../../domain/sms-segments.ts';
import type { ApplyHook } from '../../intake/apply.ts';
import { queueSms } from '../../outbox/queue.ts';
import { findContact, findContactPhone, findPrimaryPhone, insertContact, type ContactPhone } from '../../store/contacts.ts';
import { listAttachmentsForMessages } from '../../store/messages.ts';
import { advanceDeliveryStatus, findLastInboundSmsFrom, updatePhoneOptOut } from '../../store/sms.ts';
import type { Db } from '../../db/client.ts';
import { insertSmsEvent } from './sms-events.ts';
import { smsLocale, type SmsTemplates } from './sms-templates.ts';

/** The requester's number for this ticket: the one they last texted from, else their primary. */
async function requesterPhone(db: Db, ticketId: number, requesterId: number): Promise<ContactPhone | undefined> {
  const last = await findLastInboundSmsFrom(db, ticketId);
  const phone = last ? await findContactPhone(db, last) : undefined;
  return phone && phone.contactId === requesterId ? phone : await findPrimaryPhone(db, requesterId);
}

export function smsReplyHook(templates: SmsTemplates): TicketChangeHook {
  return async (tx, change, ctx) => {
    if (change.type !== 'reply' || change.ticket.channel !== 'sms' || change.message.direction !== 'out') return;
    const { ticket, message } = change;
    const now = ctx.clock.now();
    const phone = ticket.requesterId ? await requesterPhone(tx, ticket.id, ticket.requesterId) : undefined;
    if (!phone || phone.smsOptedOutAt) {
      await advanceDeliveryStatus(tx, message.id, 'skipped');
      await insertSmsEvent(tx, ticket.id, { what: 'not_sent', phone: phone?.phone ?? null, reason: phone ? 'opted_out' : 'no_phone' }, now);
      return;
    }
    // files cannot go by SMS: the requester's page of the ticket has them (and long replies)
    const url = portalUrl(ctx.config.publicUrl, ctx.secrets.token, ticket, now);
    const locale = smsLocale((await findContact(tx, phone.contactId))?.locale, message.bodyText, ctx.config.defaultLocale);
    const files = (await listAttachmentsForMessages(tx, [message.id])).length;
    let text = files ? `${message.bodyText}\n\n${templates.render('attachments', locale, { count: files, url })}` : message.bodyText;
    if (!fitsSms(text)) {
      text = shortenForSms(message.bodyText, (excerpt) => templates.render('long-reply', locale, { excerpt, url }));
      await insertSmsEvent(tx, ticket.id, { what: 'shortened', parts: smsSize(text).segments, url }, now);
    }
    await queueSms(tx, { ticketId: ticket.id, messageId: message.id, event: 'reply', recipient: phone.phone, payload: { text } }, now);
  };
}

export function smsInboundHook(templates: SmsTemplates): ApplyHook {
  return async (tx, applied, deps) => {
    const { draft, ticket } = applied;
    const from = draft.msg.from?.address;
    if (draft.msg.channel !== 'sms' || !from) return;
    const now = deps.clock.now();
    const deskName = deps.config.deskName;

    const effect = draft.sms;
    if (effect) {
      if (effect.optOut) {
        // a stranger's STOP still has to stick: keep the number as a contact
        if (!await findContactPhone(tx, from)) await insertContact(tx, { name: from, phones: [from] }, now);
        await updatePhoneOptOut(tx, from, effect.optOut === 'set' ? now : null);
        if (draft.match) {
          await insertSmsEvent(tx, draft.match.ticketId, { what: effect.optOut === 'set' ? 'opted_out' : 'opted_in', phone: from, word: effect.word }, now);
        }
      }
      if (effect.reply) {
        await queueSms(tx, {
          ticketId: draft.match?.ticketId ?? null, event: `keyword_${effect.keyword}`, recipient: from,
          payload: { template: effect.reply, locale: effect.locale, vars: { deskName } },
        }, now);
      }
      return;
    }

    if (!ticket) return;
    if (applied.ticketCreated) {
      const phone = await findContactPhone(tx, from);
      if (phone?.smsOptedOutAt) return;
      const locale = smsLocale(phone ? (await findContact(tx, phone.contactId))?.locale : null, draft.msg.text, deps.config.defaultLocale);
      await queueSms(tx, {
        ticketId: ticket.id, event: 'ack', recipient: from,
        payload: { template: 'ack', locale, vars: { deskName, number: ticket.number } },
      }, now);
    }
  };
}
