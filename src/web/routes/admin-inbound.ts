// The quarantine console: quarantined and ignored inbound mail with the reason, the raw file to
// download, one-click reprocessing. The raw original is also offered to agents on its ticket.
import { Router, type Request } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { reprocessAllQuarantined, reprocessInbound } from '../../actions/inbound.ts';
import { can } from '../../domain/permissions.ts';
import type { Intake } from '../../intake/receive.ts';
import { AppError } from '../../domain/errors.ts';
import { countInboundByOutcome, findInbound, INBOUND_VIEWS, listInboundView, type InboundView } from '../../store/inbound.ts';
import { listMailboxes } from '../../store/mailboxes.ts';
import { currentUser, intParam } from '../context.ts';
import { requirePermission } from '../middleware/auth.ts';
import { redirectWithFlash, type Renderer } from '../render.ts';
import { sendStoredFile } from '../send-stored-file.ts';
import { inboundRow } from '../view-models/intake.ts';

const PAGE_SIZE = 50;

function backTo(req: Request): string {
  const view = String((req.body as Record<string, string> | undefined)?.view ?? '');
  return (INBOUND_VIEWS as readonly string[]).includes(view) ? `/admin/inbound?view=${view}` : '/admin/inbound';
}

export function inboundRoutes(ctx: Ctx, intake: Intake, render: Renderer): Router {
  const r = Router();

  r.get('/admin/inbound', requirePermission('inbound.manage'), async (req, res) => {
    const view = ((INBOUND_VIEWS as readonly string[]).includes(String(req.query.view)) ? String(req.query.view) : 'quarantined') as InboundView;
    const before = typeof req.query.before === 'string' && /^\d{1,12}$/.test(req.query.before) ? Number(req.query.before) : undefined;
    const rows = await listInboundView(ctx.db, view, { limit: PAGE_SIZE + 1, before });
    const page = rows.slice(0, PAGE_SIZE);
    const names = new Map((await listMailboxes(ctx.db)).map((m) => [m.id, m.name]));
    render(req, res, 'admin-inbound', {
      title: res.locals.web.t('intake.inbound.title'),
      view,
      views: INBOUND_VIEWS.map((v) => ({ id: v, active: v === view })),
      rows: page.map((row) => inboundRow(row, names)),
      quarantinedCount: await countInboundByOutcome(ctx.db, 'quarantined'),
      nextBefore: rows.length > PAGE_SIZE ? page[page.length - 1].id : null,
      isFirstPage: before === undefined,
    }, { partial: 'inbound-list' });
  });

  r.post('/admin/inbound/:id/reprocess', requirePermission('inbound.manage'), async (req, res) => {
    const id = intParam(req.params.id, 'Inbound message');
    if (!await findInbound(ctx.db, id)) throw new AppError('not_found', 'Inbound message not found');
    const result = await reprocessInbound(ctx, intake, currentUser(res), id);
    const flash = result.outcome === 'quarantined' ? 'intake.inbound.stillQuarantined' : result.ticketId ? 'intake.inbound.reprocessedTicket' : 'intake.inbound.reprocessed';
    redirectWithFlash(res, backTo(req), flash);
  });

  r.post('/admin/inbound/reprocess-all', requirePermission('inbound.manage'), async (req, res) => {
    const { tried, released } = await reprocessAllQuarantined(ctx, intake, currentUser(res));
    redirectWithFlash(res, backTo(req), tried === 0 ? 'intake.inbound.nothingQuarantined' : released === tried ? 'intake.inbound.allReleased' : 'intake.inbound.someStillQuarantined');
  });

  // The mail exactly as it arrived. A download, never shown: it is untrusted content.
  r.get('/inbound/:id/raw', async (req, res) => {
    const rec = await findInbound(ctx.db, intParam(req.params.id, 'Inbound message'));
    const user = currentUser(res);
    const allowed = can(user.role, 'inbound.manage') || (rec?.ticketId != null && can(user.role, 'ticket.view'));
    if (!rec) throw new AppError('not_found', 'Inbound message not found');
    if (!allowed) throw new AppError('forbidden', 'You are not allowed to do that');
    if (!(await ctx.files.has('raw', rec.rawSha256))) throw new AppError('not_found', 'The original mail is missing from the archive');
    res.attachment(`inbound-${rec.id}.eml`);
    res.set({
      'Content-Type': 'application/octet-stream',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
      'Content-Length': String(rec.rawSize),
    });
    sendStoredFile(res, await ctx.files.stream('raw', rec.rawSha256), ctx.log, { inboundId: rec.id });
  });

  return r;
}
