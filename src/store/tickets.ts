import { and, desc, eq, inArray, lt, notInArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { ticketLinks, ticketParticipants, tickets, type TicketStatus } from '../db/schema.ts';
import { newPortalNonce } from '../domain/portal-link.ts';
import { notFound } from '../domain/errors.ts';
import { findRow, insertRow, insertRowOnly, listRows, updateRows } from './rows.ts';

export type Ticket = typeof tickets.$inferSelect;
export type TicketInsert = Omit<typeof tickets.$inferInsert, 'id' | 'number' | 'createdAt' | 'updatedAt' | 'lastActivityAt' | 'portalNonce'>;
export type TicketPatch = Partial<Omit<Ticket, 'id' | 'number' | 'createdAt'>>;

export const CLOSED_STATUSES: TicketStatus[] = ['resolved', 'closed'];

export function findTicket(db: Db, id: number): Ticket | undefined {
  return findRow(db, tickets, 'where id = ?', id);
}

export function getTicket(db: Db, id: number): Ticket {
  const t = findTicket(db, id);
  if (!t) throw notFound('Ticket');
  return t;
}

export function findTicketByNumber(db: Db, number: number): Ticket | undefined {
  return findRow(db, tickets, 'where number = ?', number);
}

/** Inserts a ticket with the next human number. Call inside a transaction. */
/** The newest ticket's id (0 when there is none): the queue's poll asks what came after it. */
export function maxTicketId(db: Db): number {
  return db.$client.prepare('select coalesce(max(id), 0) as m from tickets').pluck().get() as number;
}

export function insertTicket(db: Db, t: TicketInsert, now: number): Ticket {
  const next = (db.$client.prepare('select coalesce(max(number), 0) + 1 as n from tickets').get() as { n: number }).n;
  return insertRow(db, tickets, { portalNonce: newPortalNonce(), ...t, number: next, createdAt: now, updatedAt: now, lastActivityAt: now });
}

export function updateTicket(db: Db, id: number, patch: TicketPatch, now: number): void {
  updateRows(db, tickets, { ...patch, updatedAt: now }, 'where id = ?', id);
}

export type TicketListFilter = {
  statuses?: TicketStatus[];
  excludeStatuses?: TicketStatus[];
  assigneeId?: number | null;
  componentId?: number;
  requesterId?: number;
};

/** Newest first, keyset-paged by id (`before` is the last id of the previous page). */
export function listTickets(db: Db, filter: TicketListFilter, page: { limit: number; before?: number }): Ticket[] {
  const where: SQL[] = [];
  if (filter.statuses?.length) where.push(inArray(tickets.status, filter.statuses));
  if (filter.excludeStatuses?.length) where.push(notInArray(tickets.status, filter.excludeStatuses));
  if (filter.assigneeId === null) where.push(sql`${tickets.assigneeId} is null`);
  else if (filter.assigneeId !== undefined) where.push(eq(tickets.assigneeId, filter.assigneeId));
  if (filter.componentId !== undefined) where.push(eq(tickets.componentId, filter.componentId));
  if (filter.requesterId !== undefined) where.push(eq(tickets.requesterId, filter.requesterId));
  if (page.before !== undefined) where.push(lt(tickets.id, page.before));
  return db
    .select()
    .from(tickets)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(tickets.id))
    .limit(page.limit)
    .all();
}

export function listParticipants(db: Db, ticketId: number): string[] {
  return db.$client.prepare('select address from ticket_participants where ticket_id = ?').pluck().all(ticketId) as string[];
}

export function isParticipant(db: Db, ticketId: number, address: string): boolean {
  return !!db.$client.prepare('select 1 from ticket_participants where ticket_id = ? and address = ?').get(ticketId, address.toLowerCase());
}

export function insertParticipants(db: Db, ticketId: number, addresses: string[], role: 'cc' | 'to' = 'cc'): void {
  for (const a of new Set(addresses.map((x) => x.trim().toLowerCase()).filter(Boolean))) {
    insertRowOnly(db, ticketParticipants, { ticketId, address: a, role }, 'on conflict do nothing');
  }
}

export function insertTicketLink(db: Db, ticketId: number, linkedTicketId: number, kind: 'related' | 'follow_up' | 'merged', now: number): void {
  insertRowOnly(db, ticketLinks, { ticketId, linkedTicketId, kind, createdAt: now }, 'on conflict do nothing');
}

export function listTicketLinks(db: Db, ticketId: number): { ticketId: number; kind: string; direction: 'from' | 'to' }[] {
  const out = listRows(db, ticketLinks, 'where ticket_id = ?', ticketId)
    .map((l) => ({ ticketId: l.linkedTicketId, kind: l.kind, direction: 'to' as const }));
  const inc = listRows(db, ticketLinks, 'where linked_ticket_id = ?', ticketId)
    .map((l) => ({ ticketId: l.ticketId, kind: l.kind, direction: 'from' as const }));
  return [...out, ...inc];
}
