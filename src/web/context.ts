// The per-request state every route and view reads: who is signed in, their language and zone.
import type { Request, Response } from 'express';
import type { TFunction } from 'i18next';
import type { Locale } from '../db/schema.ts';
import type { User } from '../store/users.ts';
import { AppError } from '../domain/errors.ts';

export type WebState = {
  user: User | null;
  sessionId: string | null;
  locale: Locale;
  timeZone: string;
  t: TFunction;
  csrfToken: () => string;
};

declare module 'express-serve-static-core' {
  interface Locals {
    web: WebState;
  }
}

export function web(res: Response): WebState {
  return res.locals.web;
}

/** The signed-in user; routes behind requireUser can rely on it. */
export function currentUser(res: Response): User {
  const u = res.locals.web.user;
  if (!u) throw new AppError('unauthenticated', 'Sign in first');
  return u;
}

export function isHtmx(req: Request): boolean {
  // boosted links and forms and history restores want the whole page
  return req.get('HX-Request') === 'true' && req.get('HX-Boosted') !== 'true' && req.get('HX-History-Restore-Request') !== 'true';
}

/** Express 5 params are strings; a route id that is not a positive integer is simply not found. */
export function intParam(value: string | string[] | undefined, what = 'Page'): number {
  const s = Array.isArray(value) ? value[0] : value;
  if (!s || !/^\d{1,12}$/.test(s)) throw new AppError('not_found', `${what} not found`);
  return Number(s);
}
