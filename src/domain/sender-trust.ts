// How much a mail's From is believed: the evidence a transport gathered about the From domain
// (DKIM, SPF, DMARC — checked by the desk or by the mailbox provider) turned into one verdict.
// Pure: the DNS work is done before, by the email channel.

/** What the email channel could establish about the domain in the From header. */
export type SenderEvidence = {
  method: 'mailauth' | 'authserv';
  /** the From domain the check looked at (null: none, or several From addresses) */
  fromDomain: string | null;
  /** the whole From address the check looked at, when it reports one */
  fromAddress?: string | null;
  /** the DMARC result for the From domain, when there was one to compute */
  dmarc: { result: string } | null;
  /** every DKIM signature: its d= domain, result and whether d= is aligned with the From domain */
  dkim: { domain: string; result: string; aligned: boolean }[];
  /** SPF of the envelope sender, when the sending server's address was known */
  spf: { domain: string; result: string; aligned: boolean } | null;
  /** the check could not be completed: DNS failure or timeout, no header from the provider */
  error: string | null;
};

export type SenderVerdict = 'verified' | 'unverified' | 'unknown';

export const SENDER_REASONS = [
  'dmarc', 'dkim', 'spf', // verified
  'dmarc-fail', 'bad-signature', 'no-signature', 'from-mismatch', // not verified
  'dns', 'no-results', 'no-from', // unknown
] as const;
export type SenderReason = (typeof SENDER_REASONS)[number];

/** Stored on the message: what intake concluded about its sender. */
export type SenderCheck = {
  verdict: SenderVerdict;
  reason: SenderReason;
  method: SenderEvidence['method'];
  /** the From address is one of our agents' */
  claimsAgent: boolean;
};

const TEMPORARY = new Set(['temperror', 'temperr']);

/**
 * The verdict for a From address given the evidence. Verified means the From domain itself was
 * authenticated: DMARC pass, or a DKIM signature / SPF pass aligned with it.
 */
export function judgeSender(evidence: SenderEvidence, fromAddress: string | null): { verdict: SenderVerdict; reason: SenderReason } {
  const domain = fromAddress?.split('@')[1]?.toLowerCase();
  if (!domain) return { verdict: 'unknown', reason: 'no-from' };
  if (evidence.error && evidence.method === 'authserv') return { verdict: 'unknown', reason: 'no-results' };
  // the check must have read the same From as intake, or its verdict is about another address
  if (evidence.fromDomain !== null && evidence.fromDomain !== domain) return { verdict: 'unverified', reason: 'from-mismatch' };
  // a signed mail of one person of a domain does not vouch for another address of the same domain
  if (evidence.fromAddress && evidence.fromAddress !== fromAddress?.toLowerCase()) return { verdict: 'unverified', reason: 'from-mismatch' };
  if (evidence.fromDomain === null && !evidence.error) return { verdict: 'unknown', reason: 'no-from' };
  if (evidence.dmarc?.result === 'pass') return { verdict: 'verified', reason: 'dmarc' };
  if (evidence.dmarc?.result === 'fail') return { verdict: 'unverified', reason: 'dmarc-fail' };
  if (evidence.dkim.some((d) => d.result === 'pass' && d.aligned)) return { verdict: 'verified', reason: 'dkim' };
  if (evidence.spf?.result === 'pass' && evidence.spf.aligned) return { verdict: 'verified', reason: 'spf' };
  const temporary = evidence.error !== null || TEMPORARY.has(evidence.dmarc?.result ?? '') || evidence.dkim.some((d) => TEMPORARY.has(d.result));
  if (temporary) return { verdict: 'unknown', reason: 'dns' };
  if (evidence.dkim.some((d) => d.aligned)) return { verdict: 'unverified', reason: 'bad-signature' };
  return { verdict: 'unverified', reason: 'no-signature' };
}

/**
 * Relaxed DMARC alignment without the public suffix list: the same domain, or one a subdomain
 * of the other where the parent has at least two labels (mail.example.com signs for
 * example.com). Used where the provider reported results but not the alignment.
 */
export function relaxedAligned(a: string, b: string): boolean {
  const x = a.toLowerCase().replace(/\.$/, '');
  const y = b.toLowerCase().replace(/\.$/, '');
  if (x === y) return true;
  const [long, short] = x.length > y.length ? [x, y] : [y, x];
  return short.includes('.') && long.endsWith(`.${short}`);
}
