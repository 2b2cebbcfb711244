// Who "we" are in mail: the desk's mailbox addresses, its From address and its host name. Loop
// detection, requester identification and routing all ask here.
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { listMailboxAddresses } from '../../store/mailboxes.ts';

/** The header outbound mail carries so the desk recognises its own mail coming back. */
export const LOOP_HEADER = 'x-helpdesk-loop';

/** The value of the loop header: the desk's host from PUBLIC_URL. */
export function loopHeaderValue(config: Pick<Config, 'publicUrl'>): string {
  return new URL(config.publicUrl).hostname.toLowerCase();
}

/** support+t12.abc@desk.example → support@desk.example */
export function baseAddress(address: string): string {
  const a = address.trim().toLowerCase();
  const at = a.lastIndexOf('@');
  if (at < 0) return a;
  return `${a.slice(0, at).split('+')[0]}${a.slice(at)}`;
}

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
