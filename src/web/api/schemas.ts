// The API's request and response shapes (zod). The routes validate with them and the OpenAPI
// document is generated from them, so the documentation cannot drift from the code; the API tests
// also check real responses against the response schemas.
import { z } from 'zod';
import { CATEGORIES, CHANNELS, LOCALES, PRIORITIES, STATUSES, TICKET_TYPES } from '../../db/schema.ts';
import { QUEUE_SORTS, QUEUE_VIEWS } from '../../domain/queue-query.ts';
import { SENDER_REASONS } from '../../domain/sender-trust.ts';
import { parseDateKey } from '../../domain/zoned-time.ts';
import { CALENDAR_FAMILIES, DEADLINE_KINDS } from '../../store/calendar-items.ts';
import { calendarFilters } from '../features/calendar/filters.ts';

const id = z.number().int().positive();
const time = z.string().describe('ISO 8601 time (UTC)');
const nullableTime = time.nullable();
/** An instant given in ISO 8601 with its offset (2026-12-11T17:00:00+03:00 or …Z), as milliseconds. */
const isoInstant = z.iso.datetime({ offset: true }).transform((v) => Date.parse(v));

// ---- requests ---------------------------------------------------------------------------------

const csv = (what: string) => z.string().optional().describe(`${what}; several values separated by commas`);

export const ticketListQuery = z.object({
  view: z.enum(QUEUE_VIEWS).optional().describe('queue: unassigned, mine, components (my components), sla (overdue and at risk), pending (pending requester), open (default), resolved, all'),
  status: csv(`status (${STATUSES.join(', ')})`),
  priority: csv(`priority (${PRIORITIES.join(', ')})`),
  type: csv(`type (${TICKET_TYPES.join(', ')})`),
  category: csv(`category (${CATEGORIES.join(', ')})`),
  channel: csv(`channel (${CHANNELS.join(', ')})`),
  component: csv('component id, or "none" for the tickets without one'),
  assignee: z.string().optional().describe('user id, "me" or "none"'),
  organization: z.string().optional().describe('organization id, or "none" for the tickets without one'),
  q: z.string().optional().describe('full-text search in subjects and messages; results come latest match first and ignore sort'),
  sort: z.enum(QUEUE_SORTS).optional().describe('updated (default), created, oldest, priority, due (SLA due first); resolved and all views sort by time only'),
  per_page: z.string().regex(/^\d+$/).optional().describe('1–100, default 25'),
  cursor: z.string().optional().describe('next_cursor from the previous page'),
});

/** The search: the list's filters, with the words and fields typed into `q` and an order instead of a sort. */
export const searchQuery = ticketListQuery.omit({ q: true, sort: true }).extend({
  q: z.string().max(200).describe('words, "quoted phrases", OR, -word and fields (status:open assignee:me org:romashka type:incident from:anna@client.example before:/after:YYYY-MM-DD); word forms in English and Russian are found'),
  order: z.enum(['relevance', 'date']).optional().describe('relevance (default: the best match first, recency breaking ties) or date (the latest match first)'),
});

export const ticketCreate = z.object({
  subject: z.string().trim().min(1).max(300),
  body: z.string().trim().min(1).max(100_000),
  requester_email: z.email(),
  requester_name: z.string().trim().max(200).optional(),
  priority: z.enum(PRIORITIES).optional(),
  type: z.enum(TICKET_TYPES).optional(),
  category: z.enum(CATEGORIES).optional(),
  component_id: id.optional(),
  channel: z.enum(['api', 'web', 'phone']).optional().describe('how the request came in; default api'),
});

export const ticketPatch = z
  .object({
    status: z.enum(STATUSES).optional(),
    reason: z.string().trim().max(2000).optional().describe('why the status changes (kept in the history)'),
    priority: z.enum(PRIORITIES).optional(),
    type: z.enum(TICKET_TYPES).optional(),
    category: z.enum(CATEGORIES).nullable().optional(),
    component_id: id.nullable().optional(),
    assignee_id: id.nullable().optional(),
    estimate_minutes: z.number().int().min(0).max(1_000_000).nullable().optional(),
    due_at: isoInstant.nullable().optional().describe('when the work is promised by; null clears it'),
    planned_at: isoInstant.nullable().optional().describe('when the assignee plans to do the work (for the estimate, or an hour); null clears it'),
  })
  .strict();

export const replyCreate = z.object({
  body: z.string().trim().min(1).max(100_000),
  cc: z.array(z.email()).max(20).optional().describe('email tickets only'),
  attachments: z
    .array(z.object({ filename: z.string().min(1).max(255), content_type: z.string().max(200).optional(), content_base64: z.string() }))
    .max(10)
    .optional(),
});

export const noteCreate = z.object({ body: z.string().trim().min(1).max(100_000) });

