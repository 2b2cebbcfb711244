import { and, asc, desc, eq, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { outbox } from '../db/schema.ts';
import { notFound } from '../domain/errors.ts';
import { findRow, insertRow, placeholders, updateRows } from './rows.ts';

export type OutboxRow = typeof outbox.$inferSelect;
export type OutboxStatus = OutboxRow['status'];
export type OutboxChannel = OutboxRow['channel'];
export type OutboxInsert = Omit<typeof outbox.$inferInsert, 'id' | 'status' | 'attempts' | 'createdAt' | 'nextAttemptAt' | 'sentAt' | 'lastError' | 'providerId'>;
export type OutboxPatch = Partial<Omit<OutboxRow, 'id' | 'createdAt' | 'channel'>>;

export const OUTBOX_STATUSES: OutboxStatus[] = ['pending', 'sending', 'dead', 'sent', 'skipped', 'discarded'];

/** Queues one outbound mail or SMS. Call inside the transaction of the change that causes it. */
export function insertOutbox(db: Db, row: OutboxInsert, now: number): OutboxRow {
  return insertRow(db, outbox, { ...row, status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now });
}

export function findOutbox(db: Db, id: number): OutboxRow | undefined {
  return findRow(db, outbox, 'where id = ?', id);
}

export function getOutbox(db: Db, id: number): OutboxRow {
  const row = findOutbox(db, id);
  if (!row) throw notFound('Outbox entry');
  return row;
}

export function updateOutbox(db: Db, id: number, patch: OutboxPatch): void {
  updateRows(db, outbox, patch, 'where id = ?', id);
}

/**
 * The next row due on one of the channels: pending and due, or sending with an expired lease (its
 * worker stopped in the middle of an attempt). Oldest due first.
 */
export function findDueOutbox(db: Db, channels: OutboxChannel[], now: number): OutboxRow | undefined {
  if (channels.length === 0) return undefined;
  return db
    .select()
    .from(outbox)
    .where(and(inArray(outbox.status, ['pending', 'sending']), lte(outbox.nextAttemptAt, now), inArray(outbox.channel, channels)))
    .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
    .limit(1)
    .get();
}

// how long before the window a row counted by the send limits may have been queued (rows older
// than that come from an outage backlog, not a loop); it keeps the lookup on the recipient index short
const QUEUED_BEFORE_WINDOW_MS = 24 * 3_600_000;

/** Automatic email sent (or being sent) to an address since `since`: what the send limits count. */
export function listRecentAutoSends(db: Db, recipient: string, since: number, now: number, excludeId?: number): { ticketId: number | null; at: number }[] {
  return db
    .select({ ticketId: outbox.ticketId, sentAt: outbox.sentAt, status: outbox.status })
    .from(outbox)
    .where(
      and(
        eq(outbox.recipient, recipient),
        sql`${outbox.createdAt} > ${since - QUEUED_BEFORE_WINDOW_MS}`,
        eq(outbox.channel, 'email'),
        sql`json_extract(${outbox.payload}, '$.auto') = 1`,
        or(and(eq(outbox.status, 'sent'), sql`${outbox.sentAt} > ${since}`), eq(outbox.status, 'sending')),
        excludeId !== undefined ? sql`${outbox.id} <> ${excludeId}` : undefined,
      ),
    )
    .all()
    .map((r) => ({ ticketId: r.ticketId, at: r.sentAt ?? now }));
}

export type OutboxListFilter = { statuses?: OutboxStatus[]; ticketId?: number; channel?: OutboxChannel };

/** Newest first, keyset-paged by id. */
export function listOutbox(db: Db, filter: OutboxListFilter, page: { limit: number; before?: number }): OutboxRow[] {
  const where: SQL[] = [];
  if (filter.statuses?.length) where.push(inArray(outbox.status, filter.statuses));
  if (filter.ticketId !== undefined) where.push(eq(outbox.ticketId, filter.ticketId));
  if (filter.channel) where.push(eq(outbox.channel, filter.channel));
  if (page.before !== undefined) where.push(lt(outbox.id, page.before));
  return db
    .select()
    .from(outbox)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(outbox.id))
    .limit(page.limit)
    .all();
}

/** Row counts per status; `sent` grows without bound, so callers name the statuses they need. */
export function countOutboxByStatus(db: Db, statuses: OutboxStatus[], filter: { ticketId?: number } = {}): Partial<Record<OutboxStatus, number>> {
  const out: Partial<Record<OutboxStatus, number>> = {};
  for (const status of statuses) {
    out[status] = (filter.ticketId !== undefined
      ? db.$client.prepare('select count(*) from outbox where ticket_id = ? and status = ?').pluck().get(filter.ticketId, status)
      : db.$client.prepare('select count(*) from outbox where status = ?').pluck().get(status)) as number;
  }
  return out;
}

/** The oldest time a pending row has been waiting, per channel (for "mail is waiting since …"). */
export function findOldestPending(db: Db, channel: OutboxChannel): number | undefined {
  return db
    .select({ at: sql<number>`min(${outbox.createdAt})` })
    .from(outbox)
    .where(and(eq(outbox.status, 'pending'), eq(outbox.channel, channel)))
    .get()?.at ?? undefined;
}

/** Ticket numbers for the rows of a list (the console links to tickets by number). */
export function listTicketNumbers(db: Db, ticketIds: number[]): Map<number, number> {
  const ids = [...new Set(ticketIds)];
  if (ids.length === 0) return new Map();
  const rows = db.$client.prepare(`select id, number from tickets where id in (${placeholders(ids.length)})`).all(...ids) as { id: number; number: number }[];
  return new Map(rows.map((r) => [r.id, r.number]));
}

/** The newest waiting row of a ticket that has an error (to say why its mail is not out yet). */
export function findLatestTicketOutboxError(db: Db, ticketId: number): OutboxRow | undefined {
  return findRow(db, outbox, "where ticket_id = ? and status in ('pending', 'sending') and last_error is not null order by id desc limit 1", ticketId);
}
