import { describe, expect, it } from 'vitest';
import { judgeSender, relaxedAligned, type SenderEvidence } from './sender-trust.ts';

const evidence = (e: Partial<SenderEvidence> = {}): SenderEvidence => ({
  method: 'mailauth', fromDomain: 'client.example', dmarc: null, dkim: [], spf: null, error: null, ...e,
});
const FROM = 'anna@client.example';

describe('judgeSender', () => {
  it.each<[string, Partial<SenderEvidence>, string, string]>([
    ['DMARC pass', { dmarc: { result: 'pass' } }, 'verified', 'dmarc'],
    ['an aligned DKIM pass without a DMARC record', { dmarc: { result: 'none' }, dkim: [{ domain: 'client.example', result: 'pass', aligned: true }] }, 'verified', 'dkim'],
    ['an aligned SPF pass', { spf: { domain: 'client.example', result: 'pass', aligned: true } }, 'verified', 'spf'],
    ['DMARC fail outweighs everything else', { dmarc: { result: 'fail' }, spf: { domain: 'client.example', result: 'pass', aligned: true } }, 'unverified', 'dmarc-fail'],
    ['a signature of another domain only', { dkim: [{ domain: 'mailer.example', result: 'pass', aligned: false }] }, 'unverified', 'no-signature'],
    ['a broken signature of the From domain', { dkim: [{ domain: 'client.example', result: 'fail', aligned: true }] }, 'unverified', 'bad-signature'],
    ['no signature at all', {}, 'unverified', 'no-signature'],
    ['a DNS failure', { dkim: [{ domain: 'client.example', result: 'temperror', aligned: true }] }, 'unknown', 'dns'],
    ['a check that did not finish', { fromDomain: null, error: 'DNS timeout' }, 'unknown', 'dns'],
    ['no header from the provider', { method: 'authserv', fromDomain: null, error: 'no Authentication-Results from mx.example' }, 'unknown', 'no-results'],
    ['a check of another From', { fromDomain: 'other.example', dmarc: { result: 'pass' } }, 'unverified', 'from-mismatch'],
    ['a check of another person of the same domain', { fromAddress: 'boris@client.example', dmarc: { result: 'pass' } }, 'unverified', 'from-mismatch'],
    ['a check of the same address, whatever its case', { fromAddress: 'anna@client.example', dmarc: { result: 'pass' } }, 'verified', 'dmarc'],
  ])('%s', (_name, e, verdict, reason) => {
    expect(judgeSender(evidence(e), FROM)).toEqual({ verdict, reason });
  });

  it('has nothing to say without a From address', () => {
    expect(judgeSender(evidence({ dmarc: { result: 'pass' } }), null)).toEqual({ verdict: 'unknown', reason: 'no-from' });
  });
});

describe('relaxedAligned', () => {
  it('aligns a domain with itself and its subdomains, never with a bare suffix or a sibling', () => {
    expect(relaxedAligned('example.com', 'EXAMPLE.com')).toBe(true);
    expect(relaxedAligned('mail.example.com', 'example.com')).toBe(true);
    expect(relaxedAligned('example.com', 'com')).toBe(false);
    expect(relaxedAligned('evil-example.com', 'example.com')).toBe(false);
    expect(relaxedAligned('a.example.com', 'b.example.com')).toBe(false);
  });
});
