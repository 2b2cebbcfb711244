// For a follow-up from the requester's side: a resolved or closed ticket is reopened, a ticket
// waiting on the requester goes back to work. Auto-replies and agents' own mail change nothing.
import { findTicket } from '../../store/tickets.ts';
import type { Step } from '../types.ts';

export const decideReopen: Step = {
  name: 'decide-reopen',
  run(draft, { db }) {
    if (!draft.match || draft.autoReply || draft.bounce || draft.requester?.userId) return;
    const ticket = findTicket(db, draft.match.ticketId);
    if (!ticket) return;
    if (ticket.status === 'resolved' || ticket.status === 'closed') {
      draft.statusChange = { to: 'reopened', reopen: true };
    } else if (ticket.status === 'pending_requester') {
      draft.statusChange = { to: ticket.assigneeId ? 'in_progress' : 'new', reopen: false };
    }
  },
};
