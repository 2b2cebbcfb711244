// For a follow-up from the requester's side: a resolved or closed ticket is reopened unless the
// contract's reopen limit or reopen window is exhausted — then the message opens a new ticket
// linked to the old one (the requester is told why, see src/policies/follow-up.ts). A ticket
// waiting on the requester goes back to work. Auto-replies and agents' own mail change nothing, nor
// does mail claiming an agent's address that could not be verified; a requester whose sender must
// be verified (MAIL_VERIFY_REQUESTERS=on) and is not gets a new linked ticket instead of a reopen.
import { decideReopen as reopenVerdict } from '../../domain/contract.ts';
import { resumedByRequester } from '../../domain/transitions.ts';
import { findTicket } from '../../store/tickets.ts';
import { contractOfTicket } from '../../store/contract-of.ts';
import type { Step } from '../types.ts';
import { senderTrusted } from './decide-sender-trust.ts';

export const decideReopen: Step = {
  name: 'decide-reopen',
  async run(draft, { db }) {
    if (!draft.match || draft.autoReply || draft.bounce || draft.requester?.userId) return;
    if (draft.sender?.claimsAgent && !senderTrusted(draft)) return;
    const ticket = await findTicket(db, draft.match.ticketId);
    if (!ticket) return;
    if (ticket.status === 'resolved' || ticket.status === 'closed') {
      const verdict: { allowed: true } | { allowed: false; reason: string } = senderTrusted(draft)
        ? reopenVerdict(ticket, await contractOfTicket(db, ticket), draft.msg.receivedAt)
        : { allowed: false, reason: 'sender' };
      if (verdict.allowed) {
        draft.statusChange = { to: 'reopened', reopen: true };
        return;
      }
      draft.followUpOf = { ticketId: ticket.id, reason: verdict.reason };
      const why = verdict.reason === 'sender' ? 'the sender is not verified' : verdict.reason;
      draft.notes.push(`reopen of #${ticket.number} refused (${why}): opened as a linked ticket`);
      draft.match = null;
    } else {
      const resumed = resumedByRequester(ticket);
      if (resumed) draft.statusChange = { to: resumed, reopen: false };
    }
  },
};
