import { describe, expect, it } from 'vitest';
import { clientKey } from './client-key.ts';

describe('client key', () => {
  it('keeps IPv4 as it is, also written IPv4-mapped', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts IPv6 by its /56 network', () => {
    expect(clientKey('2001:db8:1:2ff::1')).toBe(clientKey('2001:db8:1:200::9'));
    expect(clientKey('2001:db8:1:2ff::1')).not.toBe(clientKey('2001:db8:1:300::1'));
    expect(clientKey('::1')).not.toBe(clientKey('203.0.113.7'));
  });
});
