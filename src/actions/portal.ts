// What the requester can do from the portal: confirm a resolution, reopen within the contract's
// limits (beyond them the message opens a new linked ticket, as a mail reply would), complain.
import { createHash } from 'node:crypto';
import { inTransaction, isUniqueViolation } from '../db/client.ts';
import { findInboundByDedupeKey, insertInbound } from '../store/inbound.ts';
import { hitRateLimit } from '../store/rate-limits.ts';
import { decideReopen } from '../domain/contract.ts';
import { insertEvent } from '../store/events.ts';
import { AppError, invalid } from '../domain/errors.ts';
import { findContact } from '../store/contacts.ts';
import { insertMessage } from '../store/messages.ts';
import { getTicket, insertTicket, insertTicketLink, updateTicket, type Ticket } from '../store/tickets.ts';
import { contractOfTicket } from '../store/contract-of.ts';
import { label } from '../i18n/labels.ts';
import { refreshSla } from './sla-sync.ts';
import { runHooks, type Ctx } from './context.ts';
import { changeStatus, createTicket, insertAttachments, storeAttachments, writeStatus, type ReplyAttachment } from './tickets.ts';
import { resumedByRequester } from '../domain/transitions.ts';
import { queueAgentNotice } from '../outbox/agent-notice.ts';
import { findUser } from '../store/users.ts';
import { TICKET_TYPES } from '../domain/vocabulary.ts';
import { escalateTicket } from './resolution.ts';

export type Requester = { contactId: number };

/**
 * What one requester may write from the portal an hour: new requests (a follow-up opened by a
 * refused reopen is one), and messages (replies and reopening words). A form sent again with its
 * one-time key is not counted again. Beyond it the portal answers 429 with when to try again;
 * mail and SMS have limits of their own (intake).
 */
export const PORTAL_WRITE_LIMITS = { windowMs: 3_600_000, requests: 20, messages: 60 };

/** Counts one new request or message of the requester, or refuses it when the hour's are spent. */
async function spend(ctx: Ctx, who: Requester, what: 'requests' | 'messages'): Promise<void> {
  const now = ctx.clock.now();
  const hit = await hitRateLimit(ctx.db, `portal-write:${what}:${who.contactId}`, now, PORTAL_WRITE_LIMITS.windowMs);
  if (hit.hits > PORTAL_WRITE_LIMITS[what]) {
    throw new AppError('rate_limited', `Too many ${what === 'requests' ? 'new requests' : 'messages'} from the portal; try again later`, { retryAfterSeconds: Math.max(1, Math.ceil((hit.resetAt - now) / 1000)) });
  }
}

async function ownTicket(ctx: Ctx, who: Requester, ticketId: number): Promise<Ticket> {
  const t = await getTicket(ctx.db, ticketId);
  if (t.requesterId !== who.contactId) throw new AppError('forbidden', 'This is not your ticket');
  return t;
}

function message(value: unknown, required: boolean): string {
  const s = typeof value === 'string' ? value.trim() : '';
  if (required && s.length < 2) throw invalid('Tell us what is still wrong', { message: 'required' });
  if (s.length > 20_000) throw invalid('The message is too long', { message: 'too long' });
  return s;
}

/** The optional satisfaction given with a confirmation: a rating 1–5 and a comment. */
function satisfaction(input: { rating?: unknown; comment?: unknown }): { rating: number | null; comment: string | null } {
  const r = typeof input.rating === 'string' && input.rating !== '' ? Number(input.rating) : typeof input.rating === 'number' ? input.rating : null;
  if (r !== null && !(Number.isInteger(r) && r >= 1 && r <= 5)) throw invalid('Choose a rating from 1 to 5', { rating: 'range' });
  const comment = typeof input.comment === 'string' ? input.comment.trim() : '';
  if (comment.length > 5000) throw invalid('The comment is too long', { comment: 'too long' });
  return { rating: r, comment: comment || null };
}

export async function confirmResolution(ctx: Ctx, who: Requester, input: { ticketId: number; rating?: unknown; comment?: unknown }): Promise<Ticket> {
  const given = satisfaction(input);
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, async () => {
    const t = await ownTicket(ctx, who, input.ticketId);
    if (t.status !== 'resolved') throw new AppError('conflict', 'Only a resolved ticket can be confirmed');
    const closed = await changeStatus(ctx, { kind: 'system' }, { ticketId: t.id, status: 'closed', reason: label(ctx.locales, ctx.config.defaultLocale, 'portal.confirmedReason') });
    if (given.rating !== null || given.comment !== null) await updateTicket(ctx.db, t.id, { satisfactionRating: given.rating, satisfactionComment: given.comment }, now);
    await insertEvent(ctx.db, { ticketId: t.id, actor: { kind: 'contact', contactId: who.contactId }, type: 'ticket.resolution_confirmed', data: given.rating !== null || given.comment !== null ? given : undefined }, now);
    return given.rating !== null || given.comment !== null ? await getTicket(ctx.db, t.id) : closed;
  });
}

