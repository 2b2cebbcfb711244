// A request found by a portal search (My requests, and the resolved requests like a new one).
import type { RequesterHit } from '../../../store/requester-tickets.ts';
import { CLOSED_STATUSES } from '../../../store/tickets.ts';
import { snippetHtml } from '../../routes/search.ts';

const RESOLUTION_CHARS = 280;

/** Its number and status, its subject and excerpt as HTML with the searched words marked, and when resolved what the desk did (as its page shows it). */
export function requestHitVM(h: RequesterHit) {
  const note = CLOSED_STATUSES.includes(h.ticket.status) ? h.ticket.resolutionNote : null;
  return {
    number: h.ticket.number, status: h.ticket.status, subjectHtml: snippetHtml(h.subject), snippetHtml: h.snippet ? snippetHtml(h.snippet) : null,
    resolution: note ? (note.length > RESOLUTION_CHARS ? `${note.slice(0, RESOLUTION_CHARS - 1)}…` : note) : null,
  };
}
