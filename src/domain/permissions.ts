// Who may do what. Every console route and API action asks here; the answer depends only on the role.
import type { Role } from './vocabulary.ts';

export const PERMISSIONS = {
  'ticket.view': ['admin', 'manager', 'agent'],
  'ticket.create': ['admin', 'manager', 'agent'],
  'ticket.note': ['admin', 'manager', 'agent'],
  'ticket.reply': ['admin', 'manager', 'agent'],
  'ticket.status': ['admin', 'manager', 'agent'],
  'ticket.assign': ['admin', 'manager', 'agent'],
  /** priority, type, category, component, estimate */
  'ticket.edit': ['admin', 'manager', 'agent'],
  'ticket.worklog': ['admin', 'manager', 'agent'],
  'ticket.link': ['admin', 'manager', 'agent'],
  'ticket.merge': ['admin', 'manager', 'agent'],
  /** assign, status, fields, links and merges on every ticket; agents only on theirs (domain/ticket-rights.ts) */
  'ticket.change_any': ['admin', 'manager'],
  /** bulk changes offering every assignee (and removing anyone's worklog entries) */
  'ticket.bulk': ['admin', 'manager'],
  /** bulk changes, each ticket within the ticket-rights rule (domain/ticket-rights.ts) */
  'ticket.bulk_own': ['admin', 'manager', 'agent'],
  'ticket.reject_resolution': ['admin', 'manager'],
  // workflow: complaints (escalations) and the billable flag
  'ticket.escalate': ['admin', 'manager', 'agent'],
  'ticket.complaint': ['admin', 'manager'],
  'ticket.billable': ['admin', 'manager'],
  'view.save': ['admin', 'manager', 'agent'],
  'canned.use': ['admin', 'manager', 'agent'],
  'canned.manage': ['admin', 'manager'],
  /** the knowledge base: reading internal articles, writing drafts, publishing */
  'kb.view': ['admin', 'manager', 'agent'],
  'kb.edit': ['admin', 'manager', 'agent'],
  'kb.publish': ['admin', 'manager'],
  'contact.view': ['admin', 'manager', 'agent'],
  'contact.manage': ['admin', 'manager', 'agent'],
  'organization.view': ['admin', 'manager', 'agent'],
  'organization.manage': ['admin', 'manager'],
  'component.manage': ['admin', 'manager'],
  'user.manage': ['admin'],
  /** one's own profile, language, time zone and availability */
  'profile.edit': ['admin', 'manager', 'agent'],
  'mailbox.manage': ['admin'],
  'inbound.manage': ['admin', 'manager'],
  'outbox.manage': ['admin'],
  'settings.manage': ['admin'],
  'sla.manage': ['admin'],
  /** the audit log of changes to configuration and people (read only: nobody edits it) */
  'audit.view': ['admin'],
  'report.view': ['admin', 'manager'],
  /** one's own API tokens */
  'token.manage': ['admin', 'manager', 'agent'],
  /** everyone's API tokens */
  'token.admin': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
