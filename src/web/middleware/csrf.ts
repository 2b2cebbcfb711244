// CSRF protection for every unsafe request (double-submit token bound to the session by HMAC).
// Signed-out forms (setup, login) are bound to a random pre-session cookie instead.
import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import type { ConsoleCookies } from '../cookies.ts';
import { readMultipart } from '../multipart.ts';

/**
 * The token comes in the body field `_csrf` or the X-CSRF-Token header (htmx sends it on every
 * request), never in the URL: a URL ends up in logs, history and Referer headers. Multipart bodies
 * (uploads) are read just before the check, with at most `uploadBytes` per file and `uploadTotalBytes` for all of a form's files.
 */
export function csrfMiddleware(opts: { secret: string; cookies: ConsoleCookies; skip: (req: Request) => boolean; uploadBytes: number; uploadTotalBytes: number }): RequestHandler[] {
  const anonCookie = opts.cookies.anon;
  const { doubleCsrfProtection, generateCsrfToken, validateRequest, invalidCsrfTokenError } = doubleCsrf({
    getSecret: () => opts.secret,
    getSessionIdentifier: (req) => req.res?.locals.web.sessionId ?? (req.signedCookies?.[anonCookie] as string | undefined) ?? '',
    cookieName: opts.cookies.csrf,
    cookieOptions: { sameSite: 'lax', secure: opts.cookies.secure, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req) => ((req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token')) as string | undefined,
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
  const multipart = readMultipart({ maxBytes: opts.uploadBytes, maxTotalBytes: opts.uploadTotalBytes, tokenOk: validateRequest, refusal: () => invalidCsrfTokenError });
  const readUploads: RequestHandler = (req, res, next) => (opts.skip(req) ? next() : multipart(req, res, next));
  return [ensureAnon, readUploads, doubleCsrfProtection];
}
