// The database schema. drizzle-kit generates migrations/sqlite/ from this file (and, through
// schema-postgres.ts, migrations/postgres/); FTS tables and their
// triggers live in a custom migration because drizzle-kit cannot describe virtual tables.
// Times are integer milliseconds since the epoch (UTC); money is integer minor units (kopecks, cents).
import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, blob, index, uniqueIndex, primaryKey, foreignKey } from 'drizzle-orm/sqlite-core';
import { type Channel, ROLES, LOCALES, STATUSES, PRIORITIES, TICKET_TYPES, CATEGORIES, CHANNELS, MESSAGE_KINDS, DIRECTIONS, API_TOKEN_SCOPES, KB_VISIBILITIES, KB_STATUSES } from '../domain/vocabulary.ts';
// the vocabulary lives in the domain; re-exported for the code that still reads it from here
export { ROLES, LOCALES, STATUSES, PRIORITIES, TICKET_TYPES, CATEGORIES, SLA_NONE, CHANNELS, MESSAGE_KINDS, DIRECTIONS, API_TOKEN_SCOPES, type ApiTokenScope, type Role, type Locale, type TicketStatus, type Priority, type TicketType, type Category, type Channel, type MessageKind, type Direction } from '../domain/vocabulary.ts';
import type { SenderCheck } from '../domain/sender-trust.ts';

const createdAt = () => integer('created_at').notNull();
const updatedAt = () => integer('updated_at').notNull();
const bool = (name: string) => integer(name, { mode: 'boolean' });

