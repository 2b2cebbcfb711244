// The requester's portal (/portal/:token, no sign-in: the signed token in the link is the key):
// their ticket's public conversation, in their language, with confirm / reopen / complain.
// Internal notes and events are never shown. Forms are CSRF-protected through the hd_anon
// pre-session cookie like the other signed-out forms. A link the desk never issued is unknown
// (404); one that expired or was revoked gets a 410 page offering a fresh link by mail to the
// requester's address on file; a merged ticket's link only says so (domain/portal-link.ts).
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../../actions/context.ts';
import { complainAsRequester, confirmResolution, reopenByRequester, replyFromPortal } from '../../../actions/portal.ts';
import { uploadedFiles } from '../../multipart.ts';
import { sendFreshPortalLink } from '../../../actions/portal-links.ts';
import type { Locale } from '../../../db/schema.ts';
import { decideReopen } from '../../../domain/contract.ts';
import { judgePortalLink, makePortalToken, mergeFollow, readPortalToken, type PortalLinkVerdict } from '../../../domain/portal-link.ts';
import { findContact, listContactEmails, listContactPhones } from '../../../store/contacts.ts';
import { AppError } from '../../../domain/errors.ts';
import { findAttachment, findMessage, listAttachmentsForMessages, listTicketMessages } from '../../../store/messages.ts';
import { sendStoredFile } from '../../send-stored-file.ts';
import { findTicket, listParticipants, type Ticket } from '../../../store/tickets.ts';
import { listUsers } from '../../../store/users.ts';
import { contractOfTicket } from '../../../store/contract-of.ts';
import { readWorkflowState } from '../../../store/workflow-state.ts';
import { PORTAL_LANGS, portalLocale } from './portal-locale.ts';
import { requesterSession, visibleTicket } from './requester-session.ts';
import { redirectWithFlash, type Renderer } from '../../render.ts';

type Opened = { token: string; ticket: Ticket; verdict: PortalLinkVerdict };
type MergedLink = Opened & { verdict: { kind: 'merged'; intoId: number } };

