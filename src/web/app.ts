// The web console and its HTTP endpoints, built from the services (no listen here).
import express, { type Express, type Router } from 'express';
import { deskProof, isChallenge } from '../domain/desk-proof.ts';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { fileURLToPath } from 'node:url';
import type { Ctx } from '../actions/context.ts';
import { countUsers } from '../store/users.ts';
import { createTranslator } from './i18n.ts';
import { createViews } from './views.ts';
import { createRenderer, type NavLink, type Renderer } from './render.ts';
import { sessionMiddleware } from './middleware/session.ts';
import { csrfMiddleware } from './middleware/csrf.ts';
import { consoleCookies } from './cookies.ts';
import { requireUser } from './middleware/auth.ts';
import { errorHandler } from './middleware/errors.ts';
import { authRoutes } from './routes/auth.ts';
import { attachmentRoutes } from './routes/attachments.ts';
import { consoleRouters } from './routes/console.ts';
import { AppError } from '../domain/errors.ts';
import type { Locale } from '../domain/vocabulary.ts';
import type { Tree } from '../i18n/locales.ts';

const PUBLIC_DIR = fileURLToPath(new URL('../../public', import.meta.url));
const HTMX_DIR = fileURLToPath(new URL('../../node_modules/htmx.org/dist', import.meta.url));

export type WebRouter = {
  /** 'public' routers (requester portal, API with its own auth) are mounted before the sign-in
   * check and must guard themselves; 'user' routers only see signed-in users; 'webhook' routers
   * (provider callbacks that prove themselves by signature) come before cookies, sessions and
   * CSRF, which they have no use for, so they stay cheap under load (channels contribute theirs as
   * ChannelWebhooks, src/channels/channel.ts, which may not import the web) */
  auth: 'public' | 'user' | 'webhook';
  build(parts: { render: Renderer }): Router;
};

export type WebOptions = {
  routers?: WebRouter[];
  /** links in the console's top navigation, shown to roles with the permission */
  nav?: NavLink[];
  /** pages kept outside views/ (each report's, in its folder): page name → .hbs file */
  pages?: Record<string, string>;
  /** strings added to the console's, per language (each report's, under reports.<id>) */
  strings?: Partial<Record<Locale, Tree>>;
};

export async function createApp(ctx: Ctx, opts: WebOptions = {}): Promise<Express> {
  const app = express();
  const cookies = consoleCookies(ctx.config);
  const translator = await createTranslator(opts.strings);
  const views = createViews({ cache: ctx.config.env !== 'development', pages: opts.pages });
  const render = createRenderer(ctx, views, opts.nav ?? []);

  app.disable('x-powered-by');
  // pages are built per user and request: an ETag would hash every page and never match
  // (static files keep theirs: express.static sets its own)
  app.set('etag', false);
  app.set('trust proxy', ctx.config.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
        },
      },
      hsts: cookies.secure,
      crossOriginEmbedderPolicy: false,
    }),
  );
  // ?challenge= asks this desk to prove itself (the start check of PUBLIC_URL, roles/public-url-check.ts)
  app.get('/healthz', (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json(isChallenge(req.query.challenge) ? { ok: true, proof: deskProof(ctx.secrets.session, req.query.challenge) } : { ok: true });
  });
  app.use('/static/htmx', express.static(HTMX_DIR, { maxAge: '7d', index: false }));
  app.use('/static', express.static(PUBLIC_DIR, { maxAge: ctx.config.env === 'production' ? '1h' : 0, index: false }));

  app.use(express.urlencoded({ extended: false, limit: '2mb' }));
  // API replies may carry base64 attachments up to MAX_ATTACHMENT_BYTES each
  app.use('/api', express.json({ limit: Math.ceil(ctx.config.limits.attachmentBytes * 1.4) + 1024 * 1024 }));
  app.use(express.json({ limit: '2mb' }));
  for (const r of opts.routers ?? []) if (r.auth === 'webhook') app.use(r.build({ render }));
  app.use(cookieParser(ctx.secrets.session));
  app.use(sessionMiddleware(ctx, translator, cookies));
  app.use(
    csrfMiddleware({
      secret: ctx.secrets.session,
      cookies,
      // bearer-token API calls and provider webhooks carry no cookies and prove themselves otherwise
      skip: (req) => req.path.startsWith('/api/') || req.path.startsWith('/webhooks/'),
      uploadBytes: ctx.config.limits.attachmentBytes,
      uploadTotalBytes: ctx.config.limits.mailBytes,
    }),
  );

  app.get('/', async (_req, res) => {
    // staff's home is their dashboard (sign-in comes first for someone not signed in)
    res.redirect(303, await countUsers(ctx.db) === 0 ? '/setup' : '/dashboard');
  });
  app.use(await authRoutes(ctx, render, cookies));
  for (const r of opts.routers ?? []) if (r.auth === 'public') app.use(r.build({ render }));
  app.use(requireUser);
  for (const router of consoleRouters(ctx, render)) app.use(router);
  app.use(attachmentRoutes(ctx));
  for (const r of opts.routers ?? []) if (r.auth === 'user') app.use(r.build({ render }));
  app.use((_req, _res, next) => next(new AppError('not_found', 'Page not found')));
  app.use(errorHandler(render, ctx.log));
  return app;
}
