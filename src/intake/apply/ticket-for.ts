// The ticket an inbound message lands on: the matched one, or a new one (with a new contact for an
// unknown requester, and the link to the ticket it follows up when a reopen was refused).
import type { Db } from '../../db/client.ts';
import { addressKindOf } from '../../domain/channel-traits.ts';
import { firstWords } from '../../domain/first-words.ts';
import { cleanSubject } from '../../domain/ticket-ref.ts';
import { insertContact } from '../../store/contacts.ts';
import { insertEvent, type Actor } from '../../store/events.ts';
import type { InboundOutcome } from '../../store/inbound.ts';
import { getTicket, insertTicket, insertTicketLink, type Ticket } from '../../store/tickets.ts';
import type { Draft } from '../types.ts';

export type Landing = { ticket: Ticket | null; created: boolean; contactId: number | null };

/** The audit actor of an inbound message: the agent or contact who wrote it, else the desk. */
export function inboundActor(draft: Draft): Actor {
  const r = draft.requester;
  if (r?.userId) return { kind: 'user', userId: r.userId };
  return r?.contactId ? { kind: 'contact', contactId: r.contactId } : { kind: 'system' };
}

export async function ticketFor(db: Db, draft: Draft, outcome: InboundOutcome, now: number): Promise<Landing> {
  const r = draft.requester;
  const contactId = r?.contactId ?? null;
  const onTicket = outcome === 'created' || outcome === 'appended' || (!!draft.match && (outcome === 'auto_reply' || outcome === 'bounce'));
  if (!onTicket) return { ticket: null, created: false, contactId };
  if (draft.match) return { ticket: await getTicket(db, draft.match.ticketId), created: false, contactId };

  const msg = draft.msg;
  let requesterId = contactId;
  if (outcome === 'created' && r && !requesterId && !r.userId) {
    const isPhone = addressKindOf(r.address) === 'phone';
    requesterId = (await insertContact(
      db,
      { name: r.name, organizationId: r.organizationId, emails: isPhone ? [] : [r.address], phones: isPhone ? [r.address] : [] },
      now,
    )).id;
  }
  const ticket = await insertTicket(
    db,
    {
      subject: cleanSubject(msg.subject) || msg.subject.trim() || firstWords(msg.text) || '(no subject)',
      channel: msg.channel,
      requesterId,
      organizationId: r?.organizationId ?? null,
      componentId: draft.route.componentId,
      mailboxId: msg.mailboxId,
    },
    now,
  );
  if (draft.followUpOf) await insertTicketLink(db, ticket.id, draft.followUpOf.ticketId, 'follow_up', now);
  await insertEvent(db, { ticketId: ticket.id, actor: inboundActor(draft), type: 'ticket.created', data: { channel: msg.channel, via: msg.source, route: draft.route.reason } }, now);
  return { ticket, created: true, contactId: requesterId };
}
