// The loop backstop, applied to every row whoever queued it: addresses that bounced permanently or
// opted out get nothing, the desk never mails itself, and automatic mail to one address stays
// within the tiered send limits. The worker asks right before each attempt; queueEmail asks the
// address questions right away so a known-bad address shows as skipped at once.
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { checkSendLimits, longestWindowMs } from '../domain/send-limits.ts';
import { baseAddress, ownAddresses } from '../domain/desk-identity.ts';
import { channelTraits, type AddressKind } from '../domain/channel-traits.ts';
import { findContactEmail, findContactPhone } from '../store/contacts.ts';
import { listDeskAddresses } from '../store/desk-addresses.ts';
import { listRecentAutoSends, type OutboxRow } from '../store/outbox.ts';
import type { OutboxSettings } from './settings.ts';
import { reasons, type Reason } from './reasons.ts';

/** Why nothing may be sent to this address at all, or null. */
export async function addressBlock(db: Db, kind: AddressKind, address: string): Promise<Reason | null> {
  if (kind === 'phone') {
    const phone = await findContactPhone(db, address);
    return phone?.smsOptedOutAt ? reasons.smsOptedOut() : null;
  }
  const known = await findContactEmail(db, address);
  if (known?.undeliverableAt) return reasons.undeliverable(known.undeliverableReason);
  if (known?.optedOutAt) return reasons.optedOut();
  return null;
}

/** The one text an opted-out number still gets: the confirmation of its STOP. */
function isStopConfirmation(row: OutboxRow): boolean {
  return channelTraits(row.channel).optOutKeywords && (row.payload as { template?: string }).template === 'opted-out';
}

/** Why nothing may be sent for this row to its recipient at all, or null. */
export async function recipientBlock(db: Db, row: OutboxRow): Promise<Reason | null> {
  return isStopConfirmation(row) ? null : await addressBlock(db, channelTraits(row.channel).addressKind, row.recipient);
}

/** Why this row must not be sent now, or null when it may go. */
export async function sendBlock(db: Db, config: Config, settings: OutboxSettings, row: OutboxRow, now: number): Promise<Reason | null> {
  const blocked = await recipientBlock(db, row);
  if (blocked) return blocked;
  if (!channelTraits(row.channel).loopBackstop) return null;
  if (ownAddresses(config, await listDeskAddresses(db)).has(baseAddress(row.recipient))) return reasons.ownAddress();
  const payload = row.payload as { auto?: boolean; audience?: 'requester' | 'agent' };
  if (!payload.auto) return null;
  const tiers = payload.audience === 'agent' ? settings.limits.agent : settings.limits.requester;
  const recent = await listRecentAutoSends(db, row.recipient, now - longestWindowMs(tiers), now, row.id);
  const verdict = checkSendLimits(tiers, recent, row.ticketId, now);
  if (verdict.ok) return null;
  return reasons.sendLimit(verdict.count, verdict.tier);
}

/** CC addresses that may receive the mail, and those left out with the reason. */
export async function filterCc(db: Db, config: Config, cc: string[]): Promise<{ kept: string[]; dropped: { address: string; reason: Reason }[] }> {
  const own = ownAddresses(config, await listDeskAddresses(db));
  const kept: string[] = [];
  const dropped: { address: string; reason: Reason }[] = [];
  for (const address of cc) {
    const reason = own.has(baseAddress(address)) ? reasons.ownAddress() : await addressBlock(db, 'email', address);
    if (reason) dropped.push({ address, reason });
    else kept.push(address);
  }
  return { kept, dropped };
}
