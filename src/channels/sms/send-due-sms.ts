// Sends the SMS outbox rows that are due through a sender, with retries and backoff. The shared
// outbox worker takes this over for every channel; this keeps SMS usable on its own meanwhile.
import type { Deps } from '../../deps.ts';
import { PermanentSendError, type ChannelSender } from '../../outbox/types.ts';
import { OptedOutError } from './twilio-sender.ts';
import { claimOutboxRow, listDueSms, updateOutboxRow } from '../../store/sms.ts';

const MAX_ATTEMPTS = 8;
const backoffMs = (attempt: number) => Math.min(60_000 * 2 ** (attempt - 1), 6 * 3_600_000);

export type SendReport = { sent: number; retried: number; dead: number; skipped: number };

export async function sendDueSms(deps: Deps, sender: ChannelSender, opts: { limit?: number } = {}): Promise<SendReport> {
  const report: SendReport = { sent: 0, retried: 0, dead: 0, skipped: 0 };
  if (!sender.configured) return report;
  for (const row of listDueSms(deps.db, deps.clock.now(), opts.limit ?? 50)) {
    if (!claimOutboxRow(deps.db, row.id)) continue;
    const attempts = row.attempts + 1;
    try {
      const { providerId } = await sender.send(row);
      updateOutboxRow(deps.db, row.id, { status: 'sent', attempts, sentAt: deps.clock.now(), providerId, lastError: null });
      report.sent++;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof OptedOutError) {
        updateOutboxRow(deps.db, row.id, { status: 'skipped', attempts, lastError: message });
        report.skipped++;
        continue;
      }
      const dead = err instanceof PermanentSendError || attempts >= MAX_ATTEMPTS;
      updateOutboxRow(deps.db, row.id, {
        status: dead ? 'dead' : 'pending', attempts, lastError: message.slice(0, 1000),
        nextAttemptAt: deps.clock.now() + backoffMs(attempts),
      });
      if (dead) report.dead++;
      else report.retried++;
      deps.log.warn({ outboxId: row.id, attempts, err: message }, dead ? 'SMS not sent, giving up' : 'SMS not sent, will retry');
    }
  }
  return report;
}
