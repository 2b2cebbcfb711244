// Renders a page (or, for an htmx request, just the named partial) with the data every view needs.
import type { Request, Response } from 'express';
import { can, type Permission } from '../domain/permissions.ts';
import type { Ctx } from '../actions/context.ts';
import { isHtmx, web } from './context.ts';
import type { Views } from './views.ts';

export type Renderer = (
  req: Request,
  res: Response,
  page: string,
  data?: Record<string, unknown>,
  opts?: { partial?: string; status?: number; layout?: string },
) => void;

/** A navigation link; 'main' links sit in the top bar, 'admin' ones (the default) in the Admin menu. */
/** 'main': the top bar; 'admin' (default): the Admin menu; 'user': the signed-in user's menu */
export type NavLink = { href: string; labelKey: string; permission: Permission; group?: 'main' | 'admin' | 'user' };

export function createRenderer(ctx: Ctx, views: Views, nav: NavLink[] = []): Renderer {
  return (req, res, page, data = {}, opts = {}) => {
    const w = web(res);
    const user = w.user;
    const flash = readFlash(req.signedCookies?.hd_flash);
    if (flash) res.clearCookie('hd_flash', { path: '/' });
    const common = {
      deskName: ctx.config.deskName,
      csrfToken: w.csrfToken(),
      locale: w.locale,
      flash: flash ? w.t(flash.key, { defaultValue: flash.key, ...flash.params }) : null,
      me: user && {
        id: user.id,
        name: user.name,
        email: user.email,
        role: user.role,
        available: user.available,
        canManageUsers: can(user.role, 'user.manage'),
        canManageInbound: can(user.role, 'inbound.manage'),
        canManageSettings: can(user.role, 'settings.manage'),
      },
      nav: user ? nav.filter((l) => (l.group ?? 'admin') === 'admin' && can(user.role, l.permission)).map((l) => ({ href: l.href, labelKey: l.labelKey, current: req.path.startsWith(l.href) })) : [],
      mainNav: user ? nav.filter((l) => l.group === 'main' && can(user.role, l.permission)).map((l) => ({ href: l.href, labelKey: l.labelKey, current: req.path.startsWith(l.href) })) : [],
      userNav: user ? nav.filter((l) => l.group === 'user' && can(user.role, l.permission)).map((l) => ({ href: l.href, labelKey: l.labelKey, current: req.path.startsWith(l.href) })) : [],
      path: req.path,
      ...data,
    };
    const globals = { t: w.t, locale: w.locale, timeZone: w.timeZone, now: ctx.clock.now() };
    res.vary('HX-Request');
    res.status(opts.status ?? 200);
    res.type('html');
    if (opts.partial && isHtmx(req)) {
      res.send(views.partial(opts.partial, common, globals));
    } else {
      res.send(views.page(page, common, globals, opts.layout));
    }
  };
}

type Flash = { key: string; params?: Record<string, string | number> };

function readFlash(raw: unknown): Flash | null {
  if (typeof raw !== 'string' || raw === '') return null;
  if (!raw.startsWith('{')) return { key: raw };
  try {
    const v = JSON.parse(raw) as Flash;
    return typeof v.key === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** 303 after a successful POST, with a one-shot message (a translation key and its values) for the next page. */
export function redirectWithFlash(res: Response, to: string, flashKey?: string, params?: Record<string, string | number>): void {
  if (flashKey) setFlash(res, flashKey, params);
  res.redirect(303, to);
}

/** The one-shot message the next page shows. */
export function setFlash(res: Response, key: string, params?: Record<string, string | number>): void {
  res.cookie('hd_flash', params ? JSON.stringify({ key, params }) : key, { signed: true, httpOnly: true, sameSite: 'lax', path: '/', maxAge: 60_000 });
}
