// Canned replies (managers): title, text with placeholders, optional language.
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { createCannedReply, editCannedReply, removeCannedReply } from '../../actions/canned-replies.ts';
import { LOCALES, type Locale } from '../../db/schema.ts';
import { CANNED_PLACEHOLDERS } from '../../domain/canned.ts';
import { getCannedReply, listCannedReplies } from '../../store/canned-replies.ts';
import { currentUser, intParam } from '../context.ts';
import { formError, str, type Body } from '../forms.ts';
import { requirePermission } from '../middleware/auth.ts';
import { redirectWithFlash, type Renderer } from '../render.ts';

function input(body: Body) {
  const l = str(body, 'locale');
  return { title: str(body, 'title'), body: str(body, 'body'), locale: (LOCALES as readonly string[]).includes(l) ? (l as Locale) : null };
}

export function cannedRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  const form = (req: Request, res: Response, data: { id?: number; values: Record<string, string>; error?: string }, status = 200) => {
    render(req, res, 'canned-reply', {
      title: data.values.title || undefined,
      id: data.id,
      values: data.values,
      error: data.error,
      locales: LOCALES.map((l) => ({ id: l, selected: data.values.locale === l })),
      placeholders: CANNED_PLACEHOLDERS.map((p) => `{{${p}}}`),
    }, { status });
  };

  r.get('/canned', requirePermission('canned.manage'), async (req, res) => {
    render(req, res, 'canned-replies', { replies: (await listCannedReplies(ctx.db)).map((c) => ({ id: c.id, title: c.title, locale: c.locale, preview: c.body.slice(0, 140) })) });
  });

  r.get('/canned/new', requirePermission('canned.manage'), (req, res) => form(req, res, { values: {} }));

  r.post('/canned', requirePermission('canned.manage'), async (req, res) => {
    const body = req.body as Body;
    try {
      await createCannedReply(ctx, currentUser(res), input(body));
      redirectWithFlash(res, '/canned', 'people.cannedSaved');
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      form(req, res, { values: body as Record<string, string>, error: e.message }, 422);
    }
  });

  r.get('/canned/:id', requirePermission('canned.manage'), async (req, res) => {
    const c = await getCannedReply(ctx.db, intParam(req.params.id, 'Canned reply'));
    form(req, res, { id: c.id, values: { title: c.title, body: c.body, locale: c.locale ?? '' } });
  });

  r.post('/canned/:id', requirePermission('canned.manage'), async (req, res) => {
    const id = intParam(req.params.id, 'Canned reply');
    const body = req.body as Body;
    try {
      await editCannedReply(ctx, currentUser(res), id, input(body));
      redirectWithFlash(res, '/canned', 'people.cannedSaved');
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      form(req, res, { id, values: body as Record<string, string>, error: e.message }, 422);
    }
  });

  r.post('/canned/:id/delete', requirePermission('canned.manage'), async (req, res) => {
    await removeCannedReply(ctx, currentUser(res), intParam(req.params.id, 'Canned reply'));
    redirectWithFlash(res, '/canned', 'people.cannedDeleted');
  });
  return r;
}
