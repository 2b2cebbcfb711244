// How many SMS segments a text costs (GSM-7 or UCS-2), and how to cut a long text so that it
// fits a budget with a suffix (a link to the full text) at the end.

// GSM 03.38 basic set, and the extension set whose characters take two septets.
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXT = new Set('^{}\\[~]|€\f');

export type SmsSize = { encoding: 'GSM-7' | 'UCS-2'; units: number; segments: number };

export function smsSize(text: string): SmsSize {
  let gsm = true;
  let septets = 0;
  for (const ch of text) {
    if (GSM_BASIC.has(ch)) septets += 1;
    else if (GSM_EXT.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return { encoding: 'GSM-7', units: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
  const units = text.length; // UTF-16 code units
  return { encoding: 'UCS-2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}

/** Twilio refuses bodies over 1,600 characters; we also cap the cost of one reply. */
export const SMS_MAX_CHARS = 1600;
export const SMS_MAX_SEGMENTS = 10;

export function fitsSms(text: string, maxSegments = SMS_MAX_SEGMENTS): boolean {
  return text.length <= SMS_MAX_CHARS && smsSize(text).segments <= maxSegments;
}

/**
 * The longest beginning of `text` (cut at a word boundary when one is near) for which
 * `compose(beginning)` still fits the budget. compose adds the ellipsis and the link.
 */
export function shortenForSms(text: string, compose: (head: string) => string, maxSegments = SMS_MAX_SEGMENTS): string {
  const chars = Array.from(text);
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fitsSms(compose(chars.slice(0, mid).join('')), maxSegments)) lo = mid;
    else hi = mid - 1;
  }
  let head = chars.slice(0, lo).join('');
  const space = head.search(/\s\S*$/);
  if (space > head.length * 0.8) head = head.slice(0, space);
  return compose(head.trimEnd());
}
