// Links between tickets from the ticket page: link, unlink, and merge (with its confirmation step).
import { Router } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { linkTickets, mergeTickets, unlinkTickets } from '../../actions/ticket-links.ts';
import type { Disclosure } from '../../domain/merge-disclosure.ts';
import { AppError } from '../../domain/errors.ts';
import { intParam } from '../context.ts';
import { formError, str, type Body } from '../forms.ts';
import { requirePermission } from '../middleware/auth.ts';
import { redirectWithFlash } from '../render.ts';
import type { TicketPageKit } from './ticket-page-kit.ts';

export function ticketLinkRoutes(ctx: Ctx, { ticketOf, actor, page, act }: TicketPageKit): Router {
  const r = Router();

  r.post('/tickets/:number/links', requirePermission('ticket.link'), async (req, res) => {
    const t = await ticketOf(req);
    const n = str(req.body as Body, 'number').replace(/^#/, '').trim();
    await act(req, res, t, async () => {
      await linkTickets(ctx, actor(res), { ticketId: t.id, otherNumber: /^\d{1,9}$/.test(n) ? Number(n) : -1 });
      return 'ticket.linked';
    }, (message) => ({ linkError: message }));
  });

  r.post('/tickets/:number/links/:id/delete', requirePermission('ticket.link'), async (req, res) => {
    const t = await ticketOf(req);
    await act(req, res, t, async () => {
      await unlinkTickets(ctx, actor(res), { ticketId: t.id, otherTicketId: intParam(req.params.id, 'Ticket') });
      return 'ticket.unlinked';
    }, (message) => ({ linkError: message }));
  });

  // merging: a merge that shows conversations to new people first shows who sees what (409),
  // and happens when that step's form comes back with confirmed=yes
  r.post('/tickets/:number/merge', requirePermission('ticket.merge'), async (req, res) => {
    const t = await ticketOf(req);
    const n = str(req.body as Body, 'number').replace(/^#/, '').trim();
    const targetNumber = /^\d{1,9}$/.test(n) ? Number(n) : -1;
    try {
      const target = await mergeTickets(ctx, actor(res), { sourceId: t.id, targetNumber, confirm: str(req.body as Body, 'confirmed') === 'yes' });
      redirectWithFlash(res, `/tickets/${target.number}`, 'ticket.merged', { number: t.number });
    } catch (err) {
      if (err instanceof AppError && err.code === 'confirmation_required') {
        return page(req, res, t, { mergeConfirm: { target: targetNumber, disclosures: err.details.disclosures as Disclosure[] } }, 409);
      }
      const e = formError(err);
      if (!e) throw err;
      await page(req, res, t, { linkError: e.message }, 422);
    }
  });

  return r;
}
