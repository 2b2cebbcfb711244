// A staff member chooses which notices they get by mail.
import { noticeChoices, noticeKindsFor, type NoticeKind } from '../outbox/notify-prefs.ts';
import { updateUser } from '../store/users.ts';
import type { ActorRef, Ctx } from './context.ts';

/** Saves the user's own choices: a kind is on when the form has it checked; kinds their role is not offered keep their value. */
export async function updateNotificationPrefs(ctx: Ctx, actor: ActorRef & { kind: 'user' }, form: Record<string, unknown>): Promise<Record<NoticeKind, boolean>> {
  const prefs = {
    ...noticeChoices(actor.user.notifyPrefs),
    ...Object.fromEntries(noticeKindsFor(actor.user.role).map((k) => [k, form[k] === 'on' || form[k] === 'true' || form[k] === true])),
  } as Record<NoticeKind, boolean>;
  await updateUser(ctx.db, actor.user.id, { notifyPrefs: prefs }, ctx.clock.now());
  return noticeChoices(prefs);
}
