// Bulk changes from the queue: assign, status, priority for many tickets at once. Each ticket is
// its own transaction, so one refusal (a workflow rule, the actor's rights on that ticket) does not
// block the rest. The actions called here apply the ticket-rights rule, as on a single ticket.
import { z } from 'zod';
import { PRIORITIES, STATUSES, type TicketStatus, type Priority } from '../db/schema.ts';
import { AppError } from '../domain/errors.ts';
import { findTicket } from '../store/tickets.ts';
import type { ActorRef, Ctx } from './context.ts';
import { updateTicketFields } from './ticket-fields.ts';
import { assignTicket, changeStatus, requirePermission } from './tickets.ts';
import { parseInput } from './validate.ts';

export const MAX_BULK = 500;

export type BulkAction =
  | { kind: 'assign'; assigneeId: number | null }
  | { kind: 'status'; status: TicketStatus }
  | { kind: 'priority'; priority: Priority };

export const bulkSchema = z.object({
  ticketIds: z.array(z.number().int().positive()).min(1, 'Select tickets first').max(MAX_BULK, `At most ${MAX_BULK} tickets at once`),
  action: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('assign'), assigneeId: z.number().int().positive().nullable() }),
    z.object({ kind: z.literal('status'), status: z.enum(STATUSES, { message: 'Unknown status' }) }),
    z.object({ kind: z.literal('priority'), priority: z.enum(PRIORITIES, { message: 'Unknown priority' }) }),
  ]),
});

export type BulkResult = { changed: number[]; skipped: { ticketId: number; number: number | null; reason: string }[] };

export async function bulkUpdate(ctx: Ctx, actor: ActorRef & { kind: 'user' }, input: { ticketIds: number[]; action: BulkAction }): Promise<BulkResult> {
  requirePermission(actor.user, 'ticket.bulk_own');
  const v = parseInput(bulkSchema, input);
  const result: BulkResult = { changed: [], skipped: [] };
  for (const id of new Set(v.ticketIds)) {
    const t = await findTicket(ctx.db, id);
    if (!t) {
      result.skipped.push({ ticketId: id, number: null, reason: 'Ticket not found' });
      continue;
    }
    try {
      if (v.action.kind === 'assign') await assignTicket(ctx, actor, { ticketId: t.id, assigneeId: v.action.assigneeId });
      else if (v.action.kind === 'status') await changeStatus(ctx, actor, { ticketId: t.id, status: v.action.status });
      else await updateTicketFields(ctx, actor, { ticketId: t.id, priority: v.action.priority });
      result.changed.push(t.id);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      result.skipped.push({ ticketId: t.id, number: t.number, reason: err.message });
    }
  }
  return result;
}
