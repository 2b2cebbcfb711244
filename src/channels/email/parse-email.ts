// Turns raw RFC 5322 mail into an InboundMessage (mailparser does the MIME work; our charset
// fallback runs first; attachments over MAX_ATTACHMENT_BYTES or past MAX_ATTACHMENTS_PER_MAIL, and
// text past the limits in mail-limits.ts, are reported and stay only in the original mail).
import { simpleParser, type AddressObject, type Attachment, type ParsedMail } from 'mailparser';
import { isUtf8 } from 'node:buffer';
import libmime from 'libmime';
import { sha256Hex } from '../../store/file-store.ts';
import type { Parser } from '../../intake/receive.ts';
import type { Address, InboundAttachment, InboundMessage } from '../../intake/types.ts';
import { htmlDeeperThan } from './html-depth.ts';
import { htmlToPlainText } from './html-text.ts';
import { capChars, limitReason, MAX_HTML_CHARS, MAX_HTML_DEPTH, MAX_REFERENCES, MAX_SUBJECT_CHARS, MAX_TEXT_CHARS, PARSER_LIMITS } from './mail-limits.ts';
import { repairMime } from './mime-repair.ts';
import { senderEvidence } from './sender-evidence.ts';
import { hasDomain, readFrom } from './sender.ts';
import { extraTextParts, type ExtraPart } from './body-parts.ts';
import type { SenderEvidence } from '../../domain/sender-trust.ts';

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
      else if (a.address && a.address.includes('@')) out.push({ address: a.address.trim().toLowerCase(), name: (a.name ?? '').replace(/[ \t\r\n]+/g, ' ').trim() });
    }
  };
  for (const obj of list) walk(obj.value);
  return out;
}

export const parseEmail: Parser = async (input, deps) => {
  const raw = input.raw;
  if (isBlank(raw)) throw new MalformedMailError('empty message');
  if (raw.length > deps.config.limits.mailBytes) {
    throw new MalformedMailError(`message is ${raw.length} bytes, over the ${deps.config.limits.mailBytes}-byte limit (MAX_MAIL_BYTES)`);
  }
  // 8-bit text without a usable charset gets the likely one, broken folding is mended (never fails)
  const repaired = repairMime(raw);
  const parsed = await parseMime(repaired.raw);

  const headers: Record<string, string[]> = {};
  for (const line of parsed.headerLines) {
    const rawValue = line.line.slice(line.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
    (headers[line.key.toLowerCase()] ??= []).push(decodeWords(rawValue));
  }
  if (parsed.headerLines.length === 0) throw new MalformedMailError('no mail headers found');

  const problems: string[] = [...repaired.problems];
  // every From header and every mailbox in it, the first with a whole address; then Sender, Reply-To
  const fromLines = parsed.headerLines.filter((l) => l.key === 'from').map((l) => utf8Line(l.line.slice(l.line.indexOf(':') + 1)).replace(/\r?\n[ \t]+/g, ' ').trim());
  const written = readFrom(fromLines);
  let from: Address | null =
    (written && hasDomain(written.address) ? written : null) ??
    addresses(parsed.from)[0] ??
    addresses(parsed.headers.get('sender') as AddressObject | undefined)[0] ??
    addresses(parsed.replyTo)[0] ??
    null;
  if (!from) {
    // "From: MAILER-DAEMON (Mail Delivery System)": a sender without a domain is kept as written,
    // never given one (identify-requester never mails it); "From: <>" (the null sender), or a
    // report with no From at all, is the mail system itself
    const fromLine = headers.from?.[0]?.trim();
    const contentType = headers['content-type']?.[0] ?? '';
    // "From: <>" or "From: Mail Delivery System <>": the null sender, with the name it gives itself
    const nullSender = fromLine !== undefined && /<\s*>\s*$/.test(fromLine);
    const mailSystem = nullSender || (!fromLine && (/^<\s*>$/.test(headers['return-path']?.[0]?.trim() ?? '') || /multipart\/report/i.test(contentType)));
    const ownName = nullSender ? fromLine.replace(/<\s*>\s*$/, '').trim().replace(/^"(.*)"$/, '$1').trim() : '';
    from = written ?? (mailSystem ? { address: 'mailer-daemon', name: ownName || 'Mail Delivery System' } : null);
    if (from) problems.push(`the sender has no domain (From: ${fromLine ?? 'missing'}); recorded as "${from.address}", which is never mailed`);
  }
  if (!from) throw new MalformedMailError('no sender address (From header missing or unreadable)');

  const messageId = parsed.messageId ? stripAngles(parsed.messageId) : '';
  const html = keptHtml(parsed.html, problems);
  const { attachments, omittedAttachments } = keepAttachments(parsed, extraTextParts(repaired.raw), html, deps.config.limits, problems);
  if (parsed.textConversionError) problems.push(`HTML could not be converted to text: ${parsed.textConversionError.message}`);

  let text = kept(capChars((parsed.text || htmlText(html, problems)).replace(/\r\n/g, '\n'), MAX_TEXT_CHARS, 'text'), problems);
  if (text.includes('\uFFFD') && !raw.includes(REPLACEMENT_UTF8)) problems.push('some characters could not be decoded and were replaced');
  // Gmail's plain-text stand-ins for images shown inline in the HTML part
  if (attachments.some((a) => a.inline)) text = text.replace(/\[image: [^\]\n]*\]/g, '').replace(/^[ \t]*\n/, '');

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
    subject: kept(capChars((parsed.subject ?? '').replace(/\s+/g, ' ').trim(), MAX_SUBJECT_CHARS, 'subject'), problems),
    text,
    html,
    textFromHtml: !!html && !hasPlainPart(repaired.raw),
    date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.getTime() : null,
    inReplyTo: messageIdList(parsed.inReplyTo),
    // the newest are the ones threading needs; a mail with thousands is not worth thousands of lookups
    references: messageIdList(parsed.references).slice(-MAX_REFERENCES),
    headers,
    attachments,
    problems,
    omittedAttachments,
  };
  const auth = await senderEvidence({ raw, sender: input.sender, from: from.address, headers }, deps);
  if (auth) msg.senderAuth = soleFromHeader(parsed, headers, from.address) ? auth : withoutFrom(auth);
  return msg;
};

