// The days a calendar page shows, in the viewer's time zone: a month as whole weeks from Monday,
// or one week; each day with its bounds as instants. Pure.
import { addDays, dateKey, instantOf, parseDateKey, weekdayOf, type LocalDate } from './zoned-time.ts';

export type CalendarDay = { key: string; from: number; to: number; inMonth: boolean; weekday: number };
export type CalendarGrid = { view: 'month' | 'week'; key: string; days: CalendarDay[]; from: number; to: number; prev: string; next: string };

export function calendarGrid(view: 'month' | 'week', date: LocalDate, timeZone: string): CalendarGrid {
  const monday = (d: LocalDate) => addDays(d, -weekdayOf(d));
  let first: LocalDate;
  let count: number;
  let prev: LocalDate;
  let next: LocalDate;
  if (view === 'week') {
    first = monday(date);
    count = 7;
    prev = addDays(first, -7);
    next = addDays(first, 7);
  } else {
    const start = { y: date.y, m: date.m, d: 1 };
    const end = addDays(date.m === 12 ? { y: date.y + 1, m: 1, d: 1 } : { y: date.y, m: date.m + 1, d: 1 }, -1);
    first = monday(start);
    count = Math.round((Date.UTC(end.y, end.m - 1, end.d) - Date.UTC(first.y, first.m - 1, first.d)) / 86_400_000) + 1;
    count = Math.ceil(count / 7) * 7;
    prev = date.m === 1 ? { y: date.y - 1, m: 12, d: 1 } : { y: date.y, m: date.m - 1, d: 1 };
    next = date.m === 12 ? { y: date.y + 1, m: 1, d: 1 } : { y: date.y, m: date.m + 1, d: 1 };
  }
  const days = Array.from({ length: count }, (_, i) => {
    const d = addDays(first, i);
    return { key: dateKey(d), from: instantOf(d, 0, timeZone), to: instantOf(addDays(d, 1), 0, timeZone), inMonth: view === 'week' || d.m === date.m, weekday: weekdayOf(d) };
  });
  return { view, key: view === 'week' ? dateKey(first) : dateKey(date).slice(0, 7), days, from: days[0].from, to: days[days.length - 1].to, prev: dateKey(prev), next: dateKey(next) };
}

export function parseCalendarDate(raw: unknown): LocalDate | undefined {
  return typeof raw === 'string' ? (parseDateKey(raw) ?? parseDateKey(`${raw}-01`)) : undefined;
}
