// The ticket page and the conversation on it: the page itself, a new ticket, reply (with CC,
// attachments, canned replies), internal note and the "someone else is here" banner. Properties,
// time (ticket-properties.ts) and links and merging (ticket-links.ts) are their own routers.
import { channelTraits } from '../../domain/channel-traits.ts';
import { Router } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { cannedTextFor } from '../../actions/canned-replies.ts';
import { addNote, changeStatus, createTicket, replyToTicket } from '../../actions/tickets.ts';
import type { Category, Priority, TicketType } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { currentUser, isHtmx } from '../context.ts';
import { formError, list, str, type Body } from '../forms.ts';
import { requirePermission } from '../middleware/auth.ts';
import { uploadedFiles } from '../multipart.ts';
import type { PresenceMode } from '../presence.ts';
import { redirectWithFlash, type Renderer } from '../render.ts';
import { newTicketForm, pickContacts, pickedRequester } from '../view-models/new-ticket.ts';
import { presenceVM, ticketPageView, type TicketFormState } from '../view-models/ticket-page.ts';
import { ticketKbRoutes } from './ticket-kb.ts';
import { ticketLinkRoutes } from './ticket-links.ts';
import { ticketPageKit } from './ticket-page-kit.ts';
import { ticketPropertyRoutes } from './ticket-properties.ts';

