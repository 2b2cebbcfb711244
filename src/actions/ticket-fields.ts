// Editing a ticket's properties: priority, type, category, component, estimate, due date, planned time — and the ticket
// page's one "properties" form, which also changes assignee and status in the same transaction,
// so a status the workflow refuses leaves nothing half-saved.
import { z } from 'zod';
import { inTransaction } from '../db/client.ts';
import { CATEGORIES, PRIORITIES, STATUSES, TICKET_TYPES } from '../db/schema.ts';
import { findComponent } from '../store/components.ts';
import { invalid } from '../domain/errors.ts';
import { insertEvent } from '../store/events.ts';
import { getTicket, updateTicket, type Ticket } from '../store/tickets.ts';
import { runHooks, type ActorRef, type Ctx } from './context.ts';
import { applyAssignment, applyStatus, auditActor, insertThreadEvent, requirePermission } from './tickets.ts';
import { requireTicketRights } from './ticket-rights.ts';
import { parseInput } from './validate.ts';

// an instant in milliseconds within years 2000–2200 (a typo'd year would hide the ticket from every calendar)
const instant = (message: string) => z.number({ message }).int({ message }).min(946_684_800_000, { message }).max(7_258_118_400_000, { message });

export const ticketFieldsSchema = z.object({
  priority: z.enum(PRIORITIES, { message: 'Unknown priority' }).optional(),
  type: z.enum(TICKET_TYPES, { message: 'Unknown type' }).optional(),
  category: z.enum(CATEGORIES, { message: 'Unknown category' }).nullable().optional(),
  componentId: z.number().int().positive().nullable().optional(),
  estimateMinutes: z.number({ message: 'Enter the estimate in minutes or hours, e.g. 90 or 1h 30m' }).int().min(0).max(1_000_000).nullable().optional(),
  dueAt: instant('Enter the due date as a date and a time').nullable().optional(),
  plannedAt: instant('Enter the planned time as a date and a time').nullable().optional(),
});

export type TicketFields = z.infer<typeof ticketFieldsSchema>;
const statusSchema = z.enum(STATUSES, { message: 'Unknown status' });
const FIELD_KEYS = ['priority', 'type', 'category', 'componentId', 'estimateMinutes', 'dueAt', 'plannedAt'] as const;

export async function updateTicketFields(ctx: Ctx, actor: ActorRef, input: { ticketId: number } & TicketFields): Promise<Ticket> {
  if (actor.kind === 'user') requirePermission(actor.user, 'ticket.edit');
  const v = parseInput(ticketFieldsSchema, { ...input, ticketId: undefined });
  return await inTransaction(ctx.db, async () => {
    const before = await getTicket(ctx.db, input.ticketId);
    await requireTicketRights(ctx.db, actor, before, 'fields');
    return await applyFields(ctx, actor, before, v);
  });
}

/** The field changes themselves, for actions that checked the actor's rights on the ticket already. */
async function applyFields(ctx: Ctx, actor: ActorRef, before: Ticket, v: TicketFields): Promise<Ticket> {
  const patch: Partial<Ticket> = {};
  const changes: { field: string; from: unknown; to: unknown }[] = [];
  for (const key of FIELD_KEYS) {
    const to = v[key];
    if (to === undefined || to === before[key]) continue;
    (patch as Record<string, unknown>)[key] = to;
    changes.push({ field: key, from: before[key], to });
  }
  if (changes.length === 0) return before;
  if (patch.componentId && !await findComponent(ctx.db, patch.componentId)) throw invalid('Choose an existing component', { componentId: 'Unknown component' });
  const now = ctx.clock.now();
  const fields = changes.map((c) => c.field as keyof Ticket);
  await runHooks(ctx.hooks.validateChange, ctx, { type: 'updated', ticket: { ...before, ...patch }, before, fields, actor });
  await updateTicket(ctx.db, before.id, { ...patch, lastActivityAt: now }, now);
  await insertEvent(ctx.db, { ticketId: before.id, actor: auditActor(actor), type: 'ticket.updated', data: { changes } }, now);
  await insertThreadEvent(ctx, before, actor, 'updated', { changes }, now);
  const ticket = await getTicket(ctx.db, before.id);
  await runHooks(ctx.hooks.ticketChanged, ctx, { type: 'updated', ticket, before, fields, actor });
  return ticket;
}

export type TicketProperties = TicketFields & {
  /** undefined: unchanged; null: unassign */
  assigneeId?: number | null;
  status?: string;
  reason?: string;
};

/**
 * The ticket page's properties form: fields, then assignee, then status, all or nothing. Values
 * equal to the ticket's current ones are left alone (the form always sends every control). The
 * actor's rights are judged on the ticket as it was, so handing one's ticket to a colleague and
 * setting its status in the same form is one change, not a change to a colleague's ticket.
 */
export async function updateTicketProperties(ctx: Ctx, actor: ActorRef & { kind: 'user' }, input: { ticketId: number } & TicketProperties): Promise<Ticket> {
  return await inTransaction(ctx.db, async () => {
    const original = await getTicket(ctx.db, input.ticketId);
    const { assigneeId, status, reason, ticketId: _id, ...fields } = input;
    const changedFields = Object.fromEntries(
      Object.entries(fields).filter(([k, val]) => val !== undefined && val !== original[k as keyof Ticket]),
    );
    const editing = Object.keys(changedFields).length > 0;
    const assigning = assigneeId !== undefined && assigneeId !== original.assigneeId;
    const restatus = status !== undefined && status !== original.status;
    if (editing) requirePermission(actor.user, 'ticket.edit');
    if (assigning) requirePermission(actor.user, 'ticket.assign');
    if (restatus) requirePermission(actor.user, 'ticket.status');
    if (editing || assigning || restatus) await requireTicketRights(ctx.db, actor, original, assigning ? 'assign' : restatus ? 'status' : 'fields');
    let t = original;
    if (editing) t = await applyFields(ctx, actor, t, parseInput(ticketFieldsSchema, changedFields));
    if (assigning) t = await applyAssignment(ctx, actor, t, assigneeId);
    if (restatus && status !== t.status) t = await applyStatus(ctx, actor, t, parseInput(statusSchema, status), reason);
    return t;
  });
}
