// The ticket page's workflow actions: resolve with a note, reject a resolution, escalate,
// take a complaint up, set the billable flag, revoke the requester's portal links; and the
// ticket-sla region alone for htmx.
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../../actions/context.ts';
import { revokePortalLinks } from '../../../actions/portal-links.ts';
import { escalateTicket, handleComplaint, rejectResolution, resolveTicket, setBillable, type ResolveExtras } from '../../../actions/resolution.ts';
import type { Category, Priority } from '../../../db/schema.ts';
import { checkbox, idOrNull, minutes, str, type Body } from '../../forms.ts';
import { AppError } from '../../../domain/errors.ts';
import { findTicketByNumber, type Ticket } from '../../../store/tickets.ts';
import { currentUser, intParam } from '../../context.ts';
import { requirePermission } from '../../middleware/auth.ts';
import { redirectWithFlash, type Renderer } from '../../render.ts';
import { ticketPageView } from '../../view-models/ticket-page.ts';

/** The resolve form's extra fields, each only when the form carried it. */
function resolveExtras(b: Body): ResolveExtras {
  const has = (k: string) => typeof b[k] === 'string';
  const fields: NonNullable<ResolveExtras['fields']> = {};
  if (has('componentId')) fields.componentId = idOrNull(b, 'componentId');
  if (has('category')) fields.category = (str(b, 'category') || null) as Category | null;
  if (has('priority')) fields.priority = str(b, 'priority') as Priority;
  if (has('assigneeId')) fields.assigneeId = idOrNull(b, 'assigneeId');
  if (has('estimate')) fields.estimateMinutes = minutes(b, 'estimate');
  const worklog = has('spent') ? { minutes: minutes(b, 'spent') ?? Number.NaN, billable: checkbox(b, 'billable') } : undefined;
  return { fields, worklog };
}

export function ticketWorkflowRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  const ticketOf = async (req: Request): Promise<Ticket> => {
    const t = await findTicketByNumber(ctx.db, intParam(req.params.number, 'Ticket'));
    if (!t) throw new AppError('not_found', 'Ticket not found');
    return t;
  };
  /** Runs an action; a refusal re-renders the ticket with the message beside the workflow forms (422). */
  const act = async (req: Request, res: Response, flash: string, fn: (t: Ticket) => Promise<unknown> | void) => {
    const t = await ticketOf(req);
    try {
      await fn(t);
    } catch (err) {
      if (err instanceof AppError && (err.code === 'validation' || err.code === 'transition_refused' || err.code === 'conflict')) {
        const fresh = (await findTicketByNumber(ctx.db, t.number))!;
        return render(req, res, 'ticket', { ...await ticketPageView(ctx, { ticket: fresh, user: currentUser(res) }), workflowError: err.message, workflowFields: err.details.fields ?? {}, form: req.body as Record<string, string> }, { status: 422, partial: 'ticket-sla' });
      }
      throw err;
    }
    redirectWithFlash(res, `/tickets/${t.number}`, flash);
  };
  const body = (req: Request) => req.body as Record<string, string | undefined>;

  r.get('/tickets/:number/workflow', requirePermission('ticket.view'), async (req, res) => {
    render(req, res, 'ticket', await ticketPageView(ctx, { ticket: await ticketOf(req), user: currentUser(res) }), { partial: 'ticket-sla' });
  });

  // the note, and what else the workflow still asks for (only the fields the form shows are sent)
  r.post('/tickets/:number/resolve', requirePermission('ticket.status'), async (req, res) => {
    await act(req, res, 'workflow.flash.resolved', async (t) => await resolveTicket(ctx, { kind: 'user', user: currentUser(res) }, { ticketId: t.id, note: body(req).note, ...resolveExtras(req.body as Body) }));
  });

  r.post('/tickets/:number/reject-resolution', requirePermission('ticket.reject_resolution'), async (req, res) => {
    await act(req, res, 'workflow.flash.rejected', async (t) => await rejectResolution(ctx, { kind: 'user', user: currentUser(res) }, { ticketId: t.id, reason: body(req).reason }));
  });

  r.post('/tickets/:number/escalate', requirePermission('ticket.escalate'), async (req, res) => {
    await act(req, res, 'workflow.flash.escalated', async (t) => await escalateTicket(ctx, { kind: 'agent', actor: { kind: 'user', user: currentUser(res) } }, { ticketId: t.id, reason: body(req).reason }));
  });

  r.post('/tickets/:number/complaint/handled', requirePermission('ticket.complaint'), async (req, res) => {
    await act(req, res, 'workflow.flash.complaintHandled', async (t) => await handleComplaint(ctx, { kind: 'user', user: currentUser(res) }, { ticketId: t.id, note: body(req).note }));
  });

  r.post('/tickets/:number/billable', requirePermission('ticket.billable'), async (req, res) => {
    const v = body(req).billable;
    const billable = v === 'yes' ? true : v === 'no' ? false : null;
    await act(req, res, 'workflow.flash.billable', async (t) => await setBillable(ctx, { kind: 'user', user: currentUser(res) }, { ticketId: t.id, billable }));
  });

  r.post('/tickets/:number/portal-links/revoke', requirePermission('ticket.edit'), async (req, res) => {
    await act(req, res, 'workflow.flash.portalLinksRevoked', async (t) => await revokePortalLinks(ctx, { kind: 'user', user: currentUser(res) }, { ticketId: t.id }));
  });

  return r;
}
