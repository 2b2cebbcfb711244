// Wall-clock dates and times in an IANA time zone with Intl alone (no tz library): instant →
// local parts, local date + minute of day → instant, across DST changes.
import { keepBounded } from './bounded-memo.ts';

/** A calendar date; m is 1–12. */
export type LocalDate = { y: number; m: number; d: number };

export type LocalParts = LocalDate & { hh: number; mm: number; ss: number; /** 0 = Monday … 6 = Sunday */ weekday: number };

const DAY_MS = 86_400_000;
// Time zones come from data (users, calendars) and Intl takes any spelling of a name
// ("europe/moscow"), so the memos per zone are bounded, far above what a desk uses.
const MAX_ZONES = 500;
// a pure memo: one formatter per time zone
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    keepBounded(formatters, timeZone, f, MAX_ZONES);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  if (!timeZone || typeof timeZone !== 'string') return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function weekdayOf(date: LocalDate): number {
  // 1970-01-01 was a Thursday (3 counting from Monday)
  return (((Date.UTC(date.y, date.m - 1, date.d) / DAY_MS + 3) % 7) + 7) % 7;
}

/** Local time minus UTC, straight from Intl (slow: formatToParts). */
function offsetFromIntl(ms: number, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second')) - Math.floor(ms / 1000) * 1000;
}

// Offsets change only on quarter-hour instants (transitions happen at whole or half local hours
// and offsets are multiples of 15 minutes), so one Intl call per zone and quarter hour suffices.
const QUARTER = 900_000;
// a pure memo: the offset per zone and quarter hour (at most MAX_ZONES zones of 200,001 quarters)
const offsetMemo = new Map<string, Map<number, number>>();

/** The offset at a quarter-hour instant, one Intl call per zone and quarter hour. */
function quarterOffset(bucket: number, timeZone: string): number {
  let zone = offsetMemo.get(timeZone);
  if (!zone) zone = keepBounded(offsetMemo, timeZone, new Map<number, number>(), MAX_ZONES);
  let off = zone.get(bucket);
  if (off === undefined) {
    if (zone.size > 200_000) zone.clear(); // a memo of a pure function: keep it bounded
    off = offsetFromIntl(bucket * QUARTER, timeZone);
    zone.set(bucket, off);
  }
  return off;
}

// Most UTC days have one offset all day: a day whose offset is the same at its start, its noon and
// the next day's start is taken as one (zones change their offset at most once in a day), so a
// report measuring a year of tickets asks Intl a few times per day, not once per quarter hour.
// A pure memo: the offset per zone and UTC day, null for a day with a change in it.
const dayOffsetMemo = new Map<string, Map<number, number | null>>();
const QUARTERS_PER_DAY = DAY_MS / QUARTER;

/** Local time minus UTC at an instant, in ms (Moscow: +3 h). */
export function offsetAt(ms: number, timeZone: string): number {
  let zone = dayOffsetMemo.get(timeZone);
  if (!zone) zone = keepBounded(dayOffsetMemo, timeZone, new Map<number, number | null>(), MAX_ZONES);
  const day = Math.floor(ms / DAY_MS);
  let off = zone.get(day);
  if (off === undefined) {
    if (zone.size > 100_000) zone.clear();
    const q = day * QUARTERS_PER_DAY;
    const start = quarterOffset(q, timeZone);
    off = quarterOffset(q + QUARTERS_PER_DAY / 2, timeZone) === start && quarterOffset(q + QUARTERS_PER_DAY, timeZone) === start ? start : null;
    zone.set(day, off);
  }
  return off ?? quarterOffset(Math.floor(ms / QUARTER), timeZone);
}

/** The local date and time of an instant in a zone (by integer arithmetic: downloads ask it per cell). */
export function zonedParts(ms: number, timeZone: string): LocalParts {
  const local = ms + offsetAt(ms, timeZone);
  const days = Math.floor(local / DAY_MS);
  const date = civilDateOf(days);
  const secondOfDay = Math.floor((local - days * DAY_MS) / 1000);
  // the fields spelt out: spreading the date made this call 50 times slower
  return {
    y: date.y, m: date.m, d: date.d, hh: Math.floor(secondOfDay / 3600), mm: Math.floor((secondOfDay % 3600) / 60), ss: secondOfDay % 60, weekday: (((days + 3) % 7) + 7) % 7,
  };
}

/**
 * The instant of a local date and minute of day (1440 = the next midnight). A time that does
 * not exist (the hour skipped when clocks go forward) moves forward by the gap; a time that
 * happens twice (clocks go back) is the earlier one — as Temporal's "compatible" does.
 */
export function instantOf(date: LocalDate, minuteOfDay: number, timeZone: string): number {
  const wall = Date.UTC(date.y, date.m - 1, date.d, 0, minuteOfDay);
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const candidates = [wall - before, wall - after].filter((c) => c + offsetAt(c, timeZone) === wall);
  if (candidates.length) return Math.min(...candidates);
  return wall - before;
}

export function localDateOf(ms: number, timeZone: string): LocalDate {
  return civilDateOf(Math.floor((ms + offsetAt(ms, timeZone)) / DAY_MS));
}

/**
 * The proleptic Gregorian date of a day number (days since 1970-01-01), by integer arithmetic
 * (H. Hinnant's civil_from_days): reports ask it for every ticket they measure, and a Date object
 * per call cost more than the rest of the measuring.
 */
export function civilDateOf(days: number): LocalDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return civilDateOf(Date.UTC(date.y, date.m - 1, date.d) / DAY_MS + days);
}

export function dateKey(date: LocalDate): string {
  return `${String(date.y).padStart(4, '0')}-${String(date.m).padStart(2, '0')}-${String(date.d).padStart(2, '0')}`;
}

/** Parses YYYY-MM-DD; undefined when it is not a real date. */
export function parseDateKey(s: string): LocalDate | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
  if (!m) return undefined;
  const date = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  const check = addDays(date, 0);
  return check.y === date.y && check.m === date.m && check.d === date.d ? date : undefined;
}

/** The first instant of a local month (m 1–12; 13 rolls into the next year). */
export function monthStart(y: number, m: number, timeZone: string): number {
  const t = new Date(Date.UTC(y, m - 1, 1));
  return instantOf({ y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: 1 }, 0, timeZone);
}

/**
 * The instant of a date (YYYY-MM-DD) and a wall-clock time (HH:MM) in a time zone, as a date and a
 * time input send them; undefined when either is not one.
 */
export function parseLocalDateTime(date: string, time: string, timeZone: string): number | undefined {
  const day = parseDateKey(date);
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time.trim());
  return day && m ? instantOf(day, Number(m[1]) * 60 + Number(m[2]), timeZone) : undefined;
}

/** An instant as a date input's and a time input's values in a time zone (the inverse of parseLocalDateTime). */
export function localDateTimeOf(ms: number, timeZone: string): { date: string; time: string } {
  const p = zonedParts(ms, timeZone);
  return { date: dateKey(p), time: `${String(p.hh).padStart(2, '0')}:${String(p.mm).padStart(2, '0')}` };
}
