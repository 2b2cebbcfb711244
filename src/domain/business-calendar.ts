// Business hours: weekly hours per weekday in the calendar's time zone, with dated exceptions
// (holidays, transferred working days, shortened pre-holiday days) — enough for a Russian
// production calendar. Answers "when is N business minutes after T" (and before it) and "how much
// business time lies between A and B".
import { addDays, civilDateOf, dateKey, instantOf, isValidTimeZone, localDateOf, weekdayOf, type LocalDate } from './zoned-time.ts';

/** ["09:00", "18:00"]; "24:00" is the end of the day. */
export type Interval = [string, string];
/** Index 0 = Monday … 6 = Sunday. */
export type WeeklyHours = Interval[][];
export type CalendarException = {
  date: string; // YYYY-MM-DD in the calendar's zone
  kind: 'holiday' | 'workday';
  /** for a workday: its hours; null means the calendar's standard day */
  hours: Interval[] | null;
  note?: string | null;
};
export type BusinessCalendar = { timeZone: string; weeklyHours: WeeklyHours; exceptions: CalendarException[] };

type Span = [number, number]; // minutes of the day

export type CompiledCalendar = {
  timeZone: string;
  weekly: Span[][];
  standard: Span[];
  exceptions: Map<string, Span[]>;
  /** working time of each local date as instants, computed once per date */
  days: Map<string, [number, number][]>;
  /** running sums of business time per local date, see prefixAt */
  prefix: { first: number; sums: number[] } | null;
};

const FULL_DAY: Interval[] = [['00:00', '24:00']];
export const ALWAYS_OPEN: BusinessCalendar = { timeZone: 'UTC', weeklyHours: Array.from({ length: 7 }, () => FULL_DAY), exceptions: [] };

/** How far ahead a calendar is searched for working time before it is declared empty. */
const MAX_DAYS = 366 * 5;

export class CalendarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarError';
  }
}

export function minuteOf(hhmm: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min > 0)) return undefined;
  return h * 60 + min;
}

export function hhmm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** Checks a day's intervals: valid times, each start before its end, in order, not overlapping. */
export function intervalProblem(hours: Interval[]): string | undefined {
  let last = -1;
  for (const [a, b] of hours) {
    const s = minuteOf(a);
    const e = minuteOf(b);
    if (s === undefined || e === undefined) return `“${a}–${b}” is not a time range like 09:00-18:00`;
    if (s >= e) return `“${a}–${b}” ends before it starts`;
    if (s < last) return `“${a}–${b}” overlaps the range before it`;
    last = e;
  }
  return undefined;
}

/** "09:00-13:00, 14:00-18:00" → intervals; "" → no hours (a day off). Throws CalendarError. */
export function parseHours(text: string): Interval[] {
  const trimmed = text.trim();
  if (!trimmed || trimmed === '-' || trimmed === '—') return [];
  const out: Interval[] = [];
  const range = /(\d{1,2}:\d{2})\s*[-–—]\s*(\d{1,2}:\d{2})/g;
  let rest = trimmed;
  for (const m of trimmed.matchAll(range)) {
    const a = minuteOf(m[1]);
    const b = minuteOf(m[2]);
    if (a === undefined || b === undefined) throw new CalendarError(`“${m[0]}” is not a time range like 09:00-18:00`);
    out.push([hhmm(a), hhmm(b)]);
    rest = rest.replace(m[0], '');
  }
  const leftover = rest.replace(/[\s,;]+/g, '');
  if (leftover || !out.length) throw new CalendarError(`“${trimmed}” is not a list of time ranges like 09:00-13:00, 14:00-18:00`);
  const problem = intervalProblem(out);
  if (problem) throw new CalendarError(problem);
  return out;
}

export function formatHours(hours: Interval[] | null | undefined): string {
  return (hours ?? []).map(([a, b]) => `${a}-${b}`).join(', ');
}

const spans = (hours: Interval[]): Span[] => hours.map(([a, b]) => [minuteOf(a)!, minuteOf(b)!]);

/** The standard working day: Monday's hours, else the first weekday that has hours. */
export function standardHours(weekly: WeeklyHours): Interval[] {
  return weekly.find((d) => d.length > 0) ?? [];
}

/** A pre-holiday day: the usual hours with the last `minutes` cut from the end. */
export function shortenedHours(hours: Interval[], minutes = 60): Interval[] {
  const out = spans(hours);
  let cut = minutes;
  while (cut > 0 && out.length) {
    const last = out[out.length - 1];
    const len = last[1] - last[0];
    if (len > cut) {
      last[1] -= cut;
      cut = 0;
    } else {
      out.pop();
      cut -= len;
    }
  }
  return out.map(([a, b]) => [hhmm(a), hhmm(b)]);
}

/** Validates and prepares a calendar for the computations below. Throws CalendarError. */
export function compileCalendar(cal: BusinessCalendar): CompiledCalendar {
  if (!isValidTimeZone(cal.timeZone)) throw new CalendarError(`“${cal.timeZone}” is not a time zone (e.g. Europe/Moscow)`);
  if (!Array.isArray(cal.weeklyHours) || cal.weeklyHours.length !== 7) throw new CalendarError('Weekly hours need seven days, Monday to Sunday');
  for (const day of cal.weeklyHours) {
    const problem = intervalProblem(day);
    if (problem) throw new CalendarError(problem);
  }
  if (cal.weeklyHours.every((d) => d.length === 0)) throw new CalendarError('The calendar has no working hours in the week');
  const standard = standardHours(cal.weeklyHours);
  const exceptions = new Map<string, Span[]>();
  for (const e of cal.exceptions) {
    if (e.kind === 'holiday') exceptions.set(e.date, []);
    else {
      const hours = e.hours ?? standard;
      const problem = intervalProblem(hours);
      if (problem) throw new CalendarError(`${e.date}: ${problem}`);
      exceptions.set(e.date, spans(hours));
    }
  }
  return { timeZone: cal.timeZone, weekly: cal.weeklyHours.map(spans), standard: spans(standard), exceptions, days: new Map(), prefix: null };
}

