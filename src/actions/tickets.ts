// Ticket use cases the console, the API and the CLI call. Each runs in one transaction: the
// change, its audit event, its visible thread event and whatever the hooks add.
import { z } from 'zod';
import { inTransaction } from '../db/client.ts';
import { PRIORITIES, STATUSES, TICKET_TYPES, CATEGORIES, type TicketStatus, type Channel } from '../db/schema.ts';
import { can, type Permission } from '../domain/permissions.ts';
import { findContactEmail, findOrganizationIdByDomain, insertContact, findContact, findPrimaryEmail, getContact, type Contact } from '../store/contacts.ts';
import { AppError, forbidden, invalid } from '../domain/errors.ts';
import { insertEvent, type Actor } from '../store/events.ts';
import { insertMessage, type Message } from '../store/messages.ts';
import { getTicket, insertParticipants, insertTicket, updateTicket, type Ticket } from '../store/tickets.ts';
import { insertAttachment } from '../store/messages.ts';
import { findUser, type User } from '../store/users.ts';
import { runHooks, type ActorRef, type Ctx } from './context.ts';
import { requireTicketRights } from './ticket-rights.ts';
import { parseInput as parse } from './validate.ts';

export function requirePermission(user: User, permission: Permission): void {
  if (!can(user.role, permission)) throw forbidden();
}

export function auditActor(actor: ActorRef): Actor {
  if (actor.kind === 'user') return { kind: 'user', userId: actor.user.id };
  return actor.kind === 'contact' ? { kind: 'contact', contactId: actor.contactId } : { kind: 'system' };
}

/** A system event shown in the ticket's thread (status changes, assignment, skipped sends…). */
export async function insertThreadEvent(
  ctx: Ctx,
  ticket: Ticket,
  actor: ActorRef,
  eventType: string,
  eventData: Record<string, unknown>,
  now: number,
): Promise<Message> {
  return await insertMessage(ctx.db, {
    ticketId: ticket.id,
    kind: 'event',
    direction: 'internal',
    channel: ticket.channel,
    authorUserId: actor.kind === 'user' ? actor.user.id : null,
    eventType,
    eventData,
    bodyText: '',
    createdAt: now,
  });
}

export const newTicketSchema = z.object({
  subject: z.string().trim().min(1, 'Enter a subject').max(300),
  body: z.string().trim().min(1, 'Describe the request').max(100_000),
  requesterEmail: z.email({ message: 'Enter the requester’s email address' }).transform((v) => v.toLowerCase()).optional(),
  requesterName: z.string().trim().max(200).optional(),
  priority: z.enum(PRIORITIES).default('normal'),
  type: z.enum(TICKET_TYPES).default('incident'),
  category: z.enum(CATEGORIES).optional(),
  componentId: z.coerce.number().int().positive().optional(),
  channel: z.enum(['web', 'api', 'phone'] as const satisfies Channel[]).default('web'),
  /** a known contact as the requester (the portal's signed-in requester), instead of an address */
  requesterContactId: z.number().int().positive().optional(),
}).refine((v) => v.requesterEmail !== undefined || v.requesterContactId !== undefined, { message: 'Enter the requester’s email address', path: ['requesterEmail'] });

/** The requester of a new ticket: the contact named, else the one with the address (made if new). */
async function requesterOf(ctx: Ctx, v: z.infer<typeof newTicketSchema>, now: number): Promise<Contact> {
  if (v.requesterContactId !== undefined) return await getContact(ctx.db, v.requesterContactId);
  const email = v.requesterEmail!;
  const known = await findContactEmail(ctx.db, email);
  if (known) return (await findContact(ctx.db, known.contactId))!;
  return await insertContact(ctx.db, {
    name: v.requesterName || email.split('@')[0],
    organizationId: await findOrganizationIdByDomain(ctx.db, email.split('@')[1]) ?? null,
    emails: [email],
  }, now);
}

/** `attachments`: files of the first message (the portal's request form). */
export async function createTicket(ctx: Ctx, actor: ActorRef, input: z.input<typeof newTicketSchema>, attachments: ReplyAttachment[] = []): Promise<Ticket> {
  if (actor.kind === 'user') requirePermission(actor.user, 'ticket.create');
  const v = parse(newTicketSchema, input);
  const stored = await storeAttachments(ctx, attachments);
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, async () => {
    const contact = await requesterOf(ctx, v, now);
    const ticket = await insertTicket(
      ctx.db,
      {
        subject: v.subject, channel: v.channel, priority: v.priority, type: v.type, category: v.category ?? null,
        componentId: v.componentId ?? null, requesterId: contact.id, organizationId: contact.organizationId,
      },
      now,
    );
    const message = await insertMessage(ctx.db, {
      ticketId: ticket.id, kind: 'reply', direction: 'in', channel: v.channel,
      authorUserId: actor.kind === 'user' ? actor.user.id : null, authorContactId: contact.id,
      fromAddress: v.requesterEmail ?? (await findPrimaryEmail(ctx.db, contact.id))?.email ?? null, subject: v.subject, bodyText: v.body, createdAt: now,
    });
    await insertAttachments(ctx, message.id, stored, now);
    await insertEvent(ctx.db, { ticketId: ticket.id, actor: auditActor(actor), type: 'ticket.created', data: { channel: v.channel } }, now);
    await runHooks(ctx.hooks.ticketChanged, ctx, { type: 'created', ticket, message, actor });
    return await getTicket(ctx.db, ticket.id);
  });
}

