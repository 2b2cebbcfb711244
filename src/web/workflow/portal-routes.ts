// The requester's portal (/portal/:token, no sign-in: the signed token in the link is the key):
// their ticket's public conversation, in their language, with confirm / reopen / complain.
// Internal notes and events are never shown. Forms are CSRF-protected through the hd_anon
// pre-session cookie like the other signed-out forms.
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { complainAsRequester, confirmResolution, reopenByRequester } from '../../actions/portal.ts';
import type { Locale } from '../../db/schema.ts';
import { decideReopen } from '../../domain/contract.ts';
import { makePortalToken, readPortalToken } from '../../domain/reply-token.ts';
import { findContact } from '../../store/contacts.ts';
import { AppError } from '../../store/errors.ts';
import { listTicketMessages } from '../../store/messages.ts';
import { findTicket, type Ticket } from '../../store/tickets.ts';
import { listUsers } from '../../store/users.ts';
import { contractOfTicket } from '../../store/contract-of.ts';
import { readWorkflowState } from '../../workflow/state.ts';
import { createTranslator, pickLocale, type Translator } from '../i18n.ts';
import { redirectWithFlash, type Renderer } from '../render.ts';
import { web } from '../context.ts';

const LANG_COOKIE = 'hd_lang';

export function portalRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  let translator: Promise<Translator> | undefined;

  const ticketOf = (req: Request): Ticket => {
    const token = String(req.params.token ?? '');
    const id = readPortalToken(ctx.secrets.token, token);
    const t = id ? findTicket(ctx.db, id) : undefined;
    if (!t) throw new AppError('not_found', 'This link is not valid. Please use the latest link from our mail.');
    return t;
  };

  /** The requester's language: their choice on this page, else their contact record, else the browser's. */
  const settleLocale = async (req: Request, res: Response, t: Ticket): Promise<Locale> => {
    const asked = req.query.lang === 'en' || req.query.lang === 'ru' ? (req.query.lang as Locale) : undefined;
    if (asked) res.cookie(LANG_COOKIE, asked, { sameSite: 'lax', httpOnly: true, path: '/', maxAge: 365 * 86_400_000 });
    const cookie = req.cookies?.[LANG_COOKIE] as string | undefined;
    const contact = t.requesterId ? findContact(ctx.db, t.requesterId) : undefined;
    const locale: Locale = asked ?? (cookie === 'en' || cookie === 'ru' ? cookie : undefined) ?? contact?.locale ?? pickLocale(req.get('accept-language'), ctx.config.defaultLocale);
    const w = web(res);
    w.locale = locale;
    w.t = (await (translator ??= createTranslator())).t(locale);
    w.timeZone = ctx.config.timeZone;
    return locale;
  };

  const page = async (req: Request, res: Response, t: Ticket, extra: Record<string, unknown> = {}, status = 200) => {
    await settleLocale(req, res, t);
    const token = makePortalToken(ctx.secrets.token, t.id);
    const users = new Map(listUsers(ctx.db).map((u) => [u.id, u.name]));
    const contact = t.requesterId ? findContact(ctx.db, t.requesterId) : undefined;
    const state = readWorkflowState(t);
    const verdict = t.status === 'resolved' || t.status === 'closed' ? decideReopen(t, contractOfTicket(ctx.db, t), ctx.clock.now()) : null;
    res.set('X-Robots-Tag', 'noindex');
    render(req, res, 'workflow/portal', {
      title: `#${t.number}`,
      token,
      ticket: { number: t.number, subject: t.subject, status: t.status, createdAt: t.createdAt, resolutionNote: t.resolutionNote },
      requesterName: contact?.name ?? '',
      messages: listTicketMessages(ctx.db, t.id)
        .filter((m) => m.kind === 'reply' && !m.isAutoReply)
        .map((m) => ({
          id: m.id, fromDesk: m.direction === 'out', createdAt: m.createdAt,
          author: m.direction === 'out' ? (m.authorUserId ? users.get(m.authorUserId) : null) ?? ctx.config.deskName : (contact?.name ?? m.fromAddress ?? ''),
          text: m.newText?.trim() || m.bodyText,
        })),
      resolved: t.status === 'resolved',
      finished: t.status === 'resolved' || t.status === 'closed',
      canReopen: verdict?.allowed === true,
      reopenRefusal: verdict && !verdict.allowed ? verdict : null,
      complaintOpen: !!state.complaint && state.complaint.handledAt === null,
      langs: [{ id: 'en', name: 'English' }, { id: 'ru', name: 'Русский' }],
      ...extra,
    }, { status, layout: 'layouts/portal' });
  };

  const back = (res: Response, t: Ticket, flash: string) => redirectWithFlash(res, `/portal/${makePortalToken(ctx.secrets.token, t.id)}`, flash);
  const who = (t: Ticket) => {
    if (!t.requesterId) throw new AppError('forbidden', 'This ticket has no requester');
    return { contactId: t.requesterId };
  };
  const guarded = async (req: Request, res: Response, t: Ticket, fn: () => string) => {
    try {
      back(res, t, fn());
    } catch (err) {
      if (err instanceof AppError && (err.code === 'validation' || err.code === 'conflict' || err.code === 'transition_refused')) {
        return page(req, res, findTicket(ctx.db, t.id)!, { error: err.code === 'conflict' ? 'workflow.portal.errors.conflict' : 'workflow.portal.errors.missing', form: req.body }, 422);
      }
      throw err;
    }
  };

  r.get('/portal/:token', async (req, res) => {
    const t = ticketOf(req);
    if (t.mergedIntoId) {
      res.redirect(303, `/portal/${makePortalToken(ctx.secrets.token, t.mergedIntoId)}`);
      return;
    }
    await page(req, res, t);
  });

  r.post('/portal/:token/confirm', async (req, res) => {
    const t = ticketOf(req);
    await guarded(req, res, t, () => {
      confirmResolution(ctx, who(t), { ticketId: t.id });
      return 'workflow.portal.flash.confirmed';
    });
  });

  r.post('/portal/:token/reopen', async (req, res) => {
    const t = ticketOf(req);
    let target = t;
    try {
      const result = reopenByRequester(ctx, who(t), { ticketId: t.id, message: (req.body as Record<string, unknown>).message });
      if (!result.reopened) target = result.followUp;
      back(res, target, result.reopened ? 'workflow.portal.flash.reopened' : 'workflow.portal.flash.followUp');
    } catch (err) {
      if (err instanceof AppError && (err.code === 'validation' || err.code === 'conflict')) {
        return page(req, res, findTicket(ctx.db, t.id)!, { error: err.code === 'conflict' ? 'workflow.portal.errors.conflict' : 'workflow.portal.errors.message', form: req.body }, 422);
      }
      throw err;
    }
  });

  r.post('/portal/:token/escalate', async (req, res) => {
    const t = ticketOf(req);
    await guarded(req, res, t, () => {
      complainAsRequester(ctx, who(t), { ticketId: t.id, reason: (req.body as Record<string, unknown>).reason });
      return 'workflow.portal.flash.escalated';
    });
  });

  return r;
}
