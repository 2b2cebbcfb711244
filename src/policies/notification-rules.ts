// When the desk sends mail, as hooks on ticket changes and applied inbound mail (they run in the
// change's transaction, so the outbox rows commit with it):
// - a new ticket → acknowledgement to the requester, unless the mail it came from must not be
//   answered automatically (auto-reply, bounce, mailing list, no-reply sender); its component's
//   manager gets a "new in your component" notice;
// - an agent's public reply on a mail/web ticket → the requester, with the CC participants;
// - resolved → the requester, with how to reopen;
// - assigned → the new assignee; a requester's follow-up → the assignee.
// Staff notices honour each user's choices (notify-prefs). SMS tickets are answered by SMS.
import type { Hooks, TicketChange, ActorRef, Ctx } from '../actions/context.ts';
import type { Db } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import type { AppliedInbound } from '../intake/apply.ts';
import { autoAnswerRefusal, isNoReplyAddress } from '../domain/auto-mail.ts';
import { channelTraits } from '../domain/channel-traits.ts';
import { findComponent } from '../store/components.ts';
import { findContact, findContactEmail, findPrimaryEmail, type Contact } from '../store/contacts.ts';
import { listTicketMessages, updateMessage, type Message } from '../store/messages.ts';
import { findOrganization } from '../store/organizations.ts';
import { listParticipants, type Ticket } from '../store/tickets.ts';
import { findUser } from '../store/users.ts';
import { queueAgentNotice } from '../outbox/agent-notice.ts';
import { filterCc } from '../outbox/backstop.ts';
import { recordNotSent } from '../outbox/outcomes.ts';
import { reasons } from '../outbox/reasons.ts';
import { queueEmail } from '../outbox/queue.ts';
import type { EmailPayload } from '../outbox/types.ts';

type RuleDeps = Pick<Deps, 'clock' | 'config' | 'db'>;

export function registerNotificationRules(hooks: Hooks): void {
  hooks.ticketChanged.push(async (tx, change, ctx) => await onTicketChanged(tx, change, ctx));
  hooks.inboundApplied.push(async (tx, applied, deps) => await onInboundApplied(tx, applied, deps));
}

const mailTicket = (t: Ticket) => channelTraits(t.channel).answeredBy === 'email';

/** The requester's address for this ticket: the one they last wrote from, else their primary one. */
export async function requesterAddress(db: Db, ticket: Ticket): Promise<{ address: string; contact: Contact } | null> {
  const contact = ticket.requesterId ? await findContact(db, ticket.requesterId) : undefined;
  if (!contact) return null;
  const last = (await listTicketMessages(db, ticket.id))
    .filter((m) => m.kind === 'reply' && m.direction === 'in' && m.authorContactId === contact.id && m.fromAddress?.includes('@'))
    .at(-1);
  const address = last?.fromAddress ?? (await findPrimaryEmail(db, contact.id))?.email;
  return address ? { address: address.toLowerCase(), contact } : null;
}

function requesterPayload(deps: RuleDeps, contact: Contact, template: string, vars: Record<string, unknown>, auto: boolean, extra: Partial<EmailPayload> = {}): EmailPayload {
  return { template, locale: contact.locale ?? deps.config.defaultLocale, vars, auto, audience: 'requester', ...extra };
}

/**
 * Why an automatic answer to `recipient` must not be sent, or null: the inbound mail it would answer
 * (when there is one) was flagged by intake (auto-reply, bounce, mailing list) or its headers or
 * sender refuse automatic answers (RFC 3834); or the recipient is a no-reply address.
 */
export function autoAnswerBlock(inbound: AppliedInbound | null, recipient: string): string | null {
  if (inbound) {
    const d = inbound.draft;
    const flagged = d.autoReply ? `auto-reply (${d.autoReply.reason})` : d.bounce ? 'bounce' : d.mailingList ? 'mailing list' : null;
    const refusal = flagged ?? autoAnswerRefusal({ from: d.msg.from?.address ?? null, headers: d.msg.headers });
    if (refusal) return refusal;
  }
  return isNoReplyAddress(recipient) ? `no-reply address ${recipient}` : null;
}

async function acknowledge(tx: Db, deps: RuleDeps, ticket: Ticket, inbound: AppliedInbound | null): Promise<void> {
  const to = await requesterAddress(tx, ticket);
  const now = deps.clock.now();
  if (!to) return;
  const refusal = autoAnswerBlock(inbound, to.address);
  if (refusal) {
    await recordNotSent(tx, ticket, { event: 'ack', recipient: to.address, audience: 'requester', reason: reasons.notAcknowledged(refusal) }, now);
    return;
  }
  await queueEmail(tx, {
    ticketId: ticket.id, event: 'ack', recipient: to.address,
    payload: requesterPayload(deps, to.contact, 'ack', {}, true, fromMailKind(inbound !== null)),
  }, now);
}

const fromMailKind = (fromMail: boolean): Partial<EmailPayload> => (fromMail ? { autoSubmitted: 'auto-replied' } : { autoSubmitted: 'auto-generated' });

