// What the ticket page's template sees: the ticket, its thread and history, the sidebar (requester,
// properties, time, links) and the forms with what was typed and the error, as presented objects.
import { channelTraits } from '../../domain/channel-traits.ts';
import type { Ctx } from '../../actions/context.ts';
import { userRightsOn } from '../../actions/ticket-rights.ts';
import { CATEGORIES, PRIORITIES, STATUSES, TICKET_TYPES } from '../../db/schema.ts';
import { CANNED_PLACEHOLDERS } from '../../domain/canned.ts';
import type { Disclosure } from '../../domain/merge-disclosure.ts';
import { can, type Permission } from '../../domain/permissions.ts';
import { localDateTimeOf } from '../../domain/zoned-time.ts';
import { DEFAULT_PLANNED_MINUTES } from '../../store/calendar-items.ts';
import type { TicketAction } from '../../domain/ticket-rights.ts';
import { listCannedReplies, type CannedReply } from '../../store/canned-replies.ts';
import { findContact, listContactEmails, listContactPhones, type Contact, type ContactEmail, type ContactPhone } from '../../store/contacts.ts';
import { listTicketEvents, type AuditEvent } from '../../store/events.ts';
import { listAttachmentsForMessages, listTicketMessages, type Message } from '../../store/messages.ts';
import { findOrganization, type Organization } from '../../store/organizations.ts';
import { findTicket, listParticipants, listTicketLinks, type Ticket, type TicketLinkRef } from '../../store/tickets.ts';
import type { User } from '../../store/users.ts';
import { listTicketWorklogs, sumWorklogs } from '../../store/worklogs.ts';
import type { PresenceMode } from '../presence.ts';
import { ticketWorkflowView } from '../features/ticket-lifecycle/view.ts';
import { lookupsFor, type Lookups } from './lookups.ts';
import { ticketOutbox } from './outbox.ts';
import { ticketSmsView } from './ticket-sms.ts';
import { threadItem, ticketRow } from './ticket.ts';

/** What was typed into the page's forms and why it was refused, shown again when the page comes back. */
export type TicketFormState = {
  replyValues?: Record<string, string>;
  replyError?: string;
  noteValues?: Record<string, string>;
  noteError?: string;
  propsValues?: Record<string, string>;
  propsError?: string;
  timeValues?: Record<string, string>;
  timeError?: string;
  linkError?: string;
  /** articles found from the reply box (undefined: no search made) */
  kbResults?: { id: number; title: string; locale: string; status: string; visibility: string }[];
  /** a merge that waits for confirmation: the target and who would see what */
  mergeConfirm?: { target: number; disclosures: Disclosure[] };
};

/** Someone else on the page (the presence banner). */
export type PresenceOther = { name: string; mode: PresenceMode };

export type TicketPageInput = {
  /** the ticket as the route loaded it (the route answers 404 for an unknown number) */
  ticket: Ticket;
  /** who looks: their role and rights decide the controls */
  user: User;
  forms?: TicketFormState;
  others?: PresenceOther[];
};

export type TicketPageVM = Awaited<ReturnType<typeof ticketPageView>>;

export async function ticketPageView(ctx: Ctx, { ticket: t, user: me, forms = {}, others = [] }: TicketPageInput) {
  // what several parts of the page show is read once (on PostgreSQL each read is a round trip)
  const messages = await listTicketMessages(ctx.db, t.id);
  const names = await lookupsFor(ctx.db, [t], messages.flatMap((m) => (m.authorContactId ? [m.authorContactId] : [])));
  const requester = await requesterContact(ctx, t);
  const canned = await listCannedReplies(ctx.db);
  const known = {
    organization: t.organizationId ? await findOrganization(ctx.db, t.organizationId) : undefined,
    links: await listTicketLinks(ctx.db, t.id),
  };
  const may = await userRightsOn(ctx.db, me, t);
  return {
    title: `#${t.number} ${t.subject}`,
    outbox: await ticketOutbox(ctx.db, ctx.config, t), // the ticket-outbox slot: mail waiting or failed
    workflow: await ticketWorkflowView(ctx, t, known), // the ticket-sla slot (workflow & SLA)
    sms: await ticketSmsView(ctx.db, t, requester?.phones ?? []), // the ticket-sms slot
    ticket: { ...ticketRow(t, names, ctx.clock.now()), reopenCount: t.reopenCount, resolutionNote: t.resolutionNote },
    mergedInto: t.mergedIntoId ? (await findTicket(ctx.db, t.mergedIntoId))?.number ?? null : null,
    requester: requester && requesterVM(requester, known.organization),
    participants: await listParticipants(ctx.db, t.id),
    thread: await threadVM(ctx, messages, names),
    presence: presenceVM(others),
    reply: replyFormVM(ctx, t, forms, requester, canned),
    note: { values: forms.noteValues ?? {}, error: forms.noteError },
    props: propertiesVM(t, forms, names, me.timeZone),
    time: await timeVM(ctx, t, me, forms, names.users),
    links: await linksVM(ctx, t, forms, known.links),
    history: await historyVM(ctx, t, names.users),
    can: ticketControls(t, me, may, canned.length > 0),
    readOnlyFor: may('status') ? null : t.assigneeId ? (names.users.get(t.assigneeId) ?? null) : null,
  };
}

