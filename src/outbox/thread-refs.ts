// The requester's conversation as Message-IDs, so every mail we send them lands in one thread of
// their mail client: their own mails (with the References they carried), our replies and our
// automatic requester mail that actually went out. Agent notices are not part of it.
import type { Db } from '../db/client.ts';
import { channelTraits } from '../domain/channel-traits.ts';
import type { Channel } from '../domain/vocabulary.ts';
import { listTicketMessages, type Message } from '../store/messages.ts';
import { OUTBOX_EVENT } from './outcomes.ts';

export type ThreadRefs = { inReplyTo: string | null; references: string[] };

const MAX_REFERENCES = 50;

/** Messages on a ticket of this channel travel where Message-IDs thread (a text's id is its provider's, not a Message-ID). */
const mailThreaded = (channel: Channel) => channelTraits(channelTraits(channel).answeredBy).threadsByMessageId;

const isReal = (id: string | null | undefined): id is string => !!id && !id.endsWith('@synthesized.invalid');

function inConversation(m: Message): boolean {
  if (m.kind === 'reply') return m.direction === 'in' || m.deliveryStatus === 'sent' || m.deliveryStatus === 'delivered';
  if (m.kind === 'event' && m.eventType === OUTBOX_EVENT) {
    return m.deliveryStatus === 'sent' && (m.eventData as { audience?: string } | null)?.audience === 'requester';
  }
  return false;
}

/** In-Reply-To (the requester's latest mail, else our latest) and References, oldest first. */
export async function requesterThreadRefs(db: Db, ticketId: number, opts: { before?: number; exclude?: number | null } = {}): Promise<ThreadRefs> {
  const all = (await listTicketMessages(db, ticketId)).filter((m) => m.id !== opts.exclude && (opts.before === undefined || m.id < opts.before));
  const seen = new Set<string>();
  const refs: string[] = [];
  const add = (id: string) => {
    const key = id.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    refs.push(id);
  };
  let latestInbound: string | null = null;
  for (const m of all) {
    if (!inConversation(m) || !m.channel || !mailThreaded(m.channel)) continue;
    if (m.direction === 'in') for (const r of m.references ?? []) if (isReal(r)) add(r);
    if (!isReal(m.headerMessageId)) continue;
    add(m.headerMessageId);
    if (m.direction === 'in' && !m.isAutoReply) latestInbound = m.headerMessageId;
  }
  const references = refs.length > MAX_REFERENCES ? [refs[0], ...refs.slice(refs.length - MAX_REFERENCES + 1)] : refs;
  return { inReplyTo: latestInbound ?? references[references.length - 1] ?? null, references };
}
