// The knowledge base in the requester portal: the published public articles, searched by word
// forms and read (counted), "was this helpful?", and the articles that match a new request while it
// is typed, where "this solved it" ends the request there and is counted as a deflected request.
// Signed-in requesters read them; anyone does when the desk allows it (KB_PUBLIC).
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../../actions/context.ts';
import { readKbArticle, recordKbDeflection, voteKbArticle, type KbReader } from '../../../actions/kb.ts';
import { kbShelves, suggestionSearch } from '../../../domain/kb.ts';
import { markdownText } from '../../../domain/markdown.ts';
import type { Contact } from '../../../store/contacts.ts';
import { kbFigures, listKbArticles, listKbCategories, listKbTranslations } from '../../../store/kb.ts';
import { searchRequesterTickets } from '../../../store/requester-tickets.ts';
import { consoleCookies } from '../../cookies.ts';
import { intParam } from '../../context.ts';
import { redirectWithFlash } from '../../render.ts';
import { kbArticleVM, kbSnippetHtml } from '../../view-models/kb.ts';
import type { SettleLocale } from './portal-locale.ts';
import { viewerOf, type RequesterSession } from './requester-session.ts';
import { requestHitVM } from './request-hits.ts';

/** A portal page (requester-routes.ts): in the requester's language, not kept by the browser. */
export type ShowPortalPage = (req: Request, res: Response, who: Contact | null, view: string, data: Record<string, unknown>, status?: number, partial?: string) => Promise<void>;

/** How many articles a new request's suggestions show. */
export const SUGGESTED = 5;
/** How many of the requester's resolved requests like it they show, from how many of the newest (asked at every pause in typing). */
export const SIMILAR = 3;
const SIMILAR_WITHIN = 100;
/** How many of the newest public articles browsing shows (a desk's whole public knowledge base, as a rule). */
const BROWSED = 1000;
const READER_COOKIE = 'hd_kb_reader';

