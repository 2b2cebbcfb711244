// Finds the enhanced status code (RFC 3463, "5.1.1") a delivery report means: in a remote server's
// reply, in a DSN's Status field, or in a plain-text bounce, and chooses between them the way
// bounce parsers such as sisimai do: the precise code over a generic one (X.0.0, 4.4.7 expired).

// a code not inside an IP address or version number ("192.5.1.1", "v2.0.0") and not a prefix of one
const CODE = /(?<![0-9./vV])([245])\.([0-7])\.(\d{1,3})(?![0-9]|\.\d)/g;
const REPLY = /(?<![0-9.\-/:])([245][0-5][0-9])(?=[ -]|$)/m;

/** Generic codes that say little: "something failed" (X.0.0) or "it expired" (4.4.7). */
export const isGenericStatus = (s: string | null | undefined): boolean => !s || /^\d\.0\.0$/.test(s) || s === '4.4.7';

/** Every status code in a text, in order of appearance. */
export function listStatusCodes(text: string): string[] {
  return [...text.matchAll(CODE)].map((m) => `${m[1]}.${m[2]}.${m[3]}`);
}

/** The first SMTP reply code ("550") in a server's answer, when it has one. */
export function replyCodeIn(text: string | null | undefined): string | null {
  return REPLY.exec(text ?? '')?.[1] ?? null;
}

/**
 * Chooses between a report's Status (`stated`) and the code found in the server's reply (`found`);
 * `reply` is the reply's SMTP code, which settles a disagreement about the class (4 or 5).
 */
export function preferStatus(stated: string | null, found: string | null, reply: string | null = null): string | null {
  if (!stated) return found;
  if (!found || stated === found) return stated;
  if (reply && stated[0] !== found[0]) {
    if (reply[0] === stated[0]) return stated;
    if (reply[0] === found[0]) return found;
  }
  if (/\.0\.0$/.test(stated)) return /\.0\.0$/.test(found) ? stated : found;
  if (stated.includes('.0') && !found.includes('.0')) return found; // X.Y.0 or X.0.Z: less precise
  if (/\.0\.0$/.test(found)) return stated;
  // ambiguous Status values: expired, "too many errors", system error, protocol problems
  if (stated === '4.4.7' || stated === '4.7.0' || stated.startsWith('5.3.') || /^\d\.5\.[1245]$/.test(stated)) return found;
  if (stated === '5.1.1') return found.includes('.0') || found.startsWith('5.5.') ? stated : found;
  if (stated === '5.1.3' && found.startsWith('5.7.')) return found;
  return stated;
}

/**
 * The status code a text means. Generic codes (X.0.0, 4.4.7) count only when nothing more precise
 * is there; with `failuresFirst`, success codes (2.x.x, an SMTP transcript's "250 2.1.5 Ok") count
 * only when no failure code is there.
 */
export function findStatus(text: string | null | undefined, opts: { failuresFirst?: boolean } = {}): string | null {
  let codes = listStatusCodes(text ?? '');
  if (opts.failuresFirst && codes.some((c) => c[0] !== '2')) codes = codes.filter((c) => c[0] !== '2');
  const ordered = [...codes.filter((c) => !isGenericStatus(c)), ...codes.filter(isGenericStatus)];
  let out: string | null = null;
  for (const c of ordered) out = out === null ? c : preferStatus(out, c);
  return out;
}
