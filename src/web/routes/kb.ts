// The knowledge base in the console: the list with search and figures, an article with its
// translations, history and votes, the writing form, publishing (the ticket page's parts: ticket-kb.ts).
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../actions/context.ts';
import {
  createKbArticle, createKbCategory, deleteKbArticle, deleteKbCategory, editKbArticle, editKbCategory, linkKbTranslation, mayEditKbArticle, moveKbCategory, publishKbArticle, readKbArticle, staffReader,
  unlinkKbTranslation, voteKbArticle,
  type KbArticleInput,
} from '../../actions/kb.ts';
import { forbidden, invalid } from '../../domain/errors.ts';
import { kbAccessFor } from '../../domain/kb.ts';
import { can } from '../../domain/permissions.ts';
import { LOCALES, KB_VISIBILITIES, type KbVisibility, type Locale } from '../../domain/vocabulary.ts';
import { listComponents } from '../../store/components.ts';
import { countKbArticlesByCategory, findKbCategory, getKbArticle, kbFigures, listKbArticles, listKbCategories, listKbTranslations, listKbVersions } from '../../store/kb.ts';
import { findTicket } from '../../store/tickets.ts';
import { listUsers } from '../../store/users.ts';
import { currentUser, intParam } from '../context.ts';
import { formError, idOrNull, str, type Body } from '../forms.ts';
import { requirePermission } from '../middleware/auth.ts';
import { redirectWithFlash, type Renderer } from '../render.ts';
import { kbArticleVM, kbCategoriesVM, kbCategoryFormsVM, kbFormVM, kbListRowVM, kbSnippetHtml, kbVersionsVM, type KbFormValues } from '../view-models/kb.ts';

function input(body: Body): KbArticleInput {
  const visibility = str(body, 'visibility');
  const locale = str(body, 'locale');
  return {
    title: str(body, 'title'),
    body: str(body, 'body'),
    categoryId: idOrNull(body, 'categoryId'),
    visibility: (KB_VISIBILITIES as readonly string[]).includes(visibility) ? (visibility as KbVisibility) : 'internal',
    locale: (LOCALES as readonly string[]).includes(locale) ? (locale as Locale) : 'en',
  };
}

const formValues = (body: Body): KbFormValues => ({ title: str(body, 'title'), body: str(body, 'body'), categoryId: str(body, 'categoryId'), visibility: str(body, 'visibility'), locale: str(body, 'locale') });

const query = (req: Request, key: string) => (typeof req.query[key] === 'string' ? req.query[key] : '');

