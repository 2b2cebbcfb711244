// ADMIN_EMAIL / ADMIN_PASSWORD create the first admin at start, instead of the setup page.
import { AppError } from '../domain/errors.ts';
import { countUsers } from '../store/users.ts';
import type { Ctx } from './context.ts';
import { createFirstAdmin } from './users.ts';

export async function ensureAdminFromEnv(ctx: Ctx): Promise<void> {
  const admin = ctx.config.admin;
  if (!admin || await countUsers(ctx.db) > 0) return;
  try {
    const user = await createFirstAdmin(ctx, { email: admin.email, name: admin.email.split('@')[0], password: admin.password });
    ctx.log.info({ email: user.email }, 'created the admin from ADMIN_EMAIL');
  } catch (err) {
    // another desk process starting at the same moment created it first
    if (err instanceof AppError && err.code === 'conflict') return;
    throw err;
  }
}
