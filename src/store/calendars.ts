// Business calendars and their dated exceptions (holidays, transferred and shortened working days).
import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { businessCalendars, calendarExceptions } from '../db/schema.ts';
import type { BusinessCalendar, CalendarException } from '../domain/business-calendar.ts';
import { notFound } from '../domain/errors.ts';

export type CalendarRow = typeof businessCalendars.$inferSelect;
export type CalendarExceptionRow = typeof calendarExceptions.$inferSelect;

export function listCalendars(db: Db): CalendarRow[] {
  return db.select().from(businessCalendars).orderBy(asc(businessCalendars.name)).all();
}

export function findCalendar(db: Db, id: number): CalendarRow | undefined {
  return db.select().from(businessCalendars).where(eq(businessCalendars.id, id)).get();
}

export function getCalendar(db: Db, id: number): CalendarRow {
  const c = findCalendar(db, id);
  if (!c) throw notFound('Calendar');
  return c;
}

export function insertCalendar(db: Db, c: Pick<CalendarRow, 'name' | 'timeZone' | 'weeklyHours'>, now: number): CalendarRow {
  return db.insert(businessCalendars).values({ ...c, createdAt: now, updatedAt: now }).returning().get();
}

export function updateCalendar(db: Db, id: number, patch: Partial<Pick<CalendarRow, 'name' | 'timeZone' | 'weeklyHours'>>, now: number): void {
  db.update(businessCalendars).set(patch).where(eq(businessCalendars.id, id)).run();
  touchCalendar(db, id, now);
}

export function deleteCalendar(db: Db, id: number): void {
  db.delete(businessCalendars).where(eq(businessCalendars.id, id)).run();
}

export function listCalendarExceptions(db: Db, calendarId: number): CalendarExceptionRow[] {
  return db.select().from(calendarExceptions).where(eq(calendarExceptions.calendarId, calendarId)).orderBy(asc(calendarExceptions.date)).all();
}

/** Marks the calendar changed (its exceptions count as part of it: computed calendars are cached by this). */
export function touchCalendar(db: Db, id: number, now: number): void {
  const c = findCalendar(db, id);
  // strictly increasing, even for two changes within one millisecond
  if (c) db.update(businessCalendars).set({ updatedAt: Math.max(now, c.updatedAt + 1) }).where(eq(businessCalendars.id, id)).run();
}

/** Adds or replaces the exception of one date. */
export function upsertCalendarException(db: Db, calendarId: number, e: CalendarException): void {
  const row = { calendarId, date: e.date, kind: e.kind, hours: e.hours, note: e.note ?? null };
  db.insert(calendarExceptions)
    .values(row)
    .onConflictDoUpdate({ target: [calendarExceptions.calendarId, calendarExceptions.date], set: { kind: row.kind, hours: row.hours, note: row.note } })
    .run();
}

export function deleteCalendarException(db: Db, calendarId: number, id: number): void {
  db.delete(calendarExceptions).where(and(eq(calendarExceptions.calendarId, calendarId), eq(calendarExceptions.id, id))).run();
}

/** A cheap fingerprint of a calendar's exceptions (how many, the newest row) for caches. */
export function calendarExceptionsVersion(db: Db, calendarId: number): string {
  const r = db
    .select({ n: sql<number>`count(*)`, last: sql<number>`coalesce(max(${calendarExceptions.id}), 0)` })
    .from(calendarExceptions)
    .where(eq(calendarExceptions.calendarId, calendarId))
    .get();
  return `${r?.n ?? 0}.${r?.last ?? 0}`;
}

/** Removes every exception of the given years (an imported production calendar replaces them). */
export function deleteCalendarExceptionsOfYears(db: Db, calendarId: number, years: number[]): void {
  for (const y of years) {
    db.delete(calendarExceptions)
      .where(and(eq(calendarExceptions.calendarId, calendarId), gte(calendarExceptions.date, `${y}-01-01`), lte(calendarExceptions.date, `${y}-12-31`)))
      .run();
  }
}

/** The calendar in the form the domain computes with. */
export function loadBusinessCalendar(db: Db, id: number): BusinessCalendar | undefined {
  const c = findCalendar(db, id);
  if (!c) return undefined;
  return {
    timeZone: c.timeZone,
    weeklyHours: c.weeklyHours,
    exceptions: listCalendarExceptions(db, id).map((e) => ({ date: e.date, kind: e.kind, hours: e.hours ?? null, note: e.note })),
  };
}
