// Time spent on tickets: worklog entries (minutes, note, billable). tickets.logged_minutes is kept
// in step, and the 'worklog' change lets the contract rules (budget warnings) react.
import { z } from 'zod';
import { inTransaction } from '../db/client.ts';
import { can } from '../domain/permissions.ts';
import { forbidden, notFound } from '../domain/errors.ts';
import { insertEvent } from '../store/events.ts';
import { getTicket, updateTicket } from '../store/tickets.ts';
import { deleteWorklog, findWorklog, insertWorklog, refreshLoggedMinutes, type Worklog } from '../store/worklogs.ts';
import { runHooks, type ActorRef, type Ctx } from './context.ts';
import { auditActor, insertThreadEvent, requirePermission } from './tickets.ts';
import { parseInput } from './validate.ts';

export const worklogSchema = z.object({
  minutes: z.number({ message: 'Enter the time, e.g. 30, 1:15 or 1h 30m' }).int().min(1, 'Enter at least one minute').max(7 * 24 * 60, 'That is more than a week'),
  note: z.string().trim().max(2000).optional(),
  billable: z.boolean().default(true),
  workedAt: z.number().int().positive().optional(),
});

export async function logWork(
  ctx: Ctx,
  actor: ActorRef & { kind: 'user' },
  input: { ticketId: number } & z.input<typeof worklogSchema>,
): Promise<Worklog> {
  requirePermission(actor.user, 'ticket.worklog');
  const v = parseInput(worklogSchema, { ...input, ticketId: undefined });
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, async () => {
    const ticket = await getTicket(ctx.db, input.ticketId);
    await runHooks(ctx.hooks.validateChange, ctx, { type: 'worklog', ticket, minutes: v.minutes, billable: v.billable, actor });
    const entry = await insertWorklog(ctx.db, {
      ticketId: ticket.id, userId: actor.user.id, minutes: v.minutes, note: v.note || null, billable: v.billable,
      workedAt: v.workedAt ?? now, createdAt: now,
    });
    await refreshLoggedMinutes(ctx.db, ticket.id);
    await updateTicket(ctx.db, ticket.id, { lastActivityAt: now }, now);
    await insertEvent(ctx.db, { ticketId: ticket.id, actor: auditActor(actor), type: 'ticket.worklog', data: { worklogId: entry.id, minutes: v.minutes, billable: v.billable } }, now);
    await insertThreadEvent(ctx, ticket, actor, 'worklog', { minutes: v.minutes, billable: v.billable, note: v.note || null }, now);
    await runHooks(ctx.hooks.ticketChanged, ctx, { type: 'worklog', ticket: await getTicket(ctx.db, ticket.id), minutes: v.minutes, billable: v.billable, actor });
    return entry;
  });
}

/** Removes a worklog entry: its author may, and managers may remove anyone's. */
export async function removeWorkEntry(ctx: Ctx, actor: ActorRef & { kind: 'user' }, input: { ticketId: number; worklogId: number }): Promise<void> {
  requirePermission(actor.user, 'ticket.worklog');
  const now = ctx.clock.now();
  await inTransaction(ctx.db, async () => {
    const entry = await findWorklog(ctx.db, input.worklogId);
    if (!entry || entry.ticketId !== input.ticketId) throw notFound('Worklog entry');
    if (entry.userId !== actor.user.id && !can(actor.user.role, 'ticket.bulk')) throw forbidden('Only the author or a manager can remove this entry');
    const ticket = await getTicket(ctx.db, entry.ticketId);
    await runHooks(ctx.hooks.validateChange, ctx, { type: 'worklog', ticket, minutes: -entry.minutes, billable: entry.billable, actor });
    await deleteWorklog(ctx.db, entry.id);
    await refreshLoggedMinutes(ctx.db, ticket.id);
    await insertEvent(ctx.db, { ticketId: ticket.id, actor: auditActor(actor), type: 'ticket.worklog_removed', data: { worklogId: entry.id, minutes: entry.minutes } }, now);
    await runHooks(ctx.hooks.ticketChanged, ctx, { type: 'worklog', ticket: await getTicket(ctx.db, ticket.id), minutes: -entry.minutes, billable: entry.billable, actor });
  });
}
