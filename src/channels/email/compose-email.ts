// Turns an email outbox row into the mail nodemailer sends: rendered text + HTML, our signed
// Message-ID, the requester's thread (In-Reply-To/References), the [#N] subject tag, the
// plus-address Reply-To, agent reply attachments, the requester's portal link (issued now, so it
// counts its days from the send) and, on automatic mail only, the RFC 3834 and loop headers.
import type { SendMailOptions } from 'nodemailer';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { LOCALES } from '../../db/schema.ts';
import { deskHost, LOOP_HEADER } from '../../domain/desk-identity.ts';
import { portalUrl } from '../../domain/portal-link.ts';
import { makeReplyAddress } from '../../domain/reply-token.ts';
import { subjectTag, taggedSubject } from '../../domain/ticket-ref.ts';
import { findContact, findContactEmail } from '../../store/contacts.ts';
import { findMessage, listAttachmentsForMessages, listTicketMessages, type Message } from '../../store/messages.ts';
import type { OutboxRow } from '../../store/outbox.ts';
import { findTicket, type Ticket } from '../../store/tickets.ts';
import { findUser, findUserByEmail } from '../../store/users.ts';
import { findMailboxAddress } from '../../store/desk-addresses.ts';
import { parseAddress, type MailAddress } from '../../domain/mail-address.ts';
import type { EmailRenderer } from '../../outbox/render-email.ts';
import type { OutboxSettings } from '../../outbox/settings.ts';
import { requesterThreadRefs } from '../../outbox/thread-refs.ts';
import { passwordLinkVars } from './password-link-vars.ts';
import { portalSignInVars } from './portal-sign-in-vars.ts';
import { ChannelUnavailableError, PermanentSendError, type EmailPayload } from '../../outbox/types.ts';

export type ComposeDeps = Pick<Deps, 'db' | 'files' | 'config' | 'secrets' | 'clock'>;

const payloadSchema = z.object({
  template: z.string().min(1),
  locale: z.enum(LOCALES),
  vars: z.record(z.string(), z.unknown()).default({}),
  auto: z.boolean(),
  audience: z.enum(['requester', 'agent']),
  autoSubmitted: z.enum(['auto-replied', 'auto-generated']).optional(),
});