export async function addNote(ctx: Ctx, actor: ActorRef & { kind: 'user' }, input: { ticketId: number; body: string }): Promise<Message> {
  requirePermission(actor.user, 'ticket.note');
  const body = parse(z.string().trim().min(1, 'Write the note first').max(100_000), input.body);
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, async () => {
    const ticket = await getTicket(ctx.db, input.ticketId);
    const message = await insertMessage(ctx.db, {
      ticketId: ticket.id, kind: 'note', direction: 'internal', channel: ticket.channel,
      authorUserId: actor.user.id, bodyText: body, createdAt: now,
    });
    await updateTicket(ctx.db, ticket.id, { lastActivityAt: now }, now);
    await insertEvent(ctx.db, { ticketId: ticket.id, actor: auditActor(actor), type: 'ticket.note', data: { messageId: message.id } }, now);
    await runHooks(ctx.hooks.ticketChanged, ctx, { type: 'note', ticket, message, actor });
    return message;
  });
}

export async function changeStatus(ctx: Ctx, actor: ActorRef, input: { ticketId: number; status: string; reason?: string }): Promise<Ticket> {
  if (actor.kind === 'user') requirePermission(actor.user, 'ticket.status');
  const to = parse(z.enum(STATUSES, { message: 'Unknown status' }), input.status) as TicketStatus;
  return await inTransaction(ctx.db, async () => {
    const ticket = await getTicket(ctx.db, input.ticketId);
    await requireTicketRights(ctx.db, actor, ticket, 'status');
    return await applyStatus(ctx, actor, ticket, to, input.reason);
  });
}

/** The status change itself, for actions that checked the actor's rights on the ticket already. */
export async function applyStatus(ctx: Ctx, actor: ActorRef, ticket: Ticket, to: TicketStatus, reason?: string): Promise<Ticket> {
  if (ticket.status === to) return ticket;
  await runHooks(ctx.hooks.validateChange, ctx, { type: 'status', ticket, from: ticket.status, to, reason, actor });
  return await writeStatus(ctx, actor, ticket, to, reason);
}

/**
 * Writes a status change and runs the change hooks: the one path for every status change. Intake
 * calls it directly for the moves its steps decided (a requester's reply reopens or resumes a
 * ticket); everyone else goes through applyStatus, which validates the move first.
 */
export async function writeStatus(ctx: Ctx, actor: ActorRef, ticket: Ticket, to: TicketStatus, reason?: string): Promise<Ticket> {
  if (ticket.status === to) return ticket;
  const now = ctx.clock.now();
  const patch: Partial<Ticket> = { status: to, lastActivityAt: now };
  if (to === 'resolved') patch.resolvedAt = now;
  if (to === 'closed') patch.closedAt = now;
  if (to === 'reopened') {
    patch.reopenCount = ticket.reopenCount + 1;
    patch.resolvedAt = null;
    patch.closedAt = null;
  }
  await updateTicket(ctx.db, ticket.id, patch, now);
  await insertEvent(ctx.db, { ticketId: ticket.id, actor: auditActor(actor), type: 'ticket.status', data: { from: ticket.status, to, reason } }, now);
  await insertThreadEvent(ctx, ticket, actor, 'status', { from: ticket.status, to, reason: reason ?? null }, now);
  const updated = await getTicket(ctx.db, ticket.id);
  await runHooks(ctx.hooks.ticketChanged, ctx, { type: 'status', ticket: updated, from: ticket.status, to, reason, actor });
  return updated;
}

export async function assignTicket(ctx: Ctx, actor: ActorRef, input: { ticketId: number; assigneeId: number | null }): Promise<Ticket> {
  if (actor.kind === 'user') requirePermission(actor.user, 'ticket.assign');
  return await inTransaction(ctx.db, async () => {
    const ticket = await getTicket(ctx.db, input.ticketId);
    await requireTicketRights(ctx.db, actor, ticket, 'assign');
    return await applyAssignment(ctx, actor, ticket, input.assigneeId);
  });
}

