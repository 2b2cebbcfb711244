// Step 2: our own mail coming back (a forwarding rule, an alias that includes the desk, a list we
// are on) is recorded and goes no further: it carries our loop header, our Message-ID, or it was
// sent from one of our own addresses (mailboxes, component aliases, the sender). Any of them alone
// could start a mail loop.
import { channelTraits } from '../../domain/channel-traits.ts';
import { ownAddresses } from '../../domain/desk-identity.ts';
import { ourStyleMessageIdDomain, readMessageId } from '../../domain/reply-token.ts';
import { listDeskAddresses } from '../../store/desk-addresses.ts';
import { baseAddress, LOOP_HEADER, loopHeaderValue } from '../mail/our-addresses.ts';
import type { Step } from '../types.ts';

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1);

export const dropOwnLoop: Step = {
  name: 'drop-own-loop',
  async run(draft, { db, config, secrets }) {
    const msg = draft.msg;
    if (!channelTraits(msg.channel).mailHeaders) return;
    const host = loopHeaderValue(config);
    if ((msg.headers[LOOP_HEADER] ?? []).some((v) => v.trim().toLowerCase() === host)) {
      draft.drop = { outcome: 'ignored', reason: `our own mail came back (${LOOP_HEADER}: ${host})` };
      return;
    }
    const own = ownAddresses(config, await listDeskAddresses(db));
    if (!msg.externalIdSynthesized) {
      const signed = readMessageId(secrets.token, msg.externalId) !== undefined;
      const idDomain = domainOf(msg.externalId).toLowerCase();
      const ourDomains = new Set([host, ...[...own].map(domainOf)]);
      const styleDomain = ourStyleMessageIdDomain(msg.externalId);
      const ours =
        signed ||
        (styleDomain !== undefined && ourDomains.has(styleDomain)) ||
        // nobody else makes Message-IDs at the desk's public host (unless it is a local default)
        (idDomain === host && !/^(localhost|127\.0\.0\.1|\[?::1\]?)$/.test(host));
      if (ours) {
        draft.drop = { outcome: 'ignored', reason: `our own Message-ID came back (${msg.externalId})` };
        return;
      }
    }
    const from = msg.from?.address;
    if (from && own.has(baseAddress(from))) {
      draft.drop = { outcome: 'ignored', reason: `sent from the desk's own address ${from}` };
    }
  },
};