export function portalKbRoutes(ctx: Ctx, deps: { show: ShowPortalPage; session: RequesterSession; settle: SettleLocale }): Router {
  const r = Router();
  const { show, session, settle } = deps;
  const cookies = consoleCookies(ctx.config);

  /** Who reads: the signed-in requester; without sign-in, when the desk allows it, a reader known by a cookie of their own; else undefined (sent to sign in). */
  const readerOf = async (req: Request, res: Response): Promise<{ who: Contact | null; reader: KbReader } | undefined> => {
    const who = await session.current(req, res);
    if (who) return { who, reader: { access: 'public', voter: { contact: who.id } } };
    if (!ctx.config.portal.kbWithoutSignIn) {
      res.redirect(303, '/portal/sign-in');
      return undefined;
    }
    let key = req.signedCookies?.[READER_COOKIE] as string | undefined;
    if (typeof key !== 'string' || !/^[0-9a-f-]{36}$/.test(key)) {
      key = randomUUID();
      res.cookie(READER_COOKIE, key, { ...cookies.options, signed: true, maxAge: 365 * 86_400_000 });
    }
    return { who: null, reader: { access: 'public', voter: { session: key } } };
  };

  r.get('/portal/kb', async (req, res) => {
    const me = await readerOf(req, res);
    if (!me) return;
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 200) : '';
    if (q) {
      const found = await listKbArticles(ctx.db, { access: 'public', text: q, limit: 50 });
      return void (await show(req, res, me.who, 'portal/kb', { q, searched: true, articles: found.map((a) => ({ id: a.id, title: a.title, locale: a.locale, snippetHtml: kbSnippetHtml(a, q) })) }));
    }
    // browsing: the articles on a shelf per category (or one category's), each in the reader's language where it has a version in it
    const asked = typeof req.query.category === 'string' && /^\d{1,9}$/.test(req.query.category) ? Number(req.query.category) : null;
    const [articles, categories, locale] = await Promise.all([listKbArticles(ctx.db, { access: 'public', limit: BROWSED }), listKbCategories(ctx.db), settle(req, res, me.who?.id ?? null)]);
    const shelves = kbShelves(articles, categories, locale).map((s) => ({
      category: s.category && { id: s.category.id, name: s.category.name, count: s.articles.length, current: s.category.id === asked },
      articles: s.articles.map((a) => ({ id: a.id, title: a.title, locale: a.locale })),
    }));
    const chosen = asked === null ? undefined : shelves.find((s) => s.category?.id === asked);
    await show(req, res, me.who, 'portal/kb', {
      q, searched: false, shelves: asked === null ? shelves : chosen ? [chosen] : [], chosen: chosen?.category,
      // the categories a reader may pick: those holding something they can read
      categories: shelves.flatMap((s) => (s.category ? [s.category] : [])),
    }, asked !== null && !chosen ? 404 : 200);
  });

  r.get('/portal/kb/:id', async (req, res) => {
    const me = await readerOf(req, res);
    if (!me) return;
    const a = await readKbArticle(ctx, me.reader, intParam(req.params.id, 'Article'));
    const translations = (await listKbTranslations(ctx.db, a)).filter((t) => t.status === 'published' && t.visibility === 'public');
    const figures = await kbFigures(ctx.db, [a.id]);
    await show(req, res, me.who, 'portal/kb-article', {
      article: kbArticleVM(a, figures.get(a.id), { category: null, author: null, sourceTicket: null }),
      translations: translations.map((t) => ({ id: t.id, title: t.title, locale: t.locale })),
      voted: req.query.voted === '1',
      // "this solved it" ends a request the requester was about to send (from its suggestions)
      fromRequest: req.query.from === 'new',
    });
  });

  r.post('/portal/kb/:id/vote', async (req, res) => {
    const me = await readerOf(req, res);
    if (!me) return;
    const id = intParam(req.params.id, 'Article');
    await voteKbArticle(ctx, me.reader, id, (req.body as Record<string, unknown>).helpful === 'yes');
    res.redirect(303, `/portal/kb/${id}?voted=1`);
  });

  r.post('/portal/kb/:id/solved', async (req, res) => {
    const me = await readerOf(req, res);
    if (!me) return;
    await recordKbDeflection(ctx, me.reader, intParam(req.params.id, 'Article'));
    redirectWithFlash(res, me.who ? '/portal' : '/portal/kb', 'requesterPortal.kb.solvedThanks');
  });

  // the articles that match what is typed into a new request (htmx, as they type; a plain GET of
  // the form's words without JavaScript), never more than the public ones; and for a signed-in
  // requester their resolved requests like it
  r.get('/portal/suggestions', async (req, res) => {
    const me = await readerOf(req, res);
    if (!me) return;
    const words = ['subject', 'body'].map((k) => (typeof req.query[k] === 'string' ? (req.query[k] as string) : '')).join(' ');
    const search = suggestionSearch(words);
    const articles = search ? await listKbArticles(ctx.db, { access: 'public', text: search, limit: SUGGESTED }) : [];
    // and the requester's own resolved requests like it (a designated contact's colleagues' too), with how they were answered
    const similar = search && me.who ? await searchRequesterTickets(ctx.db, viewerOf(me.who), search, { limit: SIMILAR, finished: true, within: SIMILAR_WITHIN }) : [];
    const data = { suggestions: articles.map((a) => ({ id: a.id, title: a.title, excerpt: excerpt(a.body) })), similar: similar.map(requestHitVM), asked: search !== null };
    await show(req, res, me.who, 'portal/suggestions', data, 200, 'portal-suggestions');
  });

  return r;
}

/** The start of an article's text, as plain words, for a suggestion. */
function excerpt(markdown: string): string {
  const plain = markdownText(markdown);
  return plain.length > 160 ? `${plain.slice(0, 157).replace(/\s+\S*$/, '')}…` : plain;
}
