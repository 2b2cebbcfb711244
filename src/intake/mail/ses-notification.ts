// Reads an Amazon SES notification mailed as JSON (directly, or inside an SNS envelope's "Message"):
// a Bounce, a Complaint (a recipient's spam report, ARF in JSON) or a Delivery.
// https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html
import { findStatus, preferStatus, replyCodeIn } from './status-code.ts';

export type SesNotification = {
  kind: 'bounce' | 'complaint' | 'delivery';
  /** Bounce: bounceType Permanent (or Undetermined); false for a Transient bounce, a complaint, a delivery */
  permanent: boolean;
  status: string | null;
  action: string | null;
  recipients: string[];
  diagnostic: string | null;
  originalMessageId: string | null;
};

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

function parseJson(s: string): Json | null {
  try {
    const v: unknown = JSON.parse(s);
    return v && typeof v === 'object' ? (v as Json) : null;
  } catch {
    return null;
  }
}

/** The notification in a mail's text, or null when the text is not one. */
export function readSesNotification(text: string): SesNotification | null {
  // SNS appends "--\nIf you wish to stop receiving notifications…"; long lines may come back
  // broken as "!\n " by an MTA that wraps lines over 990 characters
  const body = text.replace(/\r\n?/g, '\n').split(/\n\n--\n/)[0].replace(/!\n /g, '').trim();
  if (!body.startsWith('{') || !/"(notificationType|eventType)"|"Type"\s*:\s*"Notification"/.test(body)) return null;
  let doc = parseJson(body);
  if (doc && typeof doc.Message === 'string') doc = parseJson(doc.Message);
  if (!doc) return null;
  const type = str(doc.notificationType) ?? str(doc.eventType);
  const mail = obj(doc.mail);
  const originalMessageId = str(obj(mail.commonHeaders).messageId)?.replace(/^<|>$/g, '') ?? null;

  if (type === 'Bounce') {
    const bounce = obj(doc.bounce);
    const rcpts = arr(bounce.bouncedRecipients).map(obj);
    const diagnostic = rcpts.map((r) => str(r.diagnosticCode)).find(Boolean)?.replace(/^smtp\s*;\s*/i, '') ?? null;
    const stated = rcpts.map((r) => str(r.status)).find(Boolean) ?? null;
    const transient = str(bounce.bounceType) === 'Transient';
    return {
      kind: 'bounce',
      permanent: !transient,
      status: preferStatus(findStatus(stated), findStatus(diagnostic), replyCodeIn(diagnostic)),
      action: rcpts.map((r) => str(r.action)).find(Boolean) ?? (transient ? 'delayed' : 'failed'),
      recipients: rcpts.map((r) => str(r.emailAddress)?.toLowerCase()).filter((a): a is string => !!a),
      diagnostic,
      originalMessageId,
    };
  }
  if (type === 'Complaint') {
    const complaint = obj(doc.complaint);
    return {
      kind: 'complaint',
      permanent: false,
      status: null,
      action: 'complained',
      recipients: arr(complaint.complainedRecipients).map((r) => str(obj(r).emailAddress)?.toLowerCase()).filter((a): a is string => !!a),
      diagnostic: str(complaint.complaintFeedbackType),
      originalMessageId,
    };
  }
  if (type === 'Delivery') {
    const delivery = obj(doc.delivery);
    const response = str(delivery.smtpResponse);
    return {
      kind: 'delivery',
      permanent: false,
      status: findStatus(response) ?? '2.0.0',
      action: 'delivered',
      recipients: arr(delivery.recipients).map((r) => str(r)?.toLowerCase()).filter((a): a is string => !!a),
      diagnostic: response,
      originalMessageId,
    };
  }
  return null;
}
