// The REST API's endpoints as one table: path, permission, schemas, handler. The router and the
// OpenAPI document are both built from it.
import type { Request } from 'express';
import type { z } from 'zod';
import type { Ctx } from '../../actions/context.ts';
import { createContact, editContact } from '../../actions/contacts.ts';
import { createOrganization, editOrganization } from '../../actions/organizations.ts';
import { updateTicketProperties } from '../../actions/ticket-fields.ts';
import { mergeTickets } from '../../actions/ticket-links.ts';
import { addNote, createTicket, replyToTicket } from '../../actions/tickets.ts';
import { parseInput } from '../../actions/validate.ts';
import { logWork } from '../../actions/worklog.ts';
import type { Category, Priority, TicketType } from '../../db/schema.ts';
import type { Permission } from '../../domain/permissions.ts';
import { parseQueueQuery } from '../../domain/queue-query.ts';
import { listContactsAfter } from '../../store/contact-pages.ts';
import { getContact } from '../../store/contacts.ts';
import { AppError, invalid } from '../../domain/errors.ts';
import { listAttachmentsForMessages, listTicketMessages } from '../../store/messages.ts';
import { getOrganization, listOrganizations } from '../../store/organizations.ts';
import { findTicketByNumber, getTicket, type Ticket } from '../../store/tickets.ts';
import type { User } from '../../store/users.ts';
import { filterFor, runQueue } from '../../actions/queue.ts';
import { searchPage } from '../../actions/ticket-search.ts';
import { snippetHtml } from '../routes/search.ts';
import { kbAccessFor, kbReadable } from '../../domain/kb.ts';
import { getKbArticle, kbFigures, listKbArticles } from '../../store/kb.ts';
import { presentContact, presentKbArticle, presentMessage, presentOrganization, presentTicket, presentWorklog } from './presenters.ts';
import * as s from './schemas.ts';
import { calendarApiRoute } from './calendar-route.ts';

export type ApiContext = { ctx: Ctx; user: User; req: Request; params: Record<string, string>; query: Record<string, unknown>; body: unknown };

export type ApiRoute = {
  method: 'get' | 'post' | 'patch';
  /** express path under /api/v1 */
  path: string;
  permission: Permission;
  tag: string;
  summary: string;
  query?: z.ZodObject;
  body?: z.ZodTypeAny;
  status?: 200 | 201;
  response: z.ZodTypeAny;
  /** responses beyond the common errors, by status */
  errors?: Record<string, string>;
  handle(c: ApiContext): Promise<unknown> | unknown;
};

const perPage = (raw: unknown, fallback = 25) => {
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : fallback;
  if (n < 1 || n > 100) throw invalid('per_page must be between 1 and 100', { per_page: 'Out of range' });
  return n;
};

const ticketOf = async (c: ApiContext): Promise<Ticket> => {
  const n = c.params.number;
  const t = /^\d{1,9}$/.test(n ?? '') ? await findTicketByNumber(c.ctx.db, Number(n)) : undefined;
  if (!t) throw new AppError('not_found', `Ticket ${n} not found`);
  return t;
};

const numberParam = (raw: string | undefined, what: string) => {
  if (!raw || !/^\d{1,12}$/.test(raw)) throw new AppError('not_found', `${what} not found`);
  return Number(raw);
};

const actor = (c: ApiContext) => ({ kind: 'user' as const, user: c.user });
const url = (c: ApiContext) => c.ctx.config.publicUrl;

async function ticketWithMessages(c: ApiContext, t: Ticket) {
  const messages = await listTicketMessages(c.ctx.db, t.id);
  const atts = await listAttachmentsForMessages(c.ctx.db, messages.map((m) => m.id));
  return { ...presentTicket(t, url(c)), messages: messages.map((m) => presentMessage(m, atts.filter((a) => a.messageId === m.id), url(c), c.ctx.mailHtml)) };
}

function contactInput(body: z.infer<typeof s.contactPatch>, base?: Awaited<ReturnType<typeof presentContact>>) {
  return {
    name: body.name ?? base?.name ?? '',
    emails: body.emails ?? base?.emails ?? [],
    phones: body.phones ?? base?.phones ?? [],
    organizationId: body.organization_id !== undefined ? body.organization_id : (base?.organization_id ?? null),
    locale: body.locale !== undefined ? body.locale : (base?.locale ?? null),
    note: body.note !== undefined ? body.note : (base?.note ?? null),
  };
}

