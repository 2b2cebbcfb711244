// Writes what the steps decided, all in one transaction: the inbound record with its dedupe key,
// the contact, the ticket or follow-up, the message, its attachments, audit events and whatever
// the hooks add (outbox rows, SLA clocks). Either all of it is committed or none of it.
import { inTransaction, type Db } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { addressKindOf, channelTraits } from '../domain/channel-traits.ts';
import { sanitizeMailHtml } from '../domain/sanitize.ts';
import type { SenderCheck } from '../domain/sender-trust.ts';
import { cleanSubject } from '../domain/ticket-ref.ts';
import { insertContact, insertContactEmail, insertContactPhone, markEmailUndeliverable } from '../store/contacts.ts';
import { insertEvent, type Actor } from '../store/events.ts';
import { findInboundByDedupeKey, insertInbound, updateInbound, type InboundOutcome } from '../store/inbound.ts';
import { insertAttachment, insertMessage, type Message } from '../store/messages.ts';
import { getTicket, insertParticipants, insertTicket, insertTicketLink, updateTicket, type Ticket } from '../store/tickets.ts';
import { findUser } from '../store/users.ts';
import type { ActorRef, Ctx } from '../actions/context.ts';
import { writeStatus } from '../actions/tickets.ts';
import type { Draft } from './types.ts';
import { firstWords } from '../domain/first-words.ts';

export type ApplyResult = {
  outcome: InboundOutcome | 'duplicate';
  inboundId: number | null;
  ticketId: number | null;
  messageId: number | null;
  reason: string | null;
};

/** What an inbound hook sees after the writes of one inbound message, inside the same transaction. */
export type AppliedInbound = {
  draft: Draft;
  outcome: InboundOutcome;
  ticket: Ticket | null;
  ticketCreated: boolean;
  message: Message | null;
  inboundId: number;
};

export type ApplyHook = (tx: Db, applied: AppliedInbound, deps: Deps) => void;

/**
 * `ctx.hooks`: a status change the steps decided runs the ticket-change hooks (as the console's
 * does), then the inbound hooks see the whole message.
 */