export function kbRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  const form = async (req: Request, res: Response, data: { id?: number; values: KbFormValues; error?: string }, status = 200) => {
    render(req, res, 'kb-article-form', { title: data.values.title || undefined, id: data.id, error: data.error, ...kbFormVM(data.values, await listKbCategories(ctx.db)) }, { status });
  };
  /** Saves through run(); a form error shows the form again with what was typed. */
  const save = async (req: Request, res: Response, id: number | undefined, run: (v: KbArticleInput) => Promise<{ id: number }>) => {
    const body = req.body as Body;
    try {
      const a = await run(input(body));
      redirectWithFlash(res, `/kb/${a.id}`, 'kb.saved');
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      await form(req, res, { id, values: formValues(body), error: e.message }, 422);
    }
  };

  r.get('/kb', requirePermission('kb.view'), async (req, res) => {
    const me = currentUser(res);
    const text = query(req, 'q');
    const categoryId = /^\d+$/.test(query(req, 'category')) ? Number(query(req, 'category')) : null;
    const [articles, categories] = await Promise.all([listKbArticles(ctx.db, { access: kbAccessFor(me.role), text, categoryId }), listKbCategories(ctx.db)]);
    const figures = await kbFigures(ctx.db, articles.map((a) => a.id));
    const names = new Map(categories.map((c) => [c.id, c.name]));
    render(req, res, 'kb-articles', {
      q: text,
      articles: articles.map((a) => ({ ...kbListRowVM(a, figures.get(a.id), names), snippetHtml: kbSnippetHtml(a, text) })),
      categories: kbCategoriesVM(categories, await listComponents(ctx.db), categoryId),
      components: can(me.role, 'kb.publish') ? (await listComponents(ctx.db, { activeOnly: true })).map((c) => ({ id: c.id, name: c.name })) : [],
      managed: can(me.role, 'kb.publish') ? kbCategoryFormsVM(categories, await countKbArticlesByCategory(ctx.db)) : [],
      canEdit: can(me.role, 'kb.edit'),
      canManage: can(me.role, 'kb.publish'),
    });
  });

  /** A change to the categories, then back to the list with what happened (or what was refused) said in the flash. */
  const categoryChange = async (res: Response, done: string, run: () => Promise<unknown>) => {
    try {
      await run();
      redirectWithFlash(res, '/kb', done);
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      redirectWithFlash(res, '/kb', e.message);
    }
  };
  const categoryInput = (body: Body) => ({ name: str(body, 'name'), componentId: idOrNull(body, 'componentId') });

  r.post('/kb/categories', requirePermission('kb.publish'), async (req, res) => {
    await categoryChange(res, 'kb.categorySaved', () => createKbCategory(ctx, currentUser(res), categoryInput(req.body as Body)));
  });

  r.post('/kb/categories/:id', requirePermission('kb.publish'), async (req, res) => {
    const id = intParam(req.params.id, 'Category');
    await categoryChange(res, 'kb.categoryChanged', () => editKbCategory(ctx, currentUser(res), id, categoryInput(req.body as Body)));
  });

  r.post('/kb/categories/:id/move', requirePermission('kb.publish'), async (req, res) => {
    const id = intParam(req.params.id, 'Category');
    const direction = str(req.body as Body, 'direction') === 'down' ? 'down' : 'up';
    await categoryChange(res, 'kb.categoryMoved', () => moveKbCategory(ctx, currentUser(res), id, direction));
  });

  r.post('/kb/categories/:id/delete', requirePermission('kb.publish'), async (req, res) => {
    const id = intParam(req.params.id, 'Category');
    await categoryChange(res, 'kb.categoryDeleted', () => deleteKbCategory(ctx, currentUser(res), id, idOrNull(req.body as Body, 'moveTo')));
  });

  r.get('/kb/new', requirePermission('kb.edit'), async (req, res) => form(req, res, { values: { locale: currentUser(res).locale } }));
  r.post('/kb', requirePermission('kb.edit'), async (req, res) => save(req, res, undefined, (v) => createKbArticle(ctx, currentUser(res), v)));

  r.get('/kb/:id', requirePermission('kb.view'), async (req, res) => {
    const me = currentUser(res);
    const a = await readKbArticle(ctx, staffReader(me), intParam(req.params.id, 'Article'));
    const [figures, translations, versions, users, category] = await Promise.all([
      kbFigures(ctx.db, [a.id]), listKbTranslations(ctx.db, a), listKbVersions(ctx.db, a.id), listUsers(ctx.db), a.categoryId ? findKbCategory(ctx.db, a.categoryId) : undefined,
    ]);
    const names = new Map(users.map((u) => [u.id, u.name]));
    const source = a.sourceTicketId ? await findTicket(ctx.db, a.sourceTicketId) : undefined;
    render(req, res, 'kb-article', {
      title: a.title,
      article: kbArticleVM(a, figures.get(a.id), { category: category?.name ?? null, author: a.authorId ? (names.get(a.authorId) ?? null) : null, sourceTicket: source?.number ?? null }),
      translations: translations.map((t) => ({ id: t.id, title: t.title, locale: t.locale })),
      versions: kbVersionsVM(versions, names),
      canEdit: mayEditKbArticle(me, a),
      canPublish: can(me.role, 'kb.publish'),
    });
  });

  r.get('/kb/:id/edit', requirePermission('kb.edit'), async (req, res) => {
    const a = await getKbArticle(ctx.db, intParam(req.params.id, 'Article'));
    if (!mayEditKbArticle(currentUser(res), a)) throw forbidden();
    await form(req, res, { id: a.id, values: { title: a.title, body: a.body, categoryId: a.categoryId ? String(a.categoryId) : '', visibility: a.visibility, locale: a.locale } });
  });

  r.post('/kb/:id', requirePermission('kb.edit'), async (req, res) => {
    const id = intParam(req.params.id, 'Article');
    await save(req, res, id, (v) => editKbArticle(ctx, currentUser(res), id, v));
  });

  r.post('/kb/:id/publish', requirePermission('kb.publish'), async (req, res) => {
    const id = intParam(req.params.id, 'Article');
    const publish = str(req.body as Body, 'publish') !== '0';
    await publishKbArticle(ctx, currentUser(res), id, publish);
    redirectWithFlash(res, `/kb/${id}`, publish ? 'kb.published' : 'kb.unpublished');
  });

  r.post('/kb/:id/translation', requirePermission('kb.edit'), async (req, res) => {
    const id = intParam(req.params.id, 'Article');
    const other = idOrNull(req.body as Body, 'translationId');
    try {
      if (other === null) throw invalid('Enter the number of the article in the other language');
      await linkKbTranslation(ctx, currentUser(res), id, other);
      redirectWithFlash(res, `/kb/${id}`, 'kb.linked');
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      redirectWithFlash(res, `/kb/${id}`, e.message);
    }
  });

  r.post('/kb/:id/translation/unlink', requirePermission('kb.edit'), async (req, res) => {
    const id = intParam(req.params.id, 'Article');
    await unlinkKbTranslation(ctx, currentUser(res), id);
    redirectWithFlash(res, `/kb/${id}`, 'kb.unlinked');
  });

  r.post('/kb/:id/delete', requirePermission('kb.edit'), async (req, res) => {
    await deleteKbArticle(ctx, currentUser(res), intParam(req.params.id, 'Article'));
    redirectWithFlash(res, '/kb', 'kb.deleted');
  });

  r.post('/kb/:id/vote', requirePermission('kb.view'), async (req, res) => {
    const id = intParam(req.params.id, 'Article');
    await voteKbArticle(ctx, staffReader(currentUser(res)), id, str(req.body as Body, 'helpful') === 'yes');
    redirectWithFlash(res, `/kb/${id}`, 'kb.voted');
  });

  return r;
}
