// Step 6: who wrote — a contact (by email or phone) or an agent; the organisation by email domain.
// Mail relayed for someone else names them: Google Groups put the author in X-Original-Sender, web
// forms and no-reply senders put the person to answer in Reply-To. A sender without a domain
// ("From: MAILER-DAEMON (Mail Delivery System)") is nobody the desk can answer: no requester, no
// contact, so nothing is ever mailed to it.
import { findContactEmail, findContact, findContactPhone, findOrganizationIdByDomain } from '../../store/contacts.ts';
import { findUserByEmail } from '../../store/users.ts';
import { addressKindOf } from '../../domain/channel-traits.ts';
import { baseAddress, ownAddresses } from '../../domain/desk-identity.ts';
import { listDeskAddresses } from '../../store/desk-addresses.ts';
import type { Address, Draft, Step, StepContext } from '../types.ts';
import { senderTrusted } from './decide-sender-trust.ts';

const NO_REPLY = /^(no-?reply|do-?not-?reply|donotreply|noreply-[^@]*|notifications?|mailer|forms?|wordpress|www-data|apache|nobody|system)@/i;

async function onBehalfOf(draft: Draft, ctx: StepContext): Promise<Address | null> {
  const msg = draft.msg;
  const from = msg.from;
  if (!from || addressKindOf(from.address) === 'phone') return from;
  // nobody checks this header (DMARC checks From): it is believed only from a mailing list or a
  // group address of the author's own domain, never from a stranger naming someone else
  const original = msg.headers['x-original-sender']?.[0]?.trim().toLowerCase();
  const relayed = draft.mailingList !== null || (original !== undefined && original.split('@')[1] === from.address.split('@')[1]);
  if (original && relayed && /^[^\s@<>]+@[^\s@<>]+$/.test(original) && original !== from.address) {
    return { address: original, name: from.name };
  }
  const replyTo = msg.replyTo.filter((a) => a.address !== from.address);
  if (replyTo.length === 1 && NO_REPLY.test(from.address)) {
    // a Reply-To naming the desk itself (a mailbox or a component alias) is not the requester
    if (!ownAddresses(ctx.config, await listDeskAddresses(ctx.db)).has(baseAddress(replyTo[0].address))) return replyTo[0];
  }
  return from;
}

export const identifyRequester: Step = {
  name: 'identify-requester',
  async run(draft, ctx) {
    const sender = await onBehalfOf(draft, ctx);
    if (!sender) return;
    const { db } = ctx;
    const address = sender.address;
    const isPhone = addressKindOf(address) === 'phone';
    if (!isPhone && !/^[^@\s]+@[^@\s]+$/.test(address)) {
      draft.notes.push(`no requester: the sender "${address}" has no domain and cannot be answered`);
      return;
    }
    const known = isPhone ? await findContactPhone(db, address) : await findContactEmail(db, address);
    const contact = known ? await findContact(db, known.contactId) : undefined;
    const domain = isPhone ? undefined : address.split('@')[1];
    const user = isPhone ? undefined : await findUserByEmail(db, address);
    if (sender !== draft.msg.from) draft.notes.push(`requester ${address} (sent on their behalf by ${draft.msg.from?.address})`);
    draft.requester = {
      address,
      name: contact?.name ?? (sender.name || (isPhone ? address : address.split('@')[0])),
      contactId: contact?.id ?? null,
      organizationId: contact?.organizationId ?? (domain ? (await findOrganizationIdByDomain(db, domain) ?? null) : null),
      // only the real sender is taken for an agent: an address named on someone's behalf is not
      // proof, nor a From the desk could not verify (decide-sender-trust)
      userId: user?.active && sender === draft.msg.from && senderTrusted(draft) ? user.id : null,
    };
  },
};
