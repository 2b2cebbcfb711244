// The queue, the ticket page and the ticket actions of the console.
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { addNote, assignTicket, changeStatus, createTicket } from '../../actions/tickets.ts';
import { PRIORITIES, STATUSES, TICKET_TYPES, type TicketStatus } from '../../db/schema.ts';
import { AppError } from '../../store/errors.ts';
import { getContact, listContactEmails, listContactsByIds } from '../../store/contacts.ts';
import { listComponents } from '../../store/components.ts';
import { listAttachmentsForMessages, listTicketMessages } from '../../store/messages.ts';
import { findTicketByNumber, listParticipants, listTickets, type TicketListFilter, type Ticket } from '../../store/tickets.ts';
import { listUsers } from '../../store/users.ts';
import { currentUser, intParam } from '../context.ts';
import { requirePermission } from '../middleware/auth.ts';
import { redirectWithFlash, type Renderer } from '../render.ts';
import { nameMaps, threadItem, ticketRow } from '../view-models/ticket.ts';
import { ticketOutbox } from '../view-models/outbox.ts';
import { ticketWorkflowView } from '../workflow/ticket-view.ts';
import { ticketSmsView } from '../view-models/ticket-sms.ts';

const PAGE_SIZE = 50;
const OPEN_EXCLUDED: TicketStatus[] = ['resolved', 'closed'];
export const QUEUE_VIEWS = ['open', 'unassigned', 'mine', 'resolved', 'all'] as const;

function queueFilter(view: string, userId: number): TicketListFilter {
  switch (view) {
    case 'unassigned':
      return { excludeStatuses: OPEN_EXCLUDED, assigneeId: null };
    case 'mine':
      return { excludeStatuses: OPEN_EXCLUDED, assigneeId: userId };
    case 'resolved':
      return { statuses: ['resolved', 'closed'] };
    case 'all':
      return {};
    default:
      return { excludeStatuses: OPEN_EXCLUDED };
  }
}

export function ticketRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  const ticketOf = (req: Request) => {
    const t = findTicketByNumber(ctx.db, intParam(req.params.number, 'Ticket'));
    if (!t) throw new AppError('not_found', 'Ticket not found');
    return t;
  };

  r.get('/tickets', requirePermission('ticket.view'), (req, res) => {
    const me = currentUser(res);
    const view = (QUEUE_VIEWS as readonly string[]).includes(String(req.query.view)) ? String(req.query.view) : 'open';
    const before = typeof req.query.before === 'string' && /^\d+$/.test(req.query.before) ? Number(req.query.before) : undefined;
    const rows = listTickets(ctx.db, queueFilter(view, me.id), { limit: PAGE_SIZE + 1, before });
    const page = rows.slice(0, PAGE_SIZE);
    const names = nameMaps(listUsers(ctx.db), listContactsByIds(ctx.db, page.flatMap((t) => (t.requesterId ? [t.requesterId] : []))));
    render(req, res, 'queue', {
      view,
      views: QUEUE_VIEWS.map((v) => ({ id: v, active: v === view })),
      tickets: page.map((t) => ticketRow(t, names)),
      nextBefore: rows.length > PAGE_SIZE ? page[page.length - 1].id : null,
      isFirstPage: before === undefined,
    }, { partial: 'ticket-list' });
  });

  r.get('/tickets/new', requirePermission('ticket.create'), (req, res) => {
    render(req, res, 'new-ticket', newTicketForm(ctx, {}));
  });

  r.post('/tickets', requirePermission('ticket.create'), (req, res) => {
    const body = req.body as Record<string, string>;
    try {
      const t = createTicket(ctx, { kind: 'user', user: currentUser(res) }, {
        subject: body.subject ?? '', body: body.body ?? '', requesterEmail: body.requesterEmail ?? '',
        requesterName: body.requesterName, priority: (body.priority || undefined) as never, type: (body.type || undefined) as never,
        componentId: body.componentId ? Number(body.componentId) : undefined,
      });
      redirectWithFlash(res, `/tickets/${t.number}`, 'ticket.created');
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation') {
        return render(req, res, 'new-ticket', newTicketForm(ctx, body, err.details.fields as Record<string, string>), { status: 422 });
      }
      throw err;
    }
  });

  r.get('/tickets/:number', requirePermission('ticket.view'), (req, res) => {
    const t = ticketOf(req);
    render(req, res, 'ticket', ticketPage(ctx, t), { partial: req.query.part === 'thread' ? 'thread' : undefined });
  });

  r.post('/tickets/:number/notes', requirePermission('ticket.note'), (req, res) => {
    const t = ticketOf(req);
    const body = (req.body as Record<string, string>).body ?? '';
    try {
      addNote(ctx, { kind: 'user', user: currentUser(res) }, { ticketId: t.id, body });
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation') {
        return render(req, res, 'ticket', { ...ticketPage(ctx, t), noteError: err.message }, { status: 422, partial: 'note-form' });
      }
      throw err;
    }
    afterTicketAction(req, res, t, 'ticket.noteAdded');
  });

  r.post('/tickets/:number/status', requirePermission('ticket.status'), (req, res) => {
    const t = ticketOf(req);
    const b = req.body as Record<string, string>;
    changeStatus(ctx, { kind: 'user', user: currentUser(res) }, { ticketId: t.id, status: b.status ?? '', reason: b.reason || undefined });
    afterTicketAction(req, res, t, 'ticket.statusChanged');
  });

  r.post('/tickets/:number/assign', requirePermission('ticket.assign'), (req, res) => {
    const t = ticketOf(req);
    const raw = (req.body as Record<string, string>).assigneeId;
    const me = currentUser(res);
    const assigneeId = raw === 'me' ? me.id : raw ? Number(raw) : null;
    assignTicket(ctx, { kind: 'user', user: me }, { ticketId: t.id, assigneeId: Number.isFinite(assigneeId) ? assigneeId : null });
    afterTicketAction(req, res, t, 'ticket.assigned');
  });

  return r;
}

