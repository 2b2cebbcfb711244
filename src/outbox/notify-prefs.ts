// The notices an agent can get by mail, and their choice of them (users.notifyPrefs). A notice the
// user never chose about is on.
import type { User } from '../store/users.ts';

export const NOTICE_KINDS = ['assigned', 'new_in_component', 'customer_reply', 'sla_warning', 'sla_breach'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export function wantsNotice(user: Pick<User, 'active' | 'notifyPrefs'>, kind: NoticeKind): boolean {
  return user.active && user.notifyPrefs?.[kind] !== false;
}

/** The full set of choices, defaults filled in. */
export function noticeChoices(prefs: Record<string, boolean> | null | undefined): Record<NoticeKind, boolean> {
  return Object.fromEntries(NOTICE_KINDS.map((k) => [k, prefs?.[k] !== false])) as Record<NoticeKind, boolean>;
}
