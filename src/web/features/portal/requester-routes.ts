// The requester portal behind sign-in: sign in by a one-time link by mail (or a code by SMS),
// My requests (their own, and a designated contact's colleagues'), a new request, sign out.
// A request opens the ticket's existing page (/portal/requests/:number, routes.ts).
// Registered before routes.ts, whose /portal/:token would otherwise take these paths.
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../../actions/context.ts';
import { openRequestFromPortal } from '../../../actions/portal.ts';
import { checkPortalSignInLink, endPortalSessions, redeemPortalSignInCode, redeemPortalSignInLink, requestPortalSignIn } from '../../../actions/portal-sign-in.ts';
import { clientKey } from '../../../domain/client-key.ts';
import { AppError } from '../../../domain/errors.ts';
import { requesterSearchFilter } from '../../../domain/requester-search.ts';
import { parseSearch } from '../../../domain/search-query.ts';
import type { Contact } from '../../../store/contacts.ts';
import { listRequesterTickets, findLastPublicAnswer, searchRequesterTickets } from '../../../store/requester-tickets.ts';
import { listContactNames } from '../../../store/contacts.ts';
import { uploadedFiles } from '../../multipart.ts';
import { web } from '../../context.ts';
import { redirectWithFlash, type Renderer } from '../../render.ts';
import { PORTAL_LANGS, portalLocale } from './portal-locale.ts';
import { requesterSession, viewerOf } from './requester-session.ts';
import { portalKbRoutes, type ShowPortalPage } from './kb-routes.ts';
import { requestHitVM } from './request-hits.ts';
import { CLOSED_STATUSES } from '../../../store/tickets.ts';

const LAYOUT = 'layouts/portal';
const TITLES: Record<string, string> = {
  'portal/sign-in': 'requesterPortal.signIn.title', 'portal/sign-in-link': 'requesterPortal.signIn.title',
  'portal/requests': 'requesterPortal.requests.title', 'portal/new': 'requesterPortal.new.title',
  'portal/kb': 'requesterPortal.kb.title', 'portal/kb-article': 'requesterPortal.kb.title', 'portal/suggestions': 'requesterPortal.kb.suggestions',
};
const LIST_LIMIT = 100;
/** what a requester may ask for (ticket types), in this order */
const REQUEST_TYPES = ['incident', 'service_request'] as const;

