// The ticket page and everything done on it: reply (with CC, attachments, canned replies), internal
// note, properties (status, priority, type, category, component, assignee), assignment to a free
// specialist, estimate and worklog, links and merging, and the "someone else is here" banner.
import { ticketOutbox } from '../view-models/outbox.ts';
import { ticketWorkflowView } from '../workflow/ticket-view.ts';
import { ticketSmsView } from '../view-models/ticket-sms.ts';
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { assignFreeSpecialist } from '../../actions/assignment.ts';
import { cannedTextFor } from '../../actions/canned-replies.ts';
import { updateTicketFields, updateTicketProperties } from '../../actions/ticket-fields.ts';
import { linkTickets, mergeTickets, unlinkTickets } from '../../actions/ticket-links.ts';
import { addNote, assignTicket, changeStatus, createTicket, replyToTicket } from '../../actions/tickets.ts';
import { logWork, removeWorkEntry } from '../../actions/worklog.ts';
import { CATEGORIES, PRIORITIES, STATUSES, TICKET_TYPES, type Category, type Priority, type TicketType } from '../../db/schema.ts';
import { CANNED_PLACEHOLDERS } from '../../domain/canned.ts';
import { can, type Permission } from '../../domain/permissions.ts';
import type { Disclosure } from '../../domain/merge-disclosure.ts';
import type { TicketAction } from '../../domain/ticket-rights.ts';
import { userMayChange } from '../../actions/ticket-rights.ts';
import { listCannedReplies } from '../../store/canned-replies.ts';
import { listComponentOptions, listComponents } from '../../store/components.ts';
import { findContact, listContactEmails, listContactPhones } from '../../store/contacts.ts';
import { AppError } from '../../store/errors.ts';
import { listTicketEvents, type AuditEvent } from '../../store/events.ts';
import { listAttachmentsForMessages, listTicketMessages } from '../../store/messages.ts';
import { findOrganization } from '../../store/organizations.ts';
import { findTicket, findTicketByNumber, listParticipants, listTicketLinks, type Ticket } from '../../store/tickets.ts';
import { listUserOptions, listUsers, type User } from '../../store/users.ts';
import { listTicketWorklogs, sumWorklogs } from '../../store/worklogs.ts';
import { currentUser, intParam, isHtmx } from '../context.ts';
import { checkbox, formError, idOrNull, list, minutes, str, type Body } from '../forms.ts';
import { requirePermission } from '../middleware/auth.ts';
import { uploadedFiles } from '../multipart.ts';
import { createPresence, type PresenceMode } from '../presence.ts';
import { redirectWithFlash, type Renderer } from '../render.ts';
import { lookupsFor } from '../view-models/lookups.ts';
import { threadItem, ticketRow } from '../view-models/ticket.ts';

