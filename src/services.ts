// Wires the use cases from deps: the action context with its hooks, the intake service and the
// web extensions. main.ts, the CLI and the tests build the same services, so what is tested is
// what runs. The channels come from CHANNELS_ENABLED; nothing here names one.
import type { Deps } from './deps.ts';
import { emptyHooks, type Ctx } from './actions/context.ts';
import type { Channel as MessageChannel } from './domain/vocabulary.ts';
import { createCompiledCalendars } from './domain/compiled-calendars.ts';
import { createMailHtmlCache } from './domain/safe-mail-html.ts';
import { createLocaleStrings } from './i18n/locale-strings.ts';
import { registerAutoAssign } from './actions/assignment.ts';
import type { Channel, ChannelParts } from './channels/channel.ts';
import { CHANNELS_ENABLED } from './channels/index.ts';
import { createIntake, type Intake, type Parser } from './intake/receive.ts';
import { registerNotificationRules } from './policies/notification-rules.ts';
import type { ChannelSender } from './outbox/types.ts';
import type { WebOptions } from './web/app.ts';
import { notificationPrefsRouter } from './web/routes/notification-prefs.ts';
import { outboxAdminRouter } from './web/routes/outbox-admin.ts';
import { auditLogRouter } from './web/routes/audit-log.ts';
import { deliveryRouter } from './web/routes/admin-delivery.ts';
import { registerPolicyHooks } from './policies/hooks.ts';
import { REPORTS } from './reports/index.ts';
import type { Report } from './reports/report.ts';
import { featureNav, featureRouters, featureViews } from './web/features/index.ts';
import { apiRouter } from './web/api/router.ts';
import { channelConsole } from './web/routes/channel-consoles.ts';
import { CONSOLE_NAV } from './web/routes/nav.ts';
import { inboundRoutes } from './web/routes/admin-inbound.ts';

/** A channel with the parts it built for this desk. */
export type DeskChannel = { channel: Channel; parts: ChannelParts };

export type Services = {
  ctx: Ctx;
  intake: Intake;
  web: WebOptions;
  /** how the outbox worker delivers each channel (a sender that is not configured keeps its rows queued) */
  senders: ChannelSender[];
  /** the channels this desk runs, for the intake role */
  channels: DeskChannel[];
};

export type BuildOptions = {
  /** the channels the desk runs (default CHANNELS_ENABLED); tests build desks with more or fewer */
  channels?: readonly Channel[];
  /** the reports the console offers; the registry's by default */
  reports?: readonly Report[];
};

export function buildServices(deps: Deps, opts: BuildOptions = {}): Services {
  const reports = opts.reports ?? REPORTS;
  const hooks = emptyHooks();
  const ctx: Ctx = { ...deps, hooks, mailHtml: createMailHtmlCache(), locales: createLocaleStrings(), calendars: createCompiledCalendars() };
  registerNotificationRules(hooks);
  registerPolicyHooks(hooks, ctx);
  const registered = opts.channels ?? CHANNELS_ENABLED;
  const twice = registered.find((c, i) => registered.findIndex((o) => o.id === c.id) !== i);
  if (twice) throw new Error(`channel ${twice.id} is registered twice`);
  const channels = registered.map((channel): DeskChannel => ({ channel, parts: channel.forDesk(deps) }));
  for (const { parts } of channels) parts.registerHooks?.(hooks);
  const intake = createIntake(deps, { parsers: parsersOf(channels), desk: ctx });
  // console: automatic assignment of new tickets per component (web, API, mail, SMS)
  registerAutoAssign(hooks, ctx);
  const consoles = channels.flatMap(({ channel }) => channelConsole(channel.id) ?? []);
  const senders = channels.flatMap(({ parts }) => parts.sender ?? []);
  const web: WebOptions = {
    routers: [
      ...channels.flatMap(({ parts }) => parts.webhooks?.(ctx, intake) ?? []),
      apiRouter(ctx, reports),
      // intake: quarantine console and raw downloads, for every channel
      { auth: 'user', build: ({ render }) => inboundRoutes(ctx, intake, render) },
      ...consoles.flatMap((c) => c.routers(ctx)),
      outboxAdminRouter(ctx, senders),
      auditLogRouter(ctx),
      deliveryRouter(ctx, senders),
      notificationPrefsRouter(ctx),
      ...featureRouters(ctx, reports),
    ],
    // each group (top bar, Admin menu, user menu) lists its links in this order
    nav: [
      ...CONSOLE_NAV,
      { href: '/admin/inbound', labelKey: 'intake.nav.inbound', permission: 'inbound.manage' },
      ...consoles.flatMap((c) => c.nav),
      { href: '/admin/outbox', labelKey: 'outbox.nav', permission: 'outbox.manage' },
      { href: '/admin/delivery', labelKey: 'outbox.delivery.nav', permission: 'settings.manage' },
      { href: '/me/notifications', labelKey: 'outbox.prefs.nav', permission: 'ticket.view', group: 'user' },
      ...featureNav(reports),
    ],
    // each report's page and strings, from its folder
    ...featureViews(reports),
  };
  return { ctx, intake, web, senders, channels };
}

/** Every channel's parsers; two channels that parse the same message channel are a wiring mistake. */
function parsersOf(channels: DeskChannel[]): Partial<Record<MessageChannel, Parser>> {
  const parsers: Partial<Record<MessageChannel, Parser>> = {};
  for (const { channel, parts } of channels) {
    for (const [name, parse] of Object.entries(parts.parsers ?? {}) as [MessageChannel, Parser][]) {
      if (parsers[name]) throw new Error(`two channels parse ${name} messages (the second is ${channel.id})`);
      parsers[name] = parse;
    }
  }
  return parsers;
}
