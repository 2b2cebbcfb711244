// Workflow use cases on one ticket for the console and the API: resolve with a note, reject a
// resolution, escalate (a complaint) and take a complaint up, mark a request billable.
// Each runs in one transaction with the hooks (nothing is half-applied).
import { inTransaction } from '../db/client.ts';
import { insertEvent } from '../store/events.ts';
import { AppError, invalid } from '../domain/errors.ts';
import { insertMessage } from '../store/messages.ts';
import { getTicket, updateTicket, type Ticket } from '../store/tickets.ts';
import { findContact } from '../store/contacts.ts';
import { label, formatDateTime } from '../i18n/labels.ts';
import { queueStaffNotice } from './staff-notices.ts';
import { staffAround } from '../store/notice-recipients.ts';
import { refreshSla, writeWorkflowState } from './sla-sync.ts';
import { readWorkflowState, type Complaint } from '../store/workflow-state.ts';
import { updateBillableFlag } from './contract-rules.ts';
import { runHooks, type ActorRef, type Ctx } from './context.ts';
import { auditActor, changeStatus, requirePermission } from './tickets.ts';
import { requireTicketRights } from './ticket-rights.ts';
import { updateTicketProperties, type TicketProperties } from './ticket-fields.ts';
import { logWork } from './worklog.ts';

type UserActor = ActorRef & { kind: 'user' };

function text(value: unknown, field: string, message: string, min = 1, max = 20_000): string {
  const s = typeof value === 'string' ? value.trim() : '';
  if (s.length < min) throw invalid(message, { [field]: message });
  if (s.length > max) throw invalid(`${field} is too long`, { [field]: 'Too long' });
  return s;
}

/** What the resolve form may carry besides the note: what the workflow still asks for. */
export type ResolveExtras = {
  /** fields the workflow demands to resolve (component, category, priority, estimate, assignee) */
  fields?: Omit<TicketProperties, 'status' | 'reason'>;
  /** time spent, logged with the resolution */
  worklog?: { minutes: number; billable: boolean };
};

/**
 * Resolves with a resolution note and, in the same transaction, whatever else the workflow asks
 * for that the form carries (fields, logged time): all of it or nothing.
 */
export async function resolveTicket(ctx: Ctx, actor: UserActor, input: { ticketId: number; note: unknown } & ResolveExtras): Promise<Ticket> {
  requirePermission(actor.user, 'ticket.status');
  const note = text(input.note, 'note', 'Write what was done to resolve the request');
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, async () => {
    await requireTicketRights(ctx.db, actor, await getTicket(ctx.db, input.ticketId), 'status');
    if (input.fields && Object.values(input.fields).some((v) => v !== undefined)) {
      await updateTicketProperties(ctx, actor, { ticketId: input.ticketId, ...input.fields });
    }
    if (input.worklog) await logWork(ctx, actor, { ticketId: input.ticketId, minutes: input.worklog.minutes, billable: input.worklog.billable, note });
    await updateTicket(ctx.db, input.ticketId, { resolutionNote: note }, now);
    return await changeStatus(ctx, actor, { ticketId: input.ticketId, status: 'resolved', reason: note });
  });
}

/** A manager sends a resolution back: the ticket returns to its assignee with the reason in its history. */
export async function rejectResolution(ctx: Ctx, actor: UserActor, input: { ticketId: number; reason: unknown }): Promise<Ticket> {
  requirePermission(actor.user, 'ticket.reject_resolution');
  const reason = text(input.reason, 'reason', 'Say why the resolution is rejected', 3);
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, async () => {
    const t = await getTicket(ctx.db, input.ticketId);
    if (t.status !== 'resolved') throw new AppError('conflict', 'Only a resolved ticket’s resolution can be rejected');
    const note = t.resolutionNote;
    const updated = await changeStatus(ctx, actor, {
      ticketId: t.id, status: 'in_progress', reason: `${label(ctx.locales, actor.user.locale, 'reject.prefix')}: ${reason}`,
    });
    await insertEvent(ctx.db, { ticketId: t.id, actor: auditActor(actor), type: 'ticket.resolution_rejected', data: { reason, resolutionNote: note } }, now);
    const { assignee } = await staffAround(ctx.db, updated);
    if (assignee && assignee.id !== actor.user.id) {
      await queueStaffNotice(ctx.db, ctx, updated, [assignee], {
        template: 'resolution_rejected',
        event: 'resolution_rejected',
        vars: () => ({ managerName: actor.user.name, reason, resolutionNote: note ?? '' }),
      }, now);
    }
    return await getTicket(ctx.db, t.id);
  });
}

export type ComplaintBy = { kind: 'agent'; actor: UserActor } | { kind: 'requester'; contactId: number };

/**
 * A complaint: the requester (or an agent on their behalf) escalates the ticket to the
 * component manager, whose own SLA clock starts (the policy's escalation target).
 */
