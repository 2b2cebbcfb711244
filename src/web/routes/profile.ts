// One's own profile: name, language, time zone, availability, password, API tokens. Admins also
// see and revoke everyone's tokens.
import { localPath } from '../local-path.ts';
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { createApiToken, revokeApiToken } from '../../actions/api-tokens.ts';
import { changeOwnPassword, setAvailability, updateProfile } from '../../actions/staff.ts';
import { LOCALES, type Locale } from '../../db/schema.ts';
import { listApiTokens } from '../../store/api-tokens.ts';
import { currentUser, intParam, web } from '../context.ts';
import { checkbox, formError, str, type Body } from '../forms.ts';
import { requirePermission } from '../middleware/auth.ts';
import { redirectWithFlash, setFlash, type Renderer } from '../render.ts';
import { timeZoneOptions } from '../view-models/time-zones.ts';

function tokenVM(t: Awaited<ReturnType<typeof listApiTokens>>[number], now: number) {
  return {
    id: t.id, name: t.name, prefix: t.prefix, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt, revoked: t.revokedAt !== null, revokedAt: t.revokedAt, user: t.userName, email: t.userEmail,
    readOnly: t.scope === 'read', expiresAt: t.expiresAt, expired: t.expiresAt !== null && t.expiresAt <= now,
  };
}

/** Lifetimes offered when a token is made (days; empty: never expires). */
const TOKEN_LIFETIMES = [null, 7, 30, 90, 365];

export function profileRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  const page = async (req: Request, res: Response, data: { values?: Record<string, string>; error?: string; passwordError?: string; newToken?: string; tokenError?: string } = {}, status = 200) => {
    const me = currentUser(res);
    const v = data.values ?? { name: me.name, locale: me.locale, timeZone: me.timeZone, available: me.available ? 'on' : '' };
    render(req, res, 'profile', {
      title: me.name,
      values: v,
      email: me.email,
      role: me.role,
      error: data.error,
      passwordError: data.passwordError,
      locales: LOCALES.map((l) => ({ id: l, selected: v.locale === l })),
      timeZones: timeZoneOptions(v.timeZone),
      tokens: (await listApiTokens(ctx.db, { userId: me.id })).map((t) => tokenVM(t, ctx.clock.now())),
      tokenLifetimes: TOKEN_LIFETIMES.map((d) => ({ days: d ?? '', selected: d === 90 })),
      newToken: data.newToken,
      tokenError: data.tokenError,
      apiBase: `${ctx.config.publicUrl}/api/v1`,
    }, { status });
  };

  r.get('/profile', requirePermission('profile.edit'), async (req, res) => await page(req, res));

  r.post('/profile', requirePermission('profile.edit'), async (req, res) => {
    const body = req.body as Body;
    const values = { name: str(body, 'name'), locale: str(body, 'locale'), timeZone: str(body, 'timeZone'), available: checkbox(body, 'available') ? 'on' : '' };
    try {
      const before = currentUser(res);
      const after = await updateProfile(ctx, before, { ...values, locale: values.locale as Locale, available: values.available === 'on' });
      if (after.locale !== before.locale && req.get('HX-Request') === 'true') {
        // a boosted swap keeps <html lang> and the head: load the next page in full, in the new language
        setFlash(res, 'profile.saved');
        res.set('HX-Redirect', '/profile').status(200).end();
        return;
      }
      redirectWithFlash(res, '/profile', 'profile.saved');
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      await page(req, res, { values, error: e.message }, 422);
    }
  });

  r.post('/profile/availability', requirePermission('profile.edit'), async (req, res) => {
    const body = req.body as Body;
    const u = await setAvailability(ctx, currentUser(res), str(body, 'available') === '1');
    const back = str(body, 'back');
    redirectWithFlash(res, localPath(back, '/profile'), u.available ? 'profile.nowAvailable' : 'profile.nowAway');
  });

  r.post('/profile/password', requirePermission('profile.edit'), async (req, res) => {
    const body = req.body as Body;
    try {
      // this session stays; every other one (another browser, a stolen cookie) ends
      await changeOwnPassword(ctx, currentUser(res), { current: str(body, 'current'), password: str(body, 'password'), currentSessionId: web(res).sessionId });
      redirectWithFlash(res, '/profile', 'profile.passwordChanged');
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      await page(req, res, { passwordError: e.message }, 422);
    }
  });

  // the new token is shown once, on this response; only its hash is kept
  r.post('/profile/tokens', requirePermission('token.manage'), async (req, res) => {
    try {
      const body = req.body as Body;
      const { token } = await createApiToken(ctx, currentUser(res), { name: str(body, 'name'), expiresInDays: str(body, 'expiresInDays') || null, scope: str(body, 'scope') === 'read' ? 'read' : 'full' });
      res.set('Cache-Control', 'no-store');
      await page(req, res, { newToken: token });
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      await page(req, res, { tokenError: e.message }, 422);
    }
  });

  r.post('/profile/tokens/:id/revoke', requirePermission('token.manage'), async (req, res) => {
    await revokeApiToken(ctx, currentUser(res), intParam(req.params.id, 'API token'));
    redirectWithFlash(res, '/profile#tokens', 'profile.tokenRevoked');
  });

  r.get('/admin/tokens', requirePermission('token.admin'), async (req, res) => {
    render(req, res, 'tokens', { tokens: (await listApiTokens(ctx.db)).map((t) => tokenVM(t, ctx.clock.now())) });
  });

  r.post('/admin/tokens/:id/revoke', requirePermission('token.admin'), async (req, res) => {
    await revokeApiToken(ctx, currentUser(res), intParam(req.params.id, 'API token'));
    redirectWithFlash(res, '/admin/tokens', 'profile.tokenRevoked');
  });
  return r;
}
