import { and, desc, eq, gte, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { inboundMessages, tickets } from '../db/schema.ts';
import { notFound } from '../domain/errors.ts';
import { findRow, insertRow, updateRows } from './rows.ts';

export type InboundRecord = typeof inboundMessages.$inferSelect;
export type InboundOutcome = InboundRecord['outcome'];

export async function findInboundByDedupeKey(db: Db, key: string): Promise<InboundRecord | undefined> {
  return await findRow(db, inboundMessages, 'where dedupe_key = ?', key);
}

export async function findInbound(db: Db, id: number): Promise<InboundRecord | undefined> {
  return await findRow(db, inboundMessages, 'where id = ?', id);
}

export async function getInbound(db: Db, id: number): Promise<InboundRecord> {
  const r = await findInbound(db, id);
  if (!r) throw notFound('Inbound message');
  return r;
}

export async function insertInbound(db: Db, r: Omit<typeof inboundMessages.$inferInsert, 'id'>): Promise<InboundRecord> {
  return await insertRow(db, inboundMessages, r);
}

export async function updateInbound(db: Db, id: number, patch: Partial<Omit<InboundRecord, 'id'>>): Promise<void> {
  await updateRows(db, inboundMessages, patch, 'where id = ?', id);
}

export async function listInboundByOutcome(db: Db, outcomes: InboundOutcome[], page: { limit: number; before?: number }): Promise<InboundRecord[]> {
  return await db
    .select()
    .from(inboundMessages)
    .where(and(inArray(inboundMessages.outcome, outcomes), page.before ? lt(inboundMessages.id, page.before) : undefined))
    .orderBy(desc(inboundMessages.id))
    .limit(page.limit)
    .all();
}

/** Imported and quarantined counts for one mailbox since a time (the mailbox page's "today"). */
export async function countInboundSince(db: Db, mailboxId: number, since: number): Promise<{ imported: number; quarantined: number }> {
  const row = await db
    .select({
      imported: sql<number>`coalesce(sum(case when ${inboundMessages.outcome} != 'quarantined' then 1 else 0 end), 0)`,
      quarantined: sql<number>`coalesce(sum(case when ${inboundMessages.outcome} = 'quarantined' then 1 else 0 end), 0)`,
    })
    .from(inboundMessages)
    .where(and(eq(inboundMessages.mailboxId, mailboxId), gte(inboundMessages.receivedAt, since)))
    .get();
  return { imported: row?.imported ?? 0, quarantined: row?.quarantined ?? 0 };
}

export const INBOUND_VIEWS = ['quarantined', 'ignored', 'problems', 'all'] as const;
export type InboundView = (typeof INBOUND_VIEWS)[number];

/**
 * The console's lists of inbound mail, newest first: quarantined; ignored (our own mail, and
 * automatic mail and bounces that matched no ticket); imported with parse problems; everything.
 */
export async function listInboundView(
  db: Db,
  view: InboundView,
  page: { limit: number; before?: number },
): Promise<(InboundRecord & { ticketNumber: number | null })[]> {
  const where =
    view === 'quarantined'
      ? eq(inboundMessages.outcome, 'quarantined')
      : view === 'ignored'
        ? or(eq(inboundMessages.outcome, 'ignored'), and(inArray(inboundMessages.outcome, ['auto_reply', 'bounce']), isNull(inboundMessages.ticketId)))
        : view === 'problems'
          ? isNotNull(inboundMessages.problems)
          : undefined;
  return (await db
    .select({ row: inboundMessages, ticketNumber: tickets.number })
    .from(inboundMessages)
    .leftJoin(tickets, eq(tickets.id, inboundMessages.ticketId))
    .where(and(where, page.before ? lt(inboundMessages.id, page.before) : undefined))
    .orderBy(desc(inboundMessages.id))
    .limit(page.limit)
    .all())
    .map((r) => ({ ...r.row, ticketNumber: r.ticketNumber ?? null }));
}

export async function countInboundByOutcome(db: Db, outcome: InboundOutcome): Promise<number> {
  return (await db.select({ n: sql<number>`count(*)` }).from(inboundMessages).where(eq(inboundMessages.outcome, outcome)).get())?.n ?? 0;
}