/** The working minutes of a local date. */
export function workingSpans(cal: CompiledCalendar, date: LocalDate): Span[] {
  return cal.exceptions.get(dateKey(date)) ?? cal.weekly[weekdayOf(date)];
}

/** Working time of one local date as instants, in order. */
function dayRanges(cal: CompiledCalendar, date: LocalDate): [number, number][] {
  const key = dateKey(date);
  let ranges = cal.days.get(key);
  if (!ranges) {
    if (cal.days.size > 20_000) cal.days.clear();
    ranges = workingSpans(cal, date).map(([s, e]) => [instantOf(date, s, cal.timeZone), instantOf(date, e, cal.timeZone)]);
    cal.days.set(key, ranges);
  }
  return ranges;
}

/** The instant when `ms` of business time have passed after `from`. */
export function addBusinessTime(cal: CompiledCalendar, from: number, ms: number): number {
  if (ms <= 0) return from;
  let remaining = ms;
  // start one day early: a range of the previous local day never reaches past midnight, but
  // starting early keeps DST edge cases (a day that begins at 01:00) simple
  let date = addDays(localDateOf(from, cal.timeZone), -1);
  for (let i = 0; i < MAX_DAYS; i++, date = addDays(date, 1)) {
    for (const [start, end] of dayRanges(cal, date)) {
      const a = Math.max(start, from);
      if (end <= a) continue;
      if (remaining <= end - a) return a + remaining;
      remaining -= end - a;
    }
  }
  throw new CalendarError('The calendar has no working time in the next five years');
}

/**
 * The latest instant from which `ms` of business time have passed by `to`: addBusinessTime
 * backwards. A ticket opened then has used exactly `ms` of its target at `to`.
 */
export function subtractBusinessTime(cal: CompiledCalendar, to: number, ms: number): number {
  if (ms <= 0) return to;
  let remaining = ms;
  // start one day late, as addBusinessTime starts one day early
  let date = addDays(localDateOf(to, cal.timeZone), 1);
  for (let i = 0; i < MAX_DAYS; i++, date = addDays(date, -1)) {
    for (const [start, end] of [...dayRanges(cal, date)].reverse()) {
      const b = Math.min(end, to);
      if (b <= start) continue;
      if (remaining <= b - start) return b - remaining;
      remaining -= b - start;
    }
  }
  throw new CalendarError('The calendar has no working time in the last five years');
}

/** Business time between two instants (0 when `to` is not after `from`). */
export function businessTimeBetween(cal: CompiledCalendar, from: number, to: number): number {
  if (to <= from) return 0;
  const first = localDateOf(from, cal.timeZone);
  const last = localDateOf(to, cal.timeZone);
  const overlap = (date: LocalDate) => {
    let t = 0;
    for (const [start, end] of dayRanges(cal, date)) {
      const a = Math.max(start, from);
      const b = Math.min(end, to);
      if (b > a) t += b - a;
    }
    return t;
  };
  // a date's working time lies within the date, so the dates strictly between the first and the
  // last are wholly inside and come from the running sums; the previous date is looked at too, for
  // the DST edge cases addBusinessTime starts early for
  const a = dayNumber(first);
  const b = dayNumber(last);
  let total = overlap(addDays(first, -1)) + overlap(first);
  if (b > a) total += overlap(last);
  if (b > a + 1) total += prefixAt(cal, b) - prefixAt(cal, a + 1);
  return total;
}

const dayNumber = (d: LocalDate) => Date.UTC(d.y, d.m - 1, d.d) / 86_400_000;

function dayTotal(cal: CompiledCalendar, n: number): number {
  let t = 0;
  for (const [start, end] of dayRanges(cal, civilDateOf(n))) t += end - start;
  return t;
}

/**
 * The business time of the local dates before day `n` (days since 1970-01-01), counted from the
 * first day asked for, so only differences mean anything. The sums are extended a date at a time,
 * so a report measuring thousands of tickets over a year looks at each date once.
 */
function prefixAt(cal: CompiledCalendar, n: number): number {
  let p = cal.prefix;
  if (!p || n < p.first - MAX_DAYS || n > p.first + p.sums.length + MAX_DAYS) p = cal.prefix = { first: n, sums: [0] };
  if (n < p.first) {
    // sums[i] is the time before day first + i; the days from n up to first are put in front
    const before: number[] = [];
    let sum = p.sums[0];
    for (let k = p.first - 1; k >= n; k--) before.push((sum -= dayTotal(cal, k)));
    p.sums = [...before.reverse(), ...p.sums];
    p.first = n;
  }
  for (let k = p.first + p.sums.length - 1; k < n; k++) p.sums.push(p.sums[p.sums.length - 1] + dayTotal(cal, k));
  return p.sums[n - p.first];
}

/** Is the desk open at this instant? */
export function isWorkingTime(cal: CompiledCalendar, at: number): boolean {
  return dayRanges(cal, localDateOf(at, cal.timeZone)).some(([a, b]) => at >= a && at < b);
}
