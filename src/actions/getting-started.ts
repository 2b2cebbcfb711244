// The admin's getting-started checklist on a new desk: each step links to the page where it is
// done and ticks itself when the desk shows it done. Once every step is done, or the admin hides
// the list, that is remembered and the queue page stops asking (one setting read per page).
import { findSetting, upsertSetting } from '../store/settings.ts';
import { listComponentAgentIds, listComponents } from '../store/components.ts';
import { listMailboxes } from '../store/mailboxes.ts';
import { listActiveUsersByRole, type User } from '../store/users.ts';
import { findDefaultSlaPolicyId } from '../store/workflow-settings.ts';
import { hasStaffReply } from '../store/messages.ts';
import type { Ctx } from './context.ts';
import { requirePermission } from './tickets.ts';

export type GettingStartedStep = {
  id: 'mailbox' | 'outgoingMail' | 'sms' | 'agents' | 'components' | 'workflow' | 'firstReply';
  href: string;
  done: boolean;
  /** a desk can work without it (SMS) */
  optional: boolean;
};

export type GettingStarted = { steps: GettingStartedStep[]; done: number; total: number; complete: boolean; hidden: boolean };

const SETTING = 'gettingStarted';
type Remembered = { hidden?: boolean; complete?: boolean };

async function someComponentIsStaffed(ctx: Ctx): Promise<boolean> {
  for (const c of await listComponents(ctx.db, { activeOnly: true })) {
    if (c.managerId !== null && (await listComponentAgentIds(ctx.db, c.id)).length > 0) return true;
  }
  return false;
}

/** Where each step stands now. */
export async function gettingStarted(ctx: Ctx, admin: User): Promise<GettingStarted> {
  requirePermission(admin, 'settings.manage');
  const remembered = (await findSetting<Remembered>(ctx.db, SETTING)) ?? {};
  const steps: GettingStartedStep[] = [
    { id: 'mailbox', href: '/admin/mailboxes', optional: false, done: ctx.config.smtpInbound !== undefined || (await listMailboxes(ctx.db)).length > 0 },
    { id: 'outgoingMail', href: '/admin/delivery#mail', optional: false, done: ctx.config.smtp !== undefined },
    { id: 'sms', href: '/admin/delivery#sms', optional: true, done: ctx.config.twilio !== undefined },
    { id: 'agents', href: '/admin/users/new', optional: false, done: (await listActiveUsersByRole(ctx.db, 'agent')).length > 0 },
    { id: 'components', href: '/components', optional: false, done: await someComponentIsStaffed(ctx) },
    { id: 'workflow', href: '/admin/workflow', optional: false, done: (await findDefaultSlaPolicyId(ctx.db)) !== undefined },
    { id: 'firstReply', href: '/tickets', optional: false, done: await hasStaffReply(ctx.db) },
  ];
  const done = steps.filter((s) => s.done).length;
  const complete = steps.every((s) => s.done || s.optional);
  if (complete && !remembered.complete) await upsertSetting(ctx.db, SETTING, { ...remembered, complete: true }, ctx.clock.now());
  return { steps, done, total: steps.length, complete, hidden: remembered.hidden === true };
}

/** For the queue page: the checklist while it still has something to say, else nothing (one read). */
export async function gettingStartedForQueue(ctx: Ctx, user: User): Promise<GettingStarted | undefined> {
  if (user.role !== 'admin') return undefined;
  const remembered = (await findSetting<Remembered>(ctx.db, SETTING)) ?? {};
  if (remembered.hidden || remembered.complete) return undefined;
  const state = await gettingStarted(ctx, user);
  return state.complete ? undefined : state;
}

/** Hides the checklist from the queue page (it stays on its own page), or shows it again. */
export async function hideGettingStarted(ctx: Ctx, admin: User, hidden: boolean): Promise<void> {
  requirePermission(admin, 'settings.manage');
  const remembered = (await findSetting<Remembered>(ctx.db, SETTING)) ?? {};
  await upsertSetting(ctx.db, SETTING, { ...remembered, hidden }, ctx.clock.now());
}