async function notifyComponentManager(tx: Db, deps: RuleDeps, ticket: Ticket, actor: ActorRef | null): Promise<void> {
  if (!ticket.componentId) return;
  const component = await findComponent(tx, ticket.componentId);
  if (!component?.managerId) return;
  if (actor?.kind === 'user' && actor.user.id === component.managerId) return;
  const manager = await findUser(tx, component.managerId);
  if (manager) await queueAgentNotice(tx, deps, { user: manager, kind: 'new_in_component', ticket, vars: { componentName: component.name } });
}

async function sendReply(tx: Db, deps: RuleDeps, ticket: Ticket, message: Message): Promise<void> {
  const to = await requesterAddress(tx, ticket);
  const now = deps.clock.now();
  if (!to) {
    await updateMessage(tx, message.id, { deliveryStatus: 'skipped' });
    await recordNotSent(tx, ticket, { event: 'reply', recipient: null, audience: 'requester', reason: reasons.noAddress() }, now);
    return;
  }
  const wanted = [...await listParticipants(tx, ticket.id), ...(message.ccAddresses ?? [])].filter((a) => a !== to.address && a.includes('@'));
  const { kept, dropped } = await filterCc(tx, deps.config, [...new Set(wanted)]);
  for (const d of dropped) await recordNotSent(tx, ticket, { event: 'reply', recipient: d.address, audience: 'requester', reason: d.reason }, now);
  await queueEmail(tx, {
    ticketId: ticket.id, messageId: message.id, event: 'reply', recipient: to.address, cc: kept,
    payload: requesterPayload(deps, to.contact, 'reply', {}, false),
  }, now);
}

async function sendResolved(tx: Db, deps: RuleDeps, ticket: Ticket, reason: string | undefined): Promise<void> {
  const to = await requesterAddress(tx, ticket);
  if (!to) return;
  const org = ticket.organizationId ? await findOrganization(tx, ticket.organizationId) : undefined;
  const vars: Record<string, unknown> = { resolutionNote: ticket.resolutionNote ?? reason ?? null };
  if (org?.reopenWindowDays) vars.reopenWindowDays = org.reopenWindowDays;
  if (org?.reopenLimit !== null && org?.reopenLimit !== undefined) vars.reopensLeft = Math.max(0, org.reopenLimit - ticket.reopenCount);
  await queueEmail(tx, {
    ticketId: ticket.id, event: 'status_resolved', recipient: to.address,
    payload: requesterPayload(deps, to.contact, 'status_resolved', vars, true),
  }, deps.clock.now());
}

export async function onTicketChanged(tx: Db, change: TicketChange & { actor: ActorRef }, ctx: Ctx): Promise<void> {
  const t = change.ticket;
  switch (change.type) {
    case 'created':
      if (mailTicket(t)) await acknowledge(tx, ctx, t, null);
      await notifyComponentManager(tx, ctx, t, change.actor);
      return;
    case 'reply':
      if (mailTicket(t)) await sendReply(tx, ctx, t, change.message);
      return;
    case 'status':
      if (change.to === 'resolved' && mailTicket(t)) await sendResolved(tx, ctx, t, change.reason);
      return;
    case 'assigned': {
      if (change.to === null || (change.actor.kind === 'user' && change.actor.user.id === change.to)) return;
      const assignee = await findUser(tx, change.to);
      const by = change.actor.kind === 'user' ? change.actor.user.name : null;
      if (assignee) await queueAgentNotice(tx, ctx, { user: assignee, kind: 'assigned', ticket: t, vars: { assignedBy: by } });
      return;
    }
    case 'updated':
      if (change.fields.includes('componentId') && t.componentId && t.componentId !== change.before.componentId) await notifyComponentManager(tx, ctx, t, change.actor);
      return;
    default:
      return;
  }
}

export async function onInboundApplied(tx: Db, a: AppliedInbound, deps: Deps): Promise<void> {
  const t = a.ticket;
  // inbound mail; a channel without mail headers answers its messages through its own hooks
  if (!t || !a.message || !channelTraits(a.draft.msg.channel).mailHeaders) return;
  const msg = a.draft.msg;
  if (a.ticketCreated) {
    // a follow-up opened because the contract did not let the old ticket reopen gets the
    // workflow's explanation mail (reopen_refused) instead of a second, generic acknowledgement
    const explained = !!a.draft.followUpOf && a.draft.followUpOf.reason !== 'sender';
    if (!a.draft.requester?.userId && !explained) await acknowledge(tx, deps, t, a);
    await notifyComponentManager(tx, deps, t, null);
    return;
  }
  if (a.outcome !== 'appended' || a.draft.autoReply || a.draft.requester?.userId || !t.assigneeId) return;
  const fromContact = a.message.authorContactId !== null || (msg.from && await findContactEmail(tx, msg.from.address));
  const assignee = await findUser(tx, t.assigneeId);
  if (fromContact && assignee) await queueAgentNotice(tx, deps, { user: assignee, kind: 'customer_reply', ticket: t });
}