function afterTicketAction(_req: Request, res: Response, t: Ticket, flash: string) {
  redirectWithFlash(res, `/tickets/${t.number}`, flash);
}

function newTicketForm(ctx: Ctx, values: Record<string, string>, errors: Record<string, string> = {}) {
  return {
    values,
    errors,
    priorities: PRIORITIES.map((p) => ({ id: p, selected: (values.priority || 'normal') === p })),
    types: TICKET_TYPES.map((p) => ({ id: p, selected: (values.type || 'incident') === p })),
    components: listComponents(ctx.db, { activeOnly: true }).map((c) => ({ id: c.id, name: c.name, selected: String(c.id) === values.componentId })),
  };
}

export function ticketPage(ctx: Ctx, t: Ticket) {
  const messages = listTicketMessages(ctx.db, t.id);
  const atts = listAttachmentsForMessages(ctx.db, messages.map((m) => m.id));
  const users = listUsers(ctx.db);
  const contactIds = [t.requesterId, ...messages.map((m) => m.authorContactId)].filter((x): x is number => !!x);
  const names = nameMaps(users, listContactsByIds(ctx.db, contactIds));
  const requester = t.requesterId ? getContact(ctx.db, t.requesterId) : null;
  return {
    ticket: {
      ...ticketRow(t, names),
      type: t.type,
      category: t.category,
      reopenCount: t.reopenCount,
      estimateMinutes: t.estimateMinutes,
      loggedMinutes: t.loggedMinutes,
    },
    requester: requester && {
      id: requester.id,
      name: requester.name,
      emails: listContactEmails(ctx.db, requester.id).map((e) => e.email),
    },
    participants: listParticipants(ctx.db, t.id),
    thread: messages.map((m) => threadItem(m, atts.filter((a) => a.messageId === m.id), names)),
    statuses: STATUSES.map((s) => ({ id: s, selected: s === t.status })),
    agents: users.filter((u) => u.active).map((u) => ({ id: u.id, name: u.name, selected: u.id === t.assigneeId })),
    outbox: ticketOutbox(ctx.db, ctx.config, t), // the ticket-outbox slot: reply by email, mail waiting or failed
    workflow: ticketWorkflowView(ctx, t), // the ticket-sla partial (workflow & SLA)
    sms: ticketSmsView(ctx.db, t),
  };
}