function organizationInput(body: z.infer<typeof s.organizationPatch>, base?: Awaited<ReturnType<typeof presentOrganization>>) {
  const k = { ...(base?.contract ?? {}), ...(body.contract ?? {}) } as Partial<Awaited<ReturnType<typeof presentOrganization>>['contract']>;
  return {
    name: body.name ?? base?.name ?? '',
    note: body.note !== undefined ? body.note : (base?.note ?? null),
    domains: body.domains ?? base?.domains ?? [],
    monthlyFeeCents: k.monthly_fee_cents ?? null,
    currency: k.currency ?? 'RUB',
    includedMinutes: k.included_minutes ?? null,
    hourlyRateCents: k.hourly_rate_cents ?? null,
    reopenLimit: k.reopen_limit ?? null,
    reopenWindowDays: k.reopen_window_days ?? null,
    ticketTimeBudgetMinutes: k.ticket_time_budget_minutes ?? null,
    slaPolicyId: k.sla_policy_id ?? null,
    coveredComponentIds: k.covered_component_ids ?? null,
    coveredChannels: k.covered_channels ?? null,
  };
}

const encodeId = (n: number) => Buffer.from(String(n)).toString('base64url');
const decodeId = (raw: unknown) => {
  if (typeof raw !== 'string' || raw === '') return undefined;
  const v = Buffer.from(raw, 'base64url').toString('utf8');
  if (!/^\d{1,12}$/.test(v)) throw invalid('cursor is not one this API gave out', { cursor: 'Invalid' });
  return Number(v);
};

