// First-run setup, sign-in and sign-out.
import { localPath } from '../local-path.ts';
import { Router } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Ctx } from '../../actions/context.ts';
import { authenticate, createFirstAdmin, endSession, startSession } from '../../actions/users.ts';
import { AppError } from '../../store/errors.ts';
import { countUsers } from '../../store/users.ts';
import { web } from '../context.ts';
import { SESSION_COOKIE } from '../middleware/session.ts';
import { redirectWithFlash, type Renderer } from '../render.ts';

function safeNext(next: unknown): string {
  return localPath(next, '/tickets');
}

export function authRoutes(ctx: Ctx, render: Renderer, opts: { secureCookies: boolean }): Router {
  const r = Router();
  const cookie = { signed: true, httpOnly: true, sameSite: 'lax' as const, secure: opts.secureCookies, path: '/' };
  const loginLimiter = rateLimit({
    windowMs: 15 * 60 * 1000,
    limit: 10,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}|${String((req.body as Record<string, unknown>)?.email ?? '').toLowerCase()}`,
    handler: (_req, _res, next) => next(new AppError('rate_limited', 'Too many failed sign-ins. Wait 15 minutes and try again.')),
  });

  r.get('/setup', (req, res) => {
    if (countUsers(ctx.db) > 0) return res.redirect(303, '/login');
    render(req, res, 'setup', { values: {} }, { layout: 'layouts/bare' });
  });

  r.post('/setup', async (req, res) => {
    const body = req.body as Record<string, string>;
    if (countUsers(ctx.db) > 0) return res.redirect(303, '/login');
    if ((body.password ?? '') !== (body.passwordConfirm ?? '')) {
      return render(req, res, 'setup', { values: body, errors: { passwordConfirm: 'auth.passwordsDiffer' } }, { status: 422, layout: 'layouts/bare' });
    }
    try {
      const user = await createFirstAdmin(ctx, { email: body.email ?? '', name: body.name ?? '', password: body.password ?? '', locale: web(res).locale });
      res.cookie(SESSION_COOKIE, startSession(ctx, user, { userAgent: req.get('user-agent'), ip: req.ip }), cookie);
      redirectWithFlash(res, '/tickets', 'setup.done');
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation') {
        return render(req, res, 'setup', { values: body, errors: err.details.fields }, { status: 422, layout: 'layouts/bare' });
      }
      throw err;
    }
  });

  r.get('/login', (req, res) => {
    if (countUsers(ctx.db) === 0) return res.redirect(303, '/setup');
    if (web(res).user) return res.redirect(303, safeNext(req.query.next));
    render(req, res, 'login', { next: safeNext(req.query.next), values: {} }, { layout: 'layouts/bare' });
  });

  r.post('/login', loginLimiter, async (req, res) => {
    const body = req.body as Record<string, string>;
    const user = await authenticate(ctx, body.email ?? '', body.password ?? '');
    if (!user) {
      return render(req, res, 'login', { next: safeNext(body.next), values: { email: body.email }, failed: true }, { status: 401, layout: 'layouts/bare' });
    }
    res.cookie(SESSION_COOKIE, startSession(ctx, user, { userAgent: req.get('user-agent'), ip: req.ip }), cookie);
    res.redirect(303, safeNext(body.next));
  });

  r.post('/logout', (req, res) => {
    const token = req.signedCookies?.[SESSION_COOKIE] as string | undefined;
    if (token) endSession(ctx, token);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/login');
  });

  // language switch for signed-out pages (signed-in users keep theirs in their profile)
  r.post('/lang', (req, res) => {
    const lang = (req.body as Record<string, string>).lang === 'ru' ? 'ru' : 'en';
    res.cookie('hd_lang', lang, { httpOnly: true, sameSite: 'lax', secure: opts.secureCookies, path: '/', maxAge: 365 * 86400_000 });
    res.redirect(303, safeNext((req.body as Record<string, string>).next));
  });

  return r;
}