/** mailparser, bounded by the limits in mail-limits.ts; a mail that breaks one gets a plain reason. */
async function parseMime(raw: Buffer): Promise<ParsedMail> {
  try {
    return await simpleParser(raw, {
      skipImageLinks: true, skipTextLinks: true, skipTextToHtml: true, keepCidLinks: true,
      // HTML-only mail is turned into text here, after our own depth check (htmlText), not by the
      // parser before it: its check misses nesting that implied closes do not undo
      skipHtmlToText: true,
      // DSN fields stay a part of their own, for bounce detection, instead of joining the text
      keepDeliveryStatus: true,
      ...PARSER_LIMITS,
    });
  } catch (err) {
    const reason = limitReason(err);
    throw reason ? new MalformedMailError(reason) : err;
  }
}

function kept(capped: { text: string; problem: string | null }, problems: string[]): string {
  if (capped.problem) problems.push(capped.problem);
  return capped.text;
}

/** The HTML to keep: at most MAX_HTML_CHARS of it, none when it nests deeper than MAX_HTML_DEPTH. */
function keptHtml(value: string | false | undefined, problems: string[]): string | null {
  if (typeof value !== 'string') return null;
  const html = kept(capChars(value, MAX_HTML_CHARS, 'HTML'), problems);
  if (!htmlDeeperThan(html, MAX_HTML_DEPTH)) return html;
  problems.push(`the HTML nests elements more than ${MAX_HTML_DEPTH.toLocaleString('en-US')} deep; it is not kept (the text is), the whole HTML is in the original mail`);
  return null;
}

/**
 * The attachments to store: each within MAX_ATTACHMENT_BYTES, at most MAX_ATTACHMENTS_PER_MAIL of
 * them in mail order. The rest are reported and stay only in the original mail.
 */