export function portalRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  const key = ctx.secrets.token;
  const session = requesterSession(ctx);
  const layout = 'layouts/portal';

  /** The link's ticket and what the link may still do; 404 for a link the desk never issued. */
  const open = async (req: Request): Promise<Opened> => {
    const token = String(req.params.token ?? '');
    const claim = readPortalToken(key, token);
    const ticket = claim ? await findTicket(ctx.db, claim.ticketId) : undefined;
    if (!claim || !ticket) throw new AppError('not_found', 'This link is not valid. Please use the latest link from our mail.');
    return { token, ticket, verdict: judgePortalLink(key, claim, ticket, ctx.clock.now(), ctx.config.portal.linkDays) };
  };

  const settle = portalLocale(ctx);
  const settleLocale = async (req: Request, res: Response, t: Ticket): Promise<Locale> => await settle(req, res, t.requesterId);
  const langs = PORTAL_LANGS;

  /** The ticket's page, its forms posting to the link it was opened with (never a fresher one). */
  const page = async (req: Request, res: Response, t: Ticket, token: string, extra: Record<string, unknown> = {}, status = 200) => {
    await settleLocale(req, res, t);
    const users = new Map((await listUsers(ctx.db)).map((u) => [u.id, u.name]));
    const contact = t.requesterId ? await findContact(ctx.db, t.requesterId) : undefined;
    const state = readWorkflowState(t);
    const shown = (await listTicketMessages(ctx.db, t.id)).filter((m) => m.kind === 'reply' && !m.isAutoReply);
    const files = new Map<number, { id: number; name: string }[]>();
    for (const a of await listAttachmentsForMessages(ctx.db, shown.map((m) => m.id))) files.set(a.messageId, [...(files.get(a.messageId) ?? []), { id: a.id, name: a.filename }]);
    const verdict = t.status === 'resolved' || t.status === 'closed' ? decideReopen(t, await contractOfTicket(ctx.db, t), ctx.clock.now()) : null;
    res.set('X-Robots-Tag', 'noindex');
    // a requester's conversation: not kept by the browser, so Back after signing out on a shared computer shows nothing
    res.set('Cache-Control', 'no-store');
    render(req, res, 'portal/portal', {
      title: `#${t.number}`,
      token,
      ticket: { number: t.number, subject: t.subject, status: t.status, createdAt: t.createdAt, resolutionNote: t.resolutionNote },
      requesterName: contact?.name ?? '',
      messages: shown.map((m) => ({
        id: m.id, fromDesk: m.direction === 'out', createdAt: m.createdAt,
        author: m.direction === 'out' ? (m.authorUserId ? users.get(m.authorUserId) : null) ?? ctx.config.deskName : (contact?.name ?? m.fromAddress ?? ''),
        text: m.newText?.trim() || m.bodyText,
        files: files.get(m.id) ?? [],
      })),
      resolved: t.status === 'resolved',
      ratings: ['1', '2', '3', '4', '5'],
      finished: t.status === 'resolved' || t.status === 'closed',
      canReopen: verdict?.allowed === true,
      reopenRefusal: verdict && !verdict.allowed ? verdict : null,
      complaintOpen: !!state.complaint && state.complaint.handledAt === null,
      // the reply (or reopen) form's one-time key: sent twice, it is stored once (actions/portal.ts)
      submission: randomUUID(),
      langs,
      ...extra,
    }, { status, layout });
  };

  /** Where the merged ticket went, as far as its requester may know (domain/portal-link.ts, mergeFollow). */
  const followTarget = async (o: MergedLink) => {
    const target = await findTicket(ctx.db, o.verdict.intoId);
    if (!target || !o.ticket.requesterId) return null;
    const requester = {
      contactId: o.ticket.requesterId,
      addresses: [...(await listContactEmails(ctx.db, o.ticket.requesterId)).map((e) => e.email), ...(await listContactPhones(ctx.db, o.ticket.requesterId)).map((p) => p.phone)],
    };
    const how = mergeFollow(requester, { requesterId: target.requesterId, participants: await listParticipants(ctx.db, target.id) });
    if (how === 'none') return null;
    return { number: target.number, url: how === 'link' ? `/portal/${makePortalToken(key, target, ctx.clock.now())}` : null };
  };

  /** "This request was merged": nothing of the other ticket unless it is the requester's own. */
  const mergedPage = async (req: Request, res: Response, o: MergedLink, status: number) => {
    await settleLocale(req, res, o.ticket);
    res.set('X-Robots-Tag', 'noindex');
    render(req, res, 'portal/merged', { title: `#${o.ticket.number}`, number: o.ticket.number, target: await followTarget(o), refused: status === 409, langs }, { status, layout });
  };

  /** An expired or revoked link: 410, with the offer to send a fresh link to the address on file. */
  const gonePage = async (req: Request, res: Response, o: Opened, extra: Record<string, unknown> = {}, status = 410) => {
    await settleLocale(req, res, o.ticket);
    res.set('X-Robots-Tag', 'noindex');
    render(req, res, 'portal/gone', { token: o.token, expired: o.verdict.kind === 'expired', langs, ...extra }, { status, layout });
  };

  /** Answers for a link that cannot act on its ticket: merged 409, expired or revoked 410. */
  const refuse = (req: Request, res: Response, o: Opened) =>
    o.verdict.kind === 'merged' ? mergedPage(req, res, o as MergedLink, 409) : gonePage(req, res, o, { refused: true });

  const back = (res: Response, token: string, flash: string) => redirectWithFlash(res, `/portal/${token}`, flash);
  const who = (t: Ticket) => {
    if (!t.requesterId) throw new AppError('forbidden', 'This ticket has no requester');
    return { contactId: t.requesterId };
  };
  /** Too much written from the portal this hour (actions/portal.ts): the page again with the words kept, 429. */
  const limited = async (req: Request, res: Response, ticketId: number, token: string, err: AppError) => {
    res.set('Retry-After', String(Number(err.details.retryAfterSeconds) || 3600));
    return page(req, res, (await findTicket(ctx.db, ticketId))!, token, { error: 'requesterPortal.tooMany', form: req.body }, 429);
  };
  /** Runs a requester action on a link that may still act; a refusal re-renders the page (422). */
  const guarded = async (req: Request, res: Response, fn: (t: Ticket) => Promise<string> | string) => {
    const o = await open(req);
    if (o.verdict.kind !== 'valid') return refuse(req, res, o);
    try {
      back(res, o.token, await fn(o.ticket));
    } catch (err) {
      if (err instanceof AppError && err.code === 'rate_limited') return limited(req, res, o.ticket.id, o.token, err);
      if (err instanceof AppError && (err.code === 'validation' || err.code === 'conflict' || err.code === 'transition_refused')) {
        return page(req, res, (await findTicket(ctx.db, o.ticket.id))!, o.token, { error: err.code === 'conflict' ? 'workflow.portal.errors.conflict' : 'workflow.portal.errors.missing', form: req.body }, 422);
      }
      throw err;
    }
  };

  // a request opened from My requests: the requester's own gets its page with a link issued now;
  // a designated contact sees a colleague's read-only, and is never given a link that acts for them
  r.get('/portal/requests/:number', async (req, res) => {
    const who = await session.current(req, res);
    if (!who) return void res.redirect(303, '/portal/sign-in');
    const t = await visibleTicket(ctx, who, req.params.number);
    if (t.requesterId === who.id) return void res.redirect(303, `/portal/${makePortalToken(key, t, ctx.clock.now())}`);
    await page(req, res, t, '', { signedIn: true, readOnly: true, colleague: true });
  });

  r.get('/portal/:token', async (req, res) => {
    const o = await open(req);
    if (o.verdict.kind === 'valid') {
      // a link from our mail opens its request; signing its requester in to the rest of the portal
      // (My requests, new requests) takes a press of a button: a link opened by someone else (an
      // agent's preview, a link planted on a visitor) signs no one in by being opened
      const current = await session.current(req, res);
      return page(req, res, o.ticket, o.token, { signedIn: !!current, offerSignIn: !current && !!o.ticket.requesterId });
    }
    if (o.verdict.kind === 'merged') return mergedPage(req, res, o as MergedLink, 200);
    await gonePage(req, res, o);
  });

  r.post('/portal/:token/sign-in', async (req, res) => {
    const o = await open(req);
    const requester = o.verdict.kind === 'valid' && o.ticket.requesterId ? await findContact(ctx.db, o.ticket.requesterId) : undefined;
    if (!requester) return gonePage(req, res, o);
    session.start(res, requester);
    redirectWithFlash(res, '/portal', 'requesterPortal.flash.signedIn');
  });

  r.post('/portal/:token/confirm', async (req, res) => {
    await guarded(req, res, async (t) => {
      const body = req.body as Record<string, unknown>;
      await confirmResolution(ctx, who(t), { ticketId: t.id, rating: body.rating, comment: body.comment });
      return 'workflow.portal.flash.confirmed';
    });
  });

  r.post('/portal/:token/reopen', async (req, res) => {
    const o = await open(req);
    if (o.verdict.kind !== 'valid') return refuse(req, res, o);
    const t = o.ticket;
    try {
      const body = req.body as Record<string, unknown>;
      const result = await reopenByRequester(ctx, who(t), { ticketId: t.id, message: body.message, submission: body.submission });
      if (result.reopened) return back(res, o.token, 'workflow.portal.flash.reopened');
      back(res, makePortalToken(key, result.followUp, ctx.clock.now()), 'workflow.portal.flash.followUp');
    } catch (err) {
      if (err instanceof AppError && err.code === 'rate_limited') return limited(req, res, t.id, o.token, err);
      if (err instanceof AppError && (err.code === 'validation' || err.code === 'conflict')) {
        return page(req, res, (await findTicket(ctx.db, t.id))!, o.token, { error: err.code === 'conflict' ? 'workflow.portal.errors.conflict' : 'workflow.portal.errors.message', form: req.body }, 422);
      }
      throw err;
    }
  });

  // a file of the public conversation, always as a download under a sandboxing CSP (as the console's)
  r.get('/portal/:token/attachments/:id', async (req, res) => {
    const o = await open(req);
    const a = o.verdict.kind === 'valid' ? await findAttachment(ctx.db, Number(req.params.id) || 0) : undefined;
    const m = a ? await findMessage(ctx.db, a.messageId) : undefined;
    if (!a || !m || m.ticketId !== o.ticket.id || m.kind !== 'reply' || m.isAutoReply || !(await ctx.files.has('files', a.sha256))) throw new AppError('not_found', 'Attachment not found');
    res.attachment(a.filename);
    res.set({ 'Content-Type': 'application/octet-stream', 'Content-Security-Policy': "default-src 'none'; sandbox", 'Cache-Control': 'private, no-store', 'Content-Length': String(a.size), 'X-Robots-Tag': 'noindex' });
    sendStoredFile(res, await ctx.files.stream('files', a.sha256), ctx.log, { attachmentId: a.id });
  });

  // a multipart form: its attachments were read before the CSRF check (web/multipart.ts)
  r.post('/portal/:token/reply', async (req, res) => {
    const uploadError = res.locals.uploadError as AppError | undefined;
    if (uploadError) {
      const o = await open(req);
      if (o.verdict.kind !== 'valid') return refuse(req, res, o);
      return page(req, res, o.ticket, o.token, { error: 'requesterPortal.reply.tooLarge', form: req.body }, 422);
    }
    await guarded(req, res, async (t) => {
      await replyFromPortal(ctx, who(t), {
        ticketId: t.id, message: (req.body as Record<string, unknown>).message, submission: (req.body as Record<string, unknown>).submission,
        attachments: uploadedFiles(req, 'attachments').map((f) => ({ filename: f.originalname, contentType: f.mimetype, content: f.buffer })),
      });
      return 'requesterPortal.reply.sent';
    });
  });

  r.post('/portal/:token/escalate', async (req, res) => {
    await guarded(req, res, async (t) => {
      await complainAsRequester(ctx, who(t), { ticketId: t.id, reason: (req.body as Record<string, unknown>).reason });
      return 'workflow.portal.flash.escalated';
    });
  });

  // a fresh link, only ever to the requester's address on file (anything typed in is ignored)
  r.post('/portal/:token/fresh-link', async (req, res) => {
    const o = await open(req);
    if (o.verdict.kind !== 'expired' && o.verdict.kind !== 'revoked') return void res.redirect(303, `/portal/${o.token}`);
    try {
      await sendFreshPortalLink(ctx, { ticketId: o.ticket.id });
    } catch (err) {
      if (err instanceof AppError && err.code === 'rate_limited') {
        const seconds = Number(err.details.retryAfterSeconds) || 600;
        res.set('Retry-After', String(seconds));
        return gonePage(req, res, o, { error: 'workflow.portal.gone.tooSoon', minutes: Math.ceil(seconds / 60) }, 429);
      }
      if (err instanceof AppError && err.code === 'validation') return gonePage(req, res, o, { error: 'workflow.portal.gone.noAddress', noAddress: true }, 422);
      throw err;
    }
    back(res, o.token, 'workflow.portal.flash.linkSent');
  });

  return r;
}
