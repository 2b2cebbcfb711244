// How the desk names itself in the mail it sends: the domain of our Message-IDs, the value of
// our loop header and its own addresses. Outbound writes them; email intake recognises its own mail
// by the same values.
import type { Config } from '../config.ts';
import { addressOf } from './mail-address.ts';

export const LOOP_HEADER = 'X-Helpdesk-Loop';

/**
 * The desk's host: the host name of PUBLIC_URL. It is always set, identifies this installation
 * (unlike the MAIL_FROM domain, which employees' own mail shares) and does not change when the
 * sending address does.
 */
export function deskHost(publicUrl: string): string {
  return new URL(publicUrl).hostname.toLowerCase();
}

/** support+t12.abc@desk.example → support@desk.example: the address without its plus tag. */
export function baseAddress(address: string): string {
  const a = address.trim().toLowerCase();
  const at = a.lastIndexOf('@');
  if (at < 1) return a;
  return `${a.slice(0, at).split('+')[0]}${a.slice(at)}`;
}

/**
 * The desk's own addresses, without plus tags: the sender (MAIL_FROM), the IMAP address and the
 * addresses stored in the database (mailboxes and component aliases, store/desk-addresses.ts
 * listDeskAddresses). Intake drops mail from them as our own loop; outbound never mails them.
 */
export function ownAddresses(config: Pick<Config, 'smtp' | 'imap'>, stored: Iterable<string>): Set<string> {
  const out = new Set<string>();
  const add = (a: string | null | undefined) => {
    const base = a ? baseAddress(a) : '';
    if (base) out.add(base);
  };
  add(config.smtp ? addressOf(config.smtp.from) : undefined);
  add(config.imap?.address);
  for (const a of stored) add(a);
  return out;
}