function keepAttachments(
  parsed: ParsedMail,
  extra: ExtraPart[],
  html: string | null,
  limits: { attachmentBytes: number; attachmentsPerMail: number },
  problems: string[],
): { attachments: InboundAttachment[]; omittedAttachments: NonNullable<InboundMessage['omittedAttachments']> } {
  const htmlLower = html?.toLowerCase() ?? '';
  const rawText = parsed.text ?? '';
  const attachments: InboundAttachment[] = [];
  const omittedAttachments: NonNullable<InboundMessage['omittedAttachments']> = [];
  const names = new Set<string>();
  let overCount = 0;
  const parts: Part[] = [
    ...parsed.attachments.map((a: Attachment) => ({
      filename: a.filename, contentType: a.contentType, contentId: a.contentId, content: a.content, size: a.size ?? a.content.length,
      description: headerText(a.headers.get('content-description')),
    })),
    ...extra.map((e) => ({ ...e, contentId: e.contentId ?? undefined, size: e.content.length, description: '' })),
  ];
  parts.forEach((a) => {
    const size = a.size;
    if (attachments.length >= limits.attachmentsPerMail && size <= limits.attachmentBytes) {
      overCount++; // not named: a mail with hundreds of them gets one line, not hundreds
      return;
    }
    const contentType = (a.contentType || 'application/octet-stream').toLowerCase();
    const filename = uniqueName(names, cleanFilename(a.filename ?? '') || nameFor(a.contentType, a.contentId, a.content, a.description));
    if (size > limits.attachmentBytes) {
      omittedAttachments.push({ filename, contentType, size });
      problems.push(`attachment "${filename}" (${size} bytes) is over the ${limits.attachmentBytes}-byte limit (MAX_ATTACHMENT_BYTES); it is kept only in the original message`);
      return;
    }
    const contentId = a.contentId ? stripAngles(a.contentId) : null;
    attachments.push({
      filename,
      contentType,
      content: a.content,
      size,
      contentId,
      // shown in the body rather than listed: an image the HTML refers to by cid:, or one a
      // mail without HTML stands in for with "[image: name]" (Gmail's plain text)
      inline: !!contentId && (htmlLower.includes(`cid:${contentId.toLowerCase()}`) || (!html && rawText.includes(`[image: ${filename}]`))),
    });
  });
  if (overCount > 0) {
    problems.push(
      `${overCount} more ${overCount === 1 ? 'attachment is' : 'attachments are'} only in the original mail ` +
        `(a mail keeps at most ${limits.attachmentsPerMail}: MAX_ATTACHMENTS_PER_MAIL)`,
    );
  }
  return { attachments, omittedAttachments };
}

/** Nothing but white space (or nothing at all), without turning a large mail into a string. */
function isBlank(raw: Buffer): boolean {
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i];
    // what String.prototype.trim() removes from a latin1 string: tab … CR, space, NBSP
    if (!((b >= 0x09 && b <= 0x0d) || b === 0x20 || b === 0xa0)) return false;
  }
  return true;
}

/** A header line as mailparser keeps it (one char a byte) read as the UTF-8 that mime-repair left. */
function utf8Line(line: string): string {
  const bytes = Buffer.from(line, 'latin1');
  return /[\x80-\xff]/.test(line) && isUtf8(bytes) ? bytes.toString('utf8') : line;
}