export const users = sqliteTable('users', {
  id: integer('id').primaryKey(),
  email: text('email').notNull(),
  name: text('name').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  passwordHash: text('password_hash'),
  locale: text('locale', { enum: LOCALES }).notNull().default('en'),
  timeZone: text('time_zone').notNull().default('UTC'),
  // what an hour of this person's time costs the desk (minor units of the desk's currency); the
  // cost-of-service report prices their logged time with it
  hourlyCostCents: integer('hourly_cost_cents'),
  available: bool('available').notNull().default(true),
  active: bool('active').notNull().default(true),
  // which notices the user gets by mail, e.g. {"assigned":true,"new_in_component":false}
  notifyPrefs: text('notify_prefs', { mode: 'json' }).$type<Record<string, boolean>>().notNull().default({}),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [uniqueIndex('users_email_uq').on(t.email)]);

export const sessions = sqliteTable('sessions', {
  id: text('id').primaryKey(), // sha256 of the cookie token; the token itself is never stored
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  createdAt: createdAt(),
  expiresAt: integer('expires_at').notNull(),
  lastSeenAt: integer('last_seen_at').notNull(),
  userAgent: text('user_agent'),
  ip: text('ip'),
}, (t) => [index('sessions_user_idx').on(t.userId)]);

export const apiTokens = sqliteTable('api_tokens', {
  id: integer('id').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull(),
  prefix: text('prefix').notNull(),
  createdAt: createdAt(),
  lastUsedAt: integer('last_used_at'),
  revokedAt: integer('revoked_at'),
  /** null: the token does not expire */
  expiresAt: integer('expires_at'),
  /** 'read': GET requests only */
  scope: text('scope', { enum: API_TOKEN_SCOPES }).notNull().default('full'),
}, (t) => [uniqueIndex('api_tokens_hash_uq').on(t.tokenHash)]);

// One row per refused password (and per wrong setup code, without an email). A sign-in attempt
// writes its row before the password is checked and removes it when the password was right, so
// concurrent guesses count too. The account and the IP are throttled separately; an admin lifts
// one lock by marking its rows, which leaves the other count as it was. Old rows are purged by
// the scheduler.
export const signInFailures = sqliteTable('sign_in_failures', {
  id: integer('id').primaryKey(),
  /** lower-cased as typed, also when no such account exists (the lock must not tell) */
  email: text('email'),
  /** the client address; IPv6 by its /56 network */
  ip: text('ip').notNull(),
  at: integer('at').notNull(),
  emailLifted: bool('email_lifted').notNull().default(false),
  ipLifted: bool('ip_lifted').notNull().default(false),
}, (t) => [
  index('sign_in_failures_email_idx').on(t.email, t.at),
  index('sign_in_failures_ip_idx').on(t.ip, t.at),
  index('sign_in_failures_at_idx').on(t.at),
]);

/**
 * Where each account last signed in: a lock on the account spares these clients, so failures sent
 * from elsewhere cannot keep its owner out (the address's own limit still applies to them).
 */
export const signInKnownClients = sqliteTable('sign_in_known_clients', {
  email: text('email').notNull(),
  /** the client address; IPv6 by its /56 network */
  ip: text('ip').notNull(),
  lastAt: integer('last_at').notNull(),
}, (t) => [primaryKey({ columns: [t.email, t.ip] }), index('sign_in_known_clients_last_at_idx').on(t.lastAt)]);

export const businessCalendars = sqliteTable('business_calendars', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  timeZone: text('time_zone').notNull().default('UTC'),
  // weekly hours: index 0 = Monday … 6 = Sunday, each a list of ["09:00","18:00"] intervals
  weeklyHours: text('weekly_hours', { mode: 'json' }).$type<[string, string][][]>().notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

// Holidays and transferred working days (a production calendar): a date is either closed or
// open with its own hours.
export const calendarExceptions = sqliteTable('calendar_exceptions', {
  id: integer('id').primaryKey(),
  calendarId: integer('calendar_id').notNull().references(() => businessCalendars.id, { onDelete: 'cascade' }),
  date: text('date').notNull(), // YYYY-MM-DD in the calendar's zone
  kind: text('kind', { enum: ['holiday', 'workday'] }).notNull(),
  hours: text('hours', { mode: 'json' }).$type<[string, string][]>(),
  note: text('note'),
}, (t) => [uniqueIndex('calendar_exceptions_uq').on(t.calendarId, t.date)]);

export const slaPolicies = sqliteTable('sla_policies', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  calendarId: integer('calendar_id').references(() => businessCalendars.id, { onDelete: 'set null' }),
  warningPercent: integer('warning_percent').notNull().default(80),
  // workflow: whether waiting on a third party pauses the clocks, and the complaint (escalation) target
  pauseOnThirdParty: bool('pause_on_third_party').notNull().default(false),
  escalationMinutes: integer('escalation_minutes'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

// Targets in business minutes per priority; internal_* are stricter goals tracked separately.
export const slaTargets = sqliteTable('sla_targets', {
  id: integer('id').primaryKey(),
  policyId: integer('policy_id').notNull().references(() => slaPolicies.id, { onDelete: 'cascade' }),
  priority: text('priority', { enum: PRIORITIES }).notNull(),
  firstResponseMinutes: integer('first_response_minutes'),
  nextResponseMinutes: integer('next_response_minutes'),
  resolutionMinutes: integer('resolution_minutes'),
  internalFirstResponseMinutes: integer('internal_first_response_minutes'),
  internalResolutionMinutes: integer('internal_resolution_minutes'),
}, (t) => [uniqueIndex('sla_targets_uq').on(t.policyId, t.priority)]);

export const organizations = sqliteTable('organizations', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  note: text('note'),
  // contract
  monthlyFeeCents: integer('monthly_fee_cents'),
  currency: text('currency').notNull().default('RUB'),
  includedMinutes: integer('included_minutes'),
  hourlyRateCents: integer('hourly_rate_cents'),
  reopenLimit: integer('reopen_limit'),
  reopenWindowDays: integer('reopen_window_days'),
  ticketTimeBudgetMinutes: integer('ticket_time_budget_minutes'),
  slaPolicyId: integer('sla_policy_id').references(() => slaPolicies.id, { onDelete: 'set null' }),
  coveredComponentIds: text('covered_component_ids', { mode: 'json' }).$type<number[]>(),
  coveredChannels: text('covered_channels', { mode: 'json' }).$type<Channel[]>(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [uniqueIndex('organizations_name_uq').on(t.name)]);

export const organizationDomains = sqliteTable('organization_domains', {
  domain: text('domain').primaryKey(),
  organizationId: integer('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
});

export const contacts = sqliteTable('contacts', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  organizationId: integer('organization_id').references(() => organizations.id, { onDelete: 'set null' }),
  locale: text('locale', { enum: LOCALES }),
  note: text('note'),
  // a designated contact of their organisation: sees their colleagues' requests in the portal
  seesOrganizationRequests: bool('sees_organization_requests').notNull().default(false),
  // the generation of their portal sessions: raising it ends every session they have (signed out everywhere)
  portalSessionEpoch: integer('portal_session_epoch').notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [index('contacts_org_idx').on(t.organizationId)]);

export const contactEmails = sqliteTable('contact_emails', {
  id: integer('id').primaryKey(),
  contactId: integer('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
  email: text('email').notNull(), // lower-cased
  isPrimary: bool('is_primary').notNull().default(false),
  undeliverableAt: integer('undeliverable_at'),
  undeliverableReason: text('undeliverable_reason'),
  optedOutAt: integer('opted_out_at'),
}, (t) => [uniqueIndex('contact_emails_email_uq').on(t.email), index('contact_emails_contact_idx').on(t.contactId)]);

// one-time requester sign-in links (and SMS codes) for the portal: only a hash of what was sent
// is kept; a row opens once (used_at) and until expires_at (src/actions/portal-sign-in.ts)
export const portalSignIns = sqliteTable('portal_sign_ins', {
  id: integer('id').primaryKey(),
  contactId: integer('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
  channel: text('channel', { enum: ['email', 'sms'] }).notNull(),
  secretHash: text('secret_hash').notNull(),
  createdAt: createdAt(),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
  attempts: integer('attempts').notNull().default(0),
}, (t) => [index('portal_sign_ins_contact_idx').on(t.contactId, t.createdAt)]);

export const contactPhones = sqliteTable('contact_phones', {
  id: integer('id').primaryKey(),
  contactId: integer('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
  phone: text('phone').notNull(), // E.164
  isPrimary: bool('is_primary').notNull().default(false),
  smsOptedOutAt: integer('sms_opted_out_at'),
}, (t) => [uniqueIndex('contact_phones_phone_uq').on(t.phone), index('contact_phones_contact_idx').on(t.contactId)]);

export const components = sqliteTable('components', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description'),
  managerId: integer('manager_id').references(() => users.id, { onDelete: 'set null' }),
  autoAssign: text('auto_assign', { enum: ['off', 'least_loaded', 'round_robin'] }).notNull().default('off'),
  lastAssignedUserId: integer('last_assigned_user_id'),
  // routing: keyword rules and address aliases (support+printers@, printers@desk…)
  keywords: text('keywords', { mode: 'json' }).$type<string[]>().notNull().default([]),
  emailAliases: text('email_aliases', { mode: 'json' }).$type<string[]>().notNull().default([]),
  active: bool('active').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [uniqueIndex('components_name_uq').on(t.name)]);

export const componentAgents = sqliteTable('component_agents', {
  componentId: integer('component_id').notNull().references(() => components.id, { onDelete: 'cascade' }),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.componentId, t.userId] }), index('component_agents_user_idx').on(t.userId)]);

export const mailboxes = sqliteTable('mailboxes', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  address: text('address').notNull(), // the desk address mail is sent to; replies go out from it
  host: text('host').notNull(),
  port: integer('port').notNull().default(993),
  secure: bool('secure').notNull().default(true),
  // without TLS from the start: false requires STARTTLS, true reads the mailbox in plain text (insecure)
  allowPlaintext: bool('allow_plaintext').notNull().default(false),
  username: text('username').notNull(),
  password: text('password').notNull(),
  folder: text('folder').notNull().default('INBOX'),
  enabled: bool('enabled').notNull().default(true),
  markSeen: bool('mark_seen').notNull().default(false),
  moveTo: text('move_to'),
  componentId: integer('component_id').references(() => components.id, { onDelete: 'set null' }),
  fromEnv: bool('from_env').notNull().default(false),
  uidValidity: text('uid_validity'), // bigint as text
  lastUid: integer('last_uid').notNull().default(0),
  lastSuccessAt: integer('last_success_at'),
  lastError: text('last_error'),
  lastErrorAt: integer('last_error_at'),
  // email intake: mail that was in the folder before this time is left alone (null: import all)
  importSince: integer('import_since'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [uniqueIndex('mailboxes_address_uq').on(t.address)]);

export const tickets = sqliteTable('tickets', {
  id: integer('id').primaryKey(),
  number: integer('number').notNull(),
  subject: text('subject').notNull(),
  status: text('status', { enum: STATUSES }).notNull().default('new'),
  priority: text('priority', { enum: PRIORITIES }).notNull().default('normal'),
  type: text('type', { enum: TICKET_TYPES }).notNull().default('incident'),
  category: text('category', { enum: CATEGORIES }),
  channel: text('channel', { enum: CHANNELS }).notNull(),
  componentId: integer('component_id').references(() => components.id, { onDelete: 'set null' }),
  requesterId: integer('requester_id').references(() => contacts.id, { onDelete: 'set null' }),
  organizationId: integer('organization_id').references(() => organizations.id, { onDelete: 'set null' }),
  assigneeId: integer('assignee_id').references(() => users.id, { onDelete: 'set null' }),
  mailboxId: integer('mailbox_id').references(() => mailboxes.id, { onDelete: 'set null' }),
  estimateMinutes: integer('estimate_minutes'),
  // the calendar of work: when the work is promised by (set by a person, unlike the SLA's due times)
  // and when the assignee plans to do it (for estimate_minutes, or an hour)
  dueAt: integer('due_at'),
  plannedAt: integer('planned_at'),
  loggedMinutes: integer('logged_minutes').notNull().default(0),
  resolutionNote: text('resolution_note'),
  // the requester's satisfaction when they confirmed the resolution in the portal (1–5, a comment)
  satisfactionRating: integer('satisfaction_rating'),
  satisfactionComment: text('satisfaction_comment'),
  // SLA: due times are computed by the SLA clock and stored so the queue can sort by them
  firstResponseDueAt: integer('first_response_due_at'),
  nextResponseDueAt: integer('next_response_due_at'),
  resolutionDueAt: integer('resolution_due_at'),
  firstRespondedAt: integer('first_responded_at'),
  slaPausedAt: integer('sla_paused_at'),
  slaState: text('sla_state', { mode: 'json' }).$type<Record<string, unknown>>(),
  // workflow: when the scheduler must look at the ticket next (an SLA warning or breach falls due)
  slaNextEventAt: integer('sla_next_event_at'),
  // reports: the clock's targets as the SLA report counts them (SlaMeasures in domain/sla-clock.ts),
  // written with sla_state; sla_next_met is null on a clock not measured yet (kept before them)
  slaFrMark: integer('sla_fr_mark'),
  slaFrInternalMark: integer('sla_fr_internal_mark'),
  slaResMark: integer('sla_res_mark'),
  slaResInternalMark: integer('sla_res_internal_mark'),
  slaNextMark: integer('sla_next_mark'),
  slaNextMet: integer('sla_next_met'),
  slaNextLate: integer('sla_next_late'),
  // reports: how long the first answer and the resolution took, in business minutes by the ticket's
  // calendar (store/ticket-times.ts); null until measured, and again when what they measure changes
  // (a trigger: the instants, the clock's policy) or a calendar does (the scheduler forgets them all)
  frMinutes: integer('fr_minutes'),
  resMinutes: integer('res_minutes'),
  reopenCount: integer('reopen_count').notNull().default(0),
  parentTicketId: integer('parent_ticket_id'),
  mergedIntoId: integer('merged_into_id'),
  // requester portal links: part of every link's signature; a new value revokes all links given out
  portalNonce: text('portal_nonce').notNull().default(''),
  billable: bool('billable').notNull().default(false),
  escalatedAt: integer('escalated_at'),
  resolvedAt: integer('resolved_at'),
  closedAt: integer('closed_at'),
  lastActivityAt: integer('last_activity_at').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  // console: derived sort keys for the queues (virtual: computed on read, stored only in the indexes below)
  isOpen: bool('is_open').generatedAlwaysAs(sql`status not in ('resolved', 'closed')`, { mode: 'virtual' }),
  priorityOrder: integer('priority_order').generatedAlwaysAs(
    sql`case priority when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end`, { mode: 'virtual' }),
  // the earliest SLA time still pending (first response until answered, next response, resolution);
  // SLA_NONE while the clock is paused or nothing is due, so "due first" sorts those last
  slaDueKey: integer('sla_due_key').generatedAlwaysAs(sql`case when sla_paused_at is not null then 9007199254740991 else min(
    case when first_responded_at is null then coalesce(first_response_due_at, 9007199254740991) else 9007199254740991 end,
    coalesce(next_response_due_at, 9007199254740991), coalesce(resolution_due_at, 9007199254740991)) end`, { mode: 'virtual' }),
  // reports: when the ticket stopped being open (resolved, or closed without a resolution)
  doneAt: integer('done_at').generatedAlwaysAs(sql`coalesce(resolved_at, closed_at)`, { mode: 'virtual' }),
}, (t) => [
  // console: keyset-paged queues (open/closed × sort), see src/store/queue.ts
  index('tickets_open_activity_idx').on(t.isOpen, t.lastActivityAt, t.id),
  index('tickets_open_id_idx').on(t.isOpen, t.id),
  // (with the estimate and the time logged: the workload report's open tickets per person, read from the index alone)
  index('tickets_open_assignee_activity_idx').on(t.isOpen, t.assigneeId, t.lastActivityAt, t.id, t.estimateMinutes, t.loggedMinutes),
  index('tickets_open_component_activity_idx').on(t.isOpen, t.componentId, t.lastActivityAt, t.id),
  index('tickets_open_due_idx').on(t.isOpen, t.slaDueKey, t.id),
  index('tickets_open_priority_idx').on(t.isOpen, t.priorityOrder, t.id),
  index('tickets_open_org_activity_idx').on(t.isOpen, t.organizationId, t.lastActivityAt, t.id),
  index('tickets_activity_idx').on(t.lastActivityAt, t.id),
  // priority and SLA-due order in the views over closed tickets too (resolved, all)
  index('tickets_priority_idx').on(t.priorityOrder, t.id),
  index('tickets_due_idx').on(t.slaDueKey, t.id),
  index('tickets_status_activity_idx').on(t.status, t.lastActivityAt, t.id),
  index('tickets_assignee_activity_idx').on(t.assigneeId, t.lastActivityAt, t.id),
  index('tickets_assignee_id_idx').on(t.assigneeId, t.id),
  index('tickets_component_activity_idx').on(t.componentId, t.lastActivityAt, t.id),
  index('tickets_component_id_idx').on(t.componentId, t.id),
  index('tickets_org_activity_idx').on(t.organizationId, t.lastActivityAt, t.id),
  uniqueIndex('tickets_number_uq').on(t.number),
  index('tickets_status_id_idx').on(t.status, t.id),
  index('tickets_assignee_status_idx').on(t.assigneeId, t.status, t.id),
  index('tickets_component_status_idx').on(t.componentId, t.status, t.id),
  index('tickets_requester_idx').on(t.requesterId, t.id),
  index('tickets_org_idx').on(t.organizationId, t.id),
  index('tickets_resolution_due_idx').on(t.resolutionDueAt),
  index('tickets_sla_next_event_idx').on(t.slaNextEventAt), // workflow scheduler
  // reports: tickets created and done in a period
  index('tickets_created_idx').on(t.createdAt),
  // reports: the open tickets by age (the status report's backlog), read from the index alone
  index('tickets_open_created_idx').on(t.isOpen, t.createdAt),
  // (with the assignee and the reopens: the workload report's tickets resolved per person, read from the index alone;
  // with the creation time: the tickets of the whole desk done before an instant that were created before it)
  index('tickets_done_idx').on(t.doneAt, t.assigneeId, t.reopenCount, t.createdAt),
  // the SLA and difficult-clients reports' open tickets (the closed ones are summed: closed_ticket_sums), read from the index alone
  index('tickets_open_sla_idx').on(t.createdAt, t.priority, t.organizationId, t.componentId, t.assigneeId, t.type, t.channel,
    t.slaFrMark, t.slaFrInternalMark, t.slaResMark, t.slaResInternalMark, t.slaNextMark, t.slaNextMet, t.slaNextLate, t.reopenCount, t.billable)
    .where(sql`status not in ('resolved', 'closed')`),
  // the closed tickets the sums leave to the reports (UNSETTLED_CLOSED in src/store/closed-sums.ts): next to none
  index('tickets_closed_unsettled_idx').on(t.createdAt).where(sql.raw("status in ('resolved', 'closed') and (coalesce(sla_fr_mark, -1) > 0 or coalesce(sla_fr_internal_mark, -1) > 0"
    + ' or coalesce(sla_res_mark, -1) > 0 or coalesce(sla_res_internal_mark, -1) > 0 or sla_next_mark is not null)')),
  // reports: the tickets complained about since an instant (few among all the tickets)
  index('tickets_escalated_idx').on(t.escalatedAt).where(sql`escalated_at is not null`),
  // the calendar of work: the open tickets' due dates and planned work in a span, of everyone, one
  // assignee or one component (src/store/calendar-items.ts); only the tickets that have one
  // and their SLA deadlines ahead in a span (the resolution's: tickets_resolution_due_idx)
  index('tickets_open_first_response_due_idx').on(t.firstResponseDueAt).where(sql`status not in ('resolved', 'closed') and first_responded_at is null and first_response_due_at is not null`),
  index('tickets_open_next_response_due_idx').on(t.nextResponseDueAt).where(sql`status not in ('resolved', 'closed') and next_response_due_at is not null`),
  index('tickets_open_due_at_idx').on(t.dueAt, t.id).where(sql`status not in ('resolved', 'closed') and due_at is not null`),
  index('tickets_open_assignee_due_at_idx').on(t.assigneeId, t.dueAt, t.id).where(sql`status not in ('resolved', 'closed') and due_at is not null`),
  index('tickets_open_component_due_at_idx').on(t.componentId, t.dueAt, t.id).where(sql`status not in ('resolved', 'closed') and due_at is not null`),
  index('tickets_open_planned_at_idx').on(t.plannedAt, t.id).where(sql`status not in ('resolved', 'closed') and planned_at is not null`),
  index('tickets_open_assignee_planned_at_idx').on(t.assigneeId, t.plannedAt, t.id).where(sql`status not in ('resolved', 'closed') and planned_at is not null`),
  index('tickets_open_component_planned_at_idx').on(t.componentId, t.plannedAt, t.id).where(sql`status not in ('resolved', 'closed') and planned_at is not null`),
  // the clocks still to be measured (after an upgrade, or a rebuild): none once measured
  index('tickets_unmeasured_idx').on(t.id).where(sql`sla_state is not null and sla_next_met is null`),
  // the response and resolution times still to be measured: a few, once the scheduler has been by
  index('tickets_times_unmeasured_idx').on(t.id)
    .where(sql`(first_responded_at is not null and fr_minutes is null) or (coalesce(resolved_at, closed_at) is not null and res_minutes is null)`),
]);

export const ticketParticipants = sqliteTable('ticket_participants', {
  ticketId: integer('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  address: text('address').notNull(), // lower-cased email or E.164 phone
  role: text('role', { enum: ['cc', 'to'] }).notNull().default('cc'),
}, (t) => [primaryKey({ columns: [t.ticketId, t.address] }), index('ticket_participants_address_idx').on(t.address)]);

export const ticketLinks = sqliteTable('ticket_links', {
  ticketId: integer('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  linkedTicketId: integer('linked_ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  kind: text('kind', { enum: ['related', 'follow_up', 'merged'] }).notNull(),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.ticketId, t.linkedTicketId] })]);

/** Where a message left on its server is: the mailbox folder, its UIDVALIDITY and UID, its size. */
export type RemoteRef = { folder: string; uidValidity: string; uid: number; size: number };

export const inboundMessages = sqliteTable('inbound_messages', {
  id: integer('id').primaryKey(),
  channel: text('channel', { enum: CHANNELS }).notNull(),
  source: text('source', { enum: ['imap', 'smtp', 'pipe', 'twilio', 'web', 'api'] }).notNull(),
  mailboxId: integer('mailbox_id').references(() => mailboxes.id, { onDelete: 'set null' }),
  dedupeKey: text('dedupe_key').notNull(),
  externalId: text('external_id'), // Message-ID or MessageSid
  rawSha256: text('raw_sha256').notNull(),
  rawSize: integer('raw_size').notNull(),
  fromAddress: text('from_address'),
  subject: text('subject'),
  outcome: text('outcome', {
    enum: ['created', 'appended', 'auto_reply', 'bounce', 'ignored', 'quarantined'],
  }).notNull(),
  reason: text('reason'), // why it was ignored/quarantined, or how it was matched
  error: text('error'),
  ticketId: integer('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
  attempts: integer('attempts').notNull().default(1),
  // email intake: non-fatal parse problems (charset fallback, attachment over the size limit…)
  problems: text('problems', { mode: 'json' }).$type<string[]>(),
  // a message quarantined by reference, too big to read: where it stays (only its headers are kept)
  remoteRef: text('remote_ref', { mode: 'json' }).$type<RemoteRef>(),
  receivedAt: integer('received_at').notNull(),
  processedAt: integer('processed_at').notNull(),
}, (t) => [
  uniqueIndex('inbound_dedupe_uq').on(t.dedupeKey),
  index('inbound_outcome_idx').on(t.outcome, t.id),
  index('inbound_mailbox_idx').on(t.mailboxId, t.receivedAt),
]);

export const messages = sqliteTable('messages', {
  id: integer('id').primaryKey(),
  ticketId: integer('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  kind: text('kind', { enum: MESSAGE_KINDS }).notNull(),
  direction: text('direction', { enum: DIRECTIONS }).notNull(),
  channel: text('channel', { enum: CHANNELS }).notNull(),
  authorUserId: integer('author_user_id').references(() => users.id, { onDelete: 'set null' }),
  authorContactId: integer('author_contact_id').references(() => contacts.id, { onDelete: 'set null' }),
  fromAddress: text('from_address'),
  toAddresses: text('to_addresses', { mode: 'json' }).$type<string[]>(),
  ccAddresses: text('cc_addresses', { mode: 'json' }).$type<string[]>(),
  subject: text('subject'),
  bodyText: text('body_text').notNull().default(''), // the whole text as received/sent
  newText: text('new_text'), // reply without quoted history and signature (null: same as body)
  bodyHtml: text('body_html'), // sanitized before it is stored, and again when shown (domain/safe-mail-html.ts)
  headerMessageId: text('header_message_id'),
  inReplyTo: text('in_reply_to'),
  references: text('references', { mode: 'json' }).$type<string[]>(),
  inboundMessageId: integer('inbound_message_id').references(() => inboundMessages.id, { onDelete: 'set null' }),
  isAutoReply: bool('is_auto_reply').notNull().default(false),
  // inbound mail: what intake concluded about the sender (null: not checked)
  senderCheck: text('sender_check', { mode: 'json' }).$type<SenderCheck>(),
  deliveryStatus: text('delivery_status', { enum: ['queued', 'sent', 'delivered', 'failed', 'skipped'] }),
  externalId: text('external_id'), // provider id, e.g. Twilio MessageSid
  eventType: text('event_type'), // for kind = event
  eventData: text('event_data', { mode: 'json' }).$type<Record<string, unknown>>(),
  createdAt: createdAt(),
}, (t) => [
  index('messages_ticket_idx').on(t.ticketId, t.id),
  index('messages_header_mid_idx').on(t.headerMessageId),
  index('messages_external_idx').on(t.externalId),
]);

export const attachments = sqliteTable('attachments', {
  id: integer('id').primaryKey(),
  messageId: integer('message_id').notNull().references(() => messages.id, { onDelete: 'cascade' }),
  sha256: text('sha256').notNull(),
  size: integer('size').notNull(),
  filename: text('filename').notNull(),
  contentType: text('content_type').notNull(),
  contentId: text('content_id'),
  inline: bool('inline').notNull().default(false),
  createdAt: createdAt(),
}, (t) => [index('attachments_message_idx').on(t.messageId)]);

export const outbox = sqliteTable('outbox', {
  id: integer('id').primaryKey(),
  channel: text('channel', { enum: ['email', 'sms'] }).notNull(),
  event: text('event').notNull(), // ack, reply, status, assigned, new_in_component, sla_warning…
  ticketId: integer('ticket_id').references(() => tickets.id, { onDelete: 'cascade' }),
  messageId: integer('message_id').references(() => messages.id, { onDelete: 'set null' }),
  recipient: text('recipient').notNull(), // email or E.164
  cc: text('cc', { mode: 'json' }).$type<string[]>(),
  headerMessageId: text('header_message_id'),
  payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  status: text('status', { enum: ['pending', 'sending', 'sent', 'dead', 'discarded', 'skipped'] }).notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: integer('next_attempt_at').notNull(),
  lastError: text('last_error'),
  providerId: text('provider_id'),
  createdAt: createdAt(),
  sentAt: integer('sent_at'),
}, (t) => [
  index('outbox_due_idx').on(t.status, t.nextAttemptAt),
  index('outbox_recipient_idx').on(t.recipient, t.createdAt),
  // outbound mail: the ticket page's "waiting/failed mail" notice and the admin list by status
  index('outbox_ticket_idx').on(t.ticketId, t.status),
  index('outbox_status_id_idx').on(t.status, t.id),
]);

export const events = sqliteTable('events', {
  id: integer('id').primaryKey(),
  ticketId: integer('ticket_id').references(() => tickets.id, { onDelete: 'cascade' }),
  actorUserId: integer('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
  actorKind: text('actor_kind', { enum: ['user', 'contact', 'system'] }).notNull(),
  type: text('type').notNull(),
  data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
  createdAt: createdAt(),
}, (t) => [
  index('events_ticket_idx').on(t.ticketId, t.id),
  // reports: the complaints made in a period (few among all the events)
  index('events_escalated_idx').on(t.createdAt).where(sql`type = 'ticket.escalated'`),
]);

export const worklogs = sqliteTable('worklogs', {
  id: integer('id').primaryKey(),
  ticketId: integer('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
  minutes: integer('minutes').notNull(),
  note: text('note'),
  billable: bool('billable').notNull().default(true),
  workedAt: integer('worked_at').notNull(),
  createdAt: createdAt(),
}, (t) => [index('worklogs_ticket_idx').on(t.ticketId), index('worklogs_user_idx').on(t.userId, t.workedAt), index('worklogs_worked_idx').on(t.workedAt, t.userId, t.ticketId)]);

export const cannedReplies = sqliteTable('canned_replies', {
  id: integer('id').primaryKey(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  locale: text('locale', { enum: LOCALES }),
  createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const savedViews = sqliteTable('saved_views', {
  id: integer('id').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  query: text('query').notNull(), // the queue's URL query string
  createdAt: createdAt(),
}, (t) => [index('saved_views_user_idx').on(t.userId)]);

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at').notNull().default(sql`0`),
});

// --- Webhook channels ---------------------------------------------------------------------
// Incoming webhook messages accepted (signature checked, answered) but not yet through intake
// (src/intake/webhook-inbox.ts). A row is written before the provider gets its answer and removed
// once intake has stored the message, so an answered message is never lost, whatever happens in
// between. The table and its columns keep the names they had when only SMS (Twilio) used it:
// renaming them would make the upgrade copy or re-create the table that holds messages already
// answered, for no gain. message_sid is the channel's message id (or raw-<sha256> without one),
// from_address the sender whose messages go in order; the rows from before the channel column
// were all SMS.
export const webhookInbox = sqliteTable('sms_inbox', {
  id: integer('id').primaryKey(),
  channel: text('channel', { enum: CHANNELS }).notNull().default('sms'),
  messageSid: text('message_sid').notNull(),
  fromAddress: text('from_address'),
  raw: text('raw').notNull(), // the webhook's fields as JSON (Twilio: its form fields)
  hasMedia: bool('has_media').notNull().default(false),
  receivedAt: integer('received_at').notNull(),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: integer('next_attempt_at').notNull(),
  lastError: text('last_error'),
}, (t) => [uniqueIndex('sms_inbox_channel_sid_uq').on(t.channel, t.messageSid), index('sms_inbox_channel_due_idx').on(t.channel, t.nextAttemptAt, t.id)]);

// Who has a ticket open in the console, and who is writing a reply ("X is replying"): a row per
// person and ticket, refreshed by the ticket page's polling and read as current for half a minute;
// in the database so that every desk process sees it.
export const presence = sqliteTable('presence', {
  ticketId: integer('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  mode: text('mode', { enum: ['viewing', 'replying'] }).notNull(),
  at: integer('at').notNull(),
}, (t) => [primaryKey({ columns: [t.ticketId, t.userId] }), index('presence_at_idx').on(t.at)]);

// The file store in the database (src/store/database-file-store.ts): attachments and raw mail,
// content-addressed, so that every desk process on PostgreSQL reaches them. A file is cut into
// chunks (1 MiB) so that a download is read chunk by chunk. A SQLite desk keeps its files under
// DATA_DIR and leaves these tables empty.
export const storedFiles = sqliteTable('stored_files', {
  kind: text('kind', { enum: ['raw', 'files'] }).notNull(),
  sha256: text('sha256').notNull(),
  size: integer('size').notNull(),
  chunks: integer('chunks').notNull(),
}, (t) => [primaryKey({ columns: [t.kind, t.sha256] })]);

export const storedFileChunks = sqliteTable('stored_file_chunks', {
  kind: text('kind', { enum: ['raw', 'files'] }).notNull(),
  sha256: text('sha256').notNull(),
  seq: integer('seq').notNull(),
  data: blob('data', { mode: 'buffer' }).notNull(),
}, (t) => [
  primaryKey({ columns: [t.kind, t.sha256, t.seq] }),
  foreignKey({ columns: [t.kind, t.sha256], foreignColumns: [storedFiles.kind, storedFiles.sha256], name: 'stored_file_chunks_file_fk' }).onDelete('cascade'),
]);

// Rate limits of the web (bad API tokens, unsigned SMS webhooks) counted in the database on
// PostgreSQL, so that every desk process behind a load balancer counts the same hits
// (src/store/rate-limits.ts). A SQLite desk counts in its one web process's memory.
export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').primaryKey(),
  hits: integer('hits').notNull(),
  resetAt: integer('reset_at').notNull(),
}, (t) => [index('rate_limits_reset_at_idx').on(t.resetAt)]);

// reports: how many tickets were in each status at any instant (the status report), kept up to date
// by triggers on tickets in the transaction of every change (custom SQL in the migration that made
// these tables; src/store/status-counts.ts reads and rebuilds them). status_steps is each ticket's
// status history: the status it entered at each step. status_counts holds, per key (the whole desk,
// or one value of a field the report filters by: dim 'org', 'component', 'agent', 'type', 'channel',
// 'priority'), the change in tickets per status within each UTC day (grain, in ms), so the tickets
// in a status at an instant are the sum of the days before the instant's day — a few thousand rows,
// whatever the desk's size — and the steps of its day before it. A key is the ticket's present
// value: a ticket moved to another organisation takes its whole history along, as the queue's
// filter would list it.
export const statusSteps = sqliteTable('status_steps', {
  ticketId: integer('ticket_id').notNull(),
  seq: integer('seq').notNull(),
  at: integer('at').notNull(),
  status: text('status').notNull(),
}, (t) => [primaryKey({ columns: [t.ticketId, t.seq] }), index('status_steps_at_idx').on(t.at)]);

/** A count's columns: its key (dimension, value, grain, start of the span, status) and the change in tickets. */
const statusCountColumns = () => ({
  dim: text('dim').notNull(),
  val: text('val').notNull(),
  grain: integer('grain').notNull(),
  start: integer('start').notNull(),
  status: text('status').notNull(),
  n: integer('n').notNull(),
});

export const statusCounts = sqliteTable('status_counts', statusCountColumns(), (t) => [primaryKey({ columns: [t.dim, t.val, t.grain, t.start, t.status] })]);

// PostgreSQL's triggers add their changes here rather than to status_counts: a desk's changes of one
// day all touch the same few counts, and under SERIALIZABLE two transactions writing one row abort
// each other. The readers add these rows to the counts; the scheduler folds them in. (SQLite has one
// writer at a time: its triggers write the counts themselves and this stays empty.)
export const statusCountChanges = sqliteTable('status_count_changes', { id: integer('id').primaryKey(), ...statusCountColumns() });

// the tickets whose history is not counted yet: ids in (built, upto], kept before the tables existed
// (or set aside by a bulk load or a rebuild); the triggers leave them to buildStatusCounts. No row:
// every ticket is counted.
export const statusCountState = sqliteTable('status_count_state', {
  name: text('name').primaryKey(),
  built: integer('built').notNull(),
  upto: integer('upto').notNull(),
});

// reports: the SLA outcomes of the closed tickets (resolved or closed), and what makes a client
// difficult, summed per span of their creation (grain, in ms: UTC days, and blocks of 28 of them for
// long periods) under each key the reports group and filter by (dim 'all', or one value of 'org',
// 'component', 'agent', 'type', 'channel', 'priority', as status_counts), kept by triggers on
// tickets in the transaction of every change (custom SQL in the migration that made these tables;
// src/store/closed-sums.ts reads and rebuilds them). A closed ticket's clock is stopped, so its
// outcomes no longer change with time: each target it tracks is met (mark -1) or breached (mark 0).
// Open tickets, clocks not measured yet, and a closed ticket whose clock began a target after it
// stopped are left out: the reports count those from the tickets.
const closedSumColumns = () => ({
  dim: text('dim').notNull(),
  val: text('val').notNull(),
  grain: integer('grain').notNull(),
  start: integer('start').notNull(),
  tickets: integer('tickets').notNull(),
  frMet: integer('fr_met').notNull(),
  frBreached: integer('fr_breached').notNull(),
  frInternalMet: integer('fr_internal_met').notNull(),
  frInternalBreached: integer('fr_internal_breached').notNull(),
  resMet: integer('res_met').notNull(),
  resBreached: integer('res_breached').notNull(),
  resInternalMet: integer('res_internal_met').notNull(),
  resInternalBreached: integer('res_internal_breached').notNull(),
  nextMet: integer('next_met').notNull(),
  nextBreached: integer('next_breached').notNull(),
  // the difficult-clients report's: reopened, out of scope, a contract target missed, missed after waiting on the client
  reopened: integer('reopened').notNull(),
  outOfScope: integer('out_of_scope').notNull(),
  contractBreached: integer('contract_breached').notNull(),
  waitingBreached: integer('waiting_breached').notNull(),
});

export const closedTicketSums = sqliteTable('closed_ticket_sums', closedSumColumns(), (t) => [primaryKey({ columns: [t.dim, t.grain, t.start, t.val] })]);

// PostgreSQL's triggers add their changes here (as status_count_changes); the readers add them in, the scheduler folds them.
export const closedTicketSumChanges = sqliteTable('closed_ticket_sum_changes', { id: integer('id').primaryKey(), ...closedSumColumns() });

// reports: how many tickets were created, and how many resolved or closed (the present done time,
// coalesce(resolved_at, closed_at): a ticket reopened and resolved again counts when it was last
// done), per span (grain, in ms: UTC days and blocks of 28 of them, as the closed tickets' sums),
// under each key the reports group and filter by (dim 'all', or one value of 'org', 'component',
// 'agent', 'type', 'channel', 'priority', 'category'), kept by triggers on tickets in the
// transaction of every change (custom SQL in the migration that made the table; src/store/day-counts.ts
// reads it). `done_reopened`: of those done, the ones that had been reopened. A key is the ticket's
// present value, as the queue's filter lists it. Set aside and rebuilt with the closed tickets' sums.
const dayCountColumns = () => ({
  dim: text('dim').notNull(),
  val: text('val').notNull(),
  grain: integer('grain').notNull(),
  start: integer('start').notNull(),
  created: integer('created').notNull(),
  done: integer('done').notNull(),
  doneReopened: integer('done_reopened').notNull(),
});

export const ticketDayCounts = sqliteTable('ticket_day_counts', dayCountColumns(), (t) => [primaryKey({ columns: [t.dim, t.grain, t.start, t.val] })]);

// PostgreSQL's triggers add their changes here (as status_count_changes); the readers add them in, the scheduler folds them.
export const ticketDayCountChanges = sqliteTable('ticket_day_count_changes', { id: integer('id').primaryKey(), ...dayCountColumns() });

// The minutes logged (and of them, billable) per UTC day and block of 28 days under each key of the
// worklog and its ticket (the whole desk, who logged it, the ticket's fields, and pairs), kept by
// triggers on worklogs and tickets; see src/store/time-sums.ts. The reports of logged time read them.
const timeSumColumns = () => ({
  dim: text('dim').notNull(),
  val: text('val').notNull(),
  grain: integer('grain').notNull(),
  start: integer('start').notNull(),
  minutes: integer('minutes').notNull(),
  billable: integer('billable').notNull(),
});

export const worklogDaySums = sqliteTable('worklog_day_sums', timeSumColumns(), (t) => [primaryKey({ columns: [t.dim, t.grain, t.start, t.val] })]);

// PostgreSQL's triggers add their changes here (as ticket_day_count_changes); the readers add them in, the scheduler folds them.
export const worklogDaySumChanges = sqliteTable('worklog_day_sum_changes', { id: integer('id').primaryKey(), ...timeSumColumns() });

// a row while the sums (the closed tickets' and the day counts) are not kept (a bulk load, a rebuild): the triggers skip, the reports count from the tickets
export const closedTicketSumState = sqliteTable('closed_ticket_sum_state', {
  name: text('name').primaryKey(),
  since: integer('since').notNull(),
});

// --- Knowledge base -----------------------------------------------------------------------
// Articles in Markdown, grouped in categories (each optionally about a component). An article's
// English and Russian versions share a translation group (the id of the group's first article;
// null while it has no translation). Its text is searched by word forms as messages are
// (migrations/sqlite/0027_kb.sql: kb_articles_fts; migrations/postgres/0022_kb.sql: stems columns).
export const kbCategories = sqliteTable('kb_categories', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  componentId: integer('component_id').references(() => components.id, { onDelete: 'set null' }),
  /** where the category stands in lists (then by name): 0 for all until someone orders them */
  position: integer('position').notNull().default(0),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('kb_categories_name_uq').on(t.name)]);

export const kbArticles = sqliteTable('kb_articles', {
  id: integer('id').primaryKey(),
  title: text('title').notNull(),
  body: text('body').notNull(), // Markdown
  categoryId: integer('category_id').references(() => kbCategories.id, { onDelete: 'set null' }),
  visibility: text('visibility', { enum: KB_VISIBILITIES }).notNull().default('internal'),
  status: text('status', { enum: KB_STATUSES }).notNull().default('draft'),
  locale: text('locale', { enum: LOCALES }).notNull().default('en'),
  translationGroup: integer('translation_group'),
  authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
  // the resolved ticket the article was made from, if any
  sourceTicketId: integer('source_ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
  views: integer('views').notNull().default(0),
  publishedAt: integer('published_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [index('kb_articles_category_idx').on(t.categoryId), index('kb_articles_translation_idx').on(t.translationGroup)]);

/** Every saved text of an article, who saved it and when: the latest is the current one, the earlier ones its history. */
export const kbArticleVersions = sqliteTable('kb_article_versions', {
  id: integer('id').primaryKey(),
  articleId: integer('article_id').notNull().references(() => kbArticles.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
  body: text('body').notNull(),
  editedBy: integer('edited_by').references(() => users.id, { onDelete: 'set null' }),
  editedAt: integer('edited_at').notNull(),
}, (t) => [index('kb_article_versions_article_idx').on(t.articleId, t.id)]);

/** "Was this helpful?": one answer per voter per article; the voter is `u:<user>`, `c:<contact>` or `s:<session key>`. */
export const kbVotes = sqliteTable('kb_votes', {
  id: integer('id').primaryKey(),
  articleId: integer('article_id').notNull().references(() => kbArticles.id, { onDelete: 'cascade' }),
  voter: text('voter').notNull(),
  helpful: bool('helpful').notNull(),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('kb_votes_voter_uq').on(t.articleId, t.voter)]);

/** A requester said the article solved it instead of sending a request. */
export const kbDeflections = sqliteTable('kb_deflections', {
  id: integer('id').primaryKey(),
  articleId: integer('article_id').notNull().references(() => kbArticles.id, { onDelete: 'cascade' }),
  contactId: integer('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
}, (t) => [index('kb_deflections_article_idx').on(t.articleId)]);

/**
 * The audit log: every change to the desk's configuration and people, who made it and the thing
 * before → after (secrets redacted). Never edited: triggers refuse UPDATE and DELETE on both
 * engines, so the actor is a plain id (no foreign key whose ON DELETE would rewrite a row) and
 * the name is kept as it was then.
 */
export const auditLog = sqliteTable('audit_log', {
  id: integer('id').primaryKey(),
  createdAt: createdAt(),
  actorKind: text('actor_kind', { enum: ['user', 'system'] }).notNull(),
  actorUserId: integer('actor_user_id'),
  actorName: text('actor_name').notNull().default(''),
  subjectKind: text('subject_kind').notNull(),
  subjectId: integer('subject_id'),
  subjectLabel: text('subject_label').notNull().default(''),
  action: text('action').notNull(),
  before: text('before', { mode: 'json' }).$type<Record<string, unknown> | null>(),
  after: text('after', { mode: 'json' }).$type<Record<string, unknown> | null>(),
}, (t) => [
  index('audit_log_created_idx').on(t.createdAt, t.id),
  index('audit_log_actor_idx').on(t.actorUserId, t.id),
  index('audit_log_subject_idx').on(t.subjectKind, t.id),
]);
