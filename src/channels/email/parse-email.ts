// Turns raw RFC 5322 mail into an InboundMessage (mailparser does the MIME work; our charset
// fallback runs first, and attachments over MAX_ATTACHMENT_BYTES are reported, not stored).
import { simpleParser, type AddressObject } from 'mailparser';
import libmime from 'libmime';
import { sha256Hex } from '../../store/file-store.ts';
import type { Parser } from '../../intake/receive.ts';
import type { Address, InboundAttachment, InboundMessage } from '../../intake/types.ts';
import { repairCharsets } from './charset-fallback.ts';

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

export const parseEmail: Parser = async (input, deps) => {
  const raw = input.raw;
  if (raw.length === 0 || raw.toString('latin1').trim() === '') throw new MalformedMailError('empty message');
  if (raw.length > deps.config.limits.mailBytes) {
    throw new MalformedMailError(`message is ${raw.length} bytes, over the ${deps.config.limits.mailBytes}-byte limit (MAX_MAIL_BYTES)`);
  }
  // 8-bit text without a usable charset is given the likely one first (never fails the message)
  const repaired = repairCharsets(raw);
  const parsed = await simpleParser(repaired.raw, {
    skipImageLinks: true, skipTextLinks: true, skipTextToHtml: true, keepCidLinks: true,
    // DSN fields stay a part of their own, for bounce detection, instead of joining the text
    keepDeliveryStatus: true,
  });

  const headers: Record<string, string[]> = {};
  for (const line of parsed.headerLines) {
    const rawValue = line.line.slice(line.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
    (headers[line.key.toLowerCase()] ??= []).push(decodeWords(rawValue));
  }
  if (parsed.headerLines.length === 0) throw new MalformedMailError('no mail headers found');

  const from =
    addresses(parsed.from)[0] ??
    addresses(parsed.headers.get('sender') as AddressObject | undefined)[0] ??
    addresses(parsed.replyTo)[0] ??
    null;
  if (!from) throw new MalformedMailError('no sender address (From header missing or unreadable)');

  const messageId = parsed.messageId ? stripAngles(parsed.messageId) : '';
  const problems: string[] = [...repaired.problems];
  const html = typeof parsed.html === 'string' ? parsed.html : null;
  const htmlLower = html?.toLowerCase() ?? '';
  const limit = deps.config.limits.attachmentBytes;
  const attachments: InboundAttachment[] = [];
  const omittedAttachments: { filename: string; contentType: string; size: number }[] = [];
  parsed.attachments.forEach((a, i) => {
    const contentType = (a.contentType || 'application/octet-stream').toLowerCase();
    const filename = (a.filename ?? '').trim() || `attachment-${i + 1}${extensionFor(contentType)}`;
    const size = a.size ?? a.content.length;
    if (size > limit) {
      omittedAttachments.push({ filename, contentType, size });
      problems.push(`attachment "${filename}" (${size} bytes) is over the ${limit}-byte limit (MAX_ATTACHMENT_BYTES); it is kept only in the original message`);
      return;
    }
    const contentId = a.contentId ? stripAngles(a.contentId) : null;
    attachments.push({
      filename,
      contentType,
      content: a.content,
      size,
      contentId,
      // shown in the HTML body rather than listed: an image the HTML refers to by cid:
      inline: !!contentId && htmlLower.includes(`cid:${contentId.toLowerCase()}`),
    });
  });
  if (parsed.textConversionError) problems.push(`HTML could not be converted to text: ${parsed.textConversionError.message}`);

  let text = (parsed.text ?? '').replace(/\r\n/g, '\n');
  if (text.includes('\uFFFD') && !raw.includes(REPLACEMENT_UTF8)) problems.push('some characters could not be decoded and were replaced');
  // Gmail's plain-text stand-ins for images shown inline in the HTML part
  if (attachments.some((a) => a.inline)) text = text.replace(/^\[image: [^\]\n]*\]\n?/gm, '');

  const deliveredTo = [
    ...(input.envelopeTo ?? []),
    ...(headers['delivered-to'] ?? []),
    ...(headers['x-original-to'] ?? []),
    ...(headers['envelope-to'] ?? []),
  ].map((a) => stripAngles(a).toLowerCase()).filter((a) => a.includes('@'));

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
    text,
    html,
    date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.getTime() : null,
    inReplyTo: messageIdList(parsed.inReplyTo),
    references: messageIdList(parsed.references),
    headers,
    attachments,
    problems,
    omittedAttachments,
  };
  return msg;
};

function decodeWords(value: string): string {
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

const REPLACEMENT_UTF8 = Buffer.from('\uFFFD', 'utf8');

function extensionFor(contentType: string): string {
  const map: Record<string, string> = {
    'image/png': '.png', 'image/jpeg': '.jpg', 'image/gif': '.gif', 'application/pdf': '.pdf',
    'text/plain': '.txt', 'text/html': '.html', 'message/rfc822': '.eml', 'text/calendar': '.ics',
  };
  return map[contentType.toLowerCase()] ?? '.bin';
}
