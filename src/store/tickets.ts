import { and, desc, eq, inArray, lt, notInArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { ticketLinks, ticketParticipants, tickets, type TicketStatus } from '../db/schema.ts';
import { newPortalNonce } from '../domain/portal-link.ts';
import { notFound } from '../domain/errors.ts';
import { findRow, insertRow, insertRowOnly, listRows, updateRows } from './rows.ts';

export type Ticket = typeof tickets.$inferSelect;
export type TicketInsert = Omit<typeof tickets.$inferInsert, 'id' | 'number' | 'createdAt' | 'updatedAt' | 'lastActivityAt' | 'portalNonce'>;
export type TicketPatch = Partial<Omit<Ticket, 'id' | 'number' | 'createdAt'>>;

export { CLOSED_STATUSES } from '../domain/vocabulary.ts';

export async function findTicket(db: Db, id: number): Promise<Ticket | undefined> {
  return await findRow(db, tickets, 'where id = ?', id);
}

export async function getTicket(db: Db, id: number): Promise<Ticket> {
  const t = await findTicket(db, id);
  if (!t) throw notFound('Ticket');
  return t;
}

export async function findTicketByNumber(db: Db, number: number): Promise<Ticket | undefined> {
  return await findRow(db, tickets, 'where number = ?', number);
}

/** Inserts a ticket with the next human number. Call inside a transaction. */
/** The newest ticket's id (0 when there is none): the queue's poll asks what came after it. */
export async function maxTicketId(db: Db): Promise<number> {
  return (await db.value('select coalesce(max(id), 0) as m from tickets')) as number;
}

export async function insertTicket(db: Db, t: TicketInsert, now: number): Promise<Ticket> {
  const next = ((await db.get('select coalesce(max(number), 0) + 1 as n from tickets')) as { n: number }).n;
  return await insertRow(db, tickets, { portalNonce: newPortalNonce(), ...t, number: next, createdAt: now, updatedAt: now, lastActivityAt: now });
}

export async function updateTicket(db: Db, id: number, patch: TicketPatch, now: number): Promise<void> {
  await updateRows(db, tickets, { ...patch, updatedAt: now }, 'where id = ?', id);
}

export type TicketListFilter = {
  statuses?: TicketStatus[];
  excludeStatuses?: TicketStatus[];
  assigneeId?: number | null;
  componentId?: number;
  requesterId?: number;
};

/** Newest first, keyset-paged by id (`before` is the last id of the previous page). */
export async function listTickets(db: Db, filter: TicketListFilter, page: { limit: number; before?: number }): Promise<Ticket[]> {
  const where: SQL[] = [];
  if (filter.statuses?.length) where.push(inArray(tickets.status, filter.statuses));
  if (filter.excludeStatuses?.length) where.push(notInArray(tickets.status, filter.excludeStatuses));
  if (filter.assigneeId === null) where.push(sql`${tickets.assigneeId} is null`);
  else if (filter.assigneeId !== undefined) where.push(eq(tickets.assigneeId, filter.assigneeId));
  if (filter.componentId !== undefined) where.push(eq(tickets.componentId, filter.componentId));
  if (filter.requesterId !== undefined) where.push(eq(tickets.requesterId, filter.requesterId));
  if (page.before !== undefined) where.push(lt(tickets.id, page.before));
  return await db
    .select()
    .from(tickets)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(tickets.id))
    .limit(page.limit)
    .all();
}

export async function listParticipants(db: Db, ticketId: number): Promise<string[]> {
  return (await db.column('select address from ticket_participants where ticket_id = ?', ticketId)) as string[];
}

export async function isParticipant(db: Db, ticketId: number, address: string): Promise<boolean> {
  return !!await db.get('select 1 from ticket_participants where ticket_id = ? and address = ?', ticketId, address.toLowerCase());
}

export async function insertParticipants(db: Db, ticketId: number, addresses: string[], role: 'cc' | 'to' = 'cc'): Promise<void> {
  for (const a of new Set(addresses.map((x) => x.trim().toLowerCase()).filter(Boolean))) {
    await insertRowOnly(db, ticketParticipants, { ticketId, address: a, role }, 'on conflict do nothing');
  }
}

export async function insertTicketLink(db: Db, ticketId: number, linkedTicketId: number, kind: 'related' | 'follow_up' | 'merged', now: number): Promise<void> {
  await insertRowOnly(db, ticketLinks, { ticketId, linkedTicketId, kind, createdAt: now }, 'on conflict do nothing');
}

/** A link seen from one ticket: the other ticket, the kind, and whether it points there ('to') or here ('from'). */
export type TicketLinkRef = { ticketId: number; kind: string; direction: 'from' | 'to' };

export async function listTicketLinks(db: Db, ticketId: number): Promise<TicketLinkRef[]> {
  const out = (await listRows(db, ticketLinks, 'where ticket_id = ?', ticketId))
    .map((l) => ({ ticketId: l.linkedTicketId, kind: l.kind, direction: 'to' as const }));
  const inc = (await listRows(db, ticketLinks, 'where linked_ticket_id = ?', ticketId))
    .map((l) => ({ ticketId: l.ticketId, kind: l.kind, direction: 'from' as const }));
  return [...out, ...inc];
}
