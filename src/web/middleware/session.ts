// Loads the signed-in user from the session cookie (the db holds only the token's hash) and
// settles the request's language and time zone.
import type { RequestHandler } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { sessionIdOf } from '../../actions/users.ts';
import { sessionExpiry } from '../../domain/session-lifetime.ts';
import { findLiveSession, touchSession } from '../../store/sessions.ts';
import type { ConsoleCookies } from '../cookies.ts';
import { pickLocale, type Translator } from '../i18n.ts';

export function sessionMiddleware(ctx: Ctx, translator: Translator, cookies: ConsoleCookies): RequestHandler {
  return async (req, res, next) => {
    const token = req.signedCookies?.[cookies.session] as string | undefined;
    const now = ctx.clock.now();
    let found = token ? await findLiveSession(ctx.db, sessionIdOf(token), now) : undefined;
    if (found && now - found.session.lastSeenAt > 60_000) {
      await touchSession(ctx.db, found.session.id, now, sessionExpiry(found.session.createdAt, now));
    }
    if (token && !found) res.clearCookie(cookies.session, cookies.options);
    const user = found?.user ?? null;
    const langCookie = req.cookies?.hd_lang as string | undefined;
    const locale =
      user?.locale ?? (langCookie === 'en' || langCookie === 'ru' ? langCookie : pickLocale(req.get('accept-language'), ctx.config.defaultLocale));
    res.locals.web = {
      user,
      sessionId: found?.session.id ?? null,
      locale,
      timeZone: user?.timeZone ?? ctx.config.timeZone,
      t: translator.t(locale),
      csrfToken: () => '',
    };
    found = undefined;
    next();
  };
}
