// What the email channel can say about who sent a mail, by MAIL_SENDER_VERIFY: the desk's own
// DKIM/SPF/DMARC check (mailauth), the provider's Authentication-Results header (authserv), or
// nothing (off). The verdict is the intake step decide-sender-trust's to take.
import type { Deps } from '../../deps.ts';
import { deskHost } from '../../domain/desk-identity.ts';
import type { SenderEvidence } from '../../domain/sender-trust.ts';
import type { SendingServer } from '../../intake/receive.ts';
import { authservEvidence } from './authentication-results.ts';
import { checkMailAuth } from './mail-auth.ts';

export async function senderEvidence(
  mail: { raw: Buffer; sender?: SendingServer; from: string | null; headers: Record<string, string[]> },
  deps: Pick<Deps, 'config' | 'resolveDns'>,
): Promise<SenderEvidence | undefined> {
  const cfg = deps.config.senderVerify;
  if (cfg.mode === 'off') return undefined;
  // the provider's header is believed where the provider delivered the mail (a mailbox, a pipe from
  // the MTA that writes it); whoever connects to our own listener could have written it, so mail
  // from the listener is checked here
  if (cfg.mode === 'authserv' && !mail.sender) return authservEvidence(mail.headers['authentication-results'], cfg.authservId ?? '', mail.from);
  if (!deps.resolveDns) return { method: 'mailauth', fromDomain: null, dmarc: null, dkim: [], spf: null, error: 'no DNS resolver' };
  return checkMailAuth(mail.raw, {
    resolver: deps.resolveDns,
    client: mail.sender,
    // behind a relay the client is the relay, whose SPF pass would vouch for every mail it forwards
    listenerIsMx: deps.config.smtpInbound?.mx ?? false,
    mta: deskHost(deps.config.publicUrl),
    // each lookup has its own timeout; a chain of slow ones (SPF includes) still ends here
    deadlineMs: 2 * cfg.dnsTimeoutMs,
  });
}
