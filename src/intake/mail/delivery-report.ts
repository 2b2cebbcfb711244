// Reads a delivery report: RFC 3464 DSN fields (message/delivery-status, or the same fields in the
// text when the MIME structure is broken or the report is wrapped in another), Amazon SES JSON
// notifications, the returned original (message/rfc822 or text/rfc822-headers), and, for MTAs that
// send plain-text bounces (qmail, Exim, old Sendmail, Exchange 2003, Domino, KDDI), the status codes
// and addresses in the text.
import type { InboundAttachment, InboundMessage } from '../types.ts';
import { readSesNotification } from './ses-notification.ts';
import { findStatus, isGenericStatus, listStatusCodes, preferStatus, replyCodeIn } from './status-code.ts';

export type DeliveryReport = {
  status: string | null;
  action: string | null;
  recipients: string[];
  diagnostic: string | null;
  originalMessageId: string | null;
  /** what the report is: a DSN (fields), a plain-text bounce, or an SES notification of a bounce, complaint or delivery */
  kind: 'dsn' | 'text' | 'ses-bounce' | 'ses-complaint' | 'ses-delivery';
  /** set when the report says outright whether the failure is permanent (SES bounceType) */
  permanent?: boolean;
};

type Recipient = { address: string | null; status: string | null; action: string | null; diagnostic: string | null };

const REPORT_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const ORIGINAL_TYPES = new Set(['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers', 'text/rfc822-header']);
// where a plain-text bounce starts quoting the returned message
const ORIGINAL_START =
  /^[ \t>]*-*[ \t]*(original message|this is a copy of|below (this line )?is a copy|returned message|unsent message|original mail as follows|original message headers|content-type:\s*message\/rfc822)/im;
const DSN_START = /^(reporting-mta|final-recipient|original-recipient)[ \t]*:/im;

/** Header fields of a block of "Name: value" lines (unfolded), names lower-cased. */
export function headerFields(block: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of block.replace(/\r\n?/g, '\n').replace(/\n[ \t]+/g, ' ').split('\n')) {
    const m = /^([A-Za-z0-9-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1].toLowerCase();
    out.set(key, [...(out.get(key) ?? []), m[2].trim()]);
  }
  return out;
}

function addressOf(field: string | undefined): string | null {
  if (!field) return null;
  const v = field.replace(/^(rfc822|x400|utf-8|unknown)\s*;\s*/i, '').trim();
  const m = /<?([^\s<>;"]+@[^\s<>;"]+?)>?$/.exec(v) ?? /([^\s<>;"]+@[^\s<>;"]+)/.exec(v);
  return m ? m[1].replace(/[.,;]+$/, '').toLowerCase() : null;
}

function messageIdIn(block: string): string | null {
  const m = /^message-id\s*:\s*<?([^\s<>]+@[^\s<>]+)>?/im.exec(block.replace(/\r\n?/g, '\n').replace(/\n[ \t]+/g, ' '));
  return m ? m[1] : null;
}

/** The part of a bounce's text that is its own notice, without the returned message it quotes. */
export function noticeOf(text: string): string {
  const m = ORIGINAL_START.exec(text);
  return m && m.index > 0 ? text.slice(0, m.index) : text;
}

/** One entry per recipient block of DSN fields (per-message fields carry no recipient, status or action). */
function dsnRecipients(fields: string): Recipient[] {
  const out: Recipient[] = [];
  for (const f of fields.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/).map(headerFields)) {
    const address = addressOf(f.get('final-recipient')?.[0]) ?? addressOf(f.get('original-recipient')?.[0]);
    if (!address && !f.has('status') && !f.has('action')) {
      if (out.length) break; // past the DSN: the returned message's headers
      continue;
    }
    out.push({
      address,
      status: findStatus(f.get('status')?.[0]),
      action: f.get('action')?.[0]?.toLowerCase().trim() ?? null,
      diagnostic: f.get('diagnostic-code')?.[0]?.replace(/^smtp\s*;\s*/i, '') ?? null,
    });
  }
  return out;
}

/** DSN fields written into a text: a report whose MIME parts did not parse, or one wrapped in another. */
function dsnInText(text: string): string | null {
  const m = DSN_START.exec(text);
  if (!m) return null;
  const rest = text.slice(m.index);
  return /^(status|action)[ \t]*:/im.test(rest) ? rest : null;
}

/**
 * A recipient's code: the remote server's precise code over the DSN's generic Status; when the
 * report has no reply from the remote server, or says only "expired" (4.4.7), what its
 * human-readable notice says about the recipient (same class only).
 */
function refine(r: Recipient, notice: string, single: boolean): string | null {
  const inReply = findStatus(r.diagnostic);
  let status = preferStatus(r.status, inReply, replyCodeIn(r.diagnostic));
  if (!notice || !(status === '4.4.7' || (isGenericStatus(status) && !inReply))) return status;
  const about = single ? notice : notice.split('\n').filter((l) => r.address && l.toLowerCase().includes(r.address)).join('\n');
  const said = findStatus(about, { failuresFirst: true });
  if (said && (!status || said[0] === status[0])) status = preferStatus(status, said);
  return status;
}

/**
 * A plain-text bounce's code: the codes on the line of its first failure code (a transcript's
 * "250 2.1.5 Ok" lines before it do not count); its paragraph when that line's code is generic.
 */
