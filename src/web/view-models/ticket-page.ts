// What the ticket page's template sees: the ticket, its thread and history, the sidebar (requester,
// properties, time, links) and the forms with what was typed and the error, as presented objects.
import type { Ctx } from '../../actions/context.ts';
import { userMayChange } from '../../actions/ticket-rights.ts';
import { CATEGORIES, PRIORITIES, STATUSES, TICKET_TYPES } from '../../db/schema.ts';
import { CANNED_PLACEHOLDERS } from '../../domain/canned.ts';
import type { Disclosure } from '../../domain/merge-disclosure.ts';
import { can, type Permission } from '../../domain/permissions.ts';
import type { TicketAction } from '../../domain/ticket-rights.ts';
import { listCannedReplies } from '../../store/canned-replies.ts';
import { listComponentOptions } from '../../store/components.ts';
import { findContact, listContactEmails, listContactPhones } from '../../store/contacts.ts';
import { listTicketEvents, type AuditEvent } from '../../store/events.ts';
import { listAttachmentsForMessages, listTicketMessages } from '../../store/messages.ts';
import { findOrganization } from '../../store/organizations.ts';
import { findTicket, listParticipants, listTicketLinks, type Ticket } from '../../store/tickets.ts';
import { listUserOptions, type User } from '../../store/users.ts';
import { listTicketWorklogs, sumWorklogs } from '../../store/worklogs.ts';
import type { PresenceMode } from '../presence.ts';
import { ticketWorkflowView } from '../workflow/ticket-view.ts';
import { lookupsFor } from './lookups.ts';
import { ticketOutbox } from './outbox.ts';
import { ticketSmsView } from './ticket-sms.ts';
import { threadItem, ticketRow } from './ticket.ts';

export type FormState = {
  replyValues?: Record<string, string>;
  replyError?: string;
  noteValues?: Record<string, string>;
  noteError?: string;
  propsValues?: Record<string, string>;
  propsError?: string;
  timeValues?: Record<string, string>;
  timeError?: string;
  linkError?: string;
  /** a merge that waits for confirmation: the target and who would see what */
  mergeConfirm?: { target: number; disclosures: Disclosure[] };
};

export function presenceVM(others: { name: string; mode: PresenceMode }[]) {
  return {
    replying: others.filter((o) => o.mode === 'replying').map((o) => o.name),
    viewing: others.filter((o) => o.mode === 'viewing').map((o) => o.name),
    any: others.length > 0,
  };
}

function historyItem(e: AuditEvent, users: Map<number, string>) {
  const d = e.data as Record<string, unknown>;
  const params: Record<string, unknown> = { ...d };
  if (typeof d.from === 'number' || d.from === null) params.fromName = typeof d.from === 'number' ? (users.get(d.from) ?? `#${d.from}`) : null;
  if (typeof d.to === 'number' || d.to === null) params.toName = typeof d.to === 'number' ? (users.get(d.to) ?? `#${d.to}`) : null;
  if (Array.isArray(d.changes)) params.fields = (d.changes as { field: string }[]).map((c) => c.field);
  return {
    at: e.createdAt,
    actor: e.actorUserId ? (users.get(e.actorUserId) ?? '—') : e.actorKind === 'contact' ? 'contact' : 'system',
    actorKind: e.actorKind,
    type: e.type,
    data: params,
  };
}

