// Editing a ticket's properties: priority, type, category, component, estimate — and the ticket
// page's one "properties" form, which also changes assignee and status in the same transaction,
// so a status the workflow refuses leaves nothing half-saved.
import { z } from 'zod';
import { inTransaction } from '../db/client.ts';
import { CATEGORIES, PRIORITIES, TICKET_TYPES } from '../db/schema.ts';
import { findComponent } from '../store/components.ts';
import { invalid } from '../store/errors.ts';
import { insertEvent } from '../store/events.ts';
import { getTicket, updateTicket, type Ticket } from '../store/tickets.ts';
import { runHooks, type ActorRef, type Ctx } from './context.ts';
import { assignTicket, auditActor, changeStatus, insertThreadEvent, requirePermission } from './tickets.ts';
import { parseInput } from './validate.ts';

export const ticketFieldsSchema = z.object({
  priority: z.enum(PRIORITIES, { message: 'Unknown priority' }).optional(),
  type: z.enum(TICKET_TYPES, { message: 'Unknown type' }).optional(),
  category: z.enum(CATEGORIES, { message: 'Unknown category' }).nullable().optional(),
  componentId: z.number().int().positive().nullable().optional(),
  estimateMinutes: z.number({ message: 'Enter the estimate in minutes or hours, e.g. 90 or 1h 30m' }).int().min(0).max(1_000_000).nullable().optional(),
});

export type TicketFields = z.infer<typeof ticketFieldsSchema>;
const FIELD_KEYS = ['priority', 'type', 'category', 'componentId', 'estimateMinutes'] as const;

export function updateTicketFields(ctx: Ctx, actor: ActorRef, input: { ticketId: number } & TicketFields): Ticket {
  if (actor.kind === 'user') requirePermission(actor.user, 'ticket.edit');
  const v = parseInput(ticketFieldsSchema, { ...input, ticketId: undefined });
  const now = ctx.clock.now();
  return inTransaction(ctx.db, () => {
    const before = getTicket(ctx.db, input.ticketId);
    const patch: Partial<Ticket> = {};
    const changes: { field: string; from: unknown; to: unknown }[] = [];
    for (const key of FIELD_KEYS) {
      const to = v[key];
      if (to === undefined || to === before[key]) continue;
      (patch as Record<string, unknown>)[key] = to;
      changes.push({ field: key, from: before[key], to });
    }
    if (changes.length === 0) return before;
    if (patch.componentId && !findComponent(ctx.db, patch.componentId)) throw invalid('Choose an existing component', { componentId: 'Unknown component' });
    const fields = changes.map((c) => c.field as keyof Ticket);
    runHooks(ctx.hooks.validateChange, ctx, { type: 'updated', ticket: { ...before, ...patch }, before, fields, actor });
    updateTicket(ctx.db, before.id, { ...patch, lastActivityAt: now }, now);
    insertEvent(ctx.db, { ticketId: before.id, actor: auditActor(actor), type: 'ticket.updated', data: { changes } }, now);
    insertThreadEvent(ctx, before, actor, 'updated', { changes }, now);
    const ticket = getTicket(ctx.db, before.id);
    runHooks(ctx.hooks.ticketChanged, ctx, { type: 'updated', ticket, before, fields, actor });
    return ticket;
  });
}

export type TicketProperties = TicketFields & {
  /** undefined: unchanged; null: unassign */
  assigneeId?: number | null;
  status?: string;
  reason?: string;
};

/**
 * The ticket page's properties form: fields, then assignee, then status, all or nothing. Values
 * equal to the ticket's current ones are left alone (the form always sends every control).
 */
export function updateTicketProperties(ctx: Ctx, actor: ActorRef & { kind: 'user' }, input: { ticketId: number } & TicketProperties): Ticket {
  return inTransaction(ctx.db, () => {
    const original = getTicket(ctx.db, input.ticketId);
    const { assigneeId, status, reason, ticketId, ...fields } = input;
    const changedFields = Object.fromEntries(
      Object.entries(fields).filter(([k, val]) => val !== undefined && val !== original[k as keyof Ticket]),
    );
    let t = original;
    if (Object.keys(changedFields).length) t = updateTicketFields(ctx, actor, { ticketId, ...changedFields });
    if (assigneeId !== undefined && assigneeId !== original.assigneeId) t = assignTicket(ctx, actor, { ticketId, assigneeId });
    if (status !== undefined && status !== original.status && status !== t.status) t = changeStatus(ctx, actor, { ticketId, status, reason });
    return t;
  });
}