function textStatus(notice: string): string | null {
  const lines = notice.split('\n');
  const i = lines.findIndex((l) => listStatusCodes(l).some((c) => c[0] !== '2'));
  if (i < 0) return findStatus(notice);
  const onLine = findStatus(lines[i], { failuresFirst: true });
  if (!isGenericStatus(onLine)) return onLine;
  const end = lines.findIndex((l, j) => j > i && !l.trim());
  return findStatus(lines.slice(i, end < 0 ? undefined : end).join('\n'), { failuresFirst: true });
}

function fromDsn(fields: string, notice: string): Omit<DeliveryReport, 'originalMessageId'> {
  const rcpts = dsnRecipients(fields);
  const recipients = [...new Set(rcpts.map((r) => r.address).filter((a): a is string => !!a))];
  // the worst recipient decides: a failure over a delay over a success; the first of equals
  const rank = (r: Recipient) => (r.status?.startsWith('5') || r.action === 'failed' ? 3 : r.status?.startsWith('4') || r.action === 'delayed' ? 2 : 1);
  let worst: Recipient | null = null;
  for (const r of rcpts) {
    r.status = refine(r, notice, recipients.length <= 1);
    if (!worst || rank(r) > rank(worst)) worst = r;
  }
  return { status: worst?.status ?? null, action: worst?.action ?? null, recipients, diagnostic: worst?.diagnostic ?? null, kind: 'dsn' };
}

function fromText(text: string): Omit<DeliveryReport, 'originalMessageId'> {
  const notice = noticeOf(text);
  const reply = (t: string) => /(?:^|[\s(:'"<])([45][0-5]\d)[ -]/.exec(t)?.[1];
  const code = reply(notice) ?? reply(text);
  const status = textStatus(notice) ?? textStatus(text) ?? (code ? `${code[0]}.0.0` : null);
  const recipients: string[] = [];
  // qmail "<a@b>:", Postfix "<a@b>: host … said", "Final-Recipient: rfc822; a@b", an address alone on
  // its line (Exim "  a@b", Sendmail "<a@b>", GroupWise "a@b (user not found)"), KDDI "Could not be
  // delivered to: <a@b>", Exchange 2003 "a@b on <date>"
  const ADDRESS = /(?:^|\n)\s*<([^\s<>]+@[^\s<>]+)>\s*:|final-recipient:\s*(?:rfc822;)?\s*<?([^\s<>]+@[^\s<>]+)>?|(?:^|\n)[ \t]*<?([^\s<>@]+@[^\s<>]+\.[a-z]{2,})>?[ \t]*(?:\([^\n]*\))?[ \t]*(?=\n|$)|could not be delivered to:\s*<([^\s<>]+@[^\s<>]+)>|(?:^|\n)\s*([^\s<>@]+@[^\s<>]+\.[a-z]{2,}) on \w/gi;
  for (const m of notice.matchAll(ADDRESS)) {
    const a = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5]).toLowerCase().replace(/[.,;]+$/, '');
    if (!recipients.includes(a)) recipients.push(a);
  }
  return { status, action: null, recipients: recipients.slice(0, 20), diagnostic: null, kind: 'text' };
}

/** The mail's text; the raw body when the parser found none (a multipart whose boundaries do not match). */
function textOf(msg: InboundMessage): string {
  if (msg.text.trim() || msg.attachments.length) return msg.text;
  const raw = msg.raw.toString('utf8').replace(/\r\n?/g, '\n');
  const start = raw.indexOf('\n\n');
  return start < 0 ? '' : raw.slice(start + 2);
}

function originalOf(msg: InboundMessage, text: string): string | null {
  const original = msg.attachments.find((a) => ORIGINAL_TYPES.has(a.contentType));
  const id = original ? messageIdIn(original.content.toString('utf8').split(/\r?\n\r?\n/)[0]) : null;
  if (id) return id;
  // a returned message quoted in the text ("------ This is a copy of the message, including all the headers")
  const m = /(?:^|\n)\s*message-id:\s*<([^\s<>]+@[^\s<>]+)>/i.exec(text);
  return m ? m[1] : null;
}

const contentOf = (a: InboundAttachment) => a.content.toString('utf8');

/** What a bounce says: the DSN fields when it has them, else what its text shows. */
export function readDeliveryReport(msg: InboundMessage): DeliveryReport {
  const text = textOf(msg);
  const ses = readSesNotification(text);
  if (ses) {
    const { kind, ...rest } = ses;
    return { ...rest, kind: `ses-${kind}` };
  }
  const notice = noticeOf(text);
  const dsnPart = msg.attachments.find((a) => REPORT_TYPES.has(a.contentType));
  const fields =
    (dsnPart ? contentOf(dsnPart) : null) ??
    dsnInText(text) ??
    msg.attachments.filter((a) => ORIGINAL_TYPES.has(a.contentType)).map((a) => dsnInText(contentOf(a))).find(Boolean) ??
    null;
  let plain: ReturnType<typeof fromText> | undefined;
  const inText = () => (plain ??= fromText(text));
  const base = fields ? fromDsn(fields, notice) : inText();
  if (fields && !base.status) base.status = inText().status;
  if (fields && base.recipients.length === 0) base.recipients = inText().recipients;
  return { ...base, originalMessageId: originalOf(msg, text) };
}
