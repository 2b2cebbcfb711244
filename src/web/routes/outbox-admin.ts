// Admin → Outbox: what the desk is sending, what waits and why, what failed or was skipped; retry,
// discard, and the send limits of the loop backstop.
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { discardOutbox, retryAllDead, retryOutbox, updateOutboxSettings } from '../../actions/outbox.ts';
import { getOutboxSettings } from '../../outbox/settings.ts';
import { AppError } from '../../domain/errors.ts';
import { countOutboxByStatus, listOutbox, type OutboxStatus } from '../../store/outbox.ts';
import { findTicketByNumber } from '../../store/tickets.ts';
import type { WebRouter } from '../app.ts';
import { currentUser, intParam } from '../context.ts';
import { requirePermission } from '../middleware/auth.ts';
import { redirectWithFlash } from '../render.ts';
import { channelBanners, limitTiers, outboxRows, type BannerSender } from '../view-models/outbox.ts';

const PAGE_SIZE = 50;
export const OUTBOX_VIEWS: Record<string, OutboxStatus[]> = {
  waiting: ['pending', 'sending'],
  failed: ['dead'],
  skipped: ['skipped'],
  sent: ['sent'],
  discarded: ['discarded'],
};

function backTo(req: Request): string {
  const back = (req.body as Record<string, string> | undefined)?.back ?? '';
  return /^\/admin\/outbox(\?[\w=&%.-]*)?$/.test(back) ? back : '/admin/outbox';
}

/** `senders`: the desk's channel senders, each of which gets its banner on the page. */
export function outboxAdminRouter(ctx: Ctx, senders: readonly BannerSender[]): WebRouter {
  return {
    auth: 'user',
    build({ render }) {
      const r = Router();
      r.use('/admin/outbox', requirePermission('outbox.manage'));

      const page = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
        const view = Object.hasOwn(OUTBOX_VIEWS, String(req.query.view)) ? String(req.query.view) : 'waiting';
        const before = typeof req.query.before === 'string' && /^\d+$/.test(req.query.before) ? Number(req.query.before) : undefined;
        const ticketNumber = typeof req.query.ticket === 'string' && /^\d+$/.test(req.query.ticket) ? Number(req.query.ticket) : undefined;
        const ticket = ticketNumber !== undefined ? await findTicketByNumber(ctx.db, ticketNumber) : undefined;
        if (ticketNumber !== undefined && !ticket) throw new AppError('not_found', 'Ticket not found');
        const rows = await listOutbox(ctx.db, { statuses: OUTBOX_VIEWS[view], ticketId: ticket?.id }, { limit: PAGE_SIZE + 1, before });
        const pageRows = rows.slice(0, PAGE_SIZE);
        const counts = await countOutboxByStatus(ctx.db, ['pending', 'sending', 'dead', 'skipped', 'discarded'], { ticketId: ticket?.id });
        const query = (more: Record<string, string | number>) =>
          `/admin/outbox?${new URLSearchParams({ view, ...(ticketNumber ? { ticket: String(ticketNumber) } : {}), ...Object.fromEntries(Object.entries(more).map(([k, v]) => [k, String(v)])) })}`;
        render(req, res, 'outbox', {
          title: 'Outbox',
          view,
          ticketNumber: ticketNumber ?? null,
          views: Object.keys(OUTBOX_VIEWS).map((id) => ({
            id, active: id === view,
            href: `/admin/outbox?${new URLSearchParams({ view: id, ...(ticketNumber ? { ticket: String(ticketNumber) } : {}) })}`,
            count: id === 'waiting' ? (counts.pending ?? 0) + (counts.sending ?? 0) : id === 'failed' ? counts.dead : id === 'sent' ? null : counts[id as OutboxStatus],
          })),
          rows: await outboxRows(ctx.db, pageRows),
          nextHref: rows.length > PAGE_SIZE ? query({ before: pageRows[pageRows.length - 1].id }) : null,
          firstHref: before !== undefined ? query({}) : null,
          here: req.originalUrl,
          banners: await channelBanners(ctx.db, senders),
          deadCount: counts.dead ?? 0,
          limits: await limitTiers(ctx.db),
          quoteHistory: (await getOutboxSettings(ctx.db)).quoteHistory,
          ...extra,
        }, { partial: 'outbox-list', status });
      };

      r.get('/admin/outbox', async (req, res) => await page(req, res));

      r.post('/admin/outbox/retry-dead', async (req, res) => {
        await retryAllDead(ctx, { kind: 'user', user: currentUser(res) });
        redirectWithFlash(res, backTo(req), 'outbox.flash.retriedAll');
      });

      r.post('/admin/outbox/settings', async (req, res) => {
        try {
          await updateOutboxSettings(ctx, { kind: 'user', user: currentUser(res) }, req.body as Record<string, unknown>);
        } catch (err) {
          if (err instanceof AppError && err.code === 'validation') {
            return await page(req, res, { settingsErrors: err.details.fields, settingsError: err.message }, 422);
          }
          throw err;
        }
        redirectWithFlash(res, '/admin/outbox#settings', 'outbox.flash.settingsSaved');
      });

      r.post('/admin/outbox/:id/retry', async (req, res) => {
        await retryOutbox(ctx, { kind: 'user', user: currentUser(res) }, intParam(req.params.id, 'Outbox entry'));
        redirectWithFlash(res, backTo(req), 'outbox.flash.retried');
      });

      r.post('/admin/outbox/:id/discard', async (req, res) => {
        await discardOutbox(ctx, { kind: 'user', user: currentUser(res) }, intParam(req.params.id, 'Outbox entry'));
        redirectWithFlash(res, backTo(req), 'outbox.flash.discarded');
      });
      return r;
    },
  };
}

