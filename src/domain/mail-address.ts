// Parsing the configured sender ("Help Desk <support@example.com>") with nodemailer's own parser.
import addressparser from 'nodemailer/lib/addressparser';

export type MailAddress = { name: string; address: string };

/** The first address in a header-style value, or null when there is none. */
export function parseAddress(value: string): MailAddress | null {
  for (const a of addressparser(value, { flatten: true })) {
    if (a.address && a.address.includes('@')) return { name: a.name ?? '', address: a.address.toLowerCase() };
  }
  return null;
}

export function addressOf(value: string): string | null {
  return parseAddress(value)?.address ?? null;
}
