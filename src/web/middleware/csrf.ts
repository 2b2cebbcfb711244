// CSRF protection for every unsafe request (double-submit token bound to the session by HMAC).
// Signed-out forms (setup, login) are bound to a random pre-session cookie instead.
import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import type { ConsoleCookies } from '../cookies.ts';

export function csrfMiddleware(opts: { secret: string; cookies: ConsoleCookies; skip: (req: Request) => boolean }): RequestHandler[] {
  const anonCookie = opts.cookies.anon;
  const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
    getSecret: () => opts.secret,
    getSessionIdentifier: (req) => req.res?.locals.web.sessionId ?? (req.signedCookies?.[anonCookie] as string | undefined) ?? '',
    cookieName: opts.cookies.csrf,
    cookieOptions: { sameSite: 'lax', secure: opts.cookies.secure, httpOnly: true, path: '/' },
    // multipart bodies are parsed by the upload route after this check, so their forms carry the
    // token in the action URL (htmx sends the header anyway)
    getCsrfTokenFromRequest: (req) =>
      ((req.body as Record<string, unknown> | undefined)?._csrf ??
        req.get('x-csrf-token') ??
        // a multipart form (file upload) is parsed only by its route, after this check: its token
        // comes in the form's action URL
        (req.is('multipart/form-data') ? req.query._csrf : undefined)) as string | undefined,
    skipCsrfProtection: opts.skip,
  });
  const ensureAnon: RequestHandler = (req, res, next) => {
    if (!res.locals.web.sessionId && !req.signedCookies?.[anonCookie]) {
      const id = randomBytes(18).toString('base64url');
      req.signedCookies[anonCookie] = id;
      res.cookie(anonCookie, id, { ...opts.cookies.options, signed: true });
    }
    res.locals.web.csrfToken = () => generateCsrfToken(req, res);
    next();
  };
  return [ensureAnon, doubleCsrfProtection];
}
