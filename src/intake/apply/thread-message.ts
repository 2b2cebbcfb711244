// What an inbound message adds to its ticket's thread: the message itself (a bounce as a delivery
// event), its stored attachments, and a visible note of whatever could not be read or stored.
import type { Db } from '../../db/client.ts';
import { sanitizeMailHtml } from '../../domain/sanitize.ts';
import type { SenderCheck } from '../../domain/sender-trust.ts';
import type { InboundOutcome } from '../../store/inbound.ts';
import { insertAttachment, insertMessage, type Message } from '../../store/messages.ts';
import type { Ticket } from '../../store/tickets.ts';
import type { Draft, InboundAttachment } from '../types.ts';

export type StoredAttachment = InboundAttachment & { sha256: string };

type Where = { ticket: Ticket; contactId: number | null; inboundId: number; outcome: InboundOutcome; now: number };

export async function writeThreadMessage(db: Db, draft: Draft, stored: StoredAttachment[], at: Where): Promise<Message> {
  const message = at.outcome === 'bounce' ? await insertDeliveryEvent(db, draft, at) : await insertReply(db, draft, stored, at);
  const msg = draft.msg;
  if (msg.problems.length) {
    // what could not be read or stored is visible on the thread, with the original mail
    await insertMessage(db, {
      ticketId: at.ticket.id, kind: 'event', direction: 'internal', channel: msg.channel,
      fromAddress: msg.from?.address ?? null, bodyText: msg.problems.join('\n'), inboundMessageId: at.inboundId,
      eventType: 'intake.problems',
      eventData: { problems: msg.problems, inboundId: at.inboundId, omitted: msg.omittedAttachments ?? [] },
      createdAt: at.now,
    });
  }
  return message;
}

async function insertDeliveryEvent(db: Db, draft: Draft, at: Where): Promise<Message> {
  const msg = draft.msg;
  return await insertMessage(db, {
    ticketId: at.ticket.id, kind: 'event', direction: 'internal', channel: msg.channel,
    fromAddress: msg.from?.address ?? null, subject: msg.subject, bodyText: msg.text,
    headerMessageId: msg.externalId, inboundMessageId: at.inboundId,
    eventType: draft.bounce?.permanent ? 'delivery.failed' : draft.bounce?.status?.startsWith('2') ? 'delivery.report' : 'delivery.delayed',
    eventData: { ...draft.bounce }, createdAt: at.now,
  });
}

async function insertReply(db: Db, draft: Draft, stored: StoredAttachment[], at: Where): Promise<Message> {
  const msg = draft.msg;
  const r = draft.requester;
  const message = await insertMessage(db, {
    ticketId: at.ticket.id,
    kind: 'reply',
    direction: 'in',
    channel: msg.channel,
    authorUserId: r?.userId ?? null,
    authorContactId: r?.userId ? null : at.contactId,
    fromAddress: msg.from?.address ?? null,
    toAddresses: msg.to.map((a) => a.address),
    ccAddresses: msg.cc.map((a) => a.address),
    subject: msg.subject,
    bodyText: draft.content.text,
    newText: draft.content.newText,
    bodyHtml: draft.content.html ? sanitizeMailHtml(draft.content.html) : null,
    headerMessageId: msg.externalId,
    inReplyTo: msg.inReplyTo[0] ?? null,
    references: msg.references,
    inboundMessageId: at.inboundId,
    isAutoReply: !!draft.autoReply,
    senderCheck: senderCheckOf(draft),
    createdAt: at.now,
  });
  for (const a of stored) {
    await insertAttachment(db, {
      messageId: message.id, sha256: a.sha256, size: a.size, filename: a.filename,
      contentType: a.contentType, contentId: a.contentId, inline: a.inline, createdAt: at.now,
    });
  }
  return message;
}

/** The verdict as the message keeps it (whether it was required belongs to this intake only). */
function senderCheckOf(draft: Draft): SenderCheck | null {
  if (!draft.sender) return null;
  const { verdict, reason, method, claimsAgent } = draft.sender;
  return { verdict, reason, method, claimsAgent };
}