export function ticketPage(ctx: Ctx, t: Ticket, me: User, state: FormState, others: { name: string; mode: PresenceMode }[]) {
  const messages = listTicketMessages(ctx.db, t.id);
  const atts = listAttachmentsForMessages(ctx.db, messages.map((m) => m.id));
  const users = listUserOptions(ctx.db);
  const names = lookupsFor(ctx.db, [t], messages.flatMap((m) => (m.authorContactId ? [m.authorContactId] : [])));
  const requester = t.requesterId ? findContact(ctx.db, t.requesterId) : undefined;
  const org = t.organizationId ? findOrganization(ctx.db, t.organizationId) : undefined;
  const props = state.propsValues ?? {};
  const pick = (key: string, current: unknown) => (key in props ? props[key] : current === null || current === undefined ? '' : String(current));
  const links = listTicketLinks(ctx.db, t.id).map((l) => {
    const other = findTicket(ctx.db, l.ticketId);
    return other && { id: other.id, number: other.number, subject: other.subject, status: other.status, kind: l.kind, direction: l.direction, removable: l.kind === 'related' };
  }).filter((l) => !!l);
  const worklogs = listTicketWorklogs(ctx.db, t.id);
  const sums = sumWorklogs(ctx.db, t.id);
  const userNames = new Map(users.map((u) => [u.id, u.name]));
  const phones = requester ? listContactPhones(ctx.db, requester.id) : [];
  const replyTo = t.channel === 'sms' ? phones.find((p) => p.isPrimary)?.phone ?? phones[0]?.phone : requester ? listContactEmails(ctx.db, requester.id)[0]?.email : undefined;
  const canned = listCannedReplies(ctx.db);
  return {
    title: `#${t.number} ${t.subject}`,
    outbox: ticketOutbox(ctx.db, ctx.config, t), // the ticket-outbox slot: mail waiting or failed
    workflow: ticketWorkflowView(ctx, t), // the ticket-sla slot (workflow & SLA)
    sms: ticketSmsView(ctx.db, t), // the ticket-sms slot
    ticket: {
      ...ticketRow(t, names, ctx.clock.now()),
      reopenCount: t.reopenCount,
      resolutionNote: t.resolutionNote,
    },
    mergedInto: t.mergedIntoId ? findTicket(ctx.db, t.mergedIntoId)?.number ?? null : null,
    requester: requester && {
      id: requester.id,
      name: requester.name,
      emails: listContactEmails(ctx.db, requester.id).map((e) => ({ email: e.email, undeliverable: !!e.undeliverableAt })),
      phones: phones.map((p) => ({ phone: p.phone, optedOut: !!p.smsOptedOutAt })),
      organization: org && { id: org.id, name: org.name },
    },
    participants: listParticipants(ctx.db, t.id),
    thread: messages.map((m) => threadItem(m, atts.filter((a) => a.messageId === m.id), names, ctx.mailHtml)),
    presence: presenceVM(others),
    reply: {
      channel: t.channel,
      isSms: t.channel === 'sms',
      mailOff: t.channel !== 'sms' && !ctx.config.smtp,
      to: replyTo ?? null,
      values: state.replyValues ?? {},
      error: state.replyError,
      canned: canned.map((c) => ({ id: c.id, title: c.title, locale: c.locale })),
      placeholders: CANNED_PLACEHOLDERS,
      statuses: STATUSES.filter((s) => s !== t.status && s !== 'new').map((s) => ({ id: s, selected: state.replyValues?.statusAfter === s })),
    },
    note: { values: state.noteValues ?? {}, error: state.noteError },
    props: {
      error: state.propsError,
      reason: props.reason ?? '',
      statuses: STATUSES.map((s) => ({ id: s, selected: pick('status', t.status) === s })),
      priorities: PRIORITIES.map((s) => ({ id: s, selected: pick('priority', t.priority) === s })),
      types: TICKET_TYPES.map((s) => ({ id: s, selected: pick('type', t.type) === s })),
      categories: CATEGORIES.map((s) => ({ id: s, selected: pick('category', t.category) === s })),
      components: listComponentOptions(ctx.db).filter((c) => c.active || c.id === t.componentId).map((c) => ({ id: c.id, name: c.name, selected: pick('componentId', t.componentId) === String(c.id) })),
      agents: users.filter((u) => u.active).map((u) => ({ id: u.id, name: u.name, away: !u.available, selected: pick('assigneeId', t.assigneeId) === String(u.id) })),
    },
    time: {
      estimate: state.timeValues && 'estimate' in state.timeValues ? state.timeValues.estimate : t.estimateMinutes ?? '',
      estimateMinutes: t.estimateMinutes,
      loggedMinutes: t.loggedMinutes,
      billableMinutes: sums.billable,
      remaining: t.estimateMinutes !== null ? t.estimateMinutes - t.loggedMinutes : null,
      overEstimate: t.estimateMinutes !== null && t.loggedMinutes > t.estimateMinutes,
      values: state.timeValues ?? { billable: 'on' },
      error: state.timeError,
      entries: worklogs.map((w) => ({
        id: w.id, minutes: w.minutes, note: w.note, billable: w.billable, at: w.workedAt,
        who: w.userId ? (userNames.get(w.userId) ?? '—') : '—',
        removable: w.userId === me.id || can(me.role, 'ticket.bulk'),
      })),
    },
    links: { list: links, error: state.linkError, confirm: state.mergeConfirm && mergeConfirmVM(t, state.mergeConfirm) },
    history: listTicketEvents(ctx.db, t.id).map((e) => historyItem(e, userNames)).reverse(),
    can: ticketControls(ctx, t, me, canned.length > 0),
    readOnlyFor: userMayChange(ctx.db, me, t, 'status') ? null : (users.find((u) => u.id === t.assigneeId)?.name ?? null),
  };
}

/** The controls the user may use on this ticket: their role's permissions and, for changes, their rights on it. */
function ticketControls(ctx: Ctx, t: Ticket, me: User, hasCanned: boolean) {
  const change = (permission: Permission, action: TicketAction) => can(me.role, permission) && userMayChange(ctx.db, me, t, action);
  return {
    reply: can(me.role, 'ticket.reply'),
    note: can(me.role, 'ticket.note'),
    worklog: can(me.role, 'ticket.worklog'),
    canned: can(me.role, 'canned.use') && hasCanned,
    edit: change('ticket.edit', 'fields'),
    assign: change('ticket.assign', 'assign'),
    status: change('ticket.status', 'status'),
    link: change('ticket.link', 'link'),
    merge: change('ticket.merge', 'merge') && !t.mergedIntoId,
  };
}

function mergeConfirmVM(t: Ticket, c: NonNullable<FormState['mergeConfirm']>) {
  return {
    source: t.number,
    target: c.target,
    lines: c.disclosures.map((d) => ({ ...d, key: `rights.merge.${d.kind}`, addresses: d.kind === 'participants_join' ? d.addresses.join(', ') : undefined })),
  };
}
