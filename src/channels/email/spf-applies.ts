// Whether an SMTP client's address is worth an SPF check. SPF lists the servers allowed to send a
// domain's mail, so it vouches for a mail only when the client is the server that sent it over the
// internet. Behind a relay the client is the relay itself — the company's own server, listed in the
// company's SPF — and every mail it forwards would pass, a forged From of the company's domain too.
import { BlockList, isIP } from 'node:net';

/** Addresses that are never another domain's sending server: this host, private networks, links. */
const NOT_PUBLIC = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16]] as const) {
  NOT_PUBLIC.addSubnet(net, bits, 'ipv4');
}
// BlockList matches IPv4-mapped IPv6 addresses (::ffff:10.1.2.3) against the IPv4 rules above
for (const [net, bits] of [['::', 127], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10]] as const) {
  NOT_PUBLIC.addSubnet(net, bits, 'ipv6');
}

/** A public unicast address; anything unparsable is not. */
function isPublicAddress(ip: string): boolean {
  const address = ip.replace(/%.*$/, ''); // an IPv6 zone (fe80::1%eth0)
  const family = isIP(address);
  if (family === 0) return false;
  return !NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * SPF is checked for the client at `ip` only when the desk's listener is the internet-facing MX
 * (SMTP_INBOUND_MX) and the client has a public address; otherwise the client is our own relay.
 */
export function spfApplies(ip: string, listenerIsMx: boolean): boolean {
  return listenerIsMx && isPublicAddress(ip);
}