export function requesterRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  const session = requesterSession(ctx);
  const settle = portalLocale(ctx);
  const clientOf = (req: Request) => clientKey(req.ip ?? '');

  /** A portal page in the requester's language; its title is the page's heading (an i18n key). */
  const show: ShowPortalPage = async (req, res, who, view, data, status = 200, partial) => {
    await settle(req, res, who?.id ?? null);
    res.set('X-Robots-Tag', 'noindex');
    res.set('Cache-Control', 'no-store');
    render(req, res, view, { langs: PORTAL_LANGS, signedIn: !!who, ...data, title: web(res).t(TITLES[view] ?? 'requesterPortal.signIn.title') }, { status, layout: LAYOUT, partial });
  };

  /** The signed-in requester, or a redirect to the sign-in page. */
  const signedIn = async (req: Request, res: Response): Promise<Contact | undefined> => {
    const who = await session.current(req, res);
    if (!who) res.redirect(303, '/portal/sign-in');
    return who;
  };

  r.get('/portal/sign-in', async (req, res) => {
    const who = await session.current(req, res);
    if (who) return void res.redirect(303, '/portal');
    await show(req, res, null, 'portal/sign-in', {});
  });

  // the same answer whether or not the address is known (what happened goes to the log)
  r.post('/portal/sign-in', async (req, res) => {
    const address = String((req.body as Record<string, unknown>).address ?? '');
    try {
      const outcome = await requestPortalSignIn(ctx, { address, client: clientOf(req) });
      if (outcome === 'limited') {
        res.set('Retry-After', '3600');
        return await show(req, res, null, 'portal/sign-in', { values: { address }, error: 'requesterPortal.signIn.tooMany' }, 429);
      }
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'validation')) throw err;
      return await show(req, res, null, 'portal/sign-in', { values: { address }, error: 'requesterPortal.signIn.invalid' }, 422);
    }
    await show(req, res, null, 'portal/sign-in', { sent: true, values: { address }, phone: !address.includes('@') });
  });

  r.post('/portal/sign-in/code', async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const address = String(body.address ?? '');
    try {
      const who = await redeemPortalSignInCode(ctx, { phone: address, code: String(body.code ?? ''), client: clientOf(req) });
      session.start(res, who);
      redirectWithFlash(res, '/portal', 'requesterPortal.flash.signedIn');
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'not_found')) throw err;
      await show(req, res, null, 'portal/sign-in', { sent: true, phone: true, values: { address }, error: 'requesterPortal.signIn.codeRefused' }, 422);
    }
  });

  // the link from the mail: confirm first, so a mail scanner that follows links does not use it
  r.get('/portal/sign-in/:token', async (req, res) => {
    const verdict = await checkPortalSignInLink(ctx, String(req.params.token));
    await show(req, res, null, 'portal/sign-in-link', { token: req.params.token, verdict, valid: verdict === 'valid' }, verdict === 'valid' ? 200 : 410);
  });

  r.post('/portal/sign-in/:token', async (req, res) => {
    try {
      const who = await redeemPortalSignInLink(ctx, String(req.params.token));
      session.start(res, who);
      redirectWithFlash(res, '/portal', 'requesterPortal.flash.signedIn');
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'not_found')) throw err;
      const reason = (err.details as { reason?: string }).reason === 'expired' ? 'expired' : 'used';
      await show(req, res, null, 'portal/sign-in-link', { verdict: reason }, 410);
    }
  });

  r.post('/portal/sign-out', (_req, res) => {
    session.end(res);
    redirectWithFlash(res, '/portal/sign-in', 'requesterPortal.flash.signedOut');
  });

  // every browser signed in as them (a phone left behind, a shared computer), this one too
  r.post('/portal/sign-out-everywhere', async (req, res) => {
    const who = await signedIn(req, res);
    if (!who) return;
    await endPortalSessions(ctx, { kind: 'contact', contactId: who.id }, who.id);
    session.end(res);
    redirectWithFlash(res, '/portal/sign-in', 'requesterPortal.flash.signedOutEverywhere');
  });

  r.get('/portal', async (req, res) => {
    const who = await signedIn(req, res);
    if (!who) return;
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 200) : '';
    const found = q ? await requestSearch(ctx, who, q, web(res).timeZone) : { q };
    await show(req, res, who, 'portal/requests', { name: who.name, ...found, ...(await requestList(ctx, who)) });
  });

  r.get('/portal/new', async (req, res) => {
    const who = await signedIn(req, res);
    if (!who) return;
    await show(req, res, who, 'portal/new', { types: REQUEST_TYPES, values: { type: 'incident' }, submission: randomUUID() });
  });

  r.post('/portal/new', async (req, res) => {
    const who = await signedIn(req, res);
    if (!who) return;
    const body = req.body as Record<string, unknown>;
    const uploadError = res.locals.uploadError as AppError | undefined;
    try {
      if (uploadError) throw uploadError;
      const t = await openRequestFromPortal(ctx, { contactId: who.id }, {
        subject: body.subject, body: body.body, type: REQUEST_TYPES.find((x) => x === body.type), submission: body.submission,
        attachments: uploadedFiles(req, 'attachments').map((f) => ({ filename: f.originalname, contentType: f.mimetype, content: f.buffer })),
      });
      redirectWithFlash(res, `/portal/requests/${t.number}`, 'requesterPortal.flash.created', { number: t.number });
    } catch (err) {
      if (err instanceof AppError && err.code === 'rate_limited') {
        res.set('Retry-After', String(Number(err.details.retryAfterSeconds) || 3600));
        return await show(req, res, who, 'portal/new', { types: REQUEST_TYPES, values: body, submission: randomUUID(), error: 'requesterPortal.tooMany' }, 429);
      }
      if (!(err instanceof AppError && err.code === 'validation')) throw err;
      await show(req, res, who, 'portal/new', { types: REQUEST_TYPES, values: body, submission: typeof body.submission === 'string' ? body.submission : randomUUID(), errors: (err.details as { fields?: Record<string, string> }).fields ?? {} }, 422);
    }
  });

  r.use(portalKbRoutes(ctx, { show, session, settle }));

  return r;
}


/**
 * My requests searched: words and phrases by the desk's syntax, narrowed by the fields a requester
 * may use (status, after, before); a field it cannot read is said, and nothing is searched then.
 */
async function requestSearch(ctx: Ctx, who: Contact, q: string, timeZone: string) {
  const { filter, problems } = requesterSearchFilter(parseSearch(q), timeZone);
  if (problems.length) return { q, results: [], problems: problems.map((p) => `${p.name}:${p.value}`) };
  return { q, results: (await searchRequesterTickets(ctx.db, viewerOf(who), q, { limit: LIST_LIMIT, filter })).map(requestHitVM) };
}

/** My requests: open first, then finished, each with the desk's last answer and who waits. */
async function requestList(ctx: Ctx, who: Contact) {
  const rows = await listRequesterTickets(ctx.db, viewerOf(who), LIST_LIMIT);
  const others = [...new Set(rows.map((t) => t.requesterId).filter((id): id is number => id !== null && id !== who.id))];
  const names = new Map((await listContactNames(ctx.db, others)).map((c) => [c.id, c.name]));
  const items = await Promise.all(rows.map(async (t) => {
    const answer = await findLastPublicAnswer(ctx.db, t.id);
    return {
      number: t.number, subject: t.subject, status: t.status, lastActivityAt: t.lastActivityAt,
      waitingForYou: t.status === 'pending_requester' && t.requesterId === who.id,
      toConfirm: t.status === 'resolved' && t.requesterId === who.id,
      colleague: t.requesterId !== who.id ? (names.get(t.requesterId ?? 0) ?? '') : null,
      answer: answer ? { text: answer.text.length > 280 ? `${answer.text.slice(0, 279)}…` : answer.text, createdAt: answer.createdAt } : null,
    };
  }));
  return { open: items.filter((i) => !CLOSED_STATUSES.includes(i.status)), finished: items.filter((i) => CLOSED_STATUSES.includes(i.status)), seesColleagues: viewerOf(who).seesOrganizationRequests && who.organizationId !== null };
}