export async function escalateTicket(ctx: Ctx, by: ComplaintBy, input: { ticketId: number; reason: unknown }): Promise<Ticket> {
  if (by.kind === 'agent') requirePermission(by.actor.user, 'ticket.escalate');
  const reason = text(input.reason, 'reason', 'Describe the complaint', 3);
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, async () => {
    const t = await getTicket(ctx.db, input.ticketId);
    if (by.kind === 'requester' && t.requesterId !== by.contactId) throw new AppError('forbidden', 'This is not your ticket');
    const state = readWorkflowState(t);
    if (state.complaint && state.complaint.handledAt === null) {
      throw new AppError('conflict', 'This ticket is already escalated; the manager is on it');
    }
    const complaint: Complaint = {
      at: now, by: by.kind, byUserId: by.kind === 'agent' ? by.actor.user.id : null, reason, handledAt: null, handledByUserId: null,
    };
    const contact = t.requesterId ? await findContact(ctx.db, t.requesterId) : undefined;
    await insertMessage(ctx.db, {
      ticketId: t.id, kind: 'note', direction: 'internal', channel: t.channel,
      authorUserId: by.kind === 'agent' ? by.actor.user.id : null,
      authorContactId: by.kind === 'requester' ? by.contactId : null,
      bodyText: `${label(ctx.locales, ctx.config.defaultLocale, by.kind === 'requester' ? 'complaint.noteByRequester' : 'complaint.noteByAgent', { name: contact?.name ?? '' })}\n\n${reason}`,
      createdAt: now,
    });
    await updateTicket(ctx.db, t.id, { escalatedAt: now, lastActivityAt: now }, now);
    await writeWorkflowState(ctx.db, await getTicket(ctx.db, t.id), { ...state, complaint }, now);
    const updated = await refreshSla(ctx.db, ctx.calendars, t.id, now, ['escalated']);
    await insertEvent(ctx.db, {
      ticketId: t.id, actor: by.kind === 'agent' ? auditActor(by.actor) : { kind: 'contact', contactId: by.contactId }, type: 'ticket.escalated', data: { reason },
    }, now);
    const staff = await staffAround(ctx.db, updated);
    const managers = staff.componentManager ? [staff.componentManager] : staff.managers;
    const due = readWorkflowState(updated).clock?.targets.escalation?.dueAt ?? null;
    await queueStaffNotice(ctx.db, ctx, updated, managers, {
      template: 'escalated',
      event: 'escalated',
      vars: (user) => ({
        byRequester: by.kind === 'requester',
        byName: by.kind === 'agent' ? by.actor.user.name : (contact?.name ?? ''),
        reason,
        assigneeName: staff.assignee?.name ?? '',
        dueAt: due ? formatDateTime(due, user.locale, user.timeZone) : '',
      }),
    }, now);
    const actor: ActorRef = by.kind === 'agent' ? by.actor : { kind: 'system' };
    await runHooks(ctx.hooks.ticketChanged, ctx, { type: 'updated', ticket: updated, before: t, fields: ['escalatedAt'], actor });
    return updated;
  });
}

/** The manager takes the complaint up: its clock stops. */
export async function handleComplaint(ctx: Ctx, actor: UserActor, input: { ticketId: number; note?: unknown }): Promise<Ticket> {
  requirePermission(actor.user, 'ticket.complaint');
  const note = typeof input.note === 'string' ? input.note.trim() : '';
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, async () => {
    const t = await getTicket(ctx.db, input.ticketId);
    const state = readWorkflowState(t);
    if (!state.complaint || state.complaint.handledAt !== null) throw new AppError('conflict', 'There is no open complaint on this ticket');
    await writeWorkflowState(ctx.db, t, { ...state, complaint: { ...state.complaint, handledAt: now, handledByUserId: actor.user.id } }, now);
    if (note) {
      await insertMessage(ctx.db, { ticketId: t.id, kind: 'note', direction: 'internal', channel: t.channel, authorUserId: actor.user.id, bodyText: note, createdAt: now });
    }
    await insertEvent(ctx.db, { ticketId: t.id, actor: auditActor(actor), type: 'ticket.complaint_handled', data: { note: note || null } }, now);
    return await refreshSla(ctx.db, ctx.calendars, t.id, now, ['escalation_handled']);
  });
}

/** A manager decides whether a request is billable; `null` hands the decision back to the contract's scope. */
export async function setBillable(ctx: Ctx, actor: UserActor, input: { ticketId: number; billable: boolean | null }): Promise<Ticket> {
  requirePermission(actor.user, 'ticket.billable');
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, async () => {
    const t = await getTicket(ctx.db, input.ticketId);
    const state = readWorkflowState(t);
    await writeWorkflowState(ctx.db, t, { ...state, billableManual: input.billable !== null }, now);
    if (input.billable !== null && input.billable !== t.billable) await updateTicket(ctx.db, t.id, { billable: input.billable }, now);
    await insertEvent(ctx.db, { ticketId: t.id, actor: auditActor(actor), type: 'ticket.billable', data: { billable: input.billable, manual: input.billable !== null } }, now);
    return input.billable === null ? await updateBillableFlag(ctx.db, t.id, now) : await getTicket(ctx.db, t.id);
  });
}
