// Step 1: the same message twice (Message-ID per mailbox, Twilio MessageSid) is recorded once.
import { findInboundByDedupeKey } from '../../store/inbound.ts';
import type { Step } from '../types.ts';

export function dedupeKeyOf(msg: { channel: string; mailboxId: number | null; externalId: string }): string {
  return `${msg.channel}:${msg.mailboxId ?? 0}:${msg.externalId.toLowerCase()}`;
}

export const dropDuplicate: Step = {
  name: 'drop-duplicate',
  async run(draft, { db }) {
    const existing = await findInboundByDedupeKey(db, draft.dedupeKey);
    if (!existing || existing.id === draft.reprocessOf) return;
    draft.drop = { outcome: 'duplicate', reason: `already received as inbound #${existing.id}`, ticketId: existing.ticketId };
  },
};