export function ticketPageRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  const kit = ticketPageKit(ctx, render);
  const { presence, ticketOf, actor, page, act } = kit;

  const queryText = (v: unknown) => (typeof v === 'string' ? v.slice(0, 100) : '');
  const contactParam = (v: unknown) => (typeof v === 'string' && /^\d{1,12}$/.test(v) ? Number(v) : undefined);

  // ?q= lists matching contacts, ?contact= fills the requester (the picker without script)
  r.get('/tickets/new', requirePermission('ticket.create'), async (req, res) => {
    const contactId = contactParam(req.query.contact);
    const picked = contactId ? await pickedRequester(ctx, contactId) : undefined;
    render(req, res, 'new-ticket', await newTicketForm(ctx, picked?.values ?? {}, {}, undefined, { q: queryText(req.query.q), picked: picked?.picked }));
  });

  // the picker while typing, and a pick that fills the requester in place
  r.get('/tickets/new/contacts', requirePermission('ticket.create'), async (req, res) => {
    const q = queryText(req.query.q).trim();
    if (!isHtmx(req)) return res.redirect(303, `/tickets/new?${new URLSearchParams({ q })}`);
    render(req, res, 'new-ticket', { pick: { q, results: await pickContacts(ctx, q) } }, { partial: 'contact-picks' });
  });

  r.get('/tickets/new/requester', requirePermission('ticket.create'), async (req, res) => {
    const contactId = contactParam(req.query.contact);
    const picked = contactId ? await pickedRequester(ctx, contactId) : undefined;
    if (!picked) throw new AppError('not_found', 'Contact not found or without an email address');
    if (!isHtmx(req)) return res.redirect(303, `/tickets/new?contact=${contactId}`);
    render(req, res, 'new-ticket', { ...picked, oob: true }, { partial: 'requester-fields' });
  });

  r.post('/tickets', requirePermission('ticket.create'), async (req, res) => {
    const body = req.body as Record<string, string>;
    try {
      const t = await createTicket(ctx, actor(res), {
        subject: body.subject ?? '', body: body.body ?? '', requesterEmail: body.requesterEmail ?? '',
        requesterName: body.requesterName, priority: (body.priority || undefined) as Priority | undefined,
        type: (body.type || undefined) as TicketType | undefined, category: (body.category || undefined) as Category | undefined,
        componentId: body.componentId ? Number(body.componentId) : undefined,
      });
      redirectWithFlash(res, `/tickets/${t.number}`, 'ticket.created');
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      render(req, res, 'new-ticket', await newTicketForm(ctx, body, e.fields, e.message), { status: 422 });
    }
  });

  r.get('/tickets/:number', requirePermission('ticket.view'), async (req, res) => {
    const t = await ticketOf(req);
    const cannedId = typeof req.query.canned === 'string' && /^\d+$/.test(req.query.canned) ? Number(req.query.canned) : null;
    const state: TicketFormState = {};
    if (cannedId) state.replyValues = { body: await cannedTextFor(ctx, currentUser(res), t, cannedId) };
    await page(req, res, t, state);
  });

  // the presence banner, polled by the page; mode=replying while the reply box has text
  r.get('/tickets/:number/presence', requirePermission('ticket.view'), async (req, res) => {
    const t = await ticketOf(req);
    const me = currentUser(res);
    const mode: PresenceMode = req.query.mode === 'replying' ? 'replying' : 'viewing';
    const now = ctx.clock.now();
    await presence.touch(t.id, me, mode, now);
    res.set('Cache-Control', 'no-store');
    render(req, res, 'ticket', { ticket: { number: t.number }, presence: presenceVM(await presence.others(t.id, me.id, now)) }, { partial: 'presence' });
  });

  // inserting a canned reply after what was typed: the reply box comes back (htmx) or the whole page
  r.get('/tickets/:number/canned', requirePermission('canned.use'), async (req, res) => {
    const t = await ticketOf(req);
    const id = typeof req.query.id === 'string' && /^\d+$/.test(req.query.id) ? Number(req.query.id) : null;
    const me = currentUser(res);
    const typed = typeof req.query.body === 'string' ? req.query.body : '';
    const text = id ? await cannedTextFor(ctx, me, t, id) : '';
    const body = typed.trim() ? `${typed.replace(/\s+$/, '')}${text ? `\n\n${text}` : ''}` : text;
    const state: TicketFormState = { replyValues: { body, cc: typeof req.query.cc === 'string' ? req.query.cc : '' } };
    if (!isHtmx(req)) return page(req, res, t, state);
    render(req, res, 'ticket', await ticketPageView(ctx, { ticket: t, user: me, forms: state }), { partial: 'reply-form' });
  });

  // a multipart form: its body (attachments) was read before the CSRF check (web/multipart.ts)
  r.post('/tickets/:number/replies', requirePermission('ticket.reply'), async (req, res) => {
    const t = await ticketOf(req);
    const body = req.body as Body;
    const values = { body: str(body, 'body'), cc: str(body, 'cc'), statusAfter: str(body, 'statusAfter') };
    const uploadError = res.locals.uploadError as AppError | undefined;
    if (uploadError) return page(req, res, t, { replyValues: values, replyError: uploadError.message }, 422);
    let statusNote: string | undefined;
    await act(req, res, t, async () => {
      await replyToTicket(ctx, actor(res), {
        ticketId: t.id, body: values.body, cc: list(body, 'cc'),
        attachments: uploadedFiles(req, 'attachments').map((f) => ({ filename: f.originalname, contentType: f.mimetype, content: f.buffer })),
      });
      await presence.leave(t.id, currentUser(res).id);
      if (values.statusAfter && values.statusAfter !== t.status) {
        try {
          await changeStatus(ctx, actor(res), { ticketId: t.id, status: values.statusAfter });
        } catch (err) {
          // the reply is sent either way; say why the status stayed
          const e = formError(err) ?? (err instanceof AppError && err.code === 'not_your_ticket' ? err : null);
          if (!e) throw err;
          statusNote = e.message;
        }
      }
      if (statusNote) return { key: 'ticket.replySentStatusKept', params: { reason: statusNote } };
      // the reply is kept in the outbox either way; say when it cannot leave yet
      return channelTraits(t.channel).answeredBy === 'email' && !ctx.config.smtp ? 'outbox.reply.queuedNoSmtp' : 'ticket.replySent';
    }, (message) => ({ replyValues: values, replyError: message }));
  });

  r.post('/tickets/:number/notes', requirePermission('ticket.note'), async (req, res) => {
    const t = await ticketOf(req);
    const text = str(req.body as Body, 'body');
    await act(req, res, t, async () => {
      await addNote(ctx, actor(res), { ticketId: t.id, body: text });
      return 'ticket.noteAdded';
    }, (message) => ({ noteValues: { body: text }, noteError: message }));
  });

  r.use(ticketPropertyRoutes(ctx, kit), ticketLinkRoutes(ctx, kit), ticketKbRoutes(ctx, kit));
  return r;
}
