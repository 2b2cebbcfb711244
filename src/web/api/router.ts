// /api/v1: a public router that authenticates bearer tokens itself (no cookies, so no CSRF), checks
// the route's permission, and answers JSON — errors as {error: {code, message}} through the app's
// one error handler.
import { Router, type RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Ctx } from '../../actions/context.ts';
import { authenticateApiToken, scopeAllows } from '../../actions/api-tokens.ts';
import { can } from '../../domain/permissions.ts';
import { AppError } from '../../domain/errors.ts';
import type { User } from '../../store/users.ts';
import type { WebRouter } from '../app.ts';
import { openApiDocument } from './openapi.ts';
import { API_ROUTES } from './routes.ts';
import { reportApiRoutes } from './report-routes.ts';
import type { Report } from '../../reports/report.ts';
import { rateLimitStore } from '../../store/rate-limit-store.ts';

export const API_BASE = '/api/v1';

declare module 'express-serve-static-core' {
  interface Locals {
    apiUser?: User;
  }
}

function bearer(ctx: Ctx): RequestHandler {
  const failures = rateLimit({
    windowMs: 15 * 60 * 1000,
    limit: 100,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    store: rateLimitStore(ctx, 'api-bad-token'),
    handler: (_req, _res, next) => next(new AppError('rate_limited', 'Too many requests with a bad token; wait 15 minutes')),
  });
  return async (req, res, next) => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    const found = m ? await authenticateApiToken(ctx, m[1]) : undefined;
    if (found) {
      if (!scopeAllows(found.scope, req.method)) return next(new AppError('forbidden', 'This token is read-only'));
      res.locals.apiUser = found.user;
      return next();
    }
    res.set('WWW-Authenticate', 'Bearer realm="helpdesk"');
    // only failures count towards the limit
    // the limiter passes its own error on (rate_limited) once a client has had too many failures
    failures(req, res, (err?: unknown) => next(err ?? new AppError('unauthenticated', m ? 'The token is unknown, revoked or expired, or its user is inactive' : 'Send an API token: Authorization: Bearer hd_…')));
  };
}

export function apiRouter(ctx: Ctx, reports: readonly Report[] = []): WebRouter {
  const routes = [...API_ROUTES, ...reportApiRoutes(reports)];
  return {
    auth: 'public',
    build() {
      const r = Router();
      const doc = openApiDocument(ctx.config.publicUrl, routes);
      r.get(`${API_BASE}/openapi.json`, (_req, res) => {
        res.json(doc);
      });
      r.use(API_BASE, bearer(ctx));
      for (const route of routes) {
        r[route.method](`${API_BASE}${route.path}`, async (req, res) => {
          const user = res.locals.apiUser!;
          if (!can(user.role, route.permission)) throw new AppError('forbidden', `Your role (${user.role}) may not do this`);
          const out = await route.handle({ ctx, user, req, params: req.params as Record<string, string>, query: req.query as Record<string, unknown>, body: req.body ?? {} });
          res.status(route.status ?? 200).json(out);
        });
      }
      r.all(`${API_BASE}/{*rest}`, () => {
        throw new AppError('not_found', 'No such endpoint; see /api/v1/openapi.json');
      });
      return r;
    },
  };
}
