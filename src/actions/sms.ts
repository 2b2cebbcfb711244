// An agent starts a conversation by SMS: a new SMS ticket whose first message is the agent's
// text, sent by the SMS channel's reply hook like any other reply.
import { parseInput } from './validate.ts';
import { z } from 'zod';
import { inTransaction } from '../db/client.ts';
import { toE164 } from '../domain/phone.ts';
import { firstWords } from '../domain/first-words.ts';
import { findContact, findContactPhone, insertContact, insertContactPhone } from '../store/contacts.ts';
import { invalid } from '../domain/errors.ts';
import { insertEvent } from '../store/events.ts';
import { insertMessage, type Message } from '../store/messages.ts';
import { getTicket, insertTicket, updateTicket, type Ticket } from '../store/tickets.ts';
import { runHooks, type ActorRef, type Ctx } from './context.ts';
import { auditActor, requirePermission } from './tickets.ts';

export const startSmsSchema = z.object({
  phone: z.string().trim().min(1, 'Enter the phone number').max(40),
  contactId: z.coerce.number().int().positive().optional(),
  name: z.string().trim().max(200).optional(),
  subject: z.string().trim().max(300).optional(),
  body: z.string().trim().min(1, 'Write the message').max(10_000),
});


export async function startSmsConversation(
  ctx: Ctx,
  actor: ActorRef & { kind: 'user' },
  input: z.input<typeof startSmsSchema>,
): Promise<{ ticket: Ticket; message: Message }> {
  requirePermission(actor.user, 'ticket.create');
  const v = parseInput(startSmsSchema, input);
  const phone = toE164(v.phone, ctx.config.sms.defaultCountry);
  if (!phone) {
    const hint = ctx.config.sms.defaultCountry ? '' : ' with its +country code';
    throw invalid(`Enter a valid phone number${hint}`, { phone: `Enter a valid phone number${hint}` });
  }
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, async () => {
    const known = await findContactPhone(ctx.db, phone);
    if (known?.smsOptedOutAt) {
      const msg = 'This number has opted out of SMS (it sent STOP). It gets texts again only after it sends START.';
      throw invalid(msg, { phone: msg });
    }
    if (known && v.contactId && known.contactId !== v.contactId) {
      const owner = await findContact(ctx.db, known.contactId);
      const msg = `This number belongs to ${owner?.name ?? 'another contact'}.`;
      throw invalid(msg, { phone: msg });
    }
    let contactId = known?.contactId;
    if (!contactId && v.contactId) {
      if (!await findContact(ctx.db, v.contactId)) throw invalid('Unknown contact', { contactId: 'Unknown contact' });
      await insertContactPhone(ctx.db, v.contactId, phone);
      contactId = v.contactId;
    }
    const contact = contactId ? (await findContact(ctx.db, contactId))! : await insertContact(ctx.db, { name: v.name || phone, phones: [phone] }, now);

    const ticket = await insertTicket(
      ctx.db,
      { subject: v.subject || firstWords(v.body), channel: 'sms', requesterId: contact.id, organizationId: contact.organizationId },
      now,
    );
    await insertEvent(ctx.db, { ticketId: ticket.id, actor: auditActor(actor), type: 'ticket.created', data: { channel: 'sms', via: 'agent' } }, now);
    const message = await insertMessage(ctx.db, {
      ticketId: ticket.id, kind: 'reply', direction: 'out', channel: 'sms', authorUserId: actor.user.id,
      subject: ticket.subject, bodyText: v.body, deliveryStatus: 'queued', createdAt: now,
    });
    await updateTicket(ctx.db, ticket.id, { firstRespondedAt: now }, now);
    await insertEvent(ctx.db, { ticketId: ticket.id, actor: auditActor(actor), type: 'ticket.reply', data: { messageId: message.id } }, now);
    const created = await getTicket(ctx.db, ticket.id);
    await runHooks(ctx.hooks.ticketChanged, ctx, { type: 'created', ticket: created, message, actor });
    await runHooks(ctx.hooks.ticketChanged, ctx, { type: 'reply', ticket: created, message, actor });
    return { ticket: await getTicket(ctx.db, ticket.id), message };
  });
}
