// The knowledge base from the ticket page: articles found and their text put into the reply box
// (buttons of the reply form that post it here without its files, so what was typed comes along
// and stays out of the address bar, the history and the logs), and a draft article made from a
// resolved ticket.
import { Router, type Request } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { draftFromTicket } from '../../actions/kb.ts';
import { notFound } from '../../domain/errors.ts';
import { kbAccessFor, kbReadable } from '../../domain/kb.ts';
import { findKbArticle, listKbArticles } from '../../store/kb.ts';
import { currentUser } from '../context.ts';
import { formError } from '../forms.ts';
import { requirePermission } from '../middleware/auth.ts';
import { redirectWithFlash } from '../render.ts';
import { kbSnippetHtml } from '../view-models/kb.ts';
import type { TicketPageKit } from './ticket-page-kit.ts';

const field = (req: Request, key: string) => (typeof req.body?.[key] === 'string' ? (req.body[key] as string) : '');

export function ticketKbRoutes(ctx: Ctx, { ticketOf, page }: TicketPageKit): Router {
  const r = Router();

  r.post('/tickets/:number/kb', requirePermission('kb.view'), async (req, res) => {
    const t = await ticketOf(req);
    const access = kbAccessFor(currentUser(res).role);
    const typed = field(req, 'body');
    const kbq = field(req, 'kbq');
    // the article's text (`article`), or a link to it in the portal (`link`: public articles, which requesters may open)
    const asLink = /^\d{1,12}$/.test(field(req, 'link'));
    const picked = field(req, asLink ? 'link' : 'article');
    const articleId = /^\d{1,12}$/.test(picked) ? Number(picked) : null;
    let body = typed;
    if (articleId !== null) {
      const a = await findKbArticle(ctx.db, articleId);
      if (!a || !kbReadable(asLink ? 'public' : access, a)) throw notFound('Article');
      const added = asLink ? `${a.title}: ${new URL(`/portal/kb/${a.id}`, ctx.config.publicUrl).href}` : a.body;
      body = typed.trim() ? `${typed.replace(/\s+$/, '')}\n\n${added}` : added;
    }
    const found = kbq.trim() && articleId === null ? await listKbArticles(ctx.db, { access, text: kbq, limit: 10 }) : [];
    await page(req, res, t, {
      replyValues: { body, cc: field(req, 'cc'), kbq },
      kbResults: kbq.trim() && articleId === null ? found.map((a) => ({ id: a.id, title: a.title, locale: a.locale, status: a.status, visibility: a.visibility, public: kbReadable('public', a), snippetHtml: kbSnippetHtml(a, kbq) })) : undefined,
    });
  });

  r.post('/tickets/:number/kb-article', requirePermission('kb.edit'), async (req, res) => {
    const t = await ticketOf(req);
    const me = currentUser(res);
    try {
      const a = await draftFromTicket(ctx, me, t.id, me.locale);
      redirectWithFlash(res, `/kb/${a.id}/edit`, 'kb.draftMade');
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      redirectWithFlash(res, `/tickets/${t.number}`, e.message);
    }
  });
  return r;
}
