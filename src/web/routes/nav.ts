// The console's navigation links (others add theirs in services.ts): 'main' in the top bar,
// the rest in the Admin menu; each shown only to roles with the permission.
import type { NavLink } from '../render.ts';

export const CONSOLE_NAV: NavLink[] = [
  { href: '/dashboard', labelKey: 'dashboard.nav', permission: 'ticket.view', group: 'main' },
  { href: '/tickets', labelKey: 'app.tickets', permission: 'ticket.view', group: 'main' },
  { href: '/contacts', labelKey: 'app.contacts', permission: 'contact.view', group: 'main' },
  { href: '/organizations', labelKey: 'app.organizations', permission: 'organization.view', group: 'main' },
  { href: '/calendar', labelKey: 'calendar.nav', permission: 'ticket.view', group: 'main' },
  { href: '/kb', labelKey: 'kb.nav', permission: 'kb.view', group: 'main' },
  { href: '/admin/getting-started', labelKey: 'start.title', permission: 'settings.manage' },
  { href: '/components', labelKey: 'app.components', permission: 'component.manage' },
  { href: '/canned', labelKey: 'app.canned', permission: 'canned.manage' },
  { href: '/admin/users', labelKey: 'app.people', permission: 'user.manage' },
  { href: '/admin/tokens', labelKey: 'app.tokens', permission: 'token.admin' },
  { href: '/admin/sign-in-locks', labelKey: 'signin.nav', permission: 'user.manage' },
  { href: '/admin/audit', labelKey: 'audit.nav', permission: 'audit.view' },
];