export function parseEmailPayload(payload: unknown): EmailPayload {
  const r = payloadSchema.safeParse(payload);
  if (!r.success) throw new PermanentSendError(`invalid email payload: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** The sender: MAIL_FROM, with the desk's name when MAIL_FROM is a bare address. */
export function senderOf(config: ComposeDeps['config']): MailAddress {
  const parsed = config.smtp ? parseAddress(config.smtp.from) : null;
  // a configuration problem, not this mail's: the mail waits until it is fixed
  if (!parsed) throw new ChannelUnavailableError('MAIL_FROM is not set or holds no address');
  return { name: parsed.name || config.deskName, address: parsed.address };
}

/** The Message-ID (without brackets) our mail on this ticket is sent with. */
export function messageIdDomain(config: ComposeDeps['config']): string {
  return deskHost(config.publicUrl);
}

async function nameFor(deps: ComposeDeps, address: string): Promise<string> {
  const contact = await findContactEmail(deps.db, address);
  if (contact) return (await findContact(deps.db, contact.contactId))?.name ?? '';
  return (await findUserByEmail(deps.db, address))?.name ?? '';
}

function excerpt(text: string, max = 1200): string {
  const t = text.replace(/\r\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  return t.length > max ? `${t.slice(0, max - 1).trimEnd()}…` : t;
}

function latestInbound(messages: Message[], before?: number): Message | undefined {
  return messages.filter((m) => m.kind === 'reply' && m.direction === 'in' && (before === undefined || m.id < before)).at(-1);
}

async function ticketData(deps: ComposeDeps, ticket: Ticket) {
  const requester = ticket.requesterId ? await findContact(deps.db, ticket.requesterId) : undefined;
  const messages = await listTicketMessages(deps.db, ticket.id);
  const first = messages.find((m) => m.kind === 'reply' && m.direction === 'in');
  const latest = latestInbound(messages);
  return {
    ticket: {
      id: ticket.id, number: ticket.number, subject: ticket.subject, tag: subjectTag(ticket.number),
      taggedSubject: taggedSubject(ticket.subject, ticket.number), status: ticket.status, priority: ticket.priority,
      url: `${deps.config.publicUrl}/tickets/${ticket.number}`,
    },
    requester: { name: requester?.name ?? first?.fromAddress ?? '', address: first?.fromAddress ?? null },
    assignee: ticket.assigneeId ? ((await findUser(deps.db, ticket.assigneeId))?.name ?? null) : null,
    message: { excerpt: latest ? excerpt(latest.newText?.trim() || latest.bodyText) : null },
    messages,
  };
}

/** The reply part of an agent reply: its body, author, attachments and the message it answers. */
async function replyData(deps: ComposeDeps, reply: Message, messages: Message[], quoteHistory: boolean) {
  const author = reply.authorUserId ? ((await findUser(deps.db, reply.authorUserId))?.name ?? '') : '';
  const atts = await listAttachmentsForMessages(deps.db, [reply.id]);
  const previous = quoteHistory
    ? messages.filter((m) => m.kind === 'reply' && m.id < reply.id && (m.direction === 'in' || m.deliveryStatus === 'sent')).at(-1)
    : undefined;
  let quote: { author: string; date: number; text: string } | null = null;
  if (previous) {
    const who = previous.authorUserId
      ? ((await findUser(deps.db, previous.authorUserId))?.name ?? '')
      : previous.authorContactId
        ? ((await findContact(deps.db, previous.authorContactId))?.name ?? previous.fromAddress ?? '')
        : (previous.fromAddress ?? '');
    quote = { author: who, date: previous.createdAt, text: previous.newText?.trim() || previous.bodyText };
  }
  return {
    reply: { body: reply.bodyText, author, attachments: atts.map((a) => a.filename) },
    quote,
    attachments: await Promise.all(atts.map(async (a) => {
      if (!(await deps.files.has('files', a.sha256))) throw new PermanentSendError(`attachment ${a.filename} is missing from the file store`);
      return { filename: a.filename, content: await deps.files.read('files', a.sha256), contentType: a.contentType };
    })),
  };
}

export type ComposedEmail = SendMailOptions & { envelope: { from: string; to: string[] } };

export async function composeEmail(deps: ComposeDeps, renderer: EmailRenderer, settings: OutboxSettings, row: OutboxRow): Promise<ComposedEmail> {
  if (row.channel !== 'email') throw new PermanentSendError(`not an email row: ${row.channel}`);
  if (!row.headerMessageId) throw new Error('the row has no Message-ID yet');
  const payload = parseEmailPayload(row.payload);
  const ticket = row.ticketId !== null ? await findTicket(deps.db, row.ticketId) : undefined;
  if (row.ticketId !== null && !ticket) throw new PermanentSendError(`ticket ${row.ticketId} no longer exists`);
  const from = senderOf(deps.config);
  const requesterMail = payload.audience === 'requester';

  const base = ticket ? await ticketData(deps, ticket) : undefined;
  const threadMessage = row.messageId !== null ? await findMessage(deps.db, row.messageId) : undefined;
  const isReply = threadMessage?.kind === 'reply' && threadMessage.direction === 'out';
  const reply = isReply && base ? await replyData(deps, threadMessage, base.messages, settings.quoteHistory) : undefined;
  const refs = ticket && requesterMail ? await requesterThreadRefs(deps.db, ticket.id, { exclude: row.messageId }) : { inReplyTo: null, references: [] };

  const data: Record<string, unknown> = {
    desk: { name: deps.config.deskName, url: deps.config.publicUrl },
    audience: payload.audience,
    recipient: { name: await nameFor(deps, row.recipient) || row.recipient.split('@')[0], address: row.recipient },
    thread: { isReply: !!refs.inReplyTo },
    ...(base ? { ticket: base.ticket, requester: base.requester, assignee: base.assignee, message: base.message } : {}),
    ...(reply ? { reply: reply.reply, quote: reply.quote } : {}),
    ...payload.vars,
    ...(await passwordLinkVars(deps, payload.vars)),
    ...(await portalSignInVars(deps, payload.vars)),
    // after the vars: a link queued with the row (older rows have one) would carry the queue time
    ...(ticket && requesterMail ? { portalUrl: portalUrl(deps.config.publicUrl, deps.secrets.token, ticket, deps.clock.now()) } : {}),
  };
  const rendered = renderer.render(payload.template, payload.locale, data);
  const subject = ticket && !rendered.subject.includes(subjectTag(ticket.number)) ? `${rendered.subject} ${subjectTag(ticket.number)}`.trim() : rendered.subject;

  const headers: Record<string, string> = { 'Content-Language': rendered.locale };
  if (payload.auto) {
    headers['Auto-Submitted'] = payload.autoSubmitted ?? 'auto-generated';
    headers['X-Auto-Response-Suppress'] = 'All';
    headers[LOOP_HEADER] = messageIdDomain(deps.config);
  }

  const mail: ComposedEmail = {
    from: { name: from.name, address: from.address },
    to: [{ name: await nameFor(deps, row.recipient), address: row.recipient }],
    cc: row.cc?.length ? row.cc : undefined,
    subject,
    text: rendered.text,
    html: rendered.html,
    messageId: `<${row.headerMessageId}>`,
    headers,
    envelope: { from: from.address, to: [row.recipient, ...(row.cc ?? [])] },
    attachments: reply?.attachments,
  };
  if (refs.inReplyTo) mail.inReplyTo = `<${refs.inReplyTo}>`;
  if (refs.references.length) mail.references = refs.references.map((r) => `<${r}>`);
  if (ticket && requesterMail) {
    // replies go back to the mailbox the ticket came in on, else to the sender address
    const mailbox = ticket.mailboxId !== null ? await findMailboxAddress(deps.db, ticket.mailboxId) : undefined;
    const replyBase = mailbox ?? deps.config.imap?.address ?? from.address;
    mail.replyTo = { name: from.name, address: makeReplyAddress(deps.secrets.token, replyBase, ticket.id) };
  }
  return mail;
}
