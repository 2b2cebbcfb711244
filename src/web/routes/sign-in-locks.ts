// Admin → Sign-in locks: accounts and network addresses locked out by failed sign-ins, and a
// button to lift a lock.
import { Router } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { currentSignInLocks, liftSignInLock } from '../../actions/sign-in.ts';
import { findUserByEmail } from '../../store/users.ts';
import { currentUser } from '../context.ts';
import { str, type Body } from '../forms.ts';
import { requirePermission } from '../middleware/auth.ts';
import { redirectWithFlash, type Renderer } from '../render.ts';

async function locksVM(ctx: Ctx) {
  return await Promise.all((await currentSignInLocks(ctx)).map(async (l) => {
    const user = l.scope === 'account' ? await findUserByEmail(ctx.db, l.key) : undefined;
    return { ...l, isAccount: l.scope === 'account', userId: user?.id, userName: user?.name };
  }));
}

export function signInLockRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  const limits = ctx.config.signIn;

  r.get('/admin/sign-in-locks', requirePermission('user.manage'), async (req, res) => {
    render(req, res, 'sign-in-locks', {
      locks: await locksVM(ctx),
      perAccount: limits.failuresPerAccount,
      perIp: limits.failuresPerIp,
      minutes: Math.round(limits.windowMs / 60_000),
    });
  });

  r.post('/admin/sign-in-locks/lift', requirePermission('user.manage'), async (req, res) => {
    const body = req.body as Body;
    await liftSignInLock(ctx, currentUser(res), { scope: str(body, 'scope'), key: str(body, 'key') });
    redirectWithFlash(res, '/admin/sign-in-locks', 'signin.lifted');
  });
  return r;
}
