// Route guards: signed in, and allowed by role.
import type { RequestHandler } from 'express';
import { can, type Permission } from '../../domain/permissions.ts';
import { AppError } from '../../domain/errors.ts';

export const requireUser: RequestHandler = (req, res, next) => {
  if (res.locals.web.user) return next();
  if (req.method === 'GET' && !req.get('HX-Request')) {
    return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
  }
  next(new AppError('unauthenticated', 'Sign in first'));
};

export function requirePermission(permission: Permission): RequestHandler {
  return (_req, res, next) => {
    const user = res.locals.web.user;
    if (!user) return next(new AppError('unauthenticated', 'Sign in first'));
    if (!can(user.role, permission)) return next(new AppError('forbidden', 'You are not allowed to do that'));
    next();
  };
}
