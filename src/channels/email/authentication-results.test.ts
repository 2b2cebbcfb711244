import { describe, expect, it } from 'vitest';
import { judgeSender } from '../../domain/sender-trust.ts';
import { authservEvidence, parseAuthenticationResults } from './authentication-results.ts';

const GMAIL =
  'mx.google.com; dkim=pass header.i=@client.example header.s=s1 header.b=AbCd; ' +
  'spf=pass (google.com: domain of anna@client.example designates 192.0.2.1 as permitted sender) smtp.mailfrom=anna@client.example; ' +
  'dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=client.example';

describe('parseAuthenticationResults', () => {
  it('reads the authserv-id and each method with its properties, comments and quotes aside', () => {
    expect(parseAuthenticationResults(GMAIL)).toEqual({
      authservId: 'mx.google.com',
      results: [
        { method: 'dkim', result: 'pass', props: { 'header.i': '@client.example', 'header.s': 's1', 'header.b': 'AbCd' } },
        { method: 'spf', result: 'pass', props: { 'smtp.mailfrom': 'anna@client.example' } },
        { method: 'dmarc', result: 'pass', props: { 'header.from': 'client.example' } },
      ],
    });
    expect(parseAuthenticationResults('mx.example 1; dkim=fail reason="bad; sig" header.d=x.example (a (nested) comment)')?.results).toEqual([
      { method: 'dkim', result: 'fail', props: { reason: 'bad; sig', 'header.d': 'x.example' } },
    ]);
    // Microsoft 365 writes no authserv-id: nothing to attribute the results to
    expect(parseAuthenticationResults('spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=client.example; dmarc=pass')).toBeUndefined();
  });
});

describe('authservEvidence', () => {
  it('believes the topmost header of the configured server only', () => {
    const forgedBelow = 'mx.google.com; dmarc=pass header.from=client.example';
    const ev = authservEvidence(['mx.google.com; dkim=none; spf=softfail smtp.mailfrom=client.example; dmarc=fail header.from=client.example', forgedBelow], 'MX.google.com', 'anna@client.example');
    expect(judgeSender(ev, 'anna@client.example')).toEqual({ verdict: 'unverified', reason: 'dmarc-fail' });
    expect(judgeSender(authservEvidence([GMAIL], 'mx.google.com', 'anna@client.example'), 'anna@client.example')).toEqual({ verdict: 'verified', reason: 'dmarc' });
  });

  it('ignores headers of any other server, however good they look', () => {
    const ev = authservEvidence(['mail.attacker.example; dmarc=pass header.from=client.example'], 'mx.google.com', 'anna@client.example');
    expect(ev.error).toBe('no Authentication-Results from mx.google.com');
    expect(judgeSender(ev, 'anna@client.example')).toEqual({ verdict: 'unknown', reason: 'no-results' });
  });

  it('aligns DKIM and SPF domains with the From domain when there is no DMARC result', () => {
    const ev = authservEvidence(['mx.example; dkim=pass header.d=mail.client.example; spf=pass smtp.mailfrom=bounce@esp.example'], 'mx.example', 'anna@client.example');
    expect(ev.dkim).toEqual([{ domain: 'mail.client.example', result: 'pass', aligned: true }]);
    expect(ev.spf).toEqual({ domain: 'esp.example', result: 'pass', aligned: false });
    expect(judgeSender(ev, 'anna@client.example').verdict).toBe('verified');
    const other = authservEvidence(['mx.example; dkim=pass header.d=esp.example'], 'mx.example', 'anna@client.example');
    expect(judgeSender(other, 'anna@client.example')).toEqual({ verdict: 'unverified', reason: 'no-signature' });
  });

  it('does not take a DMARC pass for another From domain', () => {
    const ev = authservEvidence(['mx.example; dmarc=pass header.from=attacker.example'], 'mx.example', 'agent@desk.example');
    expect(judgeSender(ev, 'agent@desk.example')).toEqual({ verdict: 'unverified', reason: 'from-mismatch' });
  });
});
