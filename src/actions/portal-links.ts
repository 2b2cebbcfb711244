// Requester portal links: an agent revokes every link given out for a ticket; whoever holds a link
// the desk issued that expired or was revoked may have a fresh one sent — only ever to the
// requester's address on file (mail, else SMS), at most once per ten minutes per ticket.
import { inTransaction } from '../db/client.ts';
import type { OutboundChannel } from '../domain/channel-traits.ts';
import { freshLinkWaitMs, newPortalNonce, portalUrl } from '../domain/portal-link.ts';
import { queueEmail, queueSms } from '../outbox/queue.ts';
import { findContact, findPrimaryEmail, findPrimaryPhone } from '../store/contacts.ts';
import { AppError } from '../domain/errors.ts';
import { insertEvent, listTicketEvents } from '../store/events.ts';
import { getTicket, updateTicket, type Ticket } from '../store/tickets.ts';
import type { ActorRef, Ctx } from './context.ts';
import { auditActor, requirePermission } from './tickets.ts';

export const PORTAL_LINKS_REVOKED = 'ticket.portal_links_revoked';
export const PORTAL_LINK_SENT = 'ticket.portal_link_sent';

/** A new portal nonce: every link issued so far stops opening; links issued from now on work. */
export async function revokePortalLinks(ctx: Ctx, actor: ActorRef & { kind: 'user' }, input: { ticketId: number }): Promise<Ticket> {
  requirePermission(actor.user, 'ticket.edit');
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, async () => {
    const t = await getTicket(ctx.db, input.ticketId);
    await updateTicket(ctx.db, t.id, { portalNonce: newPortalNonce() }, now);
    await insertEvent(ctx.db, { ticketId: t.id, actor: auditActor(actor), type: PORTAL_LINKS_REVOKED }, now);
    return await getTicket(ctx.db, t.id);
  });
}

export type FreshLinkSent = { channel: OutboundChannel };

/**
 * Queues a fresh link to the ticket's requester. The caller has checked that the request comes
 * with a link the desk issued for this ticket; no address from the request is ever used.
 */
export async function sendFreshPortalLink(ctx: Ctx, input: { ticketId: number }): Promise<FreshLinkSent> {
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, async () => {
    const t = await getTicket(ctx.db, input.ticketId);
    const last = (await listTicketEvents(ctx.db, t.id)).filter((e) => e.type === PORTAL_LINK_SENT).at(-1);
    const wait = freshLinkWaitMs(last?.createdAt ?? null, now);
    if (wait > 0) throw new AppError('rate_limited', 'A new link was sent a moment ago', { retryAfterSeconds: Math.ceil(wait / 1000) });
    const contact = t.requesterId ? await findContact(ctx.db, t.requesterId) : undefined;
    const email = contact ? await findPrimaryEmail(ctx.db, contact.id) : undefined;
    const phone = contact && !email ? await findPrimaryPhone(ctx.db, contact.id) : undefined;
    const locale = contact?.locale ?? ctx.config.defaultLocale;
    let channel: FreshLinkSent['channel'];
    if (email) {
      // the link itself is issued when the mail is sent (compose-email adds portalUrl)
      channel = (await queueEmail(ctx.db, {
        ticketId: t.id, event: 'portal_link', recipient: email.email,
        payload: { template: 'portal_link', locale, auto: true, audience: 'requester', vars: {} },
      }, now)).channel;
    } else if (phone) {
      channel = (await queueSms(ctx.db, {
        ticketId: t.id, event: 'portal_link', recipient: phone.phone,
        payload: { template: 'portal-link', locale, vars: { deskName: ctx.config.deskName, number: t.number, url: portalUrl(ctx.config.publicUrl, ctx.secrets.token, t, now) } },
      }, now)).channel;
    } else {
      throw new AppError('validation', 'There is no address on file to send a new link to', { reason: 'no_address' });
    }
    await insertEvent(ctx.db, { ticketId: t.id, actor: { kind: 'system' }, type: PORTAL_LINK_SENT, data: { channel, via: 'portal' } }, now);
    return { channel };
  });
}
