import type { Db } from '../db/client.ts';
import { events } from '../db/schema.ts';
import { insertRowOnly, listRows } from './rows.ts';

export type AuditEvent = typeof events.$inferSelect;
export type Actor = { kind: 'user'; userId: number } | { kind: 'contact'; contactId: number } | { kind: 'system' };

export async function insertEvent(
  db: Db,
  e: { ticketId: number | null; actor: Actor; type: string; data?: Record<string, unknown> },
  now: number,
): Promise<void> {
  await insertRowOnly(db, events, {
    ticketId: e.ticketId,
    actorKind: e.actor.kind,
    actorUserId: e.actor.kind === 'user' ? e.actor.userId : null,
    type: e.type,
    data: { ...(e.data ?? {}), ...(e.actor.kind === 'contact' ? { contactId: e.actor.contactId } : {}) },
    createdAt: now,
  });
}

export async function listTicketEvents(db: Db, ticketId: number): Promise<AuditEvent[]> {
  return await listRows(db, events, 'where ticket_id = ? order by id', ticketId);
}
