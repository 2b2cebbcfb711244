// Quarantined mail from the console: run it through intake again once the cause is fixed.
import type { Intake, ReceiveResult } from '../intake/receive.ts';
import { AppError } from '../domain/errors.ts';
import { getInbound, listInboundByOutcome } from '../store/inbound.ts';
import type { User } from '../store/users.ts';
import type { Ctx } from './context.ts';
import { requirePermission } from './tickets.ts';

export async function reprocessInbound(ctx: Ctx, intake: Intake, user: User, id: number): Promise<ReceiveResult> {
  requirePermission(user, 'inbound.manage');
  const rec = await getInbound(ctx.db, id);
  if (!(await ctx.files.has('raw', rec.rawSha256))) throw new AppError('conflict', 'The original mail is missing from the archive');
  return intake.reprocess(id);
}

/** Every quarantined message again (oldest first); returns how many came out of quarantine. */
export async function reprocessAllQuarantined(ctx: Ctx, intake: Intake, user: User, limit = 500): Promise<{ tried: number; released: number }> {
  requirePermission(user, 'inbound.manage');
  const ids = (await listInboundByOutcome(ctx.db, ['quarantined'], { limit })).map((r) => r.id).reverse();
  let released = 0;
  for (const id of ids) if ((await intake.reprocess(id)).outcome !== 'quarantined') released++;
  return { tried: ids.length, released };
}
