import { describe, expect, it } from 'vitest';
import { findStatus, listStatusCodes, preferStatus, replyCodeIn } from './status-code.ts';

describe('status codes', () => {
  it('finds codes, not IP addresses or version numbers', () => {
    expect(listStatusCodes('host 10.5.1.1 said: 550 5.1.1 user unknown (v2.0.0)')).toEqual(['5.1.1']);
    expect(listStatusCodes('550 5.7.25 rejected; 5.1.10 also')).toEqual(['5.7.25', '5.1.10']);
  });

  it('reads the SMTP reply code of a reply', () => {
    expect(replyCodeIn('550 5.5.0 Service refused')).toBe('550');
    expect(replyCodeIn('Service refused')).toBeNull();
  });

  it('prefers the precise code over a generic Status (X.0.0, X.Y.0, 4.4.7)', () => {
    expect(preferStatus('5.0.0', '5.7.1')).toBe('5.7.1');
    expect(preferStatus('5.1.0', '5.7.1')).toBe('5.7.1');
    expect(preferStatus('4.4.7', '4.7.1')).toBe('4.7.1');
    expect(preferStatus('5.1.1', '5.0.0')).toBe('5.1.1');
  });

  it('lets the reply code settle a disagreement about the class', () => {
    expect(preferStatus('4.5.0', '5.5.0', '550')).toBe('5.5.0');
    expect(preferStatus('5.1.1', '4.2.2', '550')).toBe('5.1.1');
  });

  it('takes the remote reply over the Status 5.1.1 a relay wrote, unless the reply is vaguer', () => {
    expect(preferStatus('5.1.1', '5.7.1')).toBe('5.7.1');
    expect(preferStatus('5.1.1', '5.5.0')).toBe('5.1.1');
  });

  it('in a text, counts generic codes only when nothing more precise is there', () => {
    expect(findStatus('554 4.4.7 Message expired <421 4.4.2 Connection timed out>')).toBe('4.4.2');
    expect(findStatus("5.1.0 - Unknown address error 550-'5.7.1 Access denied'")).toBe('5.7.1');
    expect(findStatus('550 5.0.0 Rejected')).toBe('5.0.0');
  });

  it('with failuresFirst, ignores a transcript’s success codes when a failure code is there', () => {
    expect(findStatus('250 2.0.0 Ok\n250 2.1.5 Ok\n451 4.3.0 Error: queue file write error', { failuresFirst: true })).toBe('4.3.0');
    expect(findStatus('250 2.6.0 Message received', { failuresFirst: true })).toBe('2.6.0');
  });
});
