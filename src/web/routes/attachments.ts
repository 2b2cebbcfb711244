// Attachment downloads. Only images of safe types are ever shown inline; everything else is a
// download, under a sandboxing CSP, so a hostile file cannot run in the console's origin.
import { Router } from 'express';
import type { Ctx } from '../../actions/context.ts';
import { AppError } from '../../domain/errors.ts';
import { findAttachment } from '../../store/messages.ts';
import { intParam } from '../context.ts';
import { requirePermission } from '../middleware/auth.ts';
import { sendStoredFile } from '../send-stored-file.ts';

const INLINE_SAFE = /^image\/(png|jpeg|gif|webp)$/i;

export function attachmentRoutes(ctx: Ctx): Router {
  const r = Router();
  r.get('/attachments/:id', requirePermission('ticket.view'), async (req, res) => {
    const a = await findAttachment(ctx.db, intParam(req.params.id, 'Attachment'));
    if (!a || !(await ctx.files.has('files', a.sha256))) throw new AppError('not_found', 'Attachment not found');
    const inline = req.query.inline === '1' && INLINE_SAFE.test(a.contentType);
    if (inline) res.set('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(a.filename)}`);
    else res.attachment(a.filename);
    res.set({
      'Content-Type': inline ? a.contentType.toLowerCase() : 'application/octet-stream',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'private, max-age=86400',
      'Content-Length': String(a.size),
    });
    sendStoredFile(res, await ctx.files.stream('files', a.sha256), ctx.log, { attachmentId: a.id });
  });
  return r;
}
