// The admin's getting-started checklist: its own page, and hiding it from the queue page.
import { Router } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { gettingStarted, hideGettingStarted } from '../../actions/getting-started.ts';
import { currentUser } from '../context.ts';
import { requirePermission } from '../middleware/auth.ts';
import { redirectWithFlash, type Renderer } from '../render.ts';

export function gettingStartedRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  r.get('/admin/getting-started', requirePermission('settings.manage'), async (req, res) => {
    render(req, res, 'getting-started', { start: await gettingStarted(ctx, currentUser(res)), full: true });
  });
  r.post('/admin/getting-started/hide', requirePermission('settings.manage'), async (_req, res) => {
    await hideGettingStarted(ctx, currentUser(res), true);
    redirectWithFlash(res, '/tickets', 'start.hidden');
  });
  r.post('/admin/getting-started/show', requirePermission('settings.manage'), async (_req, res) => {
    await hideGettingStarted(ctx, currentUser(res), false);
    redirectWithFlash(res, '/tickets');
  });
  return r;
}
