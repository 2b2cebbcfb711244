// The notices an agent can get by mail, and their choice of them (users.notifyPrefs). A notice the
// user never chose about is on.
import { can } from '../domain/permissions.ts';
import type { Role } from '../domain/vocabulary.ts';
import type { User } from '../store/users.ts';

export const NOTICE_KINDS = ['assigned', 'new_in_component', 'customer_reply', 'sla_warning', 'sla_breach', 'weekly_digest'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export function wantsNotice(user: Pick<User, 'active' | 'notifyPrefs'>, kind: NoticeKind): boolean {
  return user.active && user.notifyPrefs?.[kind] !== false;
}

/** The full set of choices, defaults filled in. */
export function noticeChoices(prefs: Record<string, boolean> | null | undefined): Record<NoticeKind, boolean> {
  return Object.fromEntries(NOTICE_KINDS.map((k) => [k, prefs?.[k] !== false])) as Record<NoticeKind, boolean>;
}

/** The notices a role can choose about: the weekly digest goes to those who see the reports. */
export function noticeKindsFor(role: Role): NoticeKind[] {
  return NOTICE_KINDS.filter((k) => k !== 'weekly_digest' || can(role, 'report.view'));
}
