// Reads the Authentication-Results header (RFC 8601) that the mailbox provider wrote, for desks that
// believe their provider's checks (MAIL_SENDER_VERIFY=authserv). Anyone can write such a header
// into a mail, so only the topmost one carrying the configured authserv-id counts: the provider
// adds its own above everything the sender wrote.
import { relaxedAligned, type SenderEvidence } from '../../domain/sender-trust.ts';

export type AuthResultEntry = { method: string; result: string; props: Record<string, string> };
export type AuthResultsHeader = { authservId: string; results: AuthResultEntry[] };

const QUOTED_SPACE = '\u0000';

/** Removes (nested) comments and splits on ";" outside quoted strings. */
function segments(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') current += value[++i] ?? '';
      else if (c === '"') quoted = false;
      else current += /\s/.test(c) ? QUOTED_SPACE : c; // kept inside its value when the segment is split on spaces
    } else if (depth > 0) {
      if (c === '(') depth++;
      else if (c === ')') depth--;
      else if (c === '\\') i++;
    } else if (c === '(') {
      depth = 1;
      current += ' ';
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      out.push(current.trim());
      current = '';
    } else current += c;
  }
  out.push(current.trim());
  return out;
}

/** One Authentication-Results value; undefined when it names no authserv-id. */
export function parseAuthenticationResults(value: string): AuthResultsHeader | undefined {
  const [head, ...rest] = segments(value);
  const authservId = head?.split(/\s+/)[0]?.toLowerCase();
  if (!authservId || authservId.includes('=')) return undefined;
  const results: AuthResultEntry[] = [];
  for (const seg of rest) {
    const [first, ...props] = seg.split(/\s+/).filter(Boolean);
    const m = first?.match(/^([a-z0-9-]+)(?:\/\d+)?=([a-z]+)$/i);
    if (!m) continue;
    const entry: AuthResultEntry = { method: m[1].toLowerCase(), result: m[2].toLowerCase(), props: {} };
    for (const p of props) {
      const eq = p.indexOf('=');
      if (eq > 0) entry.props[p.slice(0, eq).toLowerCase()] = p.slice(eq + 1).replaceAll(QUOTED_SPACE, ' ');
    }
    results.push(entry);
  }
  return { authservId, results };
}

const domainOf = (v: string | undefined) => (v ? v.slice(v.lastIndexOf('@') + 1).toLowerCase() : '');

/** The evidence in the topmost header of `authservId`; the headers are in mail order (top first). */
export function authservEvidence(values: string[] | undefined, authservId: string, fromAddress: string | null): SenderEvidence {
  const id = authservId.toLowerCase();
  const header = (values ?? []).map(parseAuthenticationResults).find((h) => h?.authservId === id);
  const from = domainOf(fromAddress ?? undefined) || null;
  if (!header) return { method: 'authserv', fromDomain: null, dmarc: null, dkim: [], spf: null, error: `no Authentication-Results from ${id}` };
  const dmarc = header.results.find((r) => r.method === 'dmarc');
  const spf = header.results.find((r) => r.method === 'spf');
  const spfDomain = domainOf(spf?.props['smtp.mailfrom']) || domainOf(spf?.props['smtp.helo']);
  const aligned = (d: string) => !!from && !!d && relaxedAligned(d, from);
  return {
    method: 'authserv',
    // DMARC names the From domain it judged; a different one is a verdict about another mail
    fromDomain: domainOf(dmarc?.props['header.from']) || from,
    dmarc: dmarc ? { result: dmarc.result } : null,
    dkim: header.results
      .filter((r) => r.method === 'dkim')
      .map((r) => {
        const d = (r.props['header.d'] ?? domainOf(r.props['header.i'])).toLowerCase();
        return { domain: d, result: r.result, aligned: aligned(d) };
      }),
    spf: spf ? { domain: spfDomain, result: spf.result, aligned: aligned(spfDomain) } : null,
    error: null,
  };
}
