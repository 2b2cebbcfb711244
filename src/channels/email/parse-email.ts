// Turns raw RFC 5322 mail into an InboundMessage (mailparser does the MIME work).
import { simpleParser, type AddressObject, type HeaderValue } from 'mailparser';
import { sha256Hex } from '../../store/file-store.ts';
import type { Parser } from '../../intake/receive.ts';
import type { Address, InboundAttachment, InboundMessage } from '../../intake/types.ts';

export class MalformedMailError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedMailError';
  }
}

const TRACE_HEADERS = /^(received|return-path|delivered-to|x-original-to|x-received|arc-[a-z-]+|authentication-results|dkim-signature|x-gm-[a-z-]+)$/i;

/**
 * A stable id for mail without a Message-ID: the hash of the message minus the trace headers that
 * each delivery adds, so the same mail fetched or delivered twice gets the same id.
 */
export function synthesizeMessageId(raw: Buffer): string {
  const text = raw.toString('latin1');
  const split = text.search(/\r?\n\r?\n/);
  const head = split === -1 ? text : text.slice(0, split);
  const body = split === -1 ? '' : text.slice(split);
  const kept = head
    .split(/\r?\n(?![ \t])/)
    .filter((h) => !TRACE_HEADERS.test(h.slice(0, h.indexOf(':')).trim()))
    .join('\n');
  return `${sha256Hex(Buffer.from(kept + body.replace(/\r\n/g, '\n'), 'latin1')).slice(0, 40)}@synthesized.invalid`;
}

export function stripAngles(id: string): string {
  return id.trim().replace(/^<+|>+$/g, '').trim();
}

/** Message-IDs in a References / In-Reply-To value, in order. */
export function messageIdList(value: string | string[] | undefined): string[] {
  if (!value) return [];
  const joined = Array.isArray(value) ? value.join(' ') : value;
  const ids = joined.match(/<[^<>\s]+>/g);
  if (ids) return ids.map(stripAngles);
  return joined.split(/[\s,]+/).map(stripAngles).filter((s) => s.includes('@'));
}

function addresses(value: AddressObject | AddressObject[] | undefined): Address[] {
  if (!value) return [];
  const list = Array.isArray(value) ? value : [value];
  const out: Address[] = [];
  const walk = (items: AddressObject['value']) => {
    for (const a of items) {
      if (a.group) walk(a.group);
      else if (a.address && a.address.includes('@')) out.push({ address: a.address.trim().toLowerCase(), name: (a.name ?? '').trim() });
    }
  };
  for (const obj of list) walk(obj.value);
  return out;
}

function headerText(v: HeaderValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map((x) => headerText(x as HeaderValue)).join(', ');
  if (v && typeof v === 'object') {
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('value' in v && typeof v.value === 'string') {
      const params = 'params' in v && v.params ? Object.entries(v.params).map(([k, p]) => `; ${k}=${p}`).join('') : '';
      return v.value + params;
    }
  }
  return String(v);
}

export const parseEmail: Parser = async (input, deps) => {
  const raw = input.raw;
  if (raw.length === 0 || raw.toString('latin1').trim() === '') throw new MalformedMailError('empty message');
  if (raw.length > deps.config.limits.mailBytes) {
    throw new MalformedMailError(`message is ${raw.length} bytes, over the ${deps.config.limits.mailBytes}-byte limit (MAX_MAIL_BYTES)`);
  }
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true, skipTextToHtml: true, keepCidLinks: true });

  const headers: Record<string, string[]> = {};
  for (const line of parsed.headerLines) {
    const name = line.key.toLowerCase();
    const value = parsed.headers.get(name);
    (headers[name] ??= []).push(value === undefined ? line.line.slice(line.line.indexOf(':') + 1).trim() : headerText(value));
  }
  if (parsed.headerLines.length === 0) throw new MalformedMailError('no mail headers found');

  const from = addresses(parsed.from)[0] ?? addresses(parsed.headers.get('sender') as AddressObject | undefined)[0] ?? null;
  if (!from) throw new MalformedMailError('no sender address (From header missing or unreadable)');

  const messageId = parsed.messageId ? stripAngles(parsed.messageId) : '';
  const problems: string[] = [];
  const attachments: InboundAttachment[] = parsed.attachments.map((a, i) => {
    const filename = (a.filename ?? '').trim() || `attachment-${i + 1}${extensionFor(a.contentType)}`;
    return {
      filename,
      contentType: a.contentType || 'application/octet-stream',
      content: a.content,
      size: a.size ?? a.content.length,
      contentId: a.contentId ? stripAngles(a.contentId) : null,
      inline: a.contentDisposition === 'inline' && !!a.contentId,
    };
  });

  const deliveredTo = [
    ...(input.envelopeTo ?? []),
    ...(headers['delivered-to'] ?? []),
    ...(headers['x-original-to'] ?? []),
  ].map((a) => stripAngles(a).toLowerCase());

  const msg: InboundMessage = {
    channel: 'email',
    source: input.source,
    mailboxId: input.mailboxId,
    receivedAt: input.receivedAt,
    raw,
    rawSha256: input.rawSha256,
    externalId: messageId || synthesizeMessageId(raw),
    externalIdSynthesized: !messageId,
    from,
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    replyTo: addresses(parsed.replyTo),
    deliveredTo: [...new Set(deliveredTo)],
    subject: (parsed.subject ?? '').replace(/\s+/g, ' ').trim(),
    text: (parsed.text ?? '').replace(/\r\n/g, '\n'),
    html: typeof parsed.html === 'string' ? parsed.html : null,
    date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.getTime() : null,
    inReplyTo: messageIdList(parsed.inReplyTo),
    references: messageIdList(parsed.references),
    headers,
    attachments,
    problems,
  };
  return msg;
};

function extensionFor(contentType: string): string {
  const map: Record<string, string> = {
    'image/png': '.png', 'image/jpeg': '.jpg', 'image/gif': '.gif', 'application/pdf': '.pdf',
    'text/plain': '.txt', 'text/html': '.html', 'message/rfc822': '.eml', 'text/calendar': '.ics',
  };
  return map[contentType.toLowerCase()] ?? '.bin';
}
