// Who "we" are in mail: the desk's mailbox addresses, its From address and its host name. Loop
// detection, requester identification and routing all ask here.
import type { Config } from '../../config.ts';
import { baseAddress, deskHost, LOOP_HEADER as DESK_LOOP_HEADER } from '../../domain/desk-identity.ts';
import type { Db } from '../../db/client.ts';
import { listMailboxAddresses } from '../../store/mailboxes.ts';

/** The header outbound mail carries so the desk recognises its own mail coming back (lower-case, as parsed headers are keyed). */
export const LOOP_HEADER = DESK_LOOP_HEADER.toLowerCase();

/** The value of the loop header: the desk's host from PUBLIC_URL. */
export function loopHeaderValue(config: Pick<Config, 'publicUrl'>): string {
  return deskHost(config.publicUrl);
}

export { baseAddress };

function addressIn(value: string | undefined): string | null {
  const m = /<?([^\s<>"]+@[^\s<>"]+)>?\s*$/.exec(value ?? '');
  return m ? m[1].toLowerCase() : null;
}

export function ourAddresses(db: Db, config: Config): Set<string> {
  const out = new Set(listMailboxAddresses(db).map(baseAddress));
  if (config.imap) out.add(baseAddress(config.imap.address));
  const from = addressIn(config.smtp?.from);
  if (from) out.add(baseAddress(from));
  return out;
}

export function ourDomains(db: Db, config: Config): Set<string> {
  const out = new Set([loopHeaderValue(config)]);
  for (const a of ourAddresses(db, config)) out.add(a.slice(a.lastIndexOf('@') + 1));
  return out;
}
