// What ticket templates see: plain presented objects, never raw rows.
import type { Attachment, Message } from '../../store/messages.ts';
import type { Ticket } from '../../store/tickets.ts';
import { SLA_NONE } from '../../db/schema.ts';
import type { MailHtmlCache } from '../../domain/safe-mail-html.ts';

export type TicketRowVM = {
  id: number;
  number: number;
  subject: string;
  status: string;
  priority: string;
  type: string;
  category: string | null;
  channel: string;
  requester: string | null;
  requesterId: number | null;
  assignee: string | null;
  assigneeId: number | null;
  component: string | null;
  componentId: number | null;
  organization: string | null;
  organizationId: number | null;
  isOpen: boolean;
  updatedAt: number;
  createdAt: number;
  estimateMinutes: number | null;
  loggedMinutes: number;
  mergedIntoId: number | null;
  // SLA clock state, maintained by the workflow/SLA hooks
  firstResponseDueAt: number | null;
  firstRespondedAt: number | null;
  nextResponseDueAt: number | null;
  resolutionDueAt: number | null;
  slaPausedAt: number | null;
  /** the earliest SLA time still pending, null when none */
  slaDueAt: number | null;
  slaOverdue: boolean;
};

type Names = { users: Map<number, string>; contacts: Map<number, string>; components?: Map<number, string>; organizations?: Map<number, string> };

export function ticketRow(t: Ticket, names: Names, now = Date.now()): TicketRowVM {
  const due = t.slaDueKey !== null && t.slaDueKey < SLA_NONE ? t.slaDueKey : null;
  return {
    id: t.id,
    number: t.number,
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    type: t.type,
    category: t.category,
    channel: t.channel,
    requester: t.requesterId ? (names.contacts.get(t.requesterId) ?? null) : null,
    requesterId: t.requesterId,
    assignee: t.assigneeId ? (names.users.get(t.assigneeId) ?? null) : null,
    assigneeId: t.assigneeId,
    component: t.componentId ? (names.components?.get(t.componentId) ?? null) : null,
    componentId: t.componentId,
    organization: t.organizationId ? (names.organizations?.get(t.organizationId) ?? null) : null,
    organizationId: t.organizationId,
    isOpen: !!t.isOpen,
    updatedAt: t.lastActivityAt,
    createdAt: t.createdAt,
    estimateMinutes: t.estimateMinutes,
    loggedMinutes: t.loggedMinutes,
    mergedIntoId: t.mergedIntoId,
    firstResponseDueAt: t.firstResponseDueAt,
    firstRespondedAt: t.firstRespondedAt,
    nextResponseDueAt: t.nextResponseDueAt,
    resolutionDueAt: t.resolutionDueAt,
    slaPausedAt: t.slaPausedAt,
    slaDueAt: t.isOpen ? due : null,
    slaOverdue: !!t.isOpen && due !== null && due < now,
  };
}

export type AttachmentVM = { id: number; filename: string; size: string; contentType: string; isImage: boolean };

export function attachmentVM(a: Attachment): AttachmentVM {
  return {
    id: a.id,
    filename: a.filename,
    size: humanSize(a.size),
    contentType: a.contentType,
    isImage: /^image\/(png|jpe?g|gif|webp)$/i.test(a.contentType),
  };
}

export type ThreadItemVM = {
  id: number;
  kind: string;
  direction: string;
  channel: string;
  author: string;
  fromAddress: string | null;
  createdAt: number;
  subject: string | null;
  /** the new content (quotes and signature stripped) */
  text: string;
  /** the whole text when it differs from `text` (shown behind "show quoted text") */
  fullText: string | null;
  /** sanitised now, whatever intake stored (see domain/safe-mail-html.ts); cid: images point at their attachments */
  html: string | null;
  isAutoReply: boolean;
  /** inbound mail whose sender the desk could not verify (verified and unchecked mail: null) */
  senderWarning: { unknown: boolean; reason: string; claimsAgent: boolean } | null;
  deliveryStatus: string | null;
  eventType: string | null;
  eventData: Record<string, unknown> | null;
  attachments: AttachmentVM[];
};

export function threadItem(m: Message, atts: Attachment[], names: Names, mailHtml: MailHtmlCache): ThreadItemVM {
  const author = m.authorUserId
    ? (names.users.get(m.authorUserId) ?? '—')
    : m.authorContactId
      ? (names.contacts.get(m.authorContactId) ?? m.fromAddress ?? '—')
      : (m.fromAddress ?? 'system');
  const newText = m.newText?.trim();
  const cids = new Map(atts.filter((a) => a.contentId).map((a) => [a.contentId!.toLowerCase(), a.id]));
  const html = m.bodyHtml
    ? mailHtml.safeHtml(m.id, m.bodyHtml).replace(/src="cid:([^"]+)"/gi, (whole, cid: string) => {
        const id = cids.get(cid.toLowerCase());
        return id ? `src="/attachments/${id}?inline=1"` : whole;
      })
    : null;
  return {
    id: m.id,
    kind: m.kind,
    direction: m.direction,
    channel: m.channel,
    author,
    fromAddress: m.fromAddress,
    createdAt: m.createdAt,
    subject: m.subject,
    text: newText || m.bodyText,
    fullText: newText && newText !== m.bodyText.trim() ? m.bodyText : null,
    html,
    isAutoReply: m.isAutoReply,
    senderWarning:
      m.senderCheck && m.senderCheck.verdict !== 'verified'
        ? { unknown: m.senderCheck.verdict === 'unknown', reason: m.senderCheck.reason, claimsAgent: m.senderCheck.claimsAgent }
        : null,
    deliveryStatus: m.deliveryStatus,
    eventType: m.eventType,
    eventData: m.eventData ? eventParams(m.eventData, names) : null,
    attachments: atts.filter((a) => !(a.inline && a.contentId && cids.has(a.contentId.toLowerCase()) && html?.includes(`/attachments/${a.id}?`))).map(attachmentVM),
  };
}

export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Event data with user and component ids resolved to names for the thread's sentences. */
function eventParams(data: Record<string, unknown>, names: Names): Record<string, unknown> {
  const out: Record<string, unknown> = { ...data };
  for (const key of ['from', 'to'] as const) {
    if (typeof data[key] === 'number') out[`${key}Name`] = names.users.get(data[key] as number) ?? `#${String(data[key])}`;
  }
  if (Array.isArray(data.changes)) {
    out.changes = (data.changes as { field: string; from: unknown; to: unknown }[]).map((c) => ({
      ...c,
      fromLabel: c.field === 'componentId' && typeof c.from === 'number' ? (names.components?.get(c.from) ?? `#${c.from}`) : null,
      toLabel: c.field === 'componentId' && typeof c.to === 'number' ? (names.components?.get(c.to) ?? `#${c.to}`) : null,
    }));
  }
  return out;
}
