import { and, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { outbox } from '../db/schema.ts';
import { notFound } from '../domain/errors.ts';
import { findRow, insertRow, placeholders, updateRows } from './rows.ts';
import { jsonIsTrue } from '../db/dialect.ts';

export type OutboxRow = typeof outbox.$inferSelect;
export type OutboxStatus = OutboxRow['status'];
export type OutboxChannel = OutboxRow['channel'];
export type OutboxInsert = Omit<typeof outbox.$inferInsert, 'id' | 'status' | 'attempts' | 'createdAt' | 'nextAttemptAt' | 'sentAt' | 'lastError' | 'providerId'>;
export type OutboxPatch = Partial<Omit<OutboxRow, 'id' | 'createdAt' | 'channel'>>;

export const OUTBOX_STATUSES: OutboxStatus[] = ['pending', 'sending', 'dead', 'sent', 'skipped', 'discarded'];

/** Queues one outbound mail or SMS. Call inside the transaction of the change that causes it. */
export async function insertOutbox(db: Db, row: OutboxInsert, now: number): Promise<OutboxRow> {
  return await insertRow(db, outbox, { ...row, status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now });
}

export async function findOutbox(db: Db, id: number): Promise<OutboxRow | undefined> {
  return await findRow(db, outbox, 'where id = ?', id);
}

export async function getOutbox(db: Db, id: number): Promise<OutboxRow> {
  const row = await findOutbox(db, id);
  if (!row) throw notFound('Outbox entry');
  return row;
}

export async function updateOutbox(db: Db, id: number, patch: OutboxPatch): Promise<void> {
  await updateRows(db, outbox, patch, 'where id = ?', id);
}

/**
 * The next row due on one of the channels: pending and due, or sending with an expired lease (its
 * worker stopped in the middle of an attempt). Oldest due first. On PostgreSQL the row is locked
 * for the caller's transaction and rows other workers are claiming are passed over (SKIP LOCKED),
 * so workers in several processes claim different rows instead of queueing behind one.
 */
export async function findDueOutbox(db: Db, channels: OutboxChannel[], now: number): Promise<OutboxRow | undefined> {
  if (channels.length === 0) return undefined;
  const claim = db.engine === 'postgres' ? ' for update skip locked' : '';
  return await findRow(
    db,
    outbox,
    `where status in ('pending', 'sending') and next_attempt_at <= ? and channel in (${placeholders(channels.length)}) order by next_attempt_at, id limit 1${claim}`,
    now,
    ...channels,
  );
}

// how long before the window a row counted by the send limits may have been queued (rows older
// than that come from an outage backlog, not a loop); it keeps the lookup on the recipient index short
const QUEUED_BEFORE_WINDOW_MS = 24 * 3_600_000;

/** Automatic email sent (or being sent) to an address since `since`: what the send limits count. */
export async function listRecentAutoSends(db: Db, recipient: string, since: number, now: number, excludeId?: number): Promise<{ ticketId: number | null; at: number }[]> {
  return (await db
    .select({ ticketId: outbox.ticketId, sentAt: outbox.sentAt, status: outbox.status })
    .from(outbox)
    .where(
      and(
        eq(outbox.recipient, recipient),
        sql`${outbox.createdAt} > ${since - QUEUED_BEFORE_WINDOW_MS}`,
        eq(outbox.channel, 'email'),
        jsonIsTrue(db, outbox.payload, ['auto']),
        or(and(eq(outbox.status, 'sent'), sql`${outbox.sentAt} > ${since}`), eq(outbox.status, 'sending')),
        excludeId !== undefined ? sql`${outbox.id} <> ${excludeId}` : undefined,
      ),
    )
    .all())
    .map((r) => ({ ticketId: r.ticketId, at: r.sentAt ?? now }));
}

export type OutboxListFilter = { statuses?: OutboxStatus[]; ticketId?: number; channel?: OutboxChannel };

/** Newest first, keyset-paged by id. */
export async function listOutbox(db: Db, filter: OutboxListFilter, page: { limit: number; before?: number }): Promise<OutboxRow[]> {
  const where: SQL[] = [];
  if (filter.statuses?.length) where.push(inArray(outbox.status, filter.statuses));
  if (filter.ticketId !== undefined) where.push(eq(outbox.ticketId, filter.ticketId));
  if (filter.channel) where.push(eq(outbox.channel, filter.channel));
  if (page.before !== undefined) where.push(lt(outbox.id, page.before));
  return await db
    .select()
    .from(outbox)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(outbox.id))
    .limit(page.limit)
    .all();
}

/** Row counts per status; `sent` grows without bound, so callers name the statuses they need. */
export async function countOutboxByStatus(db: Db, statuses: OutboxStatus[], filter: { ticketId?: number } = {}): Promise<Partial<Record<OutboxStatus, number>>> {
  const out: Partial<Record<OutboxStatus, number>> = Object.fromEntries(statuses.map((s) => [s, 0]));
  if (!statuses.length) return out;
  const among = `status in (${placeholders(statuses.length)})`;
  const rows = filter.ticketId !== undefined
    ? await db.all<{ status: OutboxStatus; n: number }>(`select status, count(*) as n from outbox where ticket_id = ? and ${among} group by status`, filter.ticketId, ...statuses)
    : await db.all<{ status: OutboxStatus; n: number }>(`select status, count(*) as n from outbox where ${among} group by status`, ...statuses);
  for (const r of rows) out[r.status] = r.n;
  return out;
}

/** The oldest time a pending row has been waiting, per channel (for "mail is waiting since …"). */
export async function findOldestPending(db: Db, channel: OutboxChannel): Promise<number | undefined> {
  return (await db
    .select({ at: sql<number>`min(${outbox.createdAt})` })
    .from(outbox)
    .where(and(eq(outbox.status, 'pending'), eq(outbox.channel, channel)))
    .get())?.at ?? undefined;
}

/** Ticket numbers for the rows of a list (the console links to tickets by number). */
export async function listTicketNumbers(db: Db, ticketIds: number[]): Promise<Map<number, number>> {
  const ids = [...new Set(ticketIds)];
  if (ids.length === 0) return new Map();
  const rows = (await db.all(`select id, number from tickets where id in (${placeholders(ids.length)})`, ...ids)) as { id: number; number: number }[];
  return new Map(rows.map((r) => [r.id, r.number]));
}

/** The newest waiting row of a ticket that has an error (to say why its mail is not out yet). */
export async function findLatestTicketOutboxError(db: Db, ticketId: number): Promise<OutboxRow | undefined> {
  return await findRow(db, outbox, "where ticket_id = ? and status in ('pending', 'sending') and last_error is not null order by id desc limit 1", ticketId);
}

/** The id of the newest outbox row, if there is one. */
export async function findLastOutboxId(db: Db): Promise<number | undefined> {
  const id = await db.value('select max(id) from outbox');
  return id === null || id === undefined ? undefined : Number(id);
}

/**
 * The demo's mail about its own tickets (ids above `afterTicketId`), queued after outbox row
 * `afterOutboxId` whatever moment the demo dated it: removed before anything is sent, and the
 * replies among it shown without a delivery state. Only `helpdesk demo` calls it.
 */
export async function setAsideDemoMail(db: Db, after: { outboxId: number; ticketId: number }): Promise<number> {
  const demoMail = "status = 'pending' and id > ? and ticket_id > ?";
  await db.run(`update messages set delivery_status = null where id in (select message_id from outbox where ${demoMail} and message_id is not null)`, after.outboxId, after.ticketId);
  return (await db.run(`delete from outbox where ${demoMail}`, after.outboxId, after.ticketId)).changes;
}
