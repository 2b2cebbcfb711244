// Threads a text message: "#N" in the text when the sender is that ticket's requester (or on
// its thread), else the sender's most recent open SMS ticket within the window. A stranger who
// writes "#N" gets a ticket of their own instead of writing into someone else's.
import { channelTraits } from '../../domain/channel-traits.ts';
import { findContactPhone } from '../../store/contacts.ts';
import { findRecentOpenSmsTicket } from '../../store/sms.ts';
import { findTicketByNumber, isParticipant } from '../../store/tickets.ts';
import type { Step } from '../types.ts';

const REF = /(?:^|[^\p{L}\p{N}&#/])#(\d{1,9})(?!\d)/gu;

export const matchSmsThread: Step = {
  name: 'match-sms-thread',
  async run(draft, { db, config, clock }) {
    if (draft.match || !channelTraits(draft.msg.channel).threadsBySender) return;
    const sender = draft.msg.from?.address;
    if (!sender) return;
    const contactId = (await findContactPhone(db, sender))?.contactId;

    for (const m of draft.msg.text.matchAll(REF)) {
      const ticket = await findTicketByNumber(db, Number(m[1]));
      if (!ticket) continue;
      if ((contactId && ticket.requesterId === contactId) || await isParticipant(db, ticket.id, sender)) {
        draft.match = { ticketId: ticket.id, via: 'sms-ref' };
        return;
      }
      draft.notes.push(`#${ticket.number} ignored: sender is not a party to that ticket`);
    }

    if (!contactId) return;
    const since = clock.now() - config.sms.threadWindowHours * 3_600_000;
    const recent = await findRecentOpenSmsTicket(db, contactId, since);
    if (recent) {
      draft.match = { ticketId: recent.id, via: 'sms-recent' };
      draft.notes.push(`joined #${recent.number}, the sender's open SMS ticket`);
    }
  },
};
