// What ticket templates see: plain presented objects, never raw rows.
import type { Attachment, Message } from '../../store/messages.ts';
import type { Ticket } from '../../store/tickets.ts';
import type { User } from '../../store/users.ts';
import type { Contact } from '../../store/contacts.ts';

export type TicketRowVM = {
  id: number;
  number: number;
  subject: string;
  status: string;
  priority: string;
  channel: string;
  requester: string | null;
  assignee: string | null;
  updatedAt: number;
  createdAt: number;
  // SLA clock state, maintained by the workflow/SLA hooks
  firstResponseDueAt: number | null;
  firstRespondedAt: number | null;
  resolutionDueAt: number | null;
  slaPausedAt: number | null;
};

export function ticketRow(t: Ticket, names: { users: Map<number, string>; contacts: Map<number, string> }): TicketRowVM {
  return {
    id: t.id,
    number: t.number,
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    channel: t.channel,
    requester: t.requesterId ? (names.contacts.get(t.requesterId) ?? null) : null,
    assignee: t.assigneeId ? (names.users.get(t.assigneeId) ?? null) : null,
    updatedAt: t.lastActivityAt,
    createdAt: t.createdAt,
    firstResponseDueAt: t.firstResponseDueAt,
    firstRespondedAt: t.firstRespondedAt,
    resolutionDueAt: t.resolutionDueAt,
    slaPausedAt: t.slaPausedAt,
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
  /** sanitized at intake; cid: images point at their attachments */
  html: string | null;
  isAutoReply: boolean;
  deliveryStatus: string | null;
  eventType: string | null;
  eventData: Record<string, unknown> | null;
  attachments: AttachmentVM[];
};

export function threadItem(
  m: Message,
  atts: Attachment[],
  names: { users: Map<number, string>; contacts: Map<number, string> },
): ThreadItemVM {
  const author = m.authorUserId
    ? (names.users.get(m.authorUserId) ?? '—')
    : m.authorContactId
      ? (names.contacts.get(m.authorContactId) ?? m.fromAddress ?? '—')
      : (m.fromAddress ?? 'system');
  const newText = m.newText?.trim();
  const cids = new Map(atts.filter((a) => a.contentId).map((a) => [a.contentId!.toLowerCase(), a.id]));
  const html = m.bodyHtml
    ? m.bodyHtml.replace(/src="cid:([^"]+)"/gi, (whole, cid: string) => {
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

export function nameMaps(users: User[], contacts: Contact[]) {
  return {
    users: new Map(users.map((u) => [u.id, u.name])),
    contacts: new Map(contacts.map((c) => [c.id, c.name])),
  };
}

/** Event data with user ids resolved to names for the thread's sentences. */
function eventParams(data: Record<string, unknown>, names: { users: Map<number, string> }): Record<string, unknown> {
  const out: Record<string, unknown> = { ...data };
  for (const key of ['from', 'to'] as const) {
    if (typeof data[key] === 'number') out[`${key}Name`] = names.users.get(data[key] as number) ?? `#${String(data[key])}`;
  }
  return out;
}