export function applyDraft(ctx: Ctx, draft: Draft): ApplyResult {
  const { db, files, clock } = ctx;
  if (draft.drop?.outcome === 'duplicate') {
    if (draft.reprocessOf) {
      // a quarantined copy of a message we already have: settle it instead of leaving it pending
      updateInbound(db, draft.reprocessOf, { outcome: 'ignored', reason: draft.drop.reason, error: null, processedAt: clock.now() });
    }
    return { outcome: 'duplicate', inboundId: null, ticketId: draft.drop.ticketId ?? null, messageId: null, reason: draft.drop.reason };
  }
  const msg = draft.msg;
  // Files first (content-addressed, idempotent): a crash after this leaves at most an unreferenced file.
  if (!files.has('raw', msg.rawSha256)) files.put('raw', msg.raw); // intake's receive archived it already
  const stored = msg.attachments.map((a) => ({ ...a, sha256: files.put('files', a.content) }));
  const now = clock.now();

  return inTransaction(db, () => {
    // drop-duplicate looked before the write lock: another process reading the same mailbox may
    // have committed this message since (two desks, or a restart overlapping the old process)
    const committed = draft.reprocessOf ? undefined : findInboundByDedupeKey(db, draft.dedupeKey);
    if (committed) {
      return { outcome: 'duplicate', inboundId: null, ticketId: committed.ticketId, messageId: null, reason: `already received as inbound #${committed.id}` } as const;
    }
    const outcome = outcomeOf(draft);
    const record = {
      channel: msg.channel,
      source: msg.source,
      mailboxId: msg.mailboxId,
      dedupeKey: draft.dedupeKey,
      externalId: msg.externalId,
      rawSha256: msg.rawSha256,
      rawSize: msg.raw.length,
      fromAddress: msg.from?.address ?? null,
      subject: msg.subject.slice(0, 500),
      outcome,
      reason: [draft.drop?.reason, ...draft.notes].filter(Boolean).join('; ') || null,
      error: null,
      problems: msg.problems.length ? msg.problems : null,
      receivedAt: msg.receivedAt,
      processedAt: now,
    };
    let ticket: Ticket | null = null;
    let ticketCreated = false;
    let message: Message | null = null;
    const onTicket = outcome === 'created' || outcome === 'appended' || (!!draft.match && (outcome === 'auto_reply' || outcome === 'bounce'));
    const r = draft.requester;
    const actor: Actor = r?.userId ? { kind: 'user', userId: r.userId } : r?.contactId ? { kind: 'contact', contactId: r.contactId } : { kind: 'system' };
    const author = r?.userId ? findUser(db, r.userId) : undefined;
    let contactId = r?.contactId ?? null;
    if (onTicket) {
      if (outcome === 'created' && r && !contactId && !r.userId) {
        const isPhone = addressKindOf(r.address) === 'phone';
        contactId = insertContact(
          db,
          { name: r.name, organizationId: r.organizationId, emails: isPhone ? [] : [r.address], phones: isPhone ? [r.address] : [] },
          now,
        ).id;
      }

      if (draft.match) {
        ticket = getTicket(db, draft.match.ticketId);
      } else {
        ticket = insertTicket(
          db,
          {
            subject: cleanSubject(msg.subject) || msg.subject.trim() || firstWords(msg.text) || '(no subject)',
            channel: msg.channel,
            requesterId: contactId,
            organizationId: r?.organizationId ?? null,
            componentId: draft.route.componentId,
            mailboxId: msg.mailboxId,
          },
          now,
        );
        ticketCreated = true;
        if (draft.followUpOf) insertTicketLink(db, ticket.id, draft.followUpOf.ticketId, 'follow_up', now);
        insertEvent(db, { ticketId: ticket.id, actor, type: 'ticket.created', data: { channel: msg.channel, via: msg.source, route: draft.route.reason } }, now);
      }
    }

    // the ticket is known before the inbound record is written, so the record carries it at once
    let inboundId: number;
    if (draft.reprocessOf) {
      inboundId = draft.reprocessOf;
      updateInbound(db, inboundId, ticket ? { ...record, ticketId: ticket.id } : record);
    } else {
      inboundId = insertInbound(db, { ...record, ticketId: ticket?.id ?? null }).id;
    }

    if (ticket) {
      if (outcome === 'bounce') {
        message = insertMessage(db, {
          ticketId: ticket.id, kind: 'event', direction: 'internal', channel: msg.channel,
          fromAddress: msg.from?.address ?? null, subject: msg.subject, bodyText: msg.text,
          headerMessageId: msg.externalId, inboundMessageId: inboundId,
          eventType: draft.bounce?.permanent ? 'delivery.failed' : draft.bounce?.status?.startsWith('2') ? 'delivery.report' : 'delivery.delayed',
          eventData: { ...draft.bounce }, createdAt: now,
        });
      } else {
        message = insertMessage(db, {
          ticketId: ticket.id,
          kind: 'reply',
          direction: 'in',
          channel: msg.channel,
          authorUserId: r?.userId ?? null,
          authorContactId: r?.userId ? null : contactId,
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
          inboundMessageId: inboundId,
          isAutoReply: !!draft.autoReply,
          senderCheck: senderCheckOf(draft),
          createdAt: now,
        });
        for (const a of stored) {
          insertAttachment(db, {
            messageId: message.id, sha256: a.sha256, size: a.size, filename: a.filename,
            contentType: a.contentType, contentId: a.contentId, inline: a.inline, createdAt: now,
          });
        }
      }

      if (message && msg.problems.length) {
        // what could not be read or stored is visible on the thread, with the original mail
        insertMessage(db, {
          ticketId: ticket.id, kind: 'event', direction: 'internal', channel: msg.channel,
          fromAddress: msg.from?.address ?? null, bodyText: msg.problems.join('\n'), inboundMessageId: inboundId,
          eventType: 'intake.problems',
          eventData: { problems: msg.problems, inboundId, omitted: msg.omittedAttachments ?? [] },
          createdAt: now,
        });
      }
      if (outcome === 'bounce' && draft.bounce?.permanent && draft.match && draft.match.via !== 'subject-tag') {
        // only a report tied to our own mail may stop mail to an address (a forged one cannot)
        const reason = `${draft.bounce.status ?? '5.0.0'} ${draft.bounce.diagnostic ?? ''}`.trim().slice(0, 500);
        for (const address of draft.bounce.recipients) markEmailUndeliverable(db, address, reason, now);
      }
      if (outcome === 'appended' && contactId && r && !r.userId && ticket.requesterId !== contactId) {
        // another person on the thread: keep them in the loop
        insertParticipants(db, ticket.id, [r.address]);
      }
      if (ticketCreated && channelTraits(msg.channel).carriesCc) {
        const ours = new Set(msg.deliveredTo.map((a) => a.toLowerCase()));
        insertParticipants(db, ticket.id, msg.cc.map((a) => a.address).filter((a) => !ours.has(a) && a !== r?.address));
      }
      if (contactId && r && !r.userId && outcome !== 'created') {
        // a known contact writing from a new address keeps both
        if (addressKindOf(r.address) === 'phone') insertContactPhone(db, contactId, r.address);
        else insertContactEmail(db, contactId, r.address);
      }

      // a ticket inserted just now already has this activity time (and no status change)
      if (!ticketCreated) {
        updateTicket(db, ticket.id, { lastActivityAt: now }, now);
        ticket = getTicket(db, ticket.id);
      }
      if (draft.statusChange && outcome === 'appended') {
        const by: ActorRef = author ? { kind: 'user', user: author } : contactId ? { kind: 'contact', contactId } : { kind: 'system' };
        ticket = writeStatus(ctx, by, ticket, draft.statusChange.to);
      }
    }

    for (const hook of ctx.hooks.inboundApplied) {
      hook(db, { draft, outcome, ticket, ticketCreated, message, inboundId }, ctx);
    }
    return { outcome, inboundId, ticketId: ticket?.id ?? null, messageId: message?.id ?? null, reason: record.reason };
  });
}

/** The verdict as the message keeps it (whether it was required belongs to this intake only). */
function senderCheckOf(draft: Draft): SenderCheck | null {
  if (!draft.sender) return null;
  const { verdict, reason, method, claimsAgent } = draft.sender;
  return { verdict, reason, method, claimsAgent };
}

function outcomeOf(draft: Draft): InboundOutcome {
  if (draft.drop) return 'ignored';
  if (draft.bounce) return 'bounce';
  if (draft.autoReply) return 'auto_reply';
  return draft.match ? 'appended' : 'created';
}