export const mergeCreate = z.object({
  into: z.number().int().positive().describe('the number of the ticket to merge this one into'),
  confirm: z.boolean().optional().describe('true to merge tickets of different requesters or organisations (otherwise 409 confirmation_required says who would see what)'),
});

export const worklogCreate = z.object({
  minutes: z.number().int().min(1).max(7 * 24 * 60),
  note: z.string().trim().max(2000).optional(),
  billable: z.boolean().optional().describe('default true'),
});

export const kbListQuery = z.object({
  q: z.string().optional().describe('words to find in titles and texts, by word forms in English and Russian (quotes, OR, -word, prefix*); the most relevant first'),
  category: z.string().regex(/^\d+$/).optional().describe('category id'),
  locale: z.enum(LOCALES).optional(),
  per_page: z.string().regex(/^\d+$/).optional().describe('1–100, default 25'),
});

export const contactListQuery = z.object({
  q: z.string().optional().describe('part of a name, email address or phone number'),
  organization: z.string().regex(/^\d+$/).optional(),
  per_page: z.string().regex(/^\d+$/).optional(),
  cursor: z.string().optional(),
});

const contactFields = {
  name: z.string().trim().min(1).max(200),
  emails: z.array(z.email()).max(10),
  phones: z.array(z.string()).max(10).describe('international form, e.g. +79123456789; national forms are read in SMS_DEFAULT_COUNTRY'),
  organization_id: id.nullable(),
  locale: z.enum(LOCALES).nullable(),
  note: z.string().max(5000).nullable(),
};

export const contactCreate = z.object(contactFields).partial().required({ name: true });
export const contactPatch = z.object(contactFields).partial().strict();

const contractFields = {
  monthly_fee_cents: z.number().int().min(0).nullable().describe('minor units: kopecks, cents'),
  currency: z.string().regex(/^[A-Za-z]{3}$/),
  included_minutes: z.number().int().min(0).nullable(),
  hourly_rate_cents: z.number().int().min(0).nullable(),
  reopen_limit: z.number().int().min(0).nullable(),
  reopen_window_days: z.number().int().min(0).nullable(),
  ticket_time_budget_minutes: z.number().int().min(0).nullable(),
  sla_policy_id: id.nullable(),
  covered_component_ids: z.array(id).nullable(),
  covered_channels: z.array(z.enum(CHANNELS)).nullable(),
};

const organizationFields = {
  name: z.string().trim().min(1).max(200),
  note: z.string().max(5000).nullable(),
  domains: z.array(z.string()).max(50),
  contract: z.object(contractFields).partial(),
};

export const organizationCreate = z.object(organizationFields).partial().required({ name: true });
export const organizationPatch = z.object(organizationFields).partial().strict();

// ---- responses --------------------------------------------------------------------------------

export const ticketOut = z.object({
  id,
  number: id,
  subject: z.string(),
  status: z.enum(STATUSES),
  priority: z.enum(PRIORITIES),
  type: z.enum(TICKET_TYPES),
  category: z.enum(CATEGORIES).nullable(),
  channel: z.enum(CHANNELS),
  component_id: id.nullable(),
  requester_id: id.nullable(),
  organization_id: id.nullable(),
  assignee_id: id.nullable(),
  estimate_minutes: z.number().int().nullable(),
  due_at: nullableTime.describe('when the work is promised by'),
  planned_at: nullableTime.describe('when the assignee plans to do the work'),
  logged_minutes: z.number().int(),
  reopen_count: z.number().int(),
  merged_into_id: id.nullable(),
  sla: z.object({
    first_response_due_at: nullableTime,
    first_responded_at: nullableTime,
    next_response_due_at: nullableTime,
    resolution_due_at: nullableTime,
    paused_at: nullableTime,
    next_due_at: nullableTime.describe('the earliest SLA time still pending'),
  }),
  created_at: time,
  updated_at: time,
  resolved_at: nullableTime,
  closed_at: nullableTime,
  url: z.string(),
});

