// Wires the use cases from deps: the action context with its hooks, the intake service and the
// web extensions. main.ts, the CLI and the tests build the same services, so what is tested is
// what runs.
import type { Deps } from './deps.ts';
import { emptyHooks, type Ctx } from './actions/context.ts';
import { createCompiledCalendars } from './domain/compiled-calendars.ts';
import { createMailHtmlCache } from './domain/safe-mail-html.ts';
import { createLocaleStrings } from './i18n/locale-strings.ts';
import { registerAutoAssign } from './actions/assignment.ts';
import { parseEmail } from './channels/email/parse-email.ts';
import { createEmailSender } from './channels/email/smtp-sender.ts';
import { parseSms } from './channels/sms/parse-sms.ts';
import { smsInboundHook, smsReplyHook } from './channels/sms/sms-hooks.ts';
import { createSmsTemplates } from './channels/sms/sms-templates.ts';
import { twilioWebhooks } from './channels/sms/twilio-webhook.ts';
import { createTwilioSender } from './channels/sms/twilio-sender.ts';
import { createIntake, type Intake } from './intake/receive.ts';
import { registerNotificationRules } from './outbox/notification-rules.ts';
import type { ChannelSender } from './outbox/types.ts';
import type { WebOptions } from './web/app.ts';
import { notificationPrefsRouter } from './web/routes/notification-prefs.ts';
import { outboxAdminRouter } from './web/routes/outbox-admin.ts';
import { registerPolicyHooks } from './policies/hooks.ts';
import { REPORTS } from './reports/index.ts';
import type { Report } from './reports/report.ts';
import { featureNav, featureRouters } from './web/features/index.ts';
import { smsConsoleRoutes } from './web/routes/sms.ts';
import { apiRouter } from './web/api/router.ts';
import { CONSOLE_NAV } from './web/routes/nav.ts';
import { inboundRoutes } from './web/routes/admin-inbound.ts';
import { mailboxRoutes } from './web/routes/admin-mailboxes.ts';

export type Services = {
  ctx: Ctx;
  intake: Intake;
  web: WebOptions;
  /** how the outbox worker delivers each channel (a sender that is not configured keeps its rows queued) */
  senders: ChannelSender[];
};

export type ServiceOptions = {
  /** the reports the console offers; the registry's by default */
  reports?: readonly Report[];
};

export function buildServices(deps: Deps, opts: ServiceOptions = {}): Services {
  const reports = opts.reports ?? REPORTS;
  const hooks = emptyHooks();
  const ctx: Ctx = { ...deps, hooks, mailHtml: createMailHtmlCache(), locales: createLocaleStrings(), calendars: createCompiledCalendars() };
  registerNotificationRules(hooks);
  registerPolicyHooks(hooks, ctx);
  // the SMS texts are compiled once per desk, for the hooks that queue them and the sender alike
  const smsTemplates = createSmsTemplates();
  hooks.ticketChanged.push(smsReplyHook(smsTemplates));
  hooks.inboundApplied.push(smsInboundHook(smsTemplates));
  const intake = createIntake(deps, { parsers: { email: parseEmail, sms: parseSms }, desk: ctx });
  // console: automatic assignment of new tickets per component (web, API, mail, SMS)
  registerAutoAssign(hooks, ctx);
  const web: WebOptions = {
    routers: [
      twilioWebhooks(ctx, intake),
      apiRouter(ctx),
      // email intake: quarantine console, raw downloads, mailboxes
      { auth: 'user', build: ({ render }) => inboundRoutes(ctx, intake, render) },
      { auth: 'user', build: ({ render }) => mailboxRoutes(ctx, render) },
      outboxAdminRouter(ctx),
      notificationPrefsRouter(ctx),
      smsConsoleRoutes(ctx),
      ...featureRouters(ctx, reports),
    ],
    nav: [
      ...CONSOLE_NAV,
      { href: '/sms/new', labelKey: 'sms.nav.new', permission: 'ticket.create', group: 'main' },
      { href: '/admin/inbound', labelKey: 'intake.nav.inbound', permission: 'inbound.manage' },
      { href: '/admin/mailboxes', labelKey: 'intake.nav.mailboxes', permission: 'mailbox.manage' },
      { href: '/admin/outbox', labelKey: 'outbox.nav', permission: 'outbox.manage' },
      { href: '/me/notifications', labelKey: 'outbox.prefs.nav', permission: 'ticket.view', group: 'user' },
      ...featureNav(reports),
    ],
  };
  const senders: ChannelSender[] = [createEmailSender(deps), createTwilioSender(deps, { templates: smsTemplates })];
  return { ctx, intake, web, senders };
}