export function presenceVM(others: PresenceOther[]) {
  return {
    replying: others.filter((o) => o.mode === 'replying').map((o) => o.name),
    viewing: others.filter((o) => o.mode === 'viewing').map((o) => o.name),
    any: others.length > 0,
  };
}

type RequesterContact = { contact: Contact; emails: ContactEmail[]; phones: ContactPhone[] };

/** The requester with their addresses: the sidebar lists them and a reply goes to one of them. */
async function requesterContact(ctx: Ctx, t: Ticket): Promise<RequesterContact | undefined> {
  const contact = t.requesterId ? await findContact(ctx.db, t.requesterId) : undefined;
  if (!contact) return undefined;
  return { contact, emails: await listContactEmails(ctx.db, contact.id), phones: await listContactPhones(ctx.db, contact.id) };
}

function requesterVM(r: RequesterContact, org: Organization | undefined) {
  return {
    id: r.contact.id,
    name: r.contact.name,
    emails: r.emails.map((e) => ({ email: e.email, undeliverable: !!e.undeliverableAt })),
    phones: r.phones.map((p) => ({ phone: p.phone, optedOut: !!p.smsOptedOutAt })),
    organization: org && { id: org.id, name: org.name },
  };
}

async function threadVM(ctx: Ctx, messages: Message[], names: Lookups) {
  const atts = await listAttachmentsForMessages(ctx.db, messages.map((m) => m.id));
  return messages.map((m) => threadItem(m, atts.filter((a) => a.messageId === m.id), names, ctx.mailHtml));
}

/** The reply box: where the reply goes (an SMS ticket: the primary phone; otherwise the first address). */
function replyFormVM(ctx: Ctx, t: Ticket, forms: TicketFormState, requester: RequesterContact | undefined, canned: CannedReply[]) {
  const answeredBy = channelTraits(t.channel).answeredBy;
  const to = answeredBy === 'sms' ? (requester?.phones.find((p) => p.isPrimary)?.phone ?? requester?.phones[0]?.phone) : requester?.emails[0]?.email;
  return {
    channel: t.channel,
    isSms: answeredBy === 'sms',
    mailOff: answeredBy === 'email' && !ctx.config.smtp,
    to: to ?? null,
    values: forms.replyValues ?? {},
    error: forms.replyError,
    canned: canned.map((c) => ({ id: c.id, title: c.title, locale: c.locale })),
    kbq: forms.replyValues?.kbq ?? '',
    kbResults: forms.kbResults ?? [],
    kbSearched: forms.kbResults !== undefined,
    placeholders: CANNED_PLACEHOLDERS,
    statuses: STATUSES.filter((s) => s !== t.status && s !== 'new').map((s) => ({ id: s, selected: forms.replyValues?.statusAfter === s })),
  };
}

/** The properties form: each choice selected as typed (after a refused save) or as the ticket has it. */
function propertiesVM(t: Ticket, forms: TicketFormState, names: Lookups, timeZone: string) {
  const typed = forms.propsValues ?? {};
  const pick = (key: string, current: unknown) => (key in typed ? typed[key] : current === null || current === undefined ? '' : String(current));
  return {
    error: forms.propsError,
    reason: typed.reason ?? '',
    statuses: STATUSES.map((s) => ({ id: s, selected: pick('status', t.status) === s })),
    priorities: PRIORITIES.map((s) => ({ id: s, selected: pick('priority', t.priority) === s })),
    types: TICKET_TYPES.map((s) => ({ id: s, selected: pick('type', t.type) === s })),
    categories: CATEGORIES.map((s) => ({ id: s, selected: pick('category', t.category) === s })),
    // an inactive component stays choosable on the tickets that already have it
    components: names.componentOptions.filter((c) => c.active || c.id === t.componentId).map((c) => ({ id: c.id, name: c.name, selected: pick('componentId', t.componentId) === String(c.id) })),
    agents: names.userOptions.filter((u) => u.active).map((u) => ({ id: u.id, name: u.name, away: !u.available, selected: pick('assigneeId', t.assigneeId) === String(u.id) })),
    schedule: scheduleVM(t, typed, timeZone),
  };
}

