// Step 5: does the message continue an existing ticket? Strongest evidence first: our signed
// Message-ID in In-Reply-To/References (or in a bounce's returned original), any Message-ID we
// stored (inbound or outbound), the signed plus-address reply token, and last the "[#N]" subject
// tag — trusted only from the requester, a participant or an agent, so a stranger quoting "[#N]"
// gets a ticket of their own instead of writing into someone else's. A sender who must be verified
// (decide-sender-trust) and is not threads by signed references only.
import { channelTraits } from '../../domain/channel-traits.ts';
import { readMessageId, readReplyAddress } from '../../domain/reply-token.ts';
import { findSubjectTag } from '../../domain/ticket-ref.ts';
import { findContactEmail } from '../../store/contacts.ts';
import { findTicketIdByHeaderMessageId } from '../../store/messages.ts';
import { findTicket, findTicketByNumber, isParticipant, type Ticket } from '../../store/tickets.ts';
import { findUserByEmail } from '../../store/users.ts';
import type { Db } from '../../db/client.ts';
import type { Draft, MatchVia, Step } from '../types.ts';
import { senderTrusted } from './decide-sender-trust.ts';

/** A merged ticket's replies go to the ticket it was merged into. */
async function live(db: Db, ticket: Ticket | undefined): Promise<Ticket | undefined> {
  let t = ticket;
  for (let hops = 0; t?.mergedIntoId && hops < 10; hops++) t = await findTicket(db, t.mergedIntoId) ?? t;
  return t;
}

/** "[#N]" in the subject, trusted only from a party to that ticket. */
async function matchSubjectTag(draft: Draft, db: Db, matchTo: (t: Ticket | undefined, via: MatchVia, why: string) => Promise<boolean>): Promise<void> {
  const msg = draft.msg;
  const number = findSubjectTag(msg.subject);
  if (number === undefined) return;
  const ticket = await live(db, await findTicketByNumber(db, number));
  const sender = msg.from?.address;
  if (!ticket || !sender) return;
  if (!senderTrusted(draft)) {
    draft.notes.push(`subject tag [#${number}] ignored: the sender is not verified`);
    return;
  }
  const requesterContact = await findContactEmail(db, sender);
  const trusted =
    (requesterContact && ticket.requesterId === requesterContact.contactId) ||
    await isParticipant(db, ticket.id, sender) ||
    (await findUserByEmail(db, sender))?.active === true;
  if (!trusted) {
    draft.notes.push(`subject tag [#${number}] ignored: sender is not a party to that ticket`);
    return;
  }
  await matchTo(ticket, 'subject-tag', `the subject tag [#${number}] from a party to the ticket`);
}

export const matchFollowUp: Step = {
  name: 'match-follow-up',
  async run(draft, { db, secrets }) {
    if (draft.match || !channelTraits(draft.msg.channel).threadsByMessageId) return;
    const msg = draft.msg;
    const matchTo = async (ticket: Ticket | undefined, via: MatchVia, why: string) => {
      const t = await live(db, ticket);
      if (!t) return false;
      draft.match = { ticketId: t.id, via };
      draft.notes.push(`follow-up of ticket #${t.number} by ${why}`);
      return true;
    };
    // the parent first, then the thread from the newest reference back
    const ids = [draft.bounce?.originalMessageId, ...msg.inReplyTo, ...[...msg.references].reverse()].filter((x): x is string => !!x);
    for (const id of ids) {
      const ticketId = readMessageId(secrets.token, id);
      if (ticketId !== undefined && await matchTo(await findTicket(db, ticketId), 'signed-message-id', `our signed Message-ID ${id}`)) return;
    }
    // a stored Message-ID is known to everyone on the thread: only signed references thread
    // mail whose sender must be verified and is not
    const trusted = senderTrusted(draft);
    for (const id of ids) {
      const ticketId = await findTicketIdByHeaderMessageId(db, id);
      if (ticketId === undefined) continue;
      if (!trusted) {
        draft.notes.push(`known Message-ID ${id} ignored: the sender is not verified`);
        break;
      }
      if (await matchTo(await findTicket(db, ticketId), 'message-id', `a known Message-ID ${id}`)) return;
    }
    const recipients = [...msg.to, ...msg.cc].map((a) => a.address).concat(msg.deliveredTo);
    for (const address of recipients) {
      const ticketId = readReplyAddress(secrets.token, address);
      if (ticketId !== undefined && await matchTo(await findTicket(db, ticketId), 'reply-token', `the reply address ${address}`)) return;
    }
    await matchSubjectTag(draft, db, matchTo);
  },
};
