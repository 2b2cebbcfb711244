// Saved queue views: a name and the queue's canonical query string, per user.
import { z } from 'zod';
import { parseQueueQuery, queueQueryString } from '../domain/queue-query.ts';
import { notFound } from '../domain/errors.ts';
import { deleteSavedView, insertSavedView, listSavedViews, type SavedView } from '../store/saved-views.ts';
import type { User } from '../store/users.ts';
import type { Ctx } from './context.ts';
import { requirePermission } from './tickets.ts';
import { parseInput } from './validate.ts';
import { inTransaction } from '../db/client.ts';
import { invalid } from '../domain/errors.ts';

export const MAX_SAVED_VIEWS = 30;

const schema = z.object({ name: z.string().trim().min(1, 'Name the view').max(60, 'Use at most 60 characters') });

/** Saves the queue query under a name; saving under an existing name replaces that view. */
export async function saveView(ctx: Ctx, user: User, input: { name: string; query: Record<string, unknown> }): Promise<SavedView> {
  requirePermission(user, 'view.save');
  const { name } = parseInput(schema, input);
  const query = queueQueryString(parseQueueQuery(input.query), { cursor: null });
  return await inTransaction(ctx.db, async () => {
    const existing = await listSavedViews(ctx.db, user.id);
    const same = existing.find((v) => v.name.toLowerCase() === name.toLowerCase());
    if (same) await deleteSavedView(ctx.db, user.id, same.id);
    else if (existing.length >= MAX_SAVED_VIEWS) throw invalid(`You can keep up to ${MAX_SAVED_VIEWS} views; delete one first`, { name: 'Too many views' });
    return await insertSavedView(ctx.db, { userId: user.id, name, query }, ctx.clock.now());
  });
}

export async function removeView(ctx: Ctx, user: User, id: number): Promise<void> {
  requirePermission(user, 'view.save');
  if (!await deleteSavedView(ctx.db, user.id, id)) throw notFound('Saved view');
}
