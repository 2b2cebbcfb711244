// Whether an inbound mail may be answered automatically (RFC 3834): never an auto-reply, a bounce,
// a mailing list or a no-reply address. Intake flags most of these too; this is the outbound
// side's own check, so an acknowledgement cannot start a loop whatever intake concluded.

const NO_REPLY_LOCAL = /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|mailer[-_.]?daemon|postmaster|bounces?|noreply[-_.].*|.*[-_.]no[-_.]?reply)$/i;

export function isNoReplyAddress(address: string): boolean {
  const local = address.trim().toLowerCase().split('@')[0].split('+')[0];
  return NO_REPLY_LOCAL.test(local);
}

type HeaderMap = Record<string, string[]>;

const first = (h: HeaderMap, name: string): string | undefined => h[name]?.[0]?.trim();

/** Why this mail must not get an automatic answer, or null when it may. */
export function autoAnswerRefusal(mail: { from: string | null; headers: HeaderMap }): string | null {
  const h = mail.headers;
  const autoSubmitted = first(h, 'auto-submitted');
  if (autoSubmitted && !/^no\b/i.test(autoSubmitted)) return `Auto-Submitted: ${autoSubmitted}`;
  const precedence = first(h, 'precedence');
  if (precedence && /^(bulk|junk|list|auto_reply)\b/i.test(precedence)) return `Precedence: ${precedence}`;
  if (h['list-id'] || h['list-unsubscribe'] || h['list-post']) return 'mailing list';
  const suppress = first(h, 'x-auto-response-suppress');
  if (suppress && /\b(all|autoreply|oof)\b/i.test(suppress)) return `X-Auto-Response-Suppress: ${suppress}`;
  if (h['x-autoreply'] || h['x-autorespond'] || h['x-autoresponder']) return 'auto-responder header';
  const returnPath = first(h, 'return-path');
  if (returnPath !== undefined && /^<?\s*>?$/.test(returnPath)) return 'null return path (bounce)';
  const contentType = first(h, 'content-type');
  if (contentType && /multipart\/report/i.test(contentType)) return 'delivery report';
  if (!mail.from) return 'no sender address';
  if (isNoReplyAddress(mail.from)) return `no-reply address ${mail.from}`;
  return null;
}
