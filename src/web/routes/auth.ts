// First-run setup, sign-in and sign-out.
import { localPath } from '../local-path.ts';
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { issueSetupCode, setUpDesk, setupCodeRequired } from '../../actions/setup-code.ts';
import { openPasswordLink, requestPasswordReset, setPasswordWithLink } from '../../actions/password-links.ts';
import { signIn } from '../../actions/sign-in.ts';
import { clientKey } from '../../domain/client-key.ts';
import { endSession, startSession } from '../../actions/users.ts';
import { AppError } from '../../domain/errors.ts';
import { countUsers } from '../../store/users.ts';
import { web } from '../context.ts';
import type { ConsoleCookies } from '../cookies.ts';
import { redirectWithFlash, type Renderer } from '../render.ts';

function safeNext(next: unknown): string {
  return localPath(next, '/tickets');
}

/** The address failures are counted under: IPv4 as is, IPv6 by its /56 network (one host has many). */
function clientOf(req: Request): string {
  return clientKey(req.ip ?? '');
}

export async function authRoutes(ctx: Ctx, render: Renderer, cookies: ConsoleCookies): Promise<Router> {
  const r = Router();
  const needsCode = setupCodeRequired(ctx.config);
  await issueSetupCode(ctx);
  const signedIn = async (req: Request, res: Response, user: Parameters<typeof startSession>[1]) =>
    res.cookie(cookies.session, await startSession(ctx, user, { userAgent: req.get('user-agent'), ip: req.ip }), { ...cookies.options, signed: true });
  const setupPage = (req: Request, res: Response, values: Record<string, string>, errors?: Record<string, string>, status = 200) =>
    render(req, res, 'setup', { values: { ...values, setupCode: '' }, errors, needsCode }, { status, layout: 'layouts/bare' });

  r.get('/setup', async (req, res) => {
    if (await countUsers(ctx.db) > 0) return res.redirect(303, '/login');
    setupPage(req, res, {});
  });

  r.post('/setup', async (req, res) => {
    const body = req.body as Record<string, string>;
    if (await countUsers(ctx.db) > 0) return res.redirect(303, '/login');
    if ((body.password ?? '') !== (body.passwordConfirm ?? '')) return setupPage(req, res, body, { passwordConfirm: 'auth.passwordsDiffer' }, 422);
    try {
      const user = await setUpDesk(ctx, {
        email: body.email ?? '', name: body.name ?? '', password: body.password ?? '', locale: web(res).locale, setupCode: body.setupCode ?? '', ip: clientOf(req),
      });
      await signedIn(req, res, user);
      redirectWithFlash(res, '/tickets', 'setup.done');
    } catch (err) {
      if (err instanceof AppError && (err.code === 'validation' || (err.code === 'forbidden' && err.details.fields))) {
        return setupPage(req, res, body, err.details.fields as Record<string, string>, err.code === 'forbidden' ? 403 : 422);
      }
      throw err;
    }
  });

  r.get('/login', async (req, res) => {
    if (await countUsers(ctx.db) === 0) return res.redirect(303, '/setup');
    if (web(res).user) return res.redirect(303, safeNext(req.query.next));
    render(req, res, 'login', { next: safeNext(req.query.next), values: {} }, { layout: 'layouts/bare' });
  });

  r.post('/login', async (req, res) => {
    const body = req.body as Record<string, string>;
    const result = await signIn(ctx, { email: body.email ?? '', password: body.password ?? '', ip: clientOf(req) });
    if (!result.ok) {
      const data = { next: safeNext(body.next), values: { email: body.email }, failed: !result.locked, locked: result.locked, lockMinutes: Math.ceil(ctx.config.signIn.windowMs / 60_000) };
      return render(req, res, 'login', data, { status: result.locked ? 429 : 401, layout: 'layouts/bare' });
    }
    await signedIn(req, res, result.user);
    res.redirect(303, safeNext(body.next));
  });

  r.post('/logout', async (req, res) => {
    const token = req.signedCookies?.[cookies.session] as string | undefined;
    if (token) await endSession(ctx, token);
    res.clearCookie(cookies.session, cookies.options);
    res.redirect(303, '/login');
  });

  // forgotten password: the same answer whether or not the address has an account
  r.get('/forgot', (req, res) => render(req, res, 'forgot-password', { values: { email: String(req.query.email ?? '') } }, { layout: 'layouts/bare' }));

  r.post('/forgot', async (req, res) => {
    const email = String((req.body as Record<string, string>).email ?? '');
    try {
      await requestPasswordReset(ctx, { email, client: clientOf(req) });
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'validation')) throw err;
      return render(req, res, 'forgot-password', { values: { email }, errors: { email: 'password.emailInvalid' } }, { status: 422, layout: 'layouts/bare' });
    }
    render(req, res, 'forgot-password', { sent: true, values: { email } }, { layout: 'layouts/bare' });
  });

  // an invitation or a reset link: choose a password, then be signed in
  const passwordPage = async (req: Request, res: Response, token: string, data: Record<string, unknown> = {}, status = 200) => {
    try {
      const opened = await openPasswordLink(ctx, token);
      render(req, res, 'password-link', { token, purpose: opened.purpose, invite: opened.purpose === 'invite', account: { name: opened.user.name, email: opened.user.email }, ...data }, { status, layout: 'layouts/bare' });
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'not_found')) throw err;
      render(req, res, 'password-link', { closed: err.details.reason === 'expired' ? 'expired' : 'used', invite: err.details.purpose === 'invite' }, { status: 410, layout: 'layouts/bare' });
    }
  };

  r.get('/password/:token', async (req, res) => await passwordPage(req, res, String(req.params.token)));

  r.post('/password/:token', async (req, res) => {
    const token = String(req.params.token);
    const body = req.body as Record<string, string>;
    try {
      const user = await setPasswordWithLink(ctx, { token, password: body.password ?? '', confirm: body.confirm ?? '' });
      await signedIn(req, res, user);
      redirectWithFlash(res, '/tickets', 'password.set');
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'validation')) {
        if (err instanceof AppError && err.code === 'not_found') return await passwordPage(req, res, token);
        throw err;
      }
      const fields = (err.details.fields ?? {}) as Record<string, string>;
      await passwordPage(req, res, token, { errors: { password: fields.password ? 'password.tooShort' : undefined, confirm: fields.confirm ? 'auth.passwordsDiffer' : undefined } }, 422);
    }
  });

  // language switch for signed-out pages (signed-in users keep theirs in their profile)
  r.post('/lang', (req, res) => {
    const lang = (req.body as Record<string, string>).lang === 'ru' ? 'ru' : 'en';
    res.cookie('hd_lang', lang, { httpOnly: true, sameSite: 'lax', secure: cookies.secure, path: '/', maxAge: 365 * 86400_000 });
    res.redirect(303, safeNext((req.body as Record<string, string>).next));
  });

  return r;
}
