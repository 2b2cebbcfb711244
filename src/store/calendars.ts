// Business calendars and their dated exceptions (holidays, transferred and shortened working days).
import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { businessCalendars, calendarExceptions } from '../db/schema.ts';
import type { BusinessCalendar, CalendarException } from '../domain/business-calendar.ts';
import { notFound } from '../domain/errors.ts';

export type CalendarRow = typeof businessCalendars.$inferSelect;
export type CalendarExceptionRow = typeof calendarExceptions.$inferSelect;

export async function listCalendars(db: Db): Promise<CalendarRow[]> {
  return await db.select().from(businessCalendars).orderBy(asc(businessCalendars.name)).all();
}

export async function findCalendar(db: Db, id: number): Promise<CalendarRow | undefined> {
  return await db.select().from(businessCalendars).where(eq(businessCalendars.id, id)).get();
}

export async function getCalendar(db: Db, id: number): Promise<CalendarRow> {
  const c = await findCalendar(db, id);
  if (!c) throw notFound('Calendar');
  return c;
}

export async function insertCalendar(db: Db, c: Pick<CalendarRow, 'name' | 'timeZone' | 'weeklyHours'>, now: number): Promise<CalendarRow> {
  return await db.insert(businessCalendars).values({ ...c, createdAt: now, updatedAt: now }).returning().get();
}

export async function updateCalendar(db: Db, id: number, patch: Partial<Pick<CalendarRow, 'name' | 'timeZone' | 'weeklyHours'>>, now: number): Promise<void> {
  await db.update(businessCalendars).set(patch).where(eq(businessCalendars.id, id)).run();
  await touchCalendar(db, id, now);
}

export async function deleteCalendar(db: Db, id: number): Promise<void> {
  await db.delete(businessCalendars).where(eq(businessCalendars.id, id)).run();
}

export async function listCalendarExceptions(db: Db, calendarId: number): Promise<CalendarExceptionRow[]> {
  return await db.select().from(calendarExceptions).where(eq(calendarExceptions.calendarId, calendarId)).orderBy(asc(calendarExceptions.date)).all();
}

/** Marks the calendar changed (its exceptions count as part of it: computed calendars are cached by this). */
export async function touchCalendar(db: Db, id: number, now: number): Promise<void> {
  const c = await findCalendar(db, id);
  // strictly increasing, even for two changes within one millisecond
  if (c) await db.update(businessCalendars).set({ updatedAt: Math.max(now, c.updatedAt + 1) }).where(eq(businessCalendars.id, id)).run();
}

/** Adds or replaces the exception of one date. */
export async function upsertCalendarException(db: Db, calendarId: number, e: CalendarException): Promise<void> {
  const row = { calendarId, date: e.date, kind: e.kind, hours: e.hours, note: e.note ?? null };
  await db.insert(calendarExceptions)
    .values(row)
    .onConflictDoUpdate({ target: [calendarExceptions.calendarId, calendarExceptions.date], set: { kind: row.kind, hours: row.hours, note: row.note } })
    .run();
}

export async function deleteCalendarException(db: Db, calendarId: number, id: number): Promise<void> {
  await db.delete(calendarExceptions).where(and(eq(calendarExceptions.calendarId, calendarId), eq(calendarExceptions.id, id))).run();
}

/** A cheap fingerprint of a calendar's exceptions (how many, the newest row) for caches. */
export async function calendarExceptionsVersion(db: Db, calendarId: number): Promise<string> {
  const r = await db
    .select({ n: sql<number>`count(*)`, last: sql<number>`coalesce(max(${calendarExceptions.id}), 0)` })
    .from(calendarExceptions)
    .where(eq(calendarExceptions.calendarId, calendarId))
    .get();
  return `${r?.n ?? 0}.${r?.last ?? 0}`;
}

/** Removes every exception of the given years (an imported production calendar replaces them). */
export async function deleteCalendarExceptionsOfYears(db: Db, calendarId: number, years: number[]): Promise<void> {
  for (const y of years) {
    await db.delete(calendarExceptions)
      .where(and(eq(calendarExceptions.calendarId, calendarId), gte(calendarExceptions.date, `${y}-01-01`), lte(calendarExceptions.date, `${y}-12-31`)))
      .run();
  }
}

/** The calendar in the form the domain computes with. */
export async function loadBusinessCalendar(db: Db, id: number): Promise<BusinessCalendar | undefined> {
  const c = await findCalendar(db, id);
  if (!c) return undefined;
  return {
    timeZone: c.timeZone,
    weeklyHours: c.weeklyHours,
    exceptions: (await listCalendarExceptions(db, id)).map((e) => ({ date: e.date, kind: e.kind, hours: e.hours ?? null, note: e.note })),
  };
}
