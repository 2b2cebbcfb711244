// The console's cookie names and attributes. Behind https (PUBLIC_URL) the session and CSRF
// cookies carry the __Host- prefix: the browser then accepts them only when Secure, for Path=/
// and without Domain, so neither a sibling subdomain nor plain http can plant or overwrite them.
import type { CookieOptions } from 'express';
import type { Config } from '../config.ts';

export type ConsoleCookies = {
  secure: boolean;
  /** the session token, signed */
  session: string;
  /** binds signed-out forms' CSRF tokens (setup, sign-in) */
  anon: string;
  /** the requester portal's session (contact id and end), signed; separate from staff sessions */
  requester: string;
  /** csrf-csrf's token cookie */
  csrf: string;
  /** attributes of the session and anon cookies, also when they are cleared */
  options: CookieOptions;
};

export function consoleCookies(config: Pick<Config, 'publicUrl'>): ConsoleCookies {
  const secure = config.publicUrl.startsWith('https://');
  const prefix = secure ? '__Host-' : '';
  return {
    secure,
    session: `${prefix}hd_session`,
    anon: `${prefix}hd_anon`,
    requester: `${prefix}hd_requester`,
    csrf: secure ? '__Host-hd.csrf' : 'hd_csrf',
    options: { httpOnly: true, sameSite: 'lax', secure, path: '/' },
  };
}
