// The contract between the outbox worker and the channels that deliver its rows (mail, SMS).
import type { OutboxRow } from '../store/outbox.ts';

export type SendResult = { providerId: string | null };

export type ChannelSender = {
  channel: OutboxRow['channel'];
  /** false when the channel is not configured (no SMTP_URL, no Twilio): rows stay queued */
  configured: boolean;
  send(row: OutboxRow): Promise<SendResult>;
};

/** A failure that retrying cannot fix (invalid address, number opted out at the provider…). */
export class PermanentSendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentSendError';
  }
}
