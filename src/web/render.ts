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

export type NavLink = { href: string; labelKey: string; permission: Permission };

export function createRenderer(ctx: Ctx, views: Views, nav: NavLink[] = []): Renderer {
  return (req, res, page, data = {}, opts = {}) => {
    const w = web(res);
    const user = w.user;
    const flash = req.signedCookies?.hd_flash as string | undefined;
    if (flash) res.clearCookie('hd_flash', { path: '/' });
    const common = {
      deskName: ctx.config.deskName,
      csrfToken: w.csrfToken(),
      locale: w.locale,
      flash: flash ? w.t(flash, { defaultValue: flash }) : null,
      me: user && {
        id: user.id,
        name: user.name,
        email: user.email,
        role: user.role,
        canManageUsers: can(user.role, 'user.manage'),
        canManageInbound: can(user.role, 'inbound.manage'),
        canManageSettings: can(user.role, 'settings.manage'),
      },
      nav: user ? nav.filter((l) => can(user.role, l.permission)).map((l) => ({ href: l.href, labelKey: l.labelKey, current: req.path.startsWith(l.href) })) : [],
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

/** 303 after a successful POST, with a one-shot message for the next page. */
export function redirectWithFlash(res: Response, to: string, flashKey?: string): void {
  if (flashKey) res.cookie('hd_flash', flashKey, { signed: true, httpOnly: true, sameSite: 'lax', path: '/', maxAge: 60_000 });
  res.redirect(303, to);
}
