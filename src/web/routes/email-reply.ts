// Reply by email from the console: the composer page for a mail (or web) ticket and the POST that
// stores the reply through replyToTicket; the notification rules put it in the outbox.
import { Router, type Request, type Response } from 'express';
import multer from 'multer';
import type { Ctx } from '../../actions/context.ts';
import { replyToTicket } from '../../actions/tickets.ts';
import { requesterAddress } from '../../outbox/notification-rules.ts';
import { getOutboxSettings } from '../../outbox/settings.ts';
import { AppError } from '../../store/errors.ts';
import { listParticipants, findTicketByNumber, type Ticket } from '../../store/tickets.ts';
import type { WebRouter } from '../app.ts';
import { currentUser, intParam } from '../context.ts';
import { requirePermission } from '../middleware/auth.ts';
import { redirectWithFlash, type Renderer } from '../render.ts';

const MAX_FILES = 10;

export function emailReplyRouter(ctx: Ctx): WebRouter {
  const upload = multer({
    storage: multer.memoryStorage(),
    defParamCharset: 'utf8', // browsers send file names as raw UTF-8
    limits: { fileSize: ctx.config.limits.attachmentBytes, files: MAX_FILES, fields: 20, fieldSize: 200_000 },
  }).array('attachments', MAX_FILES);

  const ticketOf = (req: Request): Ticket => {
    const t = findTicketByNumber(ctx.db, intParam(req.params.number, 'Ticket'));
    if (!t) throw new AppError('not_found', 'Ticket not found');
    if (t.channel === 'sms') throw new AppError('conflict', 'This is an SMS ticket: answer it by SMS from the ticket page.');
    return t;
  };

  const form = (render: Renderer, req: Request, res: Response, t: Ticket, values: Record<string, string>, error: string | null, status = 200) => {
    const to = requesterAddress(ctx.db, t);
    render(req, res, 'email-reply', {
      title: `#${t.number}`,
      ticket: { number: t.number, subject: t.subject },
      to: to?.address ?? null,
      cc: values.cc ?? listParticipants(ctx.db, t.id).filter((a) => a.includes('@') && a !== to?.address).join(', '),
      body: values.body ?? '',
      error,
      quoteHistory: getOutboxSettings(ctx.db).quoteHistory,
      smtpConfigured: !!ctx.config.smtp,
      maxFiles: MAX_FILES,
      maxMb: Math.round(ctx.config.limits.attachmentBytes / 1048576),
    }, { status });
  };

  return {
    auth: 'user',
    build({ render }) {
      const r = Router();
      r.get('/tickets/:number/reply', requirePermission('ticket.reply'), (req, res) => {
        form(render, req, res, ticketOf(req), {}, null);
      });

      r.post('/tickets/:number/replies', requirePermission('ticket.reply'), async (req, res) => {
        const t = ticketOf(req);
        try {
          await new Promise<void>((resolve, reject) => upload(req, res, (err: unknown) => (err ? reject(err) : resolve())));
        } catch (err) {
          if (err instanceof multer.MulterError) {
            const why = err.code === 'LIMIT_FILE_SIZE' ? `A file is larger than the ${Math.round(ctx.config.limits.attachmentBytes / 1048576)} MB limit.` : err.code === 'LIMIT_FILE_COUNT' || err.code === 'LIMIT_UNEXPECTED_FILE' ? `Attach at most ${MAX_FILES} files.` : err.message;
            return form(render, req, res, t, (req.body ?? {}) as Record<string, string>, why, 422);
          }
          throw err;
        }
        const body = (req.body ?? {}) as Record<string, string>;
        const files = (req.files ?? []) as Express.Multer.File[];
        try {
          replyToTicket(ctx, { kind: 'user', user: currentUser(res) }, {
            ticketId: t.id,
            body: body.body ?? '',
            cc: (body.cc ?? '').split(/[\s,;]+/).filter(Boolean),
            attachments: files.filter((f) => f.size > 0).map((f) => ({ filename: f.originalname, contentType: f.mimetype, content: f.buffer })),
          });
        } catch (err) {
          if (err instanceof AppError && err.code === 'validation') return form(render, req, res, t, body, err.message, 422);
          throw err;
        }
        redirectWithFlash(res, `/tickets/${t.number}`, ctx.config.smtp ? 'outbox.reply.queued' : 'outbox.reply.queuedNoSmtp');
      });
      return r;
    },
  };
}
