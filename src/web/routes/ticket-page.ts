// The ticket page and everything done on it: reply (with CC, attachments, canned replies), internal
// note, properties (status, priority, type, category, component, assignee), assignment to a free
// specialist, estimate and worklog, links and merging, and the "someone else is here" banner.
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { assignFreeSpecialist } from '../../actions/assignment.ts';
import { cannedTextFor } from '../../actions/canned-replies.ts';
import { updateTicketFields, updateTicketProperties } from '../../actions/ticket-fields.ts';
import { linkTickets, mergeTickets, unlinkTickets } from '../../actions/ticket-links.ts';
import { addNote, assignTicket, changeStatus, createTicket, replyToTicket } from '../../actions/tickets.ts';
import { logWork, removeWorkEntry } from '../../actions/worklog.ts';
import type { Category, Priority, TicketType } from '../../db/schema.ts';
import type { Disclosure } from '../../domain/merge-disclosure.ts';
import { AppError } from '../../store/errors.ts';
import { findTicket, findTicketByNumber, type Ticket } from '../../store/tickets.ts';
import { listUsers } from '../../store/users.ts';
import { currentUser, intParam, isHtmx } from '../context.ts';
import { checkbox, formError, idOrNull, list, minutes, str, type Body } from '../forms.ts';
import { requirePermission } from '../middleware/auth.ts';
import { uploadedFiles } from '../multipart.ts';
import { createPresence, type PresenceMode } from '../presence.ts';
import { redirectWithFlash, type Renderer } from '../render.ts';
import { newTicketForm } from '../view-models/new-ticket.ts';
import { presenceVM, ticketPageView, type TicketFormState } from '../view-models/ticket-page.ts';

export function ticketPageRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  const presence = createPresence();
  const ticketOf = (req: Request) => {
    const t = findTicketByNumber(ctx.db, intParam(req.params.number, 'Ticket'));
    if (!t) throw new AppError('not_found', 'Ticket not found');
    return t;
  };
  const actor = (res: Response) => ({ kind: 'user' as const, user: currentUser(res) });
  const page = (req: Request, res: Response, t: Ticket, state: TicketFormState = {}, status = 200) => {
    const me = currentUser(res);
    presence.touch(t.id, me, 'viewing', ctx.clock.now());
    render(req, res, 'ticket', ticketPageView(ctx, { ticket: t, user: me, forms: state, others: presence.others(t.id, me.id, ctx.clock.now()) }), {
      status,
      partial: req.query.part === 'thread' ? 'thread' : undefined,
    });
  };
  /** Runs a form action: success → 303 to the ticket with a message; a form error → the page again, 422, input kept. */
  type Flash = string | { key: string; params: Record<string, string | number>; to?: string };
  const act = (req: Request, res: Response, t: Ticket, run: () => Flash, onError: (message: string) => TicketFormState) => {
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
    const state: TicketFormState = {};
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
    const state: TicketFormState = { replyValues: { body, cc: typeof req.query.cc === 'string' ? req.query.cc : '' } };
    if (!isHtmx(req)) return page(req, res, t, state);
    render(req, res, 'ticket', ticketPageView(ctx, { ticket: t, user: me, forms: state }), { partial: 'reply-form' });
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