function decodeWords(value: string): string {
  // most header values carry no encoded word: skip libmime's five passes over them
  if (!value.includes('=?') && !value.includes('\x00')) return value;
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

/** Whether any part of the mail is text/plain (or has no Content-Type, which means text/plain). */
function hasPlainPart(raw: Buffer): boolean {
  const text = raw.subarray(0, 4 * 1024 * 1024).toString('latin1');
  const head = text.slice(0, text.search(/\r?\n\r?\n/) >>> 0);
  if (!/^content-type:/im.test(head)) return true;
  return /^content-type:[ \t]*text\/plain/im.test(text);
}

const REPLACEMENT_UTF8 = Buffer.from('\uFFFD', 'utf8');

const EXTENSIONS: Record<string, string> = {
  'image/png': '.png', 'image/jpeg': '.jpg', 'image/jpg': '.jpg', 'image/pjpeg': '.jpg', 'image/gif': '.gif', 'image/webp': '.webp',
  'image/bmp': '.bmp', 'image/tiff': '.tif', 'image/svg+xml': '.svg', 'application/pdf': '.pdf', 'text/plain': '.txt',
  'text/html': '.html', 'text/csv': '.csv', 'text/calendar': '.ics', 'message/rfc822': '.eml', 'message/delivery-status': '.txt',
  'message/global-delivery-status': '.txt', 'text/rfc822-headers': '.txt', 'message/disposition-notification': '.txt',
  'message/feedback-report': '.txt', 'application/zip': '.zip', 'application/x-zip-compressed': '.zip', 'application/gzip': '.gz',
  'application/msword': '.doc', 'application/vnd.ms-excel': '.xls', 'application/vnd.ms-powerpoint': '.ppt',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': '.pptx',
  'application/pgp-signature': '.asc', 'application/pkcs7-signature': '.p7s', 'application/x-pkcs7-signature': '.p7s',
  'application/ms-tnef': '.dat', 'video/quicktime': '.mov', 'video/mp4': '.mp4', 'audio/mpeg': '.mp3', 'audio/wav': '.wav',
};

function extensionFor(contentType: string): string {
  return EXTENSIONS[contentType.toLowerCase()] ?? '';
}

type Part = { filename?: string; contentType: string; contentId?: string; content: Buffer; size: number; description: string };

function headerText(value: unknown): string {
  return typeof value === 'string' ? decodeWords(value).replace(/\s+/g, ' ').trim() : '';
}

/** A file name as a file system takes it: no folders ("../../x" → ".._.._x"), no control characters, composed accents. */
export function cleanFilename(name: string): string {
  return name.normalize('NFC').replace(/[\\/]/g, '_').replace(/[\x00-\x1f\x7f]+/g, ' ').trim().slice(0, 255);
}

// nameless parts of these types are named after their kind, as Zammad does
const KIND_NAMES: Record<string, string> = { image: 'image', video: 'video', audio: 'audio', text: 'document' };

/**
 * A name for a part that has none, as an agent would want to see it in the attachment list: a
 * returned or forwarded mail by its subject; an inline image by its Content-ID when that looks
 * like a file name (Outlook's <image001.jpg@01CDB132.D8A510F0>); a part of a type we know by its
 * Content-Description (Postfix's "Delivery report") or its kind ("image.jpg", "document.html");
 * else by its Content-ID, else "file".
 */
function nameFor(contentType: string, contentId: string | undefined, content: Buffer, description = ''): string {
  const type = (contentType || 'application/octet-stream').toLowerCase();
  if (type === 'message/rfc822' || type === 'message/global') {
    // a forwarded or returned mail: its subject
    const head = content.subarray(0, 64 * 1024).toString('utf8').split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
    const subject = /^subject:[ \t]*(.*)$/im.exec(head)?.[1]?.trim();
    const clean = subject ? cleanFilename(decodeWords(subject).replace(/[*?"<>|]+/g, ' ')).slice(0, 120).trim() : '';
    return `${clean || 'message'}.eml`;
  }
  const local = contentId ? cleanFilename(stripAngles(contentId).split('@')[0]) : '';
  if (local && /^[\p{L}\p{N} ._()-]{1,100}$/u.test(local) && /\.[a-z0-9]{2,5}$/i.test(local)) return local;
  const ext = extensionFor(type);
  const described = cleanFilename(description.replace(/[*?"<>|:]+/g, ' ')).slice(0, 100).trim();
  if (ext && described) return `${described}${ext}`;
  if (type.endsWith('delivery-status')) return 'delivery-status.txt';
  if (type === 'text/rfc822-headers') return 'original-headers.txt';
  if (type === 'text/calendar') return 'calendar.ics';
  const kind = KIND_NAMES[type.split('/')[0]];
  if (kind && (ext || kind !== 'document')) return `${kind}${ext}`;
  if (local && /^[\p{L}\p{N}._-]{1,100}$/u.test(local)) return local;
  return `file${ext}`;
}

/** image.jpg, image1.jpg, image2.jpg… (the number before the first dot keeps ".tar.gz" whole, as Zammad numbers them) */
function uniqueName(taken: Set<string>, name: string): string {
  let out = name;
  const dot = name.indexOf('.', 1);
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 1; taken.has(out); n++) out = `${stem}${n}${ext}`;
  taken.add(out);
  return out;
}

/**
 * The checks vouch for the From header only: a sender taken from Sender or Reply-To (no usable
 * From), or a mail with several From headers or addresses, has a From nobody vouched for.
 */
function soleFromHeader(parsed: ParsedMail, headers: Record<string, string[]>, address: string): boolean {
  const inFrom = addresses(parsed.from);
  return headers.from?.length === 1 && inFrom.length === 1 && inFrom[0].address === address;
}

function withoutFrom(evidence: SenderEvidence): SenderEvidence {
  return { ...evidence, fromDomain: null, fromAddress: null, dmarc: null, dkim: [], spf: null, error: null };
}

/** The text of a mail that has only HTML (already capped and depth-checked by keptHtml). */
function htmlText(html: string | null, problems: string[]): string {
  if (!html) return '';
  try {
    return htmlToPlainText(html);
  } catch (err) {
    problems.push(`HTML could not be converted to text: ${err instanceof Error ? err.message : String(err)}`);
    return '';
  }
}
