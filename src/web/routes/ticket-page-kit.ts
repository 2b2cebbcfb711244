// What the ticket page's routes share: the ticket named in the URL, the acting user, the page
// rendered with its forms' state (and the presence banner), and a form action's answer (303 with a
// message, or the page again with the input kept).
import type { Request, Response } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { AppError } from '../../domain/errors.ts';
import { findTicket, findTicketByNumber, type Ticket } from '../../store/tickets.ts';
import type { User } from '../../store/users.ts';
import { currentUser, intParam } from '../context.ts';
import { formError } from '../forms.ts';
import { createPresence, type Presence } from '../presence.ts';
import { redirectWithFlash, type Renderer } from '../render.ts';
import { ticketPageView, type TicketFormState } from '../view-models/ticket-page.ts';

type Flash = string | { key: string; params: Record<string, string | number>; to?: string };

export type TicketPageKit = {
  presence: Presence;
  ticketOf(req: Request): Promise<Ticket>;
  actor(res: Response): { kind: 'user'; user: User };
  page(req: Request, res: Response, t: Ticket, state?: TicketFormState, status?: number): Promise<void>;
  act(req: Request, res: Response, t: Ticket, run: () => Promise<Flash> | Flash, onError: (message: string) => TicketFormState): Promise<void>;
};

export function ticketPageKit(ctx: Ctx, render: Renderer): TicketPageKit {
  const presence = createPresence(ctx.db);
  const ticketOf = async (req: Request) => {
    const t = await findTicketByNumber(ctx.db, intParam(req.params.number, 'Ticket'));
    if (!t) throw new AppError('not_found', 'Ticket not found');
    return t;
  };
  const actor = (res: Response) => ({ kind: 'user' as const, user: currentUser(res) });
  const page = async (req: Request, res: Response, t: Ticket, state: TicketFormState = {}, status = 200) => {
    const me = currentUser(res);
    await presence.touch(t.id, me, 'viewing', ctx.clock.now());
    render(req, res, 'ticket', await ticketPageView(ctx, { ticket: t, user: me, forms: state, others: await presence.others(t.id, me.id, ctx.clock.now()) }), {
      status,
      partial: req.query.part === 'thread' ? 'thread' : undefined,
    });
  };
  /** Runs a form action: success → 303 to the ticket with a message; a form error → the page again, 422, input kept. */
  const act = async (req: Request, res: Response, t: Ticket, run: () => Promise<Flash> | Flash, onError: (message: string) => TicketFormState) => {
    try {
      const flash = await run();
      if (typeof flash === 'string') redirectWithFlash(res, `/tickets/${t.number}`, flash);
      else redirectWithFlash(res, flash.to ?? `/tickets/${t.number}`, flash.key, flash.params);
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      await page(req, res, await findTicket(ctx.db, t.id) ?? t, onError(e.message), 422);
    }
  };
  return { presence, ticketOf, actor, page, act };
}