/** reason null: the same form was sent before, and its first send opened the follow-up */
export type ReopenResult = { reopened: true; ticket: Ticket } | { reopened: false; reason: 'limit' | 'window' | null; ticket: Ticket; followUp: Ticket };

/**
 * "It is not fixed": reopens the ticket with the requester's words, or — beyond the contract's
 * reopen limit or window — opens a new ticket linked to it; once per form (a second send of it
 * gets what the first did, never a second follow-up).
 */
export async function reopenByRequester(ctx: Ctx, who: Requester, input: { ticketId: number; message: unknown; submission?: Submission }): Promise<ReopenResult> {
  const body = message(input.message, true);
  let result: ReopenResult | undefined;
  const ticketOf = (r: ReopenResult) => (r.reopened ? r.ticket : r.followUp);
  const stored = await once(ctx, who, input.submission, (t) => (t.id === input.ticketId ? 'appended' : 'created'), body, async () => {
    result = await reopenOnce(ctx, who, input.ticketId, body);
    return ticketOf(result);
  });
  // this send stored it (once hands back the very ticket it stored; a send that lost the race to another gets the other's)
  if (result && stored === ticketOf(result)) return result;
  // the same form sent again: what its first send did
  if (stored.id === input.ticketId) return { reopened: true, ticket: stored };
  return { reopened: false, reason: null, ticket: await getTicket(ctx.db, input.ticketId), followUp: stored };
}

async function reopenOnce(ctx: Ctx, who: Requester, ticketId: number, body: string): Promise<ReopenResult> {
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, async () => {
    const t = await ownTicket(ctx, who, ticketId);
    if (t.status !== 'resolved' && t.status !== 'closed') throw new AppError('conflict', 'The ticket is still open');
    const verdict = decideReopen(t, await contractOfTicket(ctx.db, t), now);
    await spend(ctx, who, 'messages');
    if (!verdict.allowed) await spend(ctx, who, 'requests');
    if (verdict.allowed) {
      await insertMessage(ctx.db, {
        ticketId: t.id, kind: 'reply', direction: 'in', channel: 'web', authorContactId: who.contactId, subject: t.subject, bodyText: body, createdAt: now,
      });
      await changeStatus(ctx, { kind: 'system' }, { ticketId: t.id, status: 'reopened', reason: label(ctx.locales, ctx.config.defaultLocale, 'portal.reopenedReason') });
      await insertEvent(ctx.db, { ticketId: t.id, actor: { kind: 'contact', contactId: who.contactId }, type: 'ticket.reopened_by_requester' }, now);
      return { reopened: true, ticket: await refreshSla(ctx.db, ctx.calendars, t.id, now, ['requester_wrote']) };
    }
    const contact = await findContact(ctx.db, who.contactId);
    const followUp = await insertTicket(ctx.db, {
      subject: t.subject, channel: 'web', requesterId: who.contactId, organizationId: contact?.organizationId ?? t.organizationId,
      componentId: t.componentId, type: t.type, priority: t.priority,
    }, now);
    const first = await insertMessage(ctx.db, {
      ticketId: followUp.id, kind: 'reply', direction: 'in', channel: 'web', authorContactId: who.contactId, subject: t.subject, bodyText: body, createdAt: now,
    });
    await insertTicketLink(ctx.db, followUp.id, t.id, 'follow_up', now);
    const contract = await contractOfTicket(ctx.db, t);
    await insertMessage(ctx.db, {
      ticketId: followUp.id, kind: 'note', direction: 'internal', channel: 'web', createdAt: now,
      bodyText: label(ctx.locales, ctx.config.defaultLocale, `followUp.note.${verdict.reason}`, { oldNumber: t.number, limit: contract.reopenLimit ?? 0, days: contract.reopenWindowDays ?? 0 }),
    });
    await insertEvent(ctx.db, { ticketId: followUp.id, actor: { kind: 'contact', contactId: who.contactId }, type: 'ticket.created', data: { channel: 'web', via: 'portal', followUpOf: t.id } }, now);
    await insertEvent(ctx.db, { ticketId: t.id, actor: { kind: 'system' }, type: 'ticket.follow_up_opened', data: { ticketId: followUp.id, number: followUp.number, reason: verdict.reason } }, now);
    await runHooks(ctx.hooks.ticketChanged, ctx, { type: 'created', ticket: await getTicket(ctx.db, followUp.id), message: first, actor: { kind: 'system' } });
    return { reopened: false, reason: verdict.reason, ticket: t, followUp: await getTicket(ctx.db, followUp.id) };
  });
}

