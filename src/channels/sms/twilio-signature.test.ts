// The peers' signature vectors (twilio-node's and twilio-python's own test cases, see
// fixtures/sms/twilio-signature-vectors.json) through the check our webhooks use.
import { readFileSync } from 'node:fs';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { isSignedByTwilio, signedUrl } from './twilio-signature.ts';

type Vector = {
  id: string;
  kind: 'form' | 'json' | 'body_hash' | 'middleware';
  auth_token: string | null;
  url: string | null;
  params: Record<string, string | string[]> | null;
  signature: string | null;
  expected_valid: boolean;
  body?: string;
  expected_body_sha256?: string;
  claimed_body_sha256?: string;
};

const { vectors } = JSON.parse(readFileSync(new URL('../../../fixtures/sms/twilio-signature-vectors.json', import.meta.url), 'utf8')) as { vectors: Vector[] };

describe('Twilio signature vectors', () => {
  it('has the vectors', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(20);
  });

  // form-encoded webhooks: what SMS and status callbacks are
  for (const v of vectors.filter((x) => x.kind === 'form' || x.kind === 'middleware')) {
    it(`${v.id}: ${v.expected_valid ? 'valid' : 'refused'}`, () => {
      expect(isSignedByTwilio(v.auth_token!, v.signature ?? undefined, v.url!, v.params!)).toBe(v.expected_valid);
    });
  }

  // JSON webhooks (bodySHA256 in the URL); our endpoints are form-encoded, but the same code
  // must agree with the peers on these too
  for (const v of vectors.filter((x) => x.kind === 'json')) {
    it(`${v.id} (JSON body): ${v.expected_valid ? 'valid' : 'refused'}`, () => {
      expect(twilio.validateRequestWithBody(v.auth_token!, v.signature!, v.url!, v.body!)).toBe(v.expected_valid);
    });
  }

  for (const v of vectors.filter((x) => x.kind === 'body_hash')) {
    it(`${v.id} (body hash): ${v.expected_valid ? 'valid' : 'refused'}`, () => {
      expect(twilio.validateBody(v.body!, v.expected_body_sha256 ?? v.claimed_body_sha256!)).toBe(v.expected_valid);
    });
  }

  it('refuses a signature for the same request with a field changed, added or removed', () => {
    const v = vectors.find((x) => x.id === 'default')!;
    const params = v.params as Record<string, string>;
    expect(isSignedByTwilio(v.auth_token!, v.signature!, v.url!, { ...params, Digits: '1235' })).toBe(false);
    expect(isSignedByTwilio(v.auth_token!, v.signature!, v.url!, { ...params, Extra: '' })).toBe(false);
    const { Digits: _dropped, ...rest } = params;
    expect(isSignedByTwilio(v.auth_token!, v.signature!, v.url!, rest)).toBe(false);
  });
});

it('builds the signed URL from the public base and the raw path and query', () => {
  expect(signedUrl('https://help.example.com', "/webhooks/twilio/sms?x=a'b&y=%20")).toBe("https://help.example.com/webhooks/twilio/sms?x=a'b&y=%20");
  expect(signedUrl('https://example.com/helpdesk', '/webhooks/twilio/status?message=12')).toBe('https://example.com/helpdesk/webhooks/twilio/status?message=12');
});
