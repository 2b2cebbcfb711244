// Wires the use cases from deps: the action context with its hooks, the intake service and the
// web extensions. main.ts, the CLI and the tests build the same services, so what is tested is
// what runs.
import type { Deps } from './deps.ts';
import { emptyHooks, type Ctx } from './actions/context.ts';
import { parseEmail } from './channels/email/parse-email.ts';
import { parseSms } from './channels/sms/parse-sms.ts';
import { smsInboundHook, smsReplyHook } from './channels/sms/sms-hooks.ts';
import { createSmsTemplates } from './channels/sms/sms-templates.ts';
import { twilioWebhooks } from './channels/sms/twilio-webhook.ts';
import { createIntake, type Intake } from './intake/receive.ts';
import type { WebOptions } from './web/app.ts';
import { smsConsoleRoutes } from './web/routes/sms.ts';

export type Services = {
  ctx: Ctx;
  intake: Intake;
  web: WebOptions;
};

export function buildServices(deps: Deps): Services {
  const hooks = emptyHooks();
  const ctx: Ctx = { ...deps, hooks };
  const smsTemplates = createSmsTemplates();
  hooks.ticketChanged.push(smsReplyHook(smsTemplates));
  hooks.inboundApplied.push(smsInboundHook(smsTemplates));
  const intake = createIntake(deps, { parsers: { email: parseEmail, sms: parseSms }, hooks: hooks.inboundApplied });
  return {
    ctx,
    intake,
    web: {
      routers: [twilioWebhooks(ctx, intake), smsConsoleRoutes(ctx)],
      nav: [{ href: '/sms/new', labelKey: 'sms.nav.new', permission: 'ticket.create' }],
    },
  };
}
