// The channels a desk runs, in order (their webhooks, console pages and senders follow it). Adding
// a channel: its folder src/channels/<id>/ with an index.ts exporting a Channel, and one line here.
import type { Channel } from './channel.ts';
import { emailChannel } from './email/index.ts';
import { smsChannel } from './sms/index.ts';

export const CHANNELS_ENABLED: readonly Channel[] = [
  emailChannel,
  smsChannel,
];