export const messageOut = z.object({
  id,
  kind: z.enum(['reply', 'note', 'event']),
  direction: z.enum(['in', 'out', 'internal']),
  channel: z.enum(CHANNELS),
  author_user_id: id.nullable(),
  author_contact_id: id.nullable(),
  from: z.string().nullable(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  subject: z.string().nullable(),
  body: z.string(),
  new_text: z.string().nullable().describe('the message without quoted history and signature'),
  html: z.string().nullable().describe('sanitized HTML of mail (sanitized again when read, with the current rules)'),
  is_auto_reply: z.boolean(),
  sender_check: z
    .object({ verdict: z.enum(['verified', 'unverified', 'unknown']), reason: z.enum(SENDER_REASONS), method: z.enum(['mailauth', 'authserv']), claims_agent: z.boolean() })
    .nullable()
    .describe('inbound mail: whether the desk could verify the From address (null: not checked)'),
  delivery_status: z.enum(['queued', 'sent', 'delivered', 'failed', 'skipped']).nullable(),
  event_type: z.string().nullable(),
  event_data: z.record(z.string(), z.unknown()).nullable(),
  attachments: z.array(z.object({ id, filename: z.string(), content_type: z.string(), size: z.number().int(), url: z.string() })),
  created_at: time,
});

export const ticketWithMessagesOut = ticketOut.extend({ messages: z.array(messageOut) });

export const contactOut = z.object({
  id,
  name: z.string(),
  emails: z.array(z.string()),
  phones: z.array(z.string()),
  organization_id: id.nullable(),
  locale: z.enum(LOCALES).nullable(),
  note: z.string().nullable(),
  created_at: time,
  updated_at: time,
});

export const organizationOut = z.object({
  id,
  name: z.string(),
  note: z.string().nullable(),
  domains: z.array(z.string()),
  contract: z.object({ ...contractFields, currency: z.string() }),
  created_at: time,
  updated_at: time,
});

export const worklogOut = z.object({
  id,
  ticket_id: id,
  user_id: id.nullable(),
  minutes: z.number().int(),
  note: z.string().nullable(),
  billable: z.boolean(),
  worked_at: time,
  created_at: time,
});

export const kbArticleOut = z.object({
  id,
  title: z.string(),
  body: z.string().describe('Markdown'),
  html: z.string().describe('the Markdown rendered and sanitised'),
  category_id: id.nullable(),
  visibility: z.enum(['internal', 'public']),
  status: z.enum(['draft', 'published']),
  locale: z.enum(LOCALES),
  translation_group: id.nullable().describe('articles with the same group are translations of each other'),
  views: z.number().int(),
  helpful: z.number().int(),
  unhelpful: z.number().int(),
  deflections: z.number().int().describe('requests not sent because the article answered them'),
  created_at: time,
  updated_at: time,
  published_at: nullableTime,
  url: z.string(),
});

export const meOut = z.object({ id, email: z.string(), name: z.string(), role: z.enum(['admin', 'manager', 'agent']), locale: z.enum(LOCALES), time_zone: z.string() });

export const errorOut = z.object({
  error: z.object({
    code: z.string().describe('stable: unauthenticated, forbidden, not_your_ticket, not_found, validation, transition_refused, conflict, confirmation_required, rate_limited, invalid_json, too_large, bad_request, internal'),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional().describe('for validation: a message per field'),
    who_sees_what: z.array(z.string()).optional().describe('for confirmation_required: who would see which conversation'),
  }),
});

export const searchHitOut = z.object({
  ticket: ticketOut,
  message_id: id.nullable().describe('the message the words were found in; null when they were found in the subject, or fields alone were searched'),
  subject_html: z.string().describe('the subject, HTML-escaped, with the matched words in <mark>'),
  snippet_html: z.string().nullable().describe('the words around the match, HTML-escaped, with the matched words in <mark>'),
});

const day = z.string().refine((v) => parseDateKey(v) !== undefined, 'A date as YYYY-MM-DD');

/** The calendar: the page's filters over days in the user's time zone. */
export const calendarQuery = calendarFilters.extend({
  from: day.describe('the first day (YYYY-MM-DD, in the token user\'s time zone)'),
  to: day.describe('the last day, included (YYYY-MM-DD); at most 92 days after from'),
});

export const calendarItemOut = z.object({
  at: time.describe('when: the due date, the start of planned work, or the deadline'),
  kind: z.enum([...DEADLINE_KINDS, 'due', 'planned']).describe('first_response, next_response, resolution (the SLA deadlines), due or planned'),
  family: z.enum(CALENDAR_FAMILIES).describe('what the console marks it as: due, planned or sla'),
  minutes: z.number().int().nullable().describe('planned work\'s length (the estimate, or 60); null for the other kinds'),
  ticket_number: id,
  subject: z.string(),
  priority: z.enum(PRIORITIES),
  assignee_id: id.nullable(),
  assignee: z.string().nullable().describe('the assignee\'s name'),
  component_id: id.nullable(),
  component: z.string().nullable(),
  organization_id: id.nullable(),
  organization: z.string().nullable(),
  url: z.string(),
});

export const calendarOut = z.object({
  data: z.array(calendarItemOut).describe('earliest first'),
  from: time,
  to: time.describe('the end of the last day (excluded)'),
  truncated: z.boolean().describe('true when there were more items than the 2,000 given: narrow the filters or the days'),
});

export const one = <T extends z.ZodTypeAny>(schema: T) => z.object({ data: schema });
export const page = <T extends z.ZodTypeAny>(schema: T) => z.object({ data: z.array(schema), next_cursor: z.string().nullable() });
