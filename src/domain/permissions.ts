// Who may do what. Every console route and API action asks here; the answer depends only on the role.
import type { Role } from '../db/schema.ts';

export const PERMISSIONS = {
  'ticket.view': ['admin', 'manager', 'agent'],
  'ticket.create': ['admin', 'manager', 'agent'],
  'ticket.note': ['admin', 'manager', 'agent'],
  'ticket.reply': ['admin', 'manager', 'agent'],
  'ticket.status': ['admin', 'manager', 'agent'],
  'ticket.assign': ['admin', 'manager', 'agent'],
  'ticket.worklog': ['admin', 'manager', 'agent'],
  'ticket.bulk': ['admin', 'manager'],
  'ticket.reject_resolution': ['admin', 'manager'],
  // workflow: complaints (escalations) and the billable flag
  'ticket.escalate': ['admin', 'manager', 'agent'],
  'ticket.complaint': ['admin', 'manager'],
  'ticket.billable': ['admin', 'manager'],
  'contact.manage': ['admin', 'manager', 'agent'],
  'organization.manage': ['admin', 'manager'],
  'component.manage': ['admin', 'manager'],
  'user.manage': ['admin'],
  'mailbox.manage': ['admin'],
  'inbound.manage': ['admin', 'manager'],
  'outbox.manage': ['admin'],
  'settings.manage': ['admin'],
  'sla.manage': ['admin'],
  'report.view': ['admin', 'manager'],
  'token.manage': ['admin', 'manager', 'agent'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
