// Signed references to a ticket that we put in outgoing mail (Message-ID, plus-address Reply-To)
// so a reply can be matched to its ticket and a forged reference refused.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const SIG_LEN = 12; // base32 chars = 60 bits of HMAC-SHA256

/** A short HMAC of a payload (also signs requester portal links, domain/portal-link.ts). */
export function signPayload(key: string, payload: string): string {
  return base32(createHmac('sha256', key).update(payload).digest()).slice(0, SIG_LEN);
}

function base32(buf: Buffer): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** Compares two signatures in constant time. */
export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A Message-ID (without angle brackets) naming the ticket: hd.t<id>.<nonce>.<sig>@<domain>. */
export function makeMessageId(key: string, ticketId: number, domain: string, nonce = base32(randomBytes(8))): string {
  const payload = `t${ticketId}.${nonce}`;
  return `hd.${payload}.${signPayload(key, payload)}@${domain}`;
}

/** The ticket id a Message-ID of ours names, if its signature holds. */
export function readMessageId(key: string, messageId: string): number | undefined {
  const m = /^<?hd\.t(\d+)\.([a-z2-7]+)\.([a-z2-7]+)@[^>]+>?$/i.exec(messageId.trim());
  if (!m) return undefined;
  const payload = `t${m[1]}.${m[2]}`;
  return sameSignature(signPayload(key, payload), m[3].toLowerCase()) ? Number(m[1]) : undefined;
}

/** The domain (lower-case) of a Message-ID shaped like ours, signed or not; undefined for any other id. */
export function ourStyleMessageIdDomain(messageId: string): string | undefined {
  return /^<?hd\.t\d+\.[a-z2-7]+\.[a-z2-7]+@([^>]+)>?$/i.exec(messageId.trim())?.[1].toLowerCase();
}

/** True when the Message-ID looks like one of ours at this domain, signed or not (loop detection). */
export function looksLikeOurMessageId(messageId: string, domain: string): boolean {
  return ourStyleMessageIdDomain(messageId) === domain.toLowerCase();
}

/** The plus-address reply token: support+t<id>.<sig>@domain. */
export function makeReplyAddress(key: string, address: string, ticketId: number): string {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at).split('+')[0];
  const payload = `t${ticketId}`;
  return `${local}+${payload}.${signPayload(key, `reply.${payload}`)}${address.slice(at)}`;
}

/** The ticket id in a plus-address reply token, if its signature holds. */
export function readReplyAddress(key: string, address: string): number | undefined {
  const m = /^[^+@]+\+t(\d+)\.([a-z2-7]+)@/i.exec(address.trim());
  if (!m) return undefined;
  return sameSignature(signPayload(key, `reply.t${m[1]}`), m[2].toLowerCase()) ? Number(m[1]) : undefined;
}
