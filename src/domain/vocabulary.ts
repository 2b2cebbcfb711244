// The words every room shares: roles, locales, ticket statuses, priorities, types, categories,
// channels, message kinds and directions. The database schema stores them; nothing here does I/O.
export const ROLES = ['admin', 'manager', 'agent'] as const;
export type Role = (typeof ROLES)[number];
export const LOCALES = ['en', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];
export const STATUSES = [
  'new', 'triaged', 'assigned', 'in_progress', 'pending_requester', 'pending_third_party',
  'resolved', 'closed', 'reopened',
] as const;
export type TicketStatus = (typeof STATUSES)[number];
/** A finished ticket's statuses: resolved, and closed after it. */
export const CLOSED_STATUSES: TicketStatus[] = ['resolved', 'closed'];
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const TICKET_TYPES = ['incident', 'service_request', 'problem', 'project'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];
export const CATEGORIES = ['fault', 'consultation', 'enhancement'] as const;
export type Category = (typeof CATEGORIES)[number];
/** tickets.sla_due_key when no SLA time is pending */
export const SLA_NONE = 9007199254740991;
export const CHANNELS = ['email', 'sms', 'web', 'api', 'phone'] as const;
export type Channel = (typeof CHANNELS)[number];
export const MESSAGE_KINDS = ['reply', 'note', 'event'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];
export const DIRECTIONS = ['in', 'out', 'internal'] as const;
export type Direction = (typeof DIRECTIONS)[number];
export const API_TOKEN_SCOPES = ['full', 'read'] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];
/** who may read a knowledge-base article: staff only, or requesters too */
export const KB_VISIBILITIES = ['internal', 'public'] as const;
export type KbVisibility = (typeof KB_VISIBILITIES)[number];
export const KB_STATUSES = ['draft', 'published'] as const;
export type KbStatus = (typeof KB_STATUSES)[number];
