// The console's pages of each channel, by the channel's id (src/channels/<id>/index.ts). A channel
// adapter may not import the web (scripts/check-imports.ts), so the pages it needs live here and
// are mounted, with their links, only for the channels a desk runs.
import type { Ctx } from '../../actions/context.ts';
import type { WebRouter } from '../app.ts';
import type { NavLink } from '../render.ts';
import { mailboxRoutes } from './admin-mailboxes.ts';
import { smsConsoleRoutes } from './sms.ts';

export type ChannelConsole = { routers(ctx: Ctx): WebRouter[]; nav: NavLink[] };

const CONSOLES: Record<string, ChannelConsole> = {
  email: {
    routers: (ctx) => [{ auth: 'user', build: ({ render }) => mailboxRoutes(ctx, render) }],
    nav: [{ href: '/admin/mailboxes', labelKey: 'intake.nav.mailboxes', permission: 'mailbox.manage' }],
  },
  sms: {
    routers: (ctx) => [smsConsoleRoutes(ctx)],
    nav: [{ href: '/sms/new', labelKey: 'sms.nav.new', permission: 'ticket.create', group: 'main' }],
  },
};

/** The pages of the channel with this id; none for a channel that has no pages of its own. */
export function channelConsole(channelId: string): ChannelConsole | undefined {
  return Object.hasOwn(CONSOLES, channelId) ? CONSOLES[channelId] : undefined;
}
