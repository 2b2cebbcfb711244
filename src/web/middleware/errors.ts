// The one error translator: domain errors and HTTP errors become a status and an error page
// (or a JSON body on the API).
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError, type ErrorCode } from '../../domain/errors.ts';
import type { Renderer } from '../render.ts';
import { isHtmx } from '../context.ts';

const STATUS: Record<ErrorCode, number> = {
  not_found: 404,
  forbidden: 403,
  not_your_ticket: 403,
  unauthenticated: 401,
  validation: 422,
  conflict: 409,
  confirmation_required: 409,
  rate_limited: 429,
  transition_refused: 422,
  temporary: 503,
};

export function errorHandler(render: Renderer, log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let status = 500;
    let code = 'internal';
    let message = 'Something went wrong on our side. It has been logged.';
    let details: Record<string, unknown> = {};
    if (err instanceof AppError) {
      status = STATUS[err.code];
      code = err.code;
      message = err.message;
      details = err.details;
    } else if (err?.code === 'EBADCSRFTOKEN') {
      status = 403;
      code = 'csrf';
      message = 'The form expired or came from another site. Reload the page and try again.';
    } else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
      status = err.status;
      code = err.type === 'entity.parse.failed' ? 'invalid_json' : err.type === 'entity.too.large' ? 'too_large' : 'bad_request';
      message = err.expose ? err.message : 'Bad request';
    } else {
      log.error({ err, url: req.originalUrl }, 'request failed');
    }
    if (res.headersSent) return;
    if (req.path.startsWith('/api/')) {
      res.status(status).json({ error: { code, message, ...details } });
      return;
    }
    if (!res.locals.web) {
      res.status(status).type('text').send(message);
      return;
    }
    // htmx requests for a region get the message swapped into the page's flash region instead
    if (isHtmx(req)) res.set('HX-Retarget', '#flash').set('HX-Reswap', 'innerHTML');
    // a code with a console text (error.code.<code>) is shown in the reader's language
    const shown = res.locals.web.t(`error.code.${code}`, { ...details, defaultValue: message });
    render(req, res, 'error', { status, code, message: shown }, { status, partial: 'flash-error' });
  };
}
