// Domain errors with stable codes; the web layer maps them to statuses in one place.
export type ErrorCode =
  | 'not_found'
  | 'forbidden'
  /** the role may do it, but not on this ticket (domain/ticket-rights.ts) */
  | 'not_your_ticket'
  | 'unauthenticated'
  | 'validation'
  | 'conflict'
  /** the change shows something to someone new: send it again with confirm */
  | 'confirmation_required'
  | 'rate_limited'
  | 'transition_refused'
  | 'temporary';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const forbidden = (message = 'You are not allowed to do that') => new AppError('forbidden', message);
export const invalid = (message: string, fields: Record<string, string> = {}) =>
  new AppError('validation', message, { fields });
