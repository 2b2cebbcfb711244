// A DNS answered from a table (for mailauth's resolver option) and real DKIM keys made per test:
// a test domain publishes its key, SPF and DMARC records in the table and signs mail with mailauth,
// so the desk's checks run exactly as against the real DNS.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { dkimSign } from 'mailauth';
import type { DnsResolve } from '../../src/channels/email/mail-auth.ts';
import type { Deps } from '../../src/deps.ts';

export type DnsTable = Record<string, Record<string, unknown[]>>;

export type FakeResolver = DnsResolve & { table: DnsTable; lookups: string[] };

function dnsError(code: string, name: string): Error {
  return Object.assign(new Error(`${code} ${name}`), { code });
}

/** Answers from `table` (name → rrtype → records); unknown names are NXDOMAIN, missing types NODATA. */
export function fakeResolver(table: DnsTable = {}): FakeResolver {
  const resolve = (async (name: string, rrtype: string) => {
    const key = name.toLowerCase().replace(/\.$/, '');
    resolve.lookups.push(`${rrtype} ${key}`);
    const entry = resolve.table[key];
    if (!entry) throw dnsError('ENOTFOUND', key);
    const records = entry[rrtype];
    if (!records?.length) throw dnsError('ENODATA', key);
    return records;
  }) as FakeResolver;
  resolve.table = table;
  resolve.lookups = [];
  return resolve;
}

/** Every lookup fails the way an unreachable DNS server does. */
export function failingResolver(code = 'ETIMEOUT'): DnsResolve {
  return async (name) => {
    throw dnsError(code, name);
  };
}

/** A resolver that never answers (a check must give up by its own deadline). */
export function silentResolver(): DnsResolve {
  return () => new Promise(() => {});
}

const keys = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();
/** One key per domain name for the whole test file (making RSA keys is slow). */
function keyOf(domain: string) {
  let pair = keys.get(domain);
  if (!pair) keys.set(domain, (pair = generateKeyPairSync('rsa', { modulusLength: 2048 })));
  return pair;
}

export type SigningDomain = { domain: string; selector: string; privateKey: string; records: DnsTable };

/**
 * A mail domain with a fresh RSA key published at <selector>._domainkey, an MX, and optionally
 * DMARC (p=…) and SPF (the IPs allowed to send for it).
 */
export function mailDomain(domain: string, opts: { dmarc?: 'reject' | 'none' | null; spfIps?: string[] } = {}): SigningDomain {
  const { privateKey, publicKey } = keyOf(domain);
  const selector = 'test';
  const p = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const txt = (s: string) => [s.match(/.{1,250}/g)!];
  const records: DnsTable = {
    [`${selector}._domainkey.${domain}`]: { TXT: txt(`v=DKIM1; k=rsa; p=${p}`) },
    [domain]: {
      MX: [{ exchange: `mx.${domain}`, priority: 10 }],
      ...(opts.spfIps ? { TXT: txt(`v=spf1 ${opts.spfIps.map((ip) => `ip4:${ip}`).join(' ')} -all`) } : {}),
    },
  };
  const dmarc = opts.dmarc === undefined ? 'reject' : opts.dmarc;
  if (dmarc) records[`_dmarc.${domain}`] = { TXT: txt(`v=DMARC1; p=${dmarc}`) };
  return { domain, selector, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), records };
}

/** The table of several domains together. */
export function dnsTable(...domains: SigningDomain[]): DnsTable {
  return Object.assign({}, ...domains.map((d) => d.records));
}

/**
 * Publishes `domain` (key, DMARC p=reject) in the DNS the desk's checks ask (deps.resolveDns,
 * a table resolver made on first use), so mail it signs is verified.
 */
export function useMailDomain(deps: Deps, domain: string, opts: Parameters<typeof mailDomain>[1] = {}): SigningDomain {
  const d = mailDomain(domain, opts);
  const current = deps.resolveDns as FakeResolver | undefined;
  if (current?.table) Object.assign(current.table, d.records);
  else deps.resolveDns = fakeResolver({ ...d.records });
  return d;
}

/** The mail with a DKIM-Signature of `by` prepended (relaxed/relaxed, as most providers sign). */
export async function signMail(raw: string | Buffer, by: SigningDomain, opts: { bodyLength?: number } = {}): Promise<string> {
  const key = { signingDomain: by.domain, selector: by.selector, privateKey: by.privateKey, ...(opts.bodyLength !== undefined ? { maxBodyLength: opts.bodyLength } : {}) };
  // mailauth signs what signatureData lists (its type declarations name the fields at the top level)
  const options = { canonicalization: 'relaxed/relaxed', ...key, signatureData: [key] };
  const { signatures, errors } = await dkimSign(raw, options);
  if (errors?.length) throw new Error(`DKIM signing failed: ${JSON.stringify(errors)}`);
  return signatures + raw;
}