/** The due date and the planned time as the date and time inputs show them, in the viewer's zone. */
function scheduleVM(t: Ticket, typed: Record<string, string>, timeZone: string) {
  const due = t.dueAt === null ? { date: '', time: '' } : localDateTimeOf(t.dueAt, timeZone);
  const planned = t.plannedAt === null ? { date: '', time: '' } : localDateTimeOf(t.plannedAt, timeZone);
  return {
    dueAt: t.dueAt, plannedAt: t.plannedAt, plannedMinutes: t.estimateMinutes ?? DEFAULT_PLANNED_MINUTES,
    dueDate: typed.dueDate ?? due.date, dueTime: typed.dueTime ?? due.time,
    plannedDate: typed.plannedDate ?? planned.date, plannedTime: typed.plannedTime ?? planned.time,
  };
}

/** Estimate, logged and billable time, and the worklog entries (removable by their author or a manager). */
async function timeVM(ctx: Ctx, t: Ticket, me: User, forms: TicketFormState, users: Map<number, string>) {
  const sums = await sumWorklogs(ctx.db, t.id);
  return {
    estimate: forms.timeValues && 'estimate' in forms.timeValues ? forms.timeValues.estimate : t.estimateMinutes ?? '',
    estimateMinutes: t.estimateMinutes,
    loggedMinutes: t.loggedMinutes,
    billableMinutes: sums.billable,
    remaining: t.estimateMinutes !== null ? t.estimateMinutes - t.loggedMinutes : null,
    overEstimate: t.estimateMinutes !== null && t.loggedMinutes > t.estimateMinutes,
    values: forms.timeValues ?? { billable: 'on' },
    error: forms.timeError,
    entries: (await listTicketWorklogs(ctx.db, t.id)).map((w) => ({
      id: w.id, minutes: w.minutes, note: w.note, billable: w.billable, at: w.workedAt,
      who: w.userId ? (users.get(w.userId) ?? '—') : '—',
      removable: w.userId === me.id || can(me.role, 'ticket.bulk'),
    })),
  };
}

/** Linked tickets (only "related" links can be removed here) and a merge waiting for confirmation. */
async function linksVM(ctx: Ctx, t: Ticket, forms: TicketFormState, links: TicketLinkRef[]) {
  const list = (await Promise.all(links.map(async (l) => {
    const other = await findTicket(ctx.db, l.ticketId);
    return other && { id: other.id, number: other.number, subject: other.subject, status: other.status, kind: l.kind, direction: l.direction, removable: l.kind === 'related' };
  }))).filter((l) => !!l);
  return { list, error: forms.linkError, confirm: forms.mergeConfirm && mergeConfirmVM(t, forms.mergeConfirm) };
}

function mergeConfirmVM(t: Ticket, c: NonNullable<TicketFormState['mergeConfirm']>) {
  return {
    source: t.number,
    target: c.target,
    lines: c.disclosures.map((d) => ({ ...d, key: `rights.merge.${d.kind}`, addresses: d.kind === 'participants_join' ? d.addresses.join(', ') : undefined })),
  };
}

/** The audit trail, newest first. */
async function historyVM(ctx: Ctx, t: Ticket, users: Map<number, string>) {
  return (await listTicketEvents(ctx.db, t.id)).map((e) => historyItem(e, users)).reverse();
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

/** The controls the user may use on this ticket: their role's permissions and, for changes, their rights on it. */
function ticketControls(t: Ticket, me: User, may: (action: TicketAction) => boolean, hasCanned: boolean) {
  const change = (permission: Permission, action: TicketAction) => can(me.role, permission) && may(action);
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
    /** "make an article from this resolution" */
    kbArticle: can(me.role, 'kb.edit') && (t.status === 'resolved' || t.status === 'closed'),
    kb: can(me.role, 'kb.view'),
  };
}
