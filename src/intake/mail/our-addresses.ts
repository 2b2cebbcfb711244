// Who "we" are in mail, as intake asks it: the loop header and its value; the desk's own addresses
// come from domain/desk-identity.ts ownAddresses, the same set outbound uses.
import type { Config } from '../../config.ts';
import { baseAddress, deskHost, LOOP_HEADER as DESK_LOOP_HEADER } from '../../domain/desk-identity.ts';

/** The header outbound mail carries so the desk recognises its own mail coming back (lower-case, as parsed headers are keyed). */
export const LOOP_HEADER = DESK_LOOP_HEADER.toLowerCase();

/** The value of the loop header: the desk's host from PUBLIC_URL. */
export function loopHeaderValue(config: Pick<Config, 'publicUrl'>): string {
  return deskHost(config.publicUrl);
}

export { baseAddress };
