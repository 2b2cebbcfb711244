// The SMS channel: texts (and MMS) through Twilio, received by its webhooks and sent by its API.
import type { Channel } from '../channel.ts';
import { parseSms } from './parse-sms.ts';
import { smsInboundHook, smsReplyHook } from './sms-hooks.ts';
import { createSmsTemplates } from './sms-templates.ts';
import { createTwilioSender } from './twilio-sender.ts';
import { twilioWebhooks } from './twilio-webhook.ts';

export const smsChannel: Channel = {
  id: 'sms',
  forDesk(deps) {
    // the SMS texts are compiled once per desk, for the hooks that queue them and the sender alike
    const templates = createSmsTemplates();
    return {
      parsers: { sms: parseSms },
      registerHooks(hooks) {
        hooks.ticketChanged.push(smsReplyHook(templates));
        hooks.inboundApplied.push(smsInboundHook(templates));
      },
      sender: createTwilioSender(deps, { templates }),
      webhooks: (ctx, intake) => [twilioWebhooks(ctx, intake)],
    };
  },
};
