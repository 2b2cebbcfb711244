// What an admin does on the outbox page: send a failed or skipped mail again, discard one, retry
// everything that died (after an outage), and set the send limits and reply quoting.
import { z } from 'zod';
import { inTransaction } from '../db/client.ts';
import type { LimitTier } from '../domain/send-limits.ts';
import { recordDiscarded, recordRequeued } from '../outbox/outcomes.ts';
import { getOutboxSettings, saveOutboxSettings, type OutboxSettings } from '../outbox/settings.ts';
import { insertEvent } from '../store/events.ts';
import { invalid } from '../domain/errors.ts';
import { getOutbox, listOutbox, type OutboxRow } from '../store/outbox.ts';
import type { ActorRef, Ctx } from './context.ts';
import { auditActor, requirePermission } from './tickets.ts';

type UserActor = ActorRef & { kind: 'user' };

const RETRYABLE: OutboxRow['status'][] = ['dead', 'skipped', 'discarded'];
const DISCARDABLE: OutboxRow['status'][] = ['pending', 'dead'];

export async function retryOutbox(ctx: Ctx, actor: UserActor, id: number): Promise<OutboxRow> {
  requirePermission(actor.user, 'outbox.manage');
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, async () => {
    const row = await getOutbox(ctx.db, id);
    if (!RETRYABLE.includes(row.status)) throw invalid(`Only failed, skipped or discarded mail can be sent again (this one is ${row.status}).`);
    await recordRequeued(ctx.db, row, actor.user.name, now);
    await insertEvent(ctx.db, { ticketId: row.ticketId, actor: auditActor(actor), type: 'outbox.retry', data: { outboxId: row.id, from: row.status } }, now);
    return await getOutbox(ctx.db, id);
  });
}

/** Every dead row back in the queue, e.g. after the mail server was down longer than the retries last. */
export async function retryAllDead(ctx: Ctx, actor: UserActor): Promise<number> {
  requirePermission(actor.user, 'outbox.manage');
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, async () => {
    let n = 0;
    for (let rows = await listOutbox(ctx.db, { statuses: ['dead'] }, { limit: 500 }); rows.length; rows = await listOutbox(ctx.db, { statuses: ['dead'] }, { limit: 500 })) {
      for (const row of rows) {
        await recordRequeued(ctx.db, row, actor.user.name, now);
        n++;
      }
    }
    await insertEvent(ctx.db, { ticketId: null, actor: auditActor(actor), type: 'outbox.retry_all', data: { count: n } }, now);
    return n;
  });
}

export async function discardOutbox(ctx: Ctx, actor: UserActor, id: number): Promise<OutboxRow> {
  requirePermission(actor.user, 'outbox.manage');
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, async () => {
    const row = await getOutbox(ctx.db, id);
    if (!DISCARDABLE.includes(row.status)) throw invalid(`Only waiting or failed mail can be discarded (this one is ${row.status}).`);
    await recordDiscarded(ctx.db, row, actor.user.name, now);
    await insertEvent(ctx.db, { ticketId: row.ticketId, actor: auditActor(actor), type: 'outbox.discard', data: { outboxId: row.id, from: row.status } }, now);
    return await getOutbox(ctx.db, id);
  });
}

const maxField = z.coerce.number({ message: 'Enter a whole number' }).int('Enter a whole number').min(1, 'At least 1').max(10_000, 'At most 10000');

/**
 * New settings from the form: `quoteHistory` and one `<audience>.<index>` maximum per tier of the
 * current limits (the tiers' windows are fixed; their maximums are the admin's to choose).
 */
export async function updateOutboxSettings(ctx: Ctx, actor: UserActor, form: Record<string, unknown>): Promise<OutboxSettings> {
  requirePermission(actor.user, 'outbox.manage');
  const current = await getOutboxSettings(ctx.db);
  const fields: Record<string, string> = {};
  const tiers = (audience: 'requester' | 'agent'): LimitTier[] =>
    current.limits[audience].map((tier, i) => {
      const key = `${audience}.${i}`;
      if (form[key] === undefined || form[key] === '') return tier;
      const r = maxField.safeParse(form[key]);
      if (!r.success) {
        fields[key] = r.error.issues[0].message;
        return tier;
      }
      return { ...tier, max: r.data };
    });
  const next: OutboxSettings = {
    limits: { requester: tiers('requester'), agent: tiers('agent') },
    quoteHistory: form.quoteHistory === 'on' || form.quoteHistory === 'true' || form.quoteHistory === true,
  };
  if (Object.keys(fields).length) throw invalid('Some limits are not valid', fields);
  const now = ctx.clock.now();
  await inTransaction(ctx.db, async () => {
    await saveOutboxSettings(ctx.db, next, now);
    await insertEvent(ctx.db, { ticketId: null, actor: auditActor(actor), type: 'outbox.settings', data: next as unknown as Record<string, unknown> }, now);
  });
  return next;
}
