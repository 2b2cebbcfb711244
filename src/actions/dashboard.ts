// A person arranges their own dashboard: the change is applied to the layout they see (their
// stored one, or their role's default) and stored as their layout.
import { changeLayout, cleanLayout, type DashboardLayout, type LayoutChange } from '../domain/dashboard-layout.ts';
import { findSetting, upsertSetting } from '../store/settings.ts';
import type { User } from '../store/users.ts';
import type { Ctx } from './context.ts';

const key = (user: User) => `dashboard.${user.id}`;

/** The person's layout: the one they arranged, else their role's default; only widgets offered to them. */
export async function dashboardLayout(ctx: Ctx, user: User, offered: ReadonlySet<string>, defaults: DashboardLayout): Promise<DashboardLayout> {
  const stored = await findSetting<unknown>(ctx.db, key(user));
  return cleanLayout(stored ?? defaults, offered);
}

export async function arrangeDashboard(ctx: Ctx, user: User, change: LayoutChange, offered: ReadonlySet<string>, defaults: DashboardLayout): Promise<DashboardLayout> {
  const next = changeLayout(await dashboardLayout(ctx, user, offered, defaults), change, offered, defaults);
  await upsertSetting(ctx.db, key(user), next, ctx.clock.now());
  return next;
}
