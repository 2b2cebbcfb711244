// The ticket's properties from its page: the properties form (status, priority, type, category,
// component, assignee), the due date and the planned time, the quick assign and status buttons,
// assignment to a free specialist, the estimate and the worklog.
import { Router } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { assignFreeSpecialist } from '../../actions/assignment.ts';
import { updateTicketFields, updateTicketProperties } from '../../actions/ticket-fields.ts';
import { assignTicket, changeStatus } from '../../actions/tickets.ts';
import { logWork, removeWorkEntry } from '../../actions/worklog.ts';
import type { Category, Priority, TicketType } from '../../db/schema.ts';
import { listUsers } from '../../store/users.ts';
import { currentUser, intParam } from '../context.ts';
import { checkbox, idOrNull, minutes, str, zonedInstant, type Body } from '../forms.ts';
import { requirePermission } from '../middleware/auth.ts';
import type { TicketPageKit } from './ticket-page-kit.ts';

export function ticketPropertyRoutes(ctx: Ctx, { ticketOf, actor, act }: TicketPageKit): Router {
  const r = Router();

  r.post('/tickets/:number/properties', requirePermission('ticket.edit'), async (req, res) => {
    const t = await ticketOf(req);
    const body = req.body as Body;
    const me = currentUser(res);
    const values = Object.fromEntries(['status', 'priority', 'type', 'category', 'componentId', 'assigneeId', 'reason'].map((k) => [k, str(body, k)]));
    await act(req, res, t, async () => {
      const assignee = values.assigneeId === 'me' ? me.id : idOrNull(body, 'assigneeId');
      await updateTicketProperties(ctx, actor(res), {
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
  r.post('/tickets/:number/assign', requirePermission('ticket.assign'), async (req, res) => {
    const t = await ticketOf(req);
    const raw = str(req.body as Body, 'assigneeId');
    const me = currentUser(res);
    const assigneeId = raw === 'me' ? me.id : idOrNull(req.body as Body, 'assigneeId');
    await act(req, res, t, async () => {
      await assignTicket(ctx, actor(res), { ticketId: t.id, assigneeId });
      return 'ticket.assigned';
    }, (message) => ({ propsError: message }));
  });

  r.post('/tickets/:number/status', requirePermission('ticket.status'), async (req, res) => {
    const t = await ticketOf(req);
    const b = req.body as Body;
    await act(req, res, t, async () => {
      await changeStatus(ctx, actor(res), { ticketId: t.id, status: str(b, 'status'), reason: str(b, 'reason') || undefined });
      return 'ticket.statusChanged';
    }, (message) => ({ propsError: message, propsValues: { status: str(b, 'status') } }));
  });

  r.post('/tickets/:number/assign-free', requirePermission('ticket.assign'), async (req, res) => {
    const t = await ticketOf(req);
    await act(req, res, t, async () => {
      const after = await assignFreeSpecialist(ctx, actor(res), { ticketId: t.id });
      return { key: 'ticket.assignedTo', params: { name: (await listUsers(ctx.db)).find((u) => u.id === after.assigneeId)?.name ?? '' } };
    }, (message) => ({ propsError: message }));
  });

  r.post('/tickets/:number/estimate', requirePermission('ticket.edit'), async (req, res) => {
    const t = await ticketOf(req);
    const text = str(req.body as Body, 'estimate');
    await act(req, res, t, async () => {
      await updateTicketFields(ctx, actor(res), { ticketId: t.id, estimateMinutes: minutes(req.body as Body, 'estimate') });
      return 'ticket.estimateSaved';
    }, (message) => ({ timeValues: { estimate: text }, timeError: message }));
  });

  // the due date and the planned time, as dates and times in the person's zone; empty clears them
  r.post('/tickets/:number/schedule', requirePermission('ticket.edit'), async (req, res) => {
    const t = await ticketOf(req);
    const body = req.body as Body;
    const zone = currentUser(res).timeZone;
    const values = Object.fromEntries(['dueDate', 'dueTime', 'plannedDate', 'plannedTime'].map((k) => [k, str(body, k)]));
    await act(req, res, t, async () => {
      await updateTicketFields(ctx, actor(res), { ticketId: t.id, dueAt: zonedInstant(body, 'due', zone), plannedAt: zonedInstant(body, 'planned', zone) });
      return 'ticket.scheduleSaved';
    }, (message) => ({ propsValues: values, propsError: message }));
  });

  r.post('/tickets/:number/worklogs', requirePermission('ticket.worklog'), async (req, res) => {
    const t = await ticketOf(req);
    const body = req.body as Body;
    const values = { minutes: str(body, 'minutes'), note: str(body, 'note'), billable: checkbox(body, 'billable') ? 'on' : '' };
    await act(req, res, t, async () => {
      await logWork(ctx, actor(res), { ticketId: t.id, minutes: minutes(body, 'minutes') ?? Number.NaN, note: values.note, billable: checkbox(body, 'billable') });
      return 'ticket.timeLogged';
    }, (message) => ({ timeValues: values, timeError: message }));
  });

  r.post('/tickets/:number/worklogs/:id/delete', requirePermission('ticket.worklog'), async (req, res) => {
    const t = await ticketOf(req);
    await act(req, res, t, async () => {
      await removeWorkEntry(ctx, actor(res), { ticketId: t.id, worklogId: intParam(req.params.id, 'Worklog entry') });
      return 'ticket.timeRemoved';
    }, (message) => ({ timeError: message }));
  });

  return r;
}