/** The assignment itself, for actions that checked the actor's rights on the ticket already. */
export async function applyAssignment(ctx: Ctx, actor: ActorRef, ticket: Ticket, assigneeId: number | null): Promise<Ticket> {
  if (ticket.assigneeId === assigneeId) return ticket;
  if (assigneeId !== null) {
    const assignee = await findUser(ctx.db, assigneeId);
    if (!assignee || !assignee.active) throw invalid('Choose an active agent', { assigneeId: 'Unknown agent' });
  }
  const now = ctx.clock.now();
  const change = { type: 'assigned' as const, ticket, from: ticket.assigneeId, to: assigneeId, actor };
  await runHooks(ctx.hooks.validateChange, ctx, change);
  const patch: Partial<Ticket> = { assigneeId, lastActivityAt: now };
  if (assigneeId !== null && (ticket.status === 'new' || ticket.status === 'triaged')) patch.status = 'assigned';
  await updateTicket(ctx.db, ticket.id, patch, now);
  await insertEvent(ctx.db, { ticketId: ticket.id, actor: auditActor(actor), type: 'ticket.assigned', data: { from: ticket.assigneeId, to: assigneeId } }, now);
  await insertThreadEvent(ctx, ticket, actor, 'assigned', { from: ticket.assigneeId, to: assigneeId }, now);
  const updated = await getTicket(ctx.db, ticket.id);
  await runHooks(ctx.hooks.ticketChanged, ctx, { ...change, ticket: updated });
  return updated;
}

export type ReplyAttachment = { filename: string; contentType: string; content: Buffer };
export type StoredAttachment = ReplyAttachment & { sha256: string };

/** Puts a message's files in the file store (before its transaction), within the size limit. */
export async function storeAttachments(ctx: Ctx, files: ReplyAttachment[]): Promise<StoredAttachment[]> {
  const limit = ctx.config.limits.attachmentBytes;
  for (const a of files) {
    if (a.content.length > limit) throw invalid(`${a.filename} is larger than the ${Math.round(limit / 1048576)} MB limit`, { attachments: 'Too large' });
  }
  const stored: StoredAttachment[] = [];
  for (const a of files) stored.push({ ...a, sha256: await ctx.files.put('files', a.content) });
  return stored;
}

/** The stored files' rows on a message. */
export async function insertAttachments(ctx: Ctx, messageId: number, stored: StoredAttachment[], now: number): Promise<void> {
  for (const a of stored) {
    await insertAttachment(ctx.db, { messageId, sha256: a.sha256, size: a.content.length, filename: a.filename, contentType: a.contentType || 'application/octet-stream', inline: false, createdAt: now });
  }
}

export const replySchema = z.object({
  body: z.string().trim().min(1, 'Write the reply first').max(100_000),
  cc: z.array(z.email({ message: 'CC must be email addresses' })).max(20).default([]),
});

/**
 * A public reply to the requester through the ticket's channel. The message is stored as queued;
 * the channel's notification hook (mail, SMS) puts it in the outbox in the same transaction.
 */
export async function replyToTicket(
  ctx: Ctx,
  actor: ActorRef & { kind: 'user' },
  input: { ticketId: number; body: string; cc?: string[]; attachments?: ReplyAttachment[] },
): Promise<Message> {
  requirePermission(actor.user, 'ticket.reply');
  const v = parse(replySchema, { body: input.body, cc: (input.cc ?? []).map((a) => a.trim().toLowerCase()).filter(Boolean) });
  const stored = await storeAttachments(ctx, input.attachments ?? []);
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, async () => {
    const ticket = await getTicket(ctx.db, input.ticketId);
    const message = await insertMessage(ctx.db, {
      ticketId: ticket.id, kind: 'reply', direction: 'out', channel: ticket.channel,
      authorUserId: actor.user.id, ccAddresses: v.cc.length ? v.cc : null, subject: ticket.subject,
      bodyText: v.body, deliveryStatus: 'queued', createdAt: now,
    });
    await insertAttachments(ctx, message.id, stored, now);
    if (v.cc.length) await insertParticipants(ctx.db, ticket.id, v.cc);
    await updateTicket(ctx.db, ticket.id, { lastActivityAt: now, firstRespondedAt: ticket.firstRespondedAt ?? now }, now);
    await insertEvent(ctx.db, { ticketId: ticket.id, actor: auditActor(actor), type: 'ticket.reply', data: { messageId: message.id, cc: v.cc } }, now);
    await runHooks(ctx.hooks.ticketChanged, ctx, { type: 'reply', ticket: await getTicket(ctx.db, ticket.id), message, actor });
    return message;
  });
}

export { AppError };
