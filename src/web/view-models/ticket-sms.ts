// The ticket page's SMS box (partial ticket-sms): the requester's numbers with their opt-out
// state, and on SMS tickets the delivery status of the last text we sent.
import type { Db } from '../../db/client.ts';
import { channelTraits } from '../../domain/channel-traits.ts';
import { formatPhone } from '../../domain/phone.ts';
import { listContactPhones, type ContactPhone } from '../../store/contacts.ts';
import { findLastOutgoingSms } from '../../store/sms.ts';
import type { Ticket } from '../../store/tickets.ts';

export type TicketSmsVM = {
  isSms: boolean;
  phones: { number: string; display: string; optedOut: boolean; optedOutAt: number | null }[];
  anyOptedOut: boolean;
  last: { status: string; at: number } | null;
  startHref: string | null;
};

/** requesterPhones: the requester's numbers when the caller has read them already */
export async function ticketSmsView(db: Db, t: Ticket, requesterPhones?: ContactPhone[]): Promise<TicketSmsVM | null> {
  const phones = requesterPhones ?? (t.requesterId ? await listContactPhones(db, t.requesterId) : []);
  const isSms = channelTraits(t.channel).answeredBy === 'sms';
  if (!isSms && phones.length === 0) return null;
  const last = isSms ? await findLastOutgoingSms(db, t.id) : undefined;
  return {
    isSms,
    phones: phones.map((p) => ({ number: p.phone, display: formatPhone(p.phone), optedOut: !!p.smsOptedOutAt, optedOutAt: p.smsOptedOutAt })),
    anyOptedOut: phones.some((p) => !!p.smsOptedOutAt),
    last: last?.deliveryStatus ? { status: last.deliveryStatus, at: last.createdAt } : null,
    // an SMS ticket is answered with the reply box; other tickets can start a text
    startHref: !isSms && t.requesterId && phones.some((p) => !p.smsOptedOutAt) ? `/sms/new?contact=${t.requesterId}` : null,
  };
}
