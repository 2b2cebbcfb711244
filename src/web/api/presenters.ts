// What leaves the API: plain snake_case objects with ISO times, never raw rows.
import { SLA_NONE } from '../../db/schema.ts';
import type { Db } from '../../db/client.ts';
import { listContactEmails, listContactPhones, type Contact } from '../../store/contacts.ts';
import type { Attachment, Message } from '../../store/messages.ts';
import { listOrganizationDomains, type Organization } from '../../store/organizations.ts';
import type { Ticket } from '../../store/tickets.ts';
import type { Worklog } from '../../store/worklogs.ts';
import type { MailHtmlCache } from '../../domain/safe-mail-html.ts';
import { renderMarkdown } from '../../domain/markdown.ts';
import type { KbArticle, KbFigures } from '../../store/kb.ts';

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

export function presentTicket(t: Ticket, publicUrl: string) {
  return {
    id: t.id,
    number: t.number,
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    type: t.type,
    category: t.category,
    channel: t.channel,
    component_id: t.componentId,
    requester_id: t.requesterId,
    organization_id: t.organizationId,
    assignee_id: t.assigneeId,
    estimate_minutes: t.estimateMinutes,
    due_at: iso(t.dueAt),
    planned_at: iso(t.plannedAt),
    logged_minutes: t.loggedMinutes,
    reopen_count: t.reopenCount,
    merged_into_id: t.mergedIntoId,
    sla: {
      first_response_due_at: iso(t.firstResponseDueAt),
      first_responded_at: iso(t.firstRespondedAt),
      next_response_due_at: iso(t.nextResponseDueAt),
      resolution_due_at: iso(t.resolutionDueAt),
      paused_at: iso(t.slaPausedAt),
      next_due_at: t.isOpen && t.slaDueKey !== null && t.slaDueKey < SLA_NONE ? iso(t.slaDueKey) : null,
    },
    created_at: iso(t.createdAt),
    updated_at: iso(t.lastActivityAt),
    resolved_at: iso(t.resolvedAt),
    closed_at: iso(t.closedAt),
    url: `${publicUrl}/tickets/${t.number}`,
  };
}

export function presentMessage(m: Message, atts: Attachment[], publicUrl: string, mailHtml: MailHtmlCache) {
  return {
    id: m.id,
    kind: m.kind,
    direction: m.direction,
    channel: m.channel,
    author_user_id: m.authorUserId,
    author_contact_id: m.authorContactId,
    from: m.fromAddress,
    to: m.toAddresses ?? [],
    cc: m.ccAddresses ?? [],
    subject: m.subject,
    body: m.bodyText,
    new_text: m.newText,
    html: m.bodyHtml ? mailHtml.safeHtml(m.id, m.bodyHtml) : null,
    is_auto_reply: m.isAutoReply,
    sender_check: m.senderCheck
      ? { verdict: m.senderCheck.verdict, reason: m.senderCheck.reason, method: m.senderCheck.method, claims_agent: m.senderCheck.claimsAgent }
      : null,
    delivery_status: m.deliveryStatus,
    event_type: m.eventType,
    event_data: m.eventData,
    attachments: atts.map((a) => ({ id: a.id, filename: a.filename, content_type: a.contentType, size: a.size, url: `${publicUrl}/attachments/${a.id}` })),
    created_at: iso(m.createdAt),
  };
}

export async function presentContact(db: Db, c: Contact) {
  return {
    id: c.id,
    name: c.name,
    emails: (await listContactEmails(db, c.id)).map((e) => e.email),
    phones: (await listContactPhones(db, c.id)).map((p) => p.phone),
    organization_id: c.organizationId,
    locale: c.locale,
    note: c.note,
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
  };
}

export async function presentOrganization(db: Db, o: Organization) {
  return {
    id: o.id,
    name: o.name,
    note: o.note,
    domains: await listOrganizationDomains(db, o.id),
    contract: {
      monthly_fee_cents: o.monthlyFeeCents,
      currency: o.currency,
      included_minutes: o.includedMinutes,
      hourly_rate_cents: o.hourlyRateCents,
      reopen_limit: o.reopenLimit,
      reopen_window_days: o.reopenWindowDays,
      ticket_time_budget_minutes: o.ticketTimeBudgetMinutes,
      sla_policy_id: o.slaPolicyId,
      covered_component_ids: o.coveredComponentIds,
      covered_channels: o.coveredChannels,
    },
    created_at: iso(o.createdAt),
    updated_at: iso(o.updatedAt),
  };
}

export function presentWorklog(w: Worklog) {
  return { id: w.id, ticket_id: w.ticketId, user_id: w.userId, minutes: w.minutes, note: w.note, billable: w.billable, worked_at: iso(w.workedAt), created_at: iso(w.createdAt) };
}

export function presentKbArticle(a: KbArticle, f: KbFigures | undefined, publicUrl: string) {
  return {
    id: a.id,
    title: a.title,
    body: a.body,
    html: renderMarkdown(a.body),
    category_id: a.categoryId,
    visibility: a.visibility,
    status: a.status,
    locale: a.locale,
    translation_group: a.translationGroup,
    views: a.views,
    helpful: f?.helpful ?? 0,
    unhelpful: f?.unhelpful ?? 0,
    deflections: f?.deflections ?? 0,
    created_at: iso(a.createdAt)!,
    updated_at: iso(a.updatedAt)!,
    published_at: iso(a.publishedAt),
    url: `${publicUrl}/kb/${a.id}`,
  };
}