type FormState = {
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

export function ticketPageRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  const presence = createPresence();
  const ticketOf = (req: Request) => {
    const t = findTicketByNumber(ctx.db, intParam(req.params.number, 'Ticket'));
    if (!t) throw new AppError('not_found', 'Ticket not found');
    return t;
  };
  const actor = (res: Response) => ({ kind: 'user' as const, user: currentUser(res) });
  const page = (req: Request, res: Response, t: Ticket, state: FormState = {}, status = 200) => {
    const me = currentUser(res);
    presence.touch(t.id, me, 'viewing', ctx.clock.now());
    render(req, res, 'ticket', ticketPage(ctx, t, me, state, presence.others(t.id, me.id, ctx.clock.now())), {
      status,
      partial: req.query.part === 'thread' ? 'thread' : undefined,
    });
  };
  /** Runs a form action: success → 303 to the ticket with a message; a form error → the page again, 422, input kept. */
  type Flash = string | { key: string; params: Record<string, string | number>; to?: string };
  const act = (req: Request, res: Response, t: Ticket, run: () => Flash, onError: (message: string) => FormState) => {
    try {
      const flash = run();
      if (typeof flash === 'string') redirectWithFlash(res, `/tickets/${t.number}`, flash);
      else redirectWithFlash(res, flash.to ?? `/tickets/${t.number}`, flash.key, flash.params);
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      page(req, res, findTicket(ctx.db, t.id) ?? t, onError(e.message), 422);
    }
  };

  r.get('/tickets/new', requirePermission('ticket.create'), (req, res) => {
    render(req, res, 'new-ticket', newTicketForm(ctx, {}));
  });

  r.post('/tickets', requirePermission('ticket.create'), (req, res) => {
    const body = req.body as Record<string, string>;
    try {
      const t = createTicket(ctx, actor(res), {
        subject: body.subject ?? '', body: body.body ?? '', requesterEmail: body.requesterEmail ?? '',
        requesterName: body.requesterName, priority: (body.priority || undefined) as Priority | undefined,
        type: (body.type || undefined) as TicketType | undefined, category: (body.category || undefined) as Category | undefined,
        componentId: body.componentId ? Number(body.componentId) : undefined,
      });
      redirectWithFlash(res, `/tickets/${t.number}`, 'ticket.created');
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      render(req, res, 'new-ticket', newTicketForm(ctx, body, e.fields, e.message), { status: 422 });
    }
  });

  r.get('/tickets/:number', requirePermission('ticket.view'), (req, res) => {
    const t = ticketOf(req);
    const cannedId = typeof req.query.canned === 'string' && /^\d+$/.test(req.query.canned) ? Number(req.query.canned) : null;
    const state: FormState = {};
    if (cannedId) state.replyValues = { body: cannedTextFor(ctx, currentUser(res), t, cannedId) };
    page(req, res, t, state);
  });

  // the presence banner, polled by the page; mode=replying while the reply box has text
  r.get('/tickets/:number/presence', requirePermission('ticket.view'), (req, res) => {
    const t = ticketOf(req);
    const me = currentUser(res);
    const mode: PresenceMode = req.query.mode === 'replying' ? 'replying' : 'viewing';
    const now = ctx.clock.now();
    presence.touch(t.id, me, mode, now);
    res.set('Cache-Control', 'no-store');
    render(req, res, 'ticket', { ticket: { number: t.number }, presence: presenceVM(presence.others(t.id, me.id, now)) }, { partial: 'presence' });
  });

  // inserting a canned reply after what was typed: the reply box comes back (htmx) or the whole page
  r.get('/tickets/:number/canned', requirePermission('canned.use'), (req, res) => {
    const t = ticketOf(req);
    const id = typeof req.query.id === 'string' && /^\d+$/.test(req.query.id) ? Number(req.query.id) : null;
    const me = currentUser(res);
    const typed = typeof req.query.body === 'string' ? req.query.body : '';
    const text = id ? cannedTextFor(ctx, me, t, id) : '';
    const body = typed.trim() ? `${typed.replace(/\s+$/, '')}${text ? `\n\n${text}` : ''}` : text;
    const state: FormState = { replyValues: { body, cc: typeof req.query.cc === 'string' ? req.query.cc : '' } };
    if (!isHtmx(req)) return page(req, res, t, state);
    render(req, res, 'ticket', ticketPage(ctx, t, me, state, []), { partial: 'reply-form' });
  });

  // a multipart form: its body (attachments) was read before the CSRF check (web/multipart.ts)
  r.post('/tickets/:number/replies', requirePermission('ticket.reply'), (req, res) => {
    const t = ticketOf(req);
    const body = req.body as Body;
    const values = { body: str(body, 'body'), cc: str(body, 'cc'), statusAfter: str(body, 'statusAfter') };
    const uploadError = res.locals.uploadError as AppError | undefined;
    if (uploadError) return page(req, res, t, { replyValues: values, replyError: uploadError.message }, 422);
    let statusNote: string | undefined;
    act(req, res, t, () => {
      replyToTicket(ctx, actor(res), {
        ticketId: t.id, body: values.body, cc: list(body, 'cc'),
        attachments: uploadedFiles(req, 'attachments').map((f) => ({ filename: f.originalname, contentType: f.mimetype, content: f.buffer })),
      });
      presence.leave(t.id, currentUser(res).id);
      if (values.statusAfter && values.statusAfter !== t.status) {
        try {
          changeStatus(ctx, actor(res), { ticketId: t.id, status: values.statusAfter });
        } catch (err) {
          // the reply is sent either way; say why the status stayed
          const e = formError(err) ?? (err instanceof AppError && err.code === 'not_your_ticket' ? err : null);
          if (!e) throw err;
          statusNote = e.message;
        }
      }
      if (statusNote) return { key: 'ticket.replySentStatusKept', params: { reason: statusNote } };
      // the reply is kept in the outbox either way; say when it cannot leave yet
      return t.channel === 'email' && !ctx.config.smtp ? 'outbox.reply.queuedNoSmtp' : 'ticket.replySent';
    }, (message) => ({ replyValues: values, replyError: message }));
  });

  r.post('/tickets/:number/notes', requirePermission('ticket.note'), (req, res) => {
    const t = ticketOf(req);
    const text = str(req.body as Body, 'body');
    act(req, res, t, () => {
      addNote(ctx, actor(res), { ticketId: t.id, body: text });
      return 'ticket.noteAdded';
    }, (message) => ({ noteValues: { body: text }, noteError: message }));
  });

  r.post('/tickets/:number/properties', requirePermission('ticket.edit'), (req, res) => {
    const t = ticketOf(req);
    const body = req.body as Body;
    const me = currentUser(res);
    const values = Object.fromEntries(['status', 'priority', 'type', 'category', 'componentId', 'assigneeId', 'reason'].map((k) => [k, str(body, k)]));
    act(req, res, t, () => {
      const assignee = values.assigneeId === 'me' ? me.id : idOrNull(body, 'assigneeId');
      updateTicketProperties(ctx, actor(res), {
        ticketId: t.id,
        status: values.status || undefined,
        reason: values.reason || undefined,
        priority: (values.priority || undefined) as Priority | undefined,
        type: (values.type || undefined) as TicketType | undefined,
        category: values.category ? (values.category as Category) : null,
        componentId: idOrNull(body, 'componentId'),
        assigneeId: assignee,
      });
      return 'ticket.saved';
    }, (message) => ({ propsValues: values, propsError: message }));
  });

  // quick buttons: "assign to me", "resolve"
  r.post('/tickets/:number/assign', requirePermission('ticket.assign'), (req, res) => {
    const t = ticketOf(req);
    const raw = str(req.body as Body, 'assigneeId');
    const me = currentUser(res);
    const assigneeId = raw === 'me' ? me.id : idOrNull(req.body as Body, 'assigneeId');
    act(req, res, t, () => {
      assignTicket(ctx, actor(res), { ticketId: t.id, assigneeId });
      return 'ticket.assigned';
    }, (message) => ({ propsError: message }));
  });

  r.post('/tickets/:number/status', requirePermission('ticket.status'), (req, res) => {
    const t = ticketOf(req);
    const b = req.body as Body;
    act(req, res, t, () => {
      changeStatus(ctx, actor(res), { ticketId: t.id, status: str(b, 'status'), reason: str(b, 'reason') || undefined });
      return 'ticket.statusChanged';
    }, (message) => ({ propsError: message, propsValues: { status: str(b, 'status') } }));
  });

  r.post('/tickets/:number/assign-free', requirePermission('ticket.assign'), (req, res) => {
    const t = ticketOf(req);
    act(req, res, t, () => {
      const after = assignFreeSpecialist(ctx, actor(res), { ticketId: t.id });
      return { key: 'ticket.assignedTo', params: { name: listUsers(ctx.db).find((u) => u.id === after.assigneeId)?.name ?? '' } };
    }, (message) => ({ propsError: message }));
  });

  r.post('/tickets/:number/estimate', requirePermission('ticket.edit'), (req, res) => {
    const t = ticketOf(req);
    const text = str(req.body as Body, 'estimate');
    act(req, res, t, () => {
      updateTicketFields(ctx, actor(res), { ticketId: t.id, estimateMinutes: minutes(req.body as Body, 'estimate') });
      return 'ticket.estimateSaved';
    }, (message) => ({ timeValues: { estimate: text }, timeError: message }));
  });

  r.post('/tickets/:number/worklogs', requirePermission('ticket.worklog'), (req, res) => {
    const t = ticketOf(req);
    const body = req.body as Body;
    const values = { minutes: str(body, 'minutes'), note: str(body, 'note'), billable: checkbox(body, 'billable') ? 'on' : '' };
    act(req, res, t, () => {
      logWork(ctx, actor(res), { ticketId: t.id, minutes: minutes(body, 'minutes') ?? Number.NaN, note: values.note, billable: checkbox(body, 'billable') });
      return 'ticket.timeLogged';
    }, (message) => ({ timeValues: values, timeError: message }));
  });

  r.post('/tickets/:number/worklogs/:id/delete', requirePermission('ticket.worklog'), (req, res) => {
    const t = ticketOf(req);
    act(req, res, t, () => {
      removeWorkEntry(ctx, actor(res), { ticketId: t.id, worklogId: intParam(req.params.id, 'Worklog entry') });
      return 'ticket.timeRemoved';
    }, (message) => ({ timeError: message }));
  });

  r.post('/tickets/:number/links', requirePermission('ticket.link'), (req, res) => {
    const t = ticketOf(req);
    const n = str(req.body as Body, 'number').replace(/^#/, '').trim();
    act(req, res, t, () => {
      linkTickets(ctx, actor(res), { ticketId: t.id, otherNumber: /^\d{1,9}$/.test(n) ? Number(n) : -1 });
      return 'ticket.linked';
    }, (message) => ({ linkError: message }));
  });

  r.post('/tickets/:number/links/:id/delete', requirePermission('ticket.link'), (req, res) => {
    const t = ticketOf(req);
    act(req, res, t, () => {
      unlinkTickets(ctx, actor(res), { ticketId: t.id, otherTicketId: intParam(req.params.id, 'Ticket') });
      return 'ticket.unlinked';
    }, (message) => ({ linkError: message }));
  });

  // merging: a merge that shows conversations to new people first shows who sees what (409),
  // and happens when that step's form comes back with confirmed=yes
  r.post('/tickets/:number/merge', requirePermission('ticket.merge'), (req, res) => {
    const t = ticketOf(req);
    const n = str(req.body as Body, 'number').replace(/^#/, '').trim();
    const targetNumber = /^\d{1,9}$/.test(n) ? Number(n) : -1;
    try {
      const target = mergeTickets(ctx, actor(res), { sourceId: t.id, targetNumber, confirm: str(req.body as Body, 'confirmed') === 'yes' });
      redirectWithFlash(res, `/tickets/${target.number}`, 'ticket.merged', { number: t.number });
    } catch (err) {
      if (err instanceof AppError && err.code === 'confirmation_required') {
        return page(req, res, t, { mergeConfirm: { target: targetNumber, disclosures: err.details.disclosures as Disclosure[] } }, 409);
      }
      const e = formError(err);
      if (!e) throw err;
      page(req, res, t, { linkError: e.message }, 422);
    }
  });

  return r;
}

function newTicketForm(ctx: Ctx, values: Record<string, string>, errors: Record<string, string> = {}, message?: string) {
  return {
    values,
    errors,
    error: message,
    priorities: PRIORITIES.map((p) => ({ id: p, selected: (values.priority || 'normal') === p })),
    types: TICKET_TYPES.map((p) => ({ id: p, selected: (values.type || 'incident') === p })),
    categories: CATEGORIES.map((p) => ({ id: p, selected: values.category === p })),
    components: listComponents(ctx.db, { activeOnly: true }).map((c) => ({ id: c.id, name: c.name, selected: String(c.id) === values.componentId })),
  };
}

function presenceVM(others: { name: string; mode: PresenceMode }[]) {
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
