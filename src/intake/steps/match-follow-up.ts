// Decides whether the message continues an existing ticket. Strongest evidence first; the subject
// tag alone is trusted only from the requester, a participant or an agent, so a stranger quoting
// "[#N]" gets a ticket of their own instead of writing into someone else's.
import { findTicketByNumber, isParticipant } from '../../store/tickets.ts';
import { findContactEmail } from '../../store/contacts.ts';
import { findUserByEmail } from '../../store/users.ts';
import { findSubjectTag } from '../../domain/ticket-ref.ts';
import type { Step } from '../types.ts';

export const matchFollowUp: Step = {
  name: 'match-follow-up',
  run(draft, { db }) {
    if (draft.match) return;
    const number = findSubjectTag(draft.msg.subject);
    if (number === undefined) return;
    const ticket = findTicketByNumber(db, number);
    const sender = draft.msg.from?.address;
    if (!ticket || !sender) return;
    const requesterContact = findContactEmail(db, sender);
    const trusted =
      (requesterContact && ticket.requesterId === requesterContact.contactId) ||
      isParticipant(db, ticket.id, sender) ||
      findUserByEmail(db, sender)?.active === true;
    if (!trusted) {
      draft.notes.push(`subject tag [#${number}] ignored: sender is not a party to that ticket`);
      return;
    }
    draft.match = { ticketId: ticket.id, via: 'subject-tag' };
  },
};