export const API_ROUTES: ApiRoute[] = [
  {
    method: 'get', path: '/me', permission: 'profile.edit', tag: 'me', summary: 'The user the token belongs to',
    response: s.one(s.meOut),
    handle: (c) => ({ data: { id: c.user.id, email: c.user.email, name: c.user.name, role: c.user.role, locale: c.user.locale, time_zone: c.user.timeZone } }),
  },
  {
    method: 'get', path: '/tickets', permission: 'ticket.view', tag: 'tickets',
    summary: 'List tickets: the queue views and filters of the console, keyset-paged',
    query: s.ticketListQuery, response: s.page(s.ticketOut),
    handle: async (c) => {
      const q = parseQueueQuery(c.query);
      if (typeof c.query.cursor === 'string' && c.query.cursor && !q.cursor) throw invalid('cursor is not one this API gave out', { cursor: 'Invalid' });
      const result = await runQueue(c.ctx, q, await filterFor(c.ctx, q, c.user), perPage(c.query.per_page));
      return { data: result.rows.map((t) => presentTicket(t, url(c))), next_cursor: result.next };
    },
  },
  {
    method: 'get', path: '/search', permission: 'ticket.view', tag: 'tickets',
    summary: 'Search tickets as the console does: word forms, phrases, OR, -word and fields, the best match first, with highlighted snippets',
    query: s.searchQuery, response: s.page(s.searchHitOut),
    errors: { 422: 'q names something the desk cannot place (org:, assignee:, a date), or has nothing to look for' },
    handle: async (c) => {
      const text = typeof c.query.q === 'string' ? c.query.q.trim() : '';
      const q = parseQueueQuery({ ...c.query, view: c.query.view ?? 'all', q: '', sort: undefined, cursor: undefined });
      const cursor = typeof c.query.cursor === 'string' && c.query.cursor ? c.query.cursor : null;
      const { page, problems } = await searchPage(c.ctx, text, await filterFor(c.ctx, q, c.user), {
        user: c.user, timeZone: c.user.timeZone, cursor, order: c.query.order === 'date' ? 'date' : 'relevance', limit: perPage(c.query.per_page),
      });
      if (problems.length) throw invalid(`Search not understood: ${problems.map((p) => (p.name === 'text' ? `"${p.value}" (nothing to look for)` : `${p.name}:${p.value} (${p.problem === 'ambiguous' ? 'more than one match' : 'no match'})`)).join(', ')}`, { q: 'fields' });
      return {
        data: page.hits.map((h) => ({ ticket: presentTicket(h.ticket, url(c)), message_id: h.messageId, subject_html: snippetHtml(h.subject ?? h.ticket.subject), snippet_html: h.snippet ? snippetHtml(h.snippet) : null })),
        next_cursor: page.next,
      };
    },
  },
  {
    method: 'post', path: '/tickets', permission: 'ticket.create', tag: 'tickets', summary: 'Open a ticket for a requester (found or created by email)',
    body: s.ticketCreate, status: 201, response: s.one(s.ticketOut),
    handle: async (c) => {
      const b = parseInput(s.ticketCreate, c.body);
      const t = await createTicket(c.ctx, actor(c), {
        subject: b.subject, body: b.body, requesterEmail: b.requester_email, requesterName: b.requester_name, priority: b.priority,
        type: b.type, category: b.category, componentId: b.component_id, channel: b.channel ?? 'api',
      });
      return { data: presentTicket(await getTicket(c.ctx.db, t.id), url(c)) };
    },
  },
  {
    method: 'get', path: '/tickets/:number', permission: 'ticket.view', tag: 'tickets', summary: 'One ticket with its messages (replies, internal notes, events)',
    response: s.one(s.ticketWithMessagesOut),
    handle: async (c) => ({ data: await ticketWithMessages(c, await ticketOf(c)) }),
  },
  {
    method: 'patch', path: '/tickets/:number', permission: 'ticket.edit', tag: 'tickets',
    summary: 'Change status, priority, type, category, component, assignee, estimate, due date or planned time (all or nothing)',
    body: s.ticketPatch, response: s.one(s.ticketOut),
    handle: async (c) => {
      const t = await ticketOf(c);
      const b = parseInput(s.ticketPatch, c.body);
      const updated = await updateTicketProperties(c.ctx, actor(c), {
        ticketId: t.id, status: b.status, reason: b.reason, priority: b.priority as Priority | undefined, type: b.type as TicketType | undefined,
        category: b.category as Category | null | undefined, componentId: b.component_id, assigneeId: b.assignee_id, estimateMinutes: b.estimate_minutes,
        dueAt: b.due_at, plannedAt: b.planned_at,
      });
      return { data: presentTicket(updated, url(c)) };
    },
  },
  {
    method: 'post', path: '/tickets/:number/replies', permission: 'ticket.reply', tag: 'tickets',
    summary: 'Reply to the requester through the ticket\'s channel (email or SMS); the outbox sends it',
    body: s.replyCreate, status: 201, response: s.one(s.messageOut),
    handle: async (c) => {
      const t = await ticketOf(c);
      const b = parseInput(s.replyCreate, c.body);
      const attachments = (b.attachments ?? []).map((a) => {
        if (!/^[A-Za-z0-9+/=\s]*$/.test(a.content_base64)) throw invalid(`${a.filename}: content_base64 is not base64`, { attachments: 'Not base64' });
        return { filename: a.filename, contentType: a.content_type ?? 'application/octet-stream', content: Buffer.from(a.content_base64, 'base64') };
      });
      const m = await replyToTicket(c.ctx, actor(c), { ticketId: t.id, body: b.body, cc: b.cc, attachments });
      return { data: presentMessage(m, await listAttachmentsForMessages(c.ctx.db, [m.id]), url(c), c.ctx.mailHtml) };
    },
  },
  {
    method: 'post', path: '/tickets/:number/notes', permission: 'ticket.note', tag: 'tickets', summary: 'Add an internal note (agents only see it)',
    body: s.noteCreate, status: 201, response: s.one(s.messageOut),
    handle: async (c) => {
      const t = await ticketOf(c);
      const m = await addNote(c.ctx, actor(c), { ticketId: t.id, body: parseInput(s.noteCreate, c.body).body });
      return { data: presentMessage(m, [], url(c), c.ctx.mailHtml) };
    },
  },
  {
    method: 'post', path: '/tickets/:number/worklogs', permission: 'ticket.worklog', tag: 'tickets', summary: 'Log time spent on the ticket',
    body: s.worklogCreate, status: 201, response: s.one(s.worklogOut),
    handle: async (c) => {
      const t = await ticketOf(c);
      const b = parseInput(s.worklogCreate, c.body);
      return { data: presentWorklog(await logWork(c.ctx, actor(c), { ticketId: t.id, minutes: b.minutes, note: b.note, billable: b.billable ?? true })) };
    },
  },
  {
    method: 'post', path: '/tickets/:number/merge', permission: 'ticket.merge', tag: 'tickets',
    summary: 'Merge this ticket into another: its conversation and time move there, it is closed and linked; its requester joins the other ticket',
    body: s.mergeCreate, response: s.one(s.ticketOut),
    errors: { '409': 'The tickets belong to different requesters or organisations: who_sees_what says who would see which conversation; send again with "confirm": true (code confirmation_required)' },
    handle: async (c) => {
      const t = await ticketOf(c);
      const b = parseInput(s.mergeCreate, c.body);
      const target = await mergeTickets(c.ctx, actor(c), { sourceId: t.id, targetNumber: b.into, confirm: b.confirm === true });
      return { data: presentTicket(target, url(c)) };
    },
  },
  calendarApiRoute,
  {
    method: 'get', path: '/contacts', permission: 'contact.view', tag: 'contacts', summary: 'List or search contacts, keyset-paged by id',
    query: s.contactListQuery, response: s.page(s.contactOut),
    handle: async (c) => {
      const limit = perPage(c.query.per_page, 50);
      const org = typeof c.query.organization === 'string' && /^\d+$/.test(c.query.organization) ? Number(c.query.organization) : undefined;
      const rows = await listContactsAfter(c.ctx.db, { q: typeof c.query.q === 'string' ? c.query.q : undefined, organizationId: org, afterId: decodeId(c.query.cursor), limit: limit + 1 });
      const shown = rows.slice(0, limit);
      return { data: await Promise.all(shown.map(async (x) => await presentContact(c.ctx.db, x))), next_cursor: rows.length > limit ? encodeId(shown[shown.length - 1].id) : null };
    },
  },
  {
    method: 'post', path: '/contacts', permission: 'contact.manage', tag: 'contacts', summary: 'Create a contact',
    body: s.contactCreate, status: 201, response: s.one(s.contactOut),
    handle: async (c) => ({ data: await presentContact(c.ctx.db, await createContact(c.ctx, c.user, contactInput(parseInput(s.contactCreate, c.body)))) }),
  },
  {
    method: 'get', path: '/contacts/:id', permission: 'contact.view', tag: 'contacts', summary: 'One contact',
    response: s.one(s.contactOut),
    handle: async (c) => ({ data: await presentContact(c.ctx.db, await getContact(c.ctx.db, numberParam(c.params.id, 'Contact'))) }),
  },
  {
    method: 'patch', path: '/contacts/:id', permission: 'contact.manage', tag: 'contacts', summary: 'Change a contact (fields left out stay as they are)',
    body: s.contactPatch, response: s.one(s.contactOut),
    handle: async (c) => {
      const id = numberParam(c.params.id, 'Contact');
      const base = await presentContact(c.ctx.db, await getContact(c.ctx.db, id));
      return { data: await presentContact(c.ctx.db, await editContact(c.ctx, c.user, id, contactInput(parseInput(s.contactPatch, c.body), base))) };
    },
  },
  {
    method: 'get', path: '/organizations', permission: 'organization.view', tag: 'organizations', summary: 'All organizations with their contract fields',
    response: s.page(s.organizationOut),
    handle: async (c) => ({ data: await Promise.all((await listOrganizations(c.ctx.db)).map(async (o) => await presentOrganization(c.ctx.db, o))), next_cursor: null }),
  },
  {
    method: 'post', path: '/organizations', permission: 'organization.manage', tag: 'organizations', summary: 'Create an organization (domains, contract)',
    body: s.organizationCreate, status: 201, response: s.one(s.organizationOut),
    handle: async (c) => ({ data: await presentOrganization(c.ctx.db, await createOrganization(c.ctx, c.user, organizationInput(parseInput(s.organizationCreate, c.body)))) }),
  },
  {
    method: 'get', path: '/organizations/:id', permission: 'organization.view', tag: 'organizations', summary: 'One organization',
    response: s.one(s.organizationOut),
    handle: async (c) => ({ data: await presentOrganization(c.ctx.db, await getOrganization(c.ctx.db, numberParam(c.params.id, 'Organization'))) }),
  },
  {
    method: 'patch', path: '/organizations/:id', permission: 'organization.manage', tag: 'organizations',
    summary: 'Change an organization; contract fields left out stay as they are',
    body: s.organizationPatch, response: s.one(s.organizationOut),
    handle: async (c) => {
      const id = numberParam(c.params.id, 'Organization');
      const base = await presentOrganization(c.ctx.db, await getOrganization(c.ctx.db, id));
      return { data: await presentOrganization(c.ctx.db, await editOrganization(c.ctx, c.user, id, organizationInput(parseInput(s.organizationPatch, c.body), base))) };
    },
  },
  {
    method: 'get', path: '/kb/articles', permission: 'kb.view', tag: 'knowledge base',
    summary: 'Knowledge-base articles the token\'s user may read (drafts too for those who write them), found by word forms',
    query: s.kbListQuery, response: s.page(s.kbArticleOut),
    handle: async (c) => {
      const category = typeof c.query.category === 'string' && /^\d+$/.test(c.query.category) ? Number(c.query.category) : null;
      const locale = c.query.locale === 'en' || c.query.locale === 'ru' ? c.query.locale : undefined;
      const rows = await listKbArticles(c.ctx.db, { access: kbAccessFor(c.user.role), text: typeof c.query.q === 'string' ? c.query.q : '', categoryId: category, locale, limit: perPage(c.query.per_page) });
      const figures = await kbFigures(c.ctx.db, rows.map((a) => a.id));
      return { data: rows.map((a) => presentKbArticle(a, figures.get(a.id), url(c))), next_cursor: null };
    },
  },
  {
    method: 'get', path: '/kb/articles/:id', permission: 'kb.view', tag: 'knowledge base', summary: 'One knowledge-base article, its Markdown and its sanitised HTML',
    response: s.one(s.kbArticleOut),
    handle: async (c) => {
      const a = await getKbArticle(c.ctx.db, numberParam(c.params.id, 'Article'));
      if (!kbReadable(kbAccessFor(c.user.role), a)) throw new AppError('not_found', 'Article not found');
      return { data: presentKbArticle(a, (await kbFigures(c.ctx.db, [a.id])).get(a.id), url(c)) };
    },
  },
];
