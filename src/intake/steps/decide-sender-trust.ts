// How much the From header is believed. The channel gathered the evidence (DKIM/SPF/DMARC checked
// by the desk, or the mailbox provider's Authentication-Results); this step judges it and says
// whether what the mail asks for needs a verified sender: always when it claims an agent's
// address, for requesters when MAIL_VERIFY_REQUESTERS=on. Later steps ask senderTrusted().
import { judgeSender } from '../../domain/sender-trust.ts';
import { findUserByEmail } from '../../store/users.ts';
import type { Draft, Step } from '../types.ts';

export const decideSenderTrust: Step = {
  name: 'decide-sender-trust',
  async run(draft, { db, config }) {
    const evidence = draft.msg.senderAuth;
    if (!evidence) return; // the desk does not check senders (MAIL_SENDER_VERIFY=off), or the channel cannot
    const from = draft.msg.from?.address ?? null;
    const { verdict, reason } = judgeSender(evidence, from);
    const claimsAgent = !!from && (await findUserByEmail(db, from))?.active === true;
    const required = claimsAgent || config.senderVerify.requesters;
    draft.sender = { verdict, reason, method: evidence.method, claimsAgent, required };
    if (verdict === 'verified') return;
    const why = evidence.error ? `${reason}: ${evidence.error}` : reason;
    draft.notes.push(
      claimsAgent
        ? `sender ${from} not verified (${why}): taken as a requester-side message that changes nothing`
        : `sender ${from} not verified (${why})`,
    );
  },
};

/**
 * Whether the mail may do what its From alone would allow (thread by subject tag, reopen, act as
 * an agent): its sender is verified, or the desk does not require it for this sender.
 */
export function senderTrusted(draft: Pick<Draft, 'sender'>): boolean {
  return !draft.sender || draft.sender.verdict === 'verified' || !draft.sender.required;
}
