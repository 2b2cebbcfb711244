// Writes what the steps decided, all in one transaction: the inbound record with its dedupe key,
// the contact, the ticket or follow-up, the message, its attachments, audit events and whatever
// the hooks add (outbox rows, SLA clocks). Either all of it is committed or none of it.
import { inTransaction, type Db } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { findInboundByDedupeKey, insertInbound, updateInbound, type InboundOutcome } from '../store/inbound.ts';
import type { Message } from '../store/messages.ts';
import { getTicket, updateTicket, type Ticket } from '../store/tickets.ts';
import { findUser } from '../store/users.ts';
import type { ActorRef, Ctx } from '../actions/context.ts';
import { writeStatus } from '../actions/tickets.ts';
import { recordAddresses } from './apply/addresses.ts';
import { writeThreadMessage } from './apply/thread-message.ts';
import { ticketFor } from './apply/ticket-for.ts';
import type { Draft, InboundAttachment } from './types.ts';

export type ApplyResult = {
  outcome: InboundOutcome | 'duplicate';
  inboundId: number | null;
  ticketId: number | null;
  messageId: number | null;
  reason: string | null;
};

/** What an inbound hook sees after the writes of one inbound message, inside the same transaction. */
export type AppliedInbound = {
  draft: Draft;
  outcome: InboundOutcome;
  ticket: Ticket | null;
  ticketCreated: boolean;
  message: Message | null;
  inboundId: number;
};

export type ApplyHook = (tx: Db, applied: AppliedInbound, deps: Deps) => Promise<void> | void;

/**
 * `ctx.hooks`: a status change the steps decided runs the ticket-change hooks (as the console's
 * does), then the inbound hooks see the whole message.
 */
export async function applyDraft(ctx: Ctx, draft: Draft): Promise<ApplyResult> {
  const { db, files, clock } = ctx;
  if (draft.drop?.outcome === 'duplicate') {
    if (draft.reprocessOf) {
      // a quarantined copy of a message we already have: settle it instead of leaving it pending
      await updateInbound(db, draft.reprocessOf, { outcome: 'ignored', reason: draft.drop.reason, error: null, processedAt: clock.now() });
    }
    return { outcome: 'duplicate', inboundId: null, ticketId: draft.drop.ticketId ?? null, messageId: null, reason: draft.drop.reason };
  }
  const msg = draft.msg;
  // Files first (content-addressed, idempotent): a crash after this leaves at most an unreferenced file.
  if (!(await files.has('raw', msg.rawSha256))) await files.put('raw', msg.raw); // intake's receive archived it already
  const stored: (InboundAttachment & { sha256: string })[] = [];
  for (const a of msg.attachments) stored.push({ ...a, sha256: await files.put('files', a.content) });
  const now = clock.now();

  return await inTransaction(db, async () => {
    // drop-duplicate looked before the write lock: another process reading the same mailbox may
    // have committed this message since (two desks, or a restart overlapping the old process)
    const committed = draft.reprocessOf ? undefined : await findInboundByDedupeKey(db, draft.dedupeKey);
    if (committed) {
      return { outcome: 'duplicate', inboundId: null, ticketId: committed.ticketId, messageId: null, reason: `already received as inbound #${committed.id}` } as const;
    }
    const outcome = outcomeOf(draft);
    const landing = await ticketFor(db, draft, outcome, now);
    const { created, contactId } = landing;
    let ticket = landing.ticket;
    // the ticket is known before the inbound record is written, so the record carries it at once
    const record = inboundRecord(draft, outcome, now);
    const inboundId = await writeInboundRecord(db, draft, { ...record, ticketId: ticket?.id ?? null });

    let message: Message | null = null;
    if (ticket) {
      message = await writeThreadMessage(db, draft, stored, { ticket, contactId, inboundId, outcome, now });
      await recordAddresses(db, draft, { ticket, created, contactId, outcome, now });
      // a ticket inserted just now already has this activity time (and no status change)
      if (!created) {
        await updateTicket(db, ticket.id, { lastActivityAt: now }, now);
        ticket = await getTicket(db, ticket.id);
      }
      if (draft.statusChange && outcome === 'appended') ticket = await writeStatus(ctx, await statusActor(db, draft, contactId), ticket, draft.statusChange.to);
    }

    for (const hook of ctx.hooks.inboundApplied) {
      await hook(db, { draft, outcome, ticket, ticketCreated: created, message, inboundId }, ctx);
    }
    return { outcome, inboundId, ticketId: ticket?.id ?? null, messageId: message?.id ?? null, reason: record.reason };
  });
}

function inboundRecord(draft: Draft, outcome: InboundOutcome, now: number) {
  const msg = draft.msg;
  return {
    channel: msg.channel,
    source: msg.source,
    mailboxId: msg.mailboxId,
    dedupeKey: draft.dedupeKey,
    externalId: msg.externalId,
    rawSha256: msg.rawSha256,
    rawSize: msg.raw.length,
    fromAddress: msg.from?.address ?? null,
    subject: msg.subject.slice(0, 500),
    outcome,
    reason: [draft.drop?.reason, ...draft.notes].filter(Boolean).join('; ') || null,
    error: null,
    problems: msg.problems.length ? msg.problems : null,
    receivedAt: msg.receivedAt,
    processedAt: now,
  };
}

/** A reprocessed message settles its quarantined record; a new one gets its record (and dedupe key). */
async function writeInboundRecord(db: Db, draft: Draft, record: ReturnType<typeof inboundRecord> & { ticketId: number | null }): Promise<number> {
  if (!draft.reprocessOf) return (await insertInbound(db, record)).id;
  const { ticketId, ...rest } = record;
  await updateInbound(db, draft.reprocessOf, ticketId === null ? rest : record);
  return draft.reprocessOf;
}

/** Who changes the status: the agent who wrote, else the contact, else the desk. */
async function statusActor(db: Db, draft: Draft, contactId: number | null): Promise<ActorRef> {
  const author = draft.requester?.userId ? await findUser(db, draft.requester.userId) : undefined;
  if (author) return { kind: 'user', user: author };
  return contactId ? { kind: 'contact', contactId } : { kind: 'system' };
}

function outcomeOf(draft: Draft): InboundOutcome {
  if (draft.drop) return 'ignored';
  if (draft.bounce) return 'bounce';
  if (draft.autoReply) return 'auto_reply';
  return draft.match ? 'appended' : 'created';
}