export async function complainAsRequester(ctx: Ctx, who: Requester, input: { ticketId: number; reason: unknown }): Promise<Ticket> {
  return await escalateTicket(ctx, { kind: 'requester', contactId: who.contactId }, input);
}


/** A portal form's one-time key (made when the form is shown), or null for a form without one. */
export type Submission = unknown;
type Outcome = 'created' | 'appended';

/**
 * A portal form sent twice (a double click, a retry after a timeout, Back and send again) stores
 * what it carries once: its one-time key goes into the intake ledger with the ticket it made or
 * added to, as a mail's Message-ID does, and a second send with the same key gets that ticket.
 */
async function once(ctx: Ctx, who: Requester, submission: Submission, outcome: Outcome | ((t: Ticket) => Outcome), text: string, store: () => Promise<Ticket>): Promise<Ticket> {
  const key = typeof submission === 'string' && /^[A-Za-z0-9-]{16,64}$/.test(submission) ? `portal:${who.contactId}:${submission}` : null;
  if (!key) return await store();
  const seen = async () => {
    const r = await findInboundByDedupeKey(ctx.db, key);
    return r?.ticketId ? await getTicket(ctx.db, r.ticketId) : undefined;
  };
  try {
    return await inTransaction(ctx.db, async () => {
      const before = await seen();
      if (before) return before;
      const t = await store();
      const now = ctx.clock.now();
      await insertInbound(ctx.db, {
        channel: 'web', source: 'web', dedupeKey: key, rawSha256: createHash('sha256').update(text).digest('hex'), rawSize: Buffer.byteLength(text),
        subject: t.subject, outcome: typeof outcome === 'function' ? outcome(t) : outcome, reason: 'portal', ticketId: t.id, receivedAt: now, processedAt: now,
      });
      return t;
    });
  } catch (err) {
    // the same form sent at the same moment on another connection: that one stored it
    const other = isUniqueViolation(err, 'inbound_messages', 'dedupe_key') ? await seen() : undefined;
    if (other) return other;
    throw err;
  }
}

/** A requester opens a new request from the portal: the same path as every other new ticket, once per form. */
export async function openRequestFromPortal(ctx: Ctx, who: Requester, input: { subject: unknown; body: unknown; type?: unknown; attachments?: ReplyAttachment[]; submission?: Submission }): Promise<Ticket> {
  const type = TICKET_TYPES.find((t) => t === input.type) ?? 'incident';
  const subject = typeof input.subject === 'string' ? input.subject : '';
  const body = typeof input.body === 'string' ? input.body : '';
  return await once(ctx, who, input.submission, 'created', `${subject}\n${body}`, async () => await inTransaction(ctx.db, async () => {
    await spend(ctx, who, 'requests');
    return await createTicket(ctx, { kind: 'contact', contactId: who.contactId }, { subject, body, requesterContactId: who.contactId, channel: 'web', type }, input.attachments ?? []);
  }));
}

/**
 * The requester adds to an open request from the portal, with attachments: stored as their message
 * (as a mail reply would be), a request waiting on them goes back to work, the assignee is told.
 * A resolved or closed request is reopened through reopenByRequester instead.
 */
export async function replyFromPortal(ctx: Ctx, who: Requester, input: { ticketId: number; message: unknown; attachments?: ReplyAttachment[]; submission?: Submission }): Promise<Ticket> {
  const body = message(input.message, true);
  const stored = await storeAttachments(ctx, input.attachments ?? []);
  const now = ctx.clock.now();
  return await once(ctx, who, input.submission, 'appended', body, async () => await inTransaction(ctx.db, async () => {
    let t = await ownTicket(ctx, who, input.ticketId);
    if (t.status === 'resolved' || t.status === 'closed' || t.mergedIntoId !== null) throw new AppError('conflict', 'The request is no longer open');
    await spend(ctx, who, 'messages');
    const m = await insertMessage(ctx.db, {
      ticketId: t.id, kind: 'reply', direction: 'in', channel: 'web', authorContactId: who.contactId, subject: t.subject, bodyText: body, createdAt: now,
    });
    await insertAttachments(ctx, m.id, stored, now);
    await updateTicket(ctx.db, t.id, { lastActivityAt: now }, now);
    await insertEvent(ctx.db, { ticketId: t.id, actor: { kind: 'contact', contactId: who.contactId }, type: 'ticket.requester_replied', data: { messageId: m.id, via: 'portal' } }, now);
    const resumed = resumedByRequester(t);
    if (resumed) t = await writeStatus(ctx, { kind: 'contact', contactId: who.contactId }, t, resumed);
    const assignee = t.assigneeId ? await findUser(ctx.db, t.assigneeId) : undefined;
    if (assignee) await queueAgentNotice(ctx.db, ctx, { user: assignee, kind: 'customer_reply', ticket: t });
    return await refreshSla(ctx.db, ctx.calendars, t.id, now, ['requester_wrote']);
  }));
}
