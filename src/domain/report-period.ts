// The period a report covers and how it is cut into buckets (days, weeks from Monday, calendar
// months), in the desk's time zone: a day is the desk's day even when the server runs in UTC or
// the clocks change. Dates are inclusive in the query ("from 2026-11-01 to 2026-11-30") and
// half-open as instants ([from, to)). Pure: no I/O.
import { addDays, dateKey, instantOf, localDateOf, parseDateKey, weekdayOf, type LocalDate } from './zoned-time.ts';

export const GROUPINGS = ['day', 'week', 'month'] as const;
export type Grouping = (typeof GROUPINGS)[number];

export type Period = {
  /** the first and the last day shown, YYYY-MM-DD */
  fromKey: string;
  toKey: string;
  /** [from, to) as instants */
  from: number;
  to: number;
  group: Grouping;
};

export type Bucket = { key: string; from: number; to: number };

/** The most buckets a report draws; a longer period is cut to its last MAX_BUCKETS buckets. */
export const MAX_BUCKETS = 400;
/** The longest period a report covers (about five years). */
export const MAX_PERIOD_DAYS = 1900;

export type PeriodInput = { from?: string; to?: string; group?: Grouping };

/**
 * The period a query asks for: its dates when they parse (the end before the start swaps them),
 * else the `defaultDays` days up to today; the grouping asked for, else the one that suits the length.
 */
export function periodOf(input: PeriodInput, now: number, timeZone: string, defaultDays = 30): Period {
  const today = localDateOf(now, timeZone);
  let to = (input.to && parseDateKey(input.to)) || today;
  let from = (input.from && parseDateKey(input.from)) || addDays(to, -(defaultDays - 1));
  if (dateKey(from) > dateKey(to)) [from, to] = [to, from];
  if (daysBetween(from, to) > MAX_PERIOD_DAYS) from = addDays(to, -MAX_PERIOD_DAYS);
  const days = daysBetween(from, to) + 1;
  const group = input.group ?? (days <= 45 ? 'day' : days <= 200 ? 'week' : 'month');
  return { fromKey: dateKey(from), toKey: dateKey(to), from: instantOf(from, 0, timeZone), to: instantOf(addDays(to, 1), 0, timeZone), group };
}

/** The buckets of a period, each clipped to it: the first week or month may start mid-way. */
export function bucketsOf(period: Period, timeZone: string): Bucket[] {
  const last = parseDateKey(period.toKey)!;
  const out: Bucket[] = [];
  let start = parseDateKey(period.fromKey)!;
  while (dateKey(start) <= dateKey(last)) {
    const next = nextStart(start, period.group);
    out.push({ key: bucketKey(start, period.group), from: instantOf(start, 0, timeZone), to: Math.min(instantOf(next, 0, timeZone), period.to) });
    start = next;
  }
  return out.slice(-MAX_BUCKETS);
}

function nextStart(d: LocalDate, group: Grouping): LocalDate {
  if (group === 'day') return addDays(d, 1);
  if (group === 'week') return addDays(d, 7 - weekdayOf(d));
  return d.m === 12 ? { y: d.y + 1, m: 1, d: 1 } : { y: d.y, m: d.m + 1, d: 1 };
}

/** A day's key is its date; a week's the date of its Monday; a month's YYYY-MM. */
function bucketKey(start: LocalDate, group: Grouping): string {
  if (group === 'day') return dateKey(start);
  if (group === 'week') return dateKey(addDays(start, -weekdayOf(start)));
  return dateKey(start).slice(0, 7);
}

function daysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round((Date.UTC(b.y, b.m - 1, b.d) - Date.UTC(a.y, a.m - 1, a.d)) / 86_400_000);
}

/** The hour of Monday (desk time) from which the week's digest goes out. */
export const DIGEST_HOUR = 8;

/**
 * The week a digest sent at `now` covers: the last whole week (Monday to Sunday, desk time), once
 * Monday DIGEST_HOUR:00 of the current week has passed; undefined before that on a Monday.
 * `key` is the Monday the digest is sent on, naming it once per week.
 */
export function digestWeekOf(now: number, timeZone: string): { key: string; period: Period } | undefined {
  const today = localDateOf(now, timeZone);
  const monday = addDays(today, -weekdayOf(today));
  if (now < instantOf(monday, DIGEST_HOUR * 60, timeZone)) return undefined;
  const from = addDays(monday, -7);
  return { key: dateKey(monday), period: periodOf({ from: dateKey(from), to: dateKey(addDays(monday, -1)), group: 'day' }, now, timeZone) };
}
