// How the desk names itself in the mail it sends: the domain of our Message-IDs and the value of
// our loop header. Outbound writes them; email intake recognises its own mail by the same values.
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
