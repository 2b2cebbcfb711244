// Admin → Sign-in locks: accounts and network addresses locked out by failed sign-ins, and a
// button to lift a lock.
import { Router } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { liftSignInLock } from '../../actions/sign-in.ts';
import { lockEndsAt, windowStart } from '../../domain/sign-in-throttle.ts';
import { listSignInLocks } from '../../store/sign-in-failures.ts';
import { findUserByEmail } from '../../store/users.ts';
import { currentUser } from '../context.ts';
import { str, type Body } from '../forms.ts';
import { requirePermission } from '../middleware/auth.ts';
import { redirectWithFlash, type Renderer } from '../render.ts';

function locksVM(ctx: Ctx) {
  const limits = ctx.config.signIn;
  const locks = listSignInLocks(ctx.db, windowStart(ctx.clock.now(), limits), { account: limits.failuresPerAccount, ip: limits.failuresPerIp });
  return locks.map((l) => {
    const user = l.scope === 'account' ? findUserByEmail(ctx.db, l.key) : undefined;
    return { ...l, isAccount: l.scope === 'account', userId: user?.id, userName: user?.name, until: lockEndsAt(l.firstAt, limits) };
  });
}

export function signInLockRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  const limits = ctx.config.signIn;

  r.get('/admin/sign-in-locks', requirePermission('user.manage'), (req, res) => {
    render(req, res, 'sign-in-locks', {
      locks: locksVM(ctx),
      perAccount: limits.failuresPerAccount,
      perIp: limits.failuresPerIp,
      minutes: Math.round(limits.windowMs / 60_000),
    });
  });

  r.post('/admin/sign-in-locks/lift', requirePermission('user.manage'), (req, res) => {
    const body = req.body as Body;
    liftSignInLock(ctx, currentUser(res), { scope: str(body, 'scope'), key: str(body, 'key') });
    redirectWithFlash(res, '/admin/sign-in-locks', 'signin.lifted');
  });
  return r;
}
