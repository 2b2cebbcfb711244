// Reads a delivery report: RFC 3464 DSN fields (message/delivery-status), the returned original
// (message/rfc822 or text/rfc822-headers), and, for MTAs that send plain-text bounces (qmail,
// Exim, old Sendmail), the status codes and addresses in the text.
import type { InboundAttachment, InboundMessage } from '../types.ts';

export type DeliveryReport = {
  status: string | null;
  action: string | null;
  recipients: string[];
  diagnostic: string | null;
  originalMessageId: string | null;
};

const REPORT_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const ORIGINAL_TYPES = new Set(['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers', 'text/rfc822-header']);

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

function statusCode(s: string | undefined): string | null {
  const m = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/.exec(s ?? '');
  return m ? `${m[1]}.${m[2]}.${m[3]}` : null;
}

function messageIdIn(block: string): string | null {
  const m = /^message-id\s*:\s*<?([^\s<>]+@[^\s<>]+)>?/im.exec(block.replace(/\r\n?/g, '\n').replace(/\n[ \t]+/g, ' '));
  return m ? m[1] : null;
}

function fromDsn(part: InboundAttachment): Omit<DeliveryReport, 'originalMessageId'> {
  // per-message fields, then one block per recipient
  const blocks = part.content.toString('utf8').replace(/\r\n?/g, '\n').split(/\n\s*\n/).map(headerFields);
  const recipients: string[] = [];
  let status: string | null = null;
  let action: string | null = null;
  let diagnostic: string | null = null;
  for (const f of blocks.slice(1).length ? blocks.slice(1) : blocks) {
    const rcpt = addressOf(f.get('final-recipient')?.[0]) ?? addressOf(f.get('original-recipient')?.[0]);
    if (!rcpt && !f.has('status') && !f.has('action')) continue;
    if (rcpt && !recipients.includes(rcpt)) recipients.push(rcpt);
    const s = statusCode(f.get('status')?.[0]);
    const a = f.get('action')?.[0]?.toLowerCase().trim() ?? null;
    // the worst recipient decides: a failure over a delay over a success
    const rank = (x: string | null, act: string | null) => (x?.startsWith('5') || act === 'failed' ? 3 : x?.startsWith('4') || act === 'delayed' ? 2 : 1);
    if (status === null || rank(s, a) > rank(status, action)) {
      status = s ?? status;
      action = a ?? action;
      diagnostic = f.get('diagnostic-code')?.[0]?.replace(/^smtp\s*;\s*/i, '') ?? diagnostic;
    }
  }
  return { status, action, recipients, diagnostic };
}

function fromText(text: string): Omit<DeliveryReport, 'originalMessageId'> {
  const status = statusCode(text) ?? (/\b(5[0-5]\d)[ -]/.exec(text) ? '5.0.0' : /\b(4[2-5]\d)[ -]/.exec(text) ? '4.0.0' : null);
  const recipients: string[] = [];
  // qmail "<a@b>:", Exim "  a@b", Postfix "<a@b>: host … said", "Final-Recipient: rfc822; a@b"
  for (const m of text.matchAll(/(?:^|\n)\s*<([^\s<>]+@[^\s<>]+)>\s*:|final-recipient:\s*(?:rfc822;)?\s*<?([^\s<>]+@[^\s<>]+)>?|(?:^|\n) {2}([^\s<>@]+@[^\s<>]+\.[a-z]{2,})\s*(?:\n|$)/gi)) {
    const a = (m[1] ?? m[2] ?? m[3]).toLowerCase().replace(/[.,;]+$/, '');
    if (!recipients.includes(a)) recipients.push(a);
  }
  return { status, action: null, recipients: recipients.slice(0, 20), diagnostic: null };
}

/** What a bounce says: the DSN fields when it has them, else what its text shows. */
export function readDeliveryReport(msg: InboundMessage): DeliveryReport {
  const dsn = msg.attachments.find((a) => REPORT_TYPES.has(a.contentType));
  const base = dsn ? fromDsn(dsn) : fromText(msg.text);
  // a generic X.0.0 next to the remote server's own, more precise code: keep the precise one
  const precise = statusCode(base.diagnostic ?? undefined);
  if (base.status && /\.0\.0$/.test(base.status) && precise && precise[0] === base.status[0]) base.status = precise;
  if (dsn && !base.status) base.status = fromText(msg.text).status;
  if (dsn && base.recipients.length === 0) base.recipients = fromText(msg.text).recipients;
  const original = msg.attachments.find((a) => ORIGINAL_TYPES.has(a.contentType));
  let originalMessageId = original ? messageIdIn(original.content.toString('utf8').split(/\r?\n\r?\n/)[0]) : null;
  if (!originalMessageId) {
    // a returned message quoted in the text ("------ This is a copy of the message, including all the headers")
    const m = /(?:^|\n)\s*message-id:\s*<([^\s<>]+@[^\s<>]+)>/i.exec(msg.text);
    originalMessageId = m ? m[1] : null;
  }
  return { ...base, originalMessageId };
}
