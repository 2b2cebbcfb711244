// Checks DKIM, SPF and DMARC of an inbound mail with mailauth (MAIL_SENDER_VERIFY=mailauth) and
// reports what it found as SenderEvidence. SPF needs the sending server's address, which only the
// SMTP listener knows, and only when it is the MX speaking with that server (spf-applies.ts); all
// other mail is judged by DKIM and DMARC. Every lookup goes through the resolver it is given (the
// real DNS with a timeout, or a test's table); a lookup that fails or a check that runs out of
// time leaves the sender unknown, never loses the mail.
import { Resolver } from 'node:dns/promises';
import { dkimVerify, dmarc, spf } from 'mailauth';
import type { DnsResolve } from '../../deps.ts';
import { relaxedAligned, type SenderEvidence } from '../../domain/sender-trust.ts';
import type { SendingServer } from '../../intake/receive.ts';
import { spfApplies } from './spf-applies.ts';

export type { DnsResolve };

/** The system's DNS servers, each lookup limited to `timeoutMs` (one retry). */
export function systemDnsResolver(timeoutMs: number): DnsResolve {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
  return (name, rrtype) => resolver.resolve(name, rrtype) as Promise<string[] | string[][]>;
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

type CheckOptions = {
  resolver: DnsResolve;
  /** the SMTP client that handed the mail over (the listener's mail only) */
  client?: SendingServer;
  /** the listener is the internet-facing MX (SMTP_INBOUND_MX): only then can the client be the sender's server */
  listenerIsMx: boolean;
  mta: string;
};

async function evaluate(raw: Buffer, { resolver, client, listenerIsMx, mta }: CheckOptions): Promise<SenderEvidence> {
  const dkimResult = await dkimVerify(raw, { resolver, sender: client?.mailFrom ?? undefined });
  const from = dkimResult.headerFrom ?? [];
  const fromDomain = from.length === 1 ? domainOf(from[0]) : null;
  const aligned = (d: string) => !!fromDomain && !!d && relaxedAligned(d, fromDomain);
  const dkim = (dkimResult.results ?? [])
    .filter((r) => r.signingDomain)
    // a signature over only the first l= bytes of the body vouches for none of what follows them
    .map((r) => ({ domain: r.signingDomain.toLowerCase(), result: r.status.underSized ? 'partial-body' : r.status.result, aligned: !!r.status.aligned }));

  let spfResult: SenderEvidence['spf'] = null;
  if (client && spfApplies(client.ip, listenerIsMx)) {
    const s = await spf({ sender: client.mailFrom || undefined, ip: client.ip, helo: client.helo || client.ip, mta, resolver });
    const domain = (s.domain ?? '').toLowerCase();
    spfResult = { domain, result: s.status.result, aligned: aligned(domain) };
  }

  let dmarcResult: SenderEvidence['dmarc'] = null;
  if (fromDomain) {
    const d = await dmarc({
      headerFrom: from[0],
      spfDomains: spfResult?.result === 'pass' ? [spfResult.domain] : [],
      dkimDomains: (dkimResult.results ?? [])
        .filter((r) => r.status.result === 'pass' && !r.status.underSized)
        .map((r) => ({ id: r.id, domain: r.signingDomain, aligned: r.status.aligned, underSized: r.status.underSized })),
      resolver,
    });
    if (d) dmarcResult = { result: d.status.result };
  }
  return { method: 'mailauth', fromDomain, fromAddress: from.length === 1 ? from[0].toLowerCase() : null, dmarc: dmarcResult, dkim, spf: spfResult, error: null };
}

/** The evidence for one mail; a failure or `deadlineMs` passing gives evidence with `error` set. */
export async function checkMailAuth(
  raw: Buffer,
  opts: CheckOptions & { deadlineMs: number },
): Promise<SenderEvidence> {
  const failed = (error: string): SenderEvidence => ({ method: 'mailauth', fromDomain: null, dmarc: null, dkim: [], spf: null, error });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<SenderEvidence>((resolve) => {
    timer = setTimeout(() => resolve(failed(`the check took longer than ${opts.deadlineMs} ms`)), opts.deadlineMs);
  });
  try {
    const work = evaluate(raw, opts).catch((err: unknown) => failed(err instanceof Error ? err.message : String(err)));
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
