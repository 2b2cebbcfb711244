// A message too big to read, quarantined by reference: only its headers were read and are kept,
// the message stays on its server, and the record says where. Reprocessing leaves it alone.
import type { Channel, RemoteRef } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { inTransaction } from '../db/client.ts';
import { findInboundByDedupeKey, insertInbound } from '../store/inbound.ts';
import { TemporaryIntakeError, type ReceiveResult } from './receive.ts';
import type { InboundSource } from './types.ts';

/** What the channel read of the message: its headers, where it is, what the list shows. */
export type ReferencedInbound = {
  channel: Channel;
  source: InboundSource;
  mailboxId: number | null;
  headers: Buffer;
  ref: RemoteRef;
  fromAddress: string | null;
  subject: string | null;
  externalId: string | null;
  /** why it was not read, in plain words */
  reason: string;
};

/**
 * Keeps the headers and where the message is. One message is one record: it is known by where it
 * is (folder, UIDVALIDITY, UID), not by its headers, which two mails can share in what was read.
 */
export async function quarantineByReference(deps: Deps, input: ReferencedInbound): Promise<ReceiveResult> {
  try {
    const rawSha256 = await deps.files.put('raw', input.headers);
    const { folder, uidValidity, uid } = input.ref;
    const dedupeKey = `${input.channel}:${input.mailboxId ?? 0}:ref-${uidValidity}-${uid}-${encodeURIComponent(folder)}`;
    const now = deps.clock.now();
    return await inTransaction(deps.db, async () => {
      const existing = await findInboundByDedupeKey(deps.db, dedupeKey);
      if (existing) return { outcome: 'duplicate', inboundId: existing.id, ticketId: null, messageId: null, reason: 'already quarantined', error: existing.error ?? input.reason };
      const rec = await insertInbound(deps.db, {
        channel: input.channel, source: input.source, mailboxId: input.mailboxId, dedupeKey,
        externalId: input.externalId, rawSha256, rawSize: input.headers.length, remoteRef: input.ref,
        fromAddress: input.fromAddress, subject: input.subject?.slice(0, 500) ?? null,
        outcome: 'quarantined', reason: null, error: input.reason, receivedAt: now, processedAt: now,
      });
      return { outcome: 'quarantined', inboundId: rec.id, ticketId: null, messageId: null, reason: null, error: input.reason };
    });
  } catch (err) {
    // nothing about the message is wrong here: whatever failed (disk, database) is worth a retry
    throw new TemporaryIntakeError(err);
  }
}
