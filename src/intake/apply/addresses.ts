// What an inbound message teaches the desk about addresses: a permanent bounce of our own mail
// stops mail to its recipients, another person on the thread joins it, the CC of a new mail stay
// in the conversation, and a known contact writing from a new address keeps both.
import type { Db } from '../../db/client.ts';
import { addressKindOf, channelTraits } from '../../domain/channel-traits.ts';
import { insertContactEmail, insertContactPhone, markEmailUndeliverable } from '../../store/contacts.ts';
import type { InboundOutcome } from '../../store/inbound.ts';
import { insertParticipants, type Ticket } from '../../store/tickets.ts';
import type { Draft } from '../types.ts';

type Where = { ticket: Ticket; created: boolean; contactId: number | null; outcome: InboundOutcome; now: number };

export async function recordAddresses(db: Db, draft: Draft, at: Where): Promise<void> {
  const { ticket, contactId, outcome } = at;
  const r = draft.requester;
  const msg = draft.msg;
  if (outcome === 'bounce' && draft.bounce?.permanent && draft.match && draft.match.via !== 'subject-tag') {
    // only a report tied to our own mail may stop mail to an address (a forged one cannot)
    const reason = `${draft.bounce.status ?? '5.0.0'} ${draft.bounce.diagnostic ?? ''}`.trim().slice(0, 500);
    for (const address of draft.bounce.recipients) await markEmailUndeliverable(db, address, reason, at.now);
  }
  if (outcome === 'appended' && contactId && r && !r.userId && ticket.requesterId !== contactId) {
    // another person on the thread: keep them in the loop
    await insertParticipants(db, ticket.id, [r.address]);
  }
  if (at.created && channelTraits(msg.channel).carriesCc) {
    const ours = new Set(msg.deliveredTo.map((a) => a.toLowerCase()));
    await insertParticipants(db, ticket.id, msg.cc.map((a) => a.address).filter((a) => !ours.has(a) && a !== r?.address));
  }
  if (contactId && r && !r.userId && outcome !== 'created') {
    // a known contact writing from a new address keeps both
    if (addressKindOf(r.address) === 'phone') await insertContactPhone(db, contactId, r.address);
    else await insertContactEmail(db, contactId, r.address);
  }
}
