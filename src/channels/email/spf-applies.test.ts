import { describe, expect, it } from 'vitest';
import { spfApplies } from './spf-applies.ts';

describe('spfApplies', () => {
  const publicServers = ['192.0.2.10', '203.0.113.5', '8.8.8.8', '172.32.0.1', '100.128.0.1', '::ffff:203.0.113.5', '2001:db8::25', '2a00:1450:4010:c05::1b'];
  const ownNetwork = [
    '127.0.0.1', '127.8.9.10', '10.0.0.25', '172.16.0.1', '172.31.255.254', '192.168.1.20', '100.64.0.1', '100.127.255.254', '169.254.10.1', '0.0.0.0',
    '::1', '::', 'fd12:3456::25', 'fc00::1', 'fe80::1', 'fe80::1%eth0',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::FFFF:10.1.2.3', '::ffff:192.168.0.9', '::ffff:100.64.1.1',
  ];

  it('checks a public client when the listener is the MX', () => {
    for (const ip of publicServers) expect(spfApplies(ip, true), ip).toBe(true);
  });

  it('never checks loopback, private, shared (CGNAT), link-local or ULA clients, also written IPv4-mapped', () => {
    for (const ip of ownNetwork) expect(spfApplies(ip, true), ip).toBe(false);
  });

  it('checks no client at all behind a relay (the listener is not the MX)', () => {
    for (const ip of [...publicServers, ...ownNetwork]) expect(spfApplies(ip, false), ip).toBe(false);
  });

  it('checks no address it cannot read', () => {
    for (const ip of ['', 'localhost', 'mail.example.com', '300.1.1.1', '[192.0.2.10]']) expect(spfApplies(ip, true), ip).toBe(false);
  });
});
