// The key a client's address is counted under (sign-in failures, connections): IPv4 as is (also
// written IPv4-mapped), IPv6 by its /56 network, since one host or home gets a whole range of them.
import { ipKeyGenerator } from 'express-rate-limit';

export function clientKey(ip: string): string {
  return ipKeyGenerator(ip, 56);
}
