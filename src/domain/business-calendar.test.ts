import { describe, expect, it } from 'vitest';
import {
  addBusinessTime, ALWAYS_OPEN, businessTimeBetween, CalendarError, compileCalendar, isWorkingTime, parseHours, shortenedHours, subtractBusinessTime,
  type BusinessCalendar, type Interval,
} from './business-calendar.ts';

const Z = (iso: string) => Date.parse(iso);
const H = 3_600_000;
const M = 60_000;
const DAY: Interval[] = [['09:00', '18:00']];
const WEEKDAYS = (hours: Interval[]) => [hours, hours, hours, hours, hours, [], []];

// Moscow office with a Russian-style November: the 4th is a holiday, the 3rd is a pre-holiday
// day one hour shorter, and Saturday the 7th is a transferred working day.
const moscow: BusinessCalendar = {
  timeZone: 'Europe/Moscow',
  weeklyHours: WEEKDAYS(DAY),
  exceptions: [
    { date: '2026-11-03', kind: 'workday', hours: [['09:00', '17:00']], note: 'pre-holiday' },
    { date: '2026-11-04', kind: 'holiday', hours: null, note: 'National Unity Day' },
    { date: '2026-11-07', kind: 'workday', hours: null, note: 'transferred' },
  ],
};
const lunch: BusinessCalendar = { timeZone: 'Europe/Moscow', weeklyHours: WEEKDAYS([['09:00', '13:00'], ['14:00', '18:00']]), exceptions: [] };
const berlin: BusinessCalendar = { timeZone: 'Europe/Berlin', weeklyHours: WEEKDAYS([['09:00', '17:00']]), exceptions: [] };
const vladivostok: BusinessCalendar = { timeZone: 'Asia/Vladivostok', weeklyHours: WEEKDAYS(DAY), exceptions: [] };
const newYork247: BusinessCalendar = { ...ALWAYS_OPEN, timeZone: 'America/New_York' };

describe('business calendar: adding business time', () => {
  it.each<[string, BusinessCalendar, string, number, string]>([
    ['same day', moscow, '2026-11-02T07:00:00Z' /* Mon 10:00 MSK */, 2 * H, '2026-11-02T09:00:00Z'],
    ['ends exactly at closing time, not the next morning', moscow, '2026-11-02T13:00:00Z', 2 * H, '2026-11-02T15:00:00Z'],
    ['starts before opening', moscow, '2026-11-02T04:00:00Z' /* 07:00 */, 30 * M, '2026-11-02T06:30:00Z'],
    ['starts after closing: next morning', moscow, '2026-11-02T16:00:00Z' /* 19:00 */, 30 * M, '2026-11-03T06:30:00Z'],
    ['over the weekend', { ...moscow, exceptions: [] }, '2026-11-13T14:30:00Z' /* Fri 17:30 */, 2 * H, '2026-11-16T07:30:00Z'],
    ['starts on Sunday', moscow, '2026-11-15T10:00:00Z', H, '2026-11-16T07:00:00Z'],
    ['shortened pre-holiday day, then the holiday', moscow, '2026-11-03T13:00:00Z' /* Tue 16:00 */, 3 * H, '2026-11-05T08:00:00Z' /* Thu 11:00 */],
    ['transferred working Saturday', moscow, '2026-11-06T14:00:00Z' /* Fri 17:00 */, 2 * H, '2026-11-07T07:00:00Z' /* Sat 10:00 */],
    ['a week of business time', { ...moscow, exceptions: [] }, '2026-11-02T06:00:00Z', 45 * H, '2026-11-06T15:00:00Z'],
    ['lunch break is skipped', lunch, '2026-11-02T09:30:00Z' /* 12:30 */, H, '2026-11-02T11:30:00Z' /* 14:30 */],
    ['zone far east of UTC: the local Tuesday', vladivostok, '2026-11-02T23:30:00Z' /* Tue 09:30 */, H, '2026-11-03T00:30:00Z'],
    ['across the spring DST change', berlin, '2026-03-27T15:00:00Z' /* Fri 16:00 CET */, 2 * H, '2026-03-30T08:00:00Z' /* Mon 10:00 CEST */],
    ['across the autumn DST change', berlin, '2026-10-23T14:00:00Z' /* Fri 16:00 CEST */, 2 * H, '2026-10-26T09:00:00Z' /* Mon 10:00 CET */],
    ['24/7 desk across the US DST change counts real hours', newYork247, '2026-03-08T05:00:00Z', 24 * H, '2026-03-09T05:00:00Z'],
    ['nothing to add', moscow, '2026-11-08T10:00:00Z', 0, '2026-11-08T10:00:00Z'],
  ])('%s', (_name, cal, from, ms, due) => {
    expect(new Date(addBusinessTime(compileCalendar(cal), Z(from), ms)).toISOString()).toBe(new Date(due).toISOString());
  });
});

describe('business calendar: business time between two instants', () => {
  it.each<[string, BusinessCalendar, string, string, number]>([
    ['inside one day', moscow, '2026-11-02T07:00:00Z', '2026-11-02T08:30:00Z', 90 * M],
    ['a night counts nothing', moscow, '2026-11-02T15:00:00Z', '2026-11-03T06:00:00Z', 0],
    ['Friday evening to Monday morning', { ...moscow, exceptions: [] }, '2026-11-13T14:00:00Z', '2026-11-16T07:00:00Z', 2 * H],
    ['the holiday week', moscow, '2026-11-02T06:00:00Z', '2026-11-09T06:00:00Z', 9 * H + 8 * H + 0 + 9 * H + 9 * H + 9 * H],
    ['Berlin day with 23 hours on a 24/7 calendar', { ...ALWAYS_OPEN, timeZone: 'Europe/Berlin' }, '2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z', 23 * H],
    ['reversed range', moscow, '2026-11-02T08:00:00Z', '2026-11-02T07:00:00Z', 0],
  ])('%s', (_name, cal, from, to, ms) => {
    expect(businessTimeBetween(compileCalendar(cal), Z(from), Z(to))).toBe(ms);
  });

  it('agrees with addBusinessTime', () => {
    const cal = compileCalendar(moscow);
    for (const start of ['2026-11-02T05:00:00Z', '2026-11-03T13:59:00Z', '2026-11-06T17:00:00Z']) {
      for (const ms of [M, 3 * H, 17 * H + 5 * M, 40 * H]) {
        const due = addBusinessTime(cal, Z(start), ms);
        expect(businessTimeBetween(cal, Z(start), due)).toBe(ms);
      }
    }
  });

  it('counts back with subtractBusinessTime to the latest instant that leaves exactly that much', () => {
    const cal = compileCalendar(moscow);
    // Monday 10:00 Moscow minus 3 h: Friday 16:00 in a plain week, the transferred Saturday's 16:00 in this one
    expect(new Date(subtractBusinessTime(compileCalendar({ ...moscow, exceptions: [] }), Z('2026-11-09T07:00:00Z'), 3 * H)).toISOString()).toBe('2026-11-06T13:00:00.000Z');
    expect(new Date(subtractBusinessTime(cal, Z('2026-11-09T07:00:00Z'), 3 * H)).toISOString()).toBe('2026-11-07T13:00:00.000Z');
    expect(new Date(subtractBusinessTime(cal, Z('2026-11-08T09:00:00Z'), 30 * M)).toISOString()).toBe('2026-11-07T14:30:00.000Z');
    // over the holiday and the shortened day before it
    expect(new Date(subtractBusinessTime(cal, Z('2026-11-05T07:00:00Z'), 2 * H)).toISOString()).toBe('2026-11-03T13:00:00.000Z');
    for (const end of ['2026-11-02T05:00:00Z', '2026-11-03T13:59:00Z', '2026-11-06T17:00:00Z', '2026-11-08T12:00:00Z']) {
      for (const ms of [M, 3 * H, 17 * H + 5 * M, 40 * H]) {
        const from = subtractBusinessTime(cal, Z(end), ms);
        expect(businessTimeBetween(cal, from, Z(end))).toBe(ms);
        expect(isWorkingTime(cal, from)).toBe(true);
      }
    }
    expect(subtractBusinessTime(compileCalendar(newYork247), Z('2026-11-08T12:00:00Z'), 5 * H)).toBe(Z('2026-11-08T07:00:00Z'));
  });

  it('gives over long spans, asked in any order on one calendar, the sum of the same span cut into pieces of six hours', () => {
    // long spans take the whole dates between their ends from running sums kept on the calendar,
    // extended forwards and backwards as reports ask; six-hour pieces never skip a date
    let seed = 17;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (const base of [moscow, berlin, lunch, newYork247]) {
      const cal = compileCalendar(base);
      const start = Z('2025-06-01T00:00:00Z');
      for (let i = 0; i < 40; i++) {
        const from = start + Math.floor(rand() * 500 * 24 * H);
        const to = from + Math.floor(rand() * (i % 2 ? 3 : 120) * 24 * H);
        let pieces = 0;
        for (let t = from; t < to; t += 6 * H) pieces += businessTimeBetween(compileCalendar(base), t, Math.min(to, t + 6 * H));
        expect(businessTimeBetween(cal, from, to)).toBe(pieces);
      }
    }
  });

  it('knows when the desk is open', () => {
    const cal = compileCalendar(moscow);
    expect(isWorkingTime(cal, Z('2026-11-02T06:00:00Z'))).toBe(true);
    expect(isWorkingTime(cal, Z('2026-11-02T15:00:00Z'))).toBe(false); // 18:00 closes
    expect(isWorkingTime(cal, Z('2026-11-04T08:00:00Z'))).toBe(false); // holiday
    expect(isWorkingTime(cal, Z('2026-11-07T08:00:00Z'))).toBe(true); // transferred Saturday
  });
});

describe('business calendar: hours and validation', () => {
  it.each([
    ['09:00-18:00', [['09:00', '18:00']]],
    ['9:00 - 13:00, 14:00-18:00', [['09:00', '13:00'], ['14:00', '18:00']]],
    ['09:00–13:00 14:00–18:00', [['09:00', '13:00'], ['14:00', '18:00']]],
    ['00:00-24:00', [['00:00', '24:00']]],
    ['', []],
  ] as const)('parses “%s”', (text, hours) => {
    expect(parseHours(text)).toEqual(hours);
  });

  it.each([
    ['18:00-09:00', 'ends before it starts'],
    ['09:00-13:00, 12:00-18:00', 'overlaps'],
    ['9 to 5', 'not a list of time ranges'],
    ['09:00-25:00', 'not a time range'],
  ])('refuses “%s”', (text, message) => {
    expect(() => parseHours(text)).toThrow(message);
  });

  it('shortens a day by an hour from its end', () => {
    expect(shortenedHours([['09:00', '13:00'], ['14:00', '18:00']])).toEqual([['09:00', '13:00'], ['14:00', '17:00']]);
    expect(shortenedHours([['09:00', '13:00'], ['14:00', '14:30']])).toEqual([['09:00', '12:30']]);
  });

  it('refuses calendars it cannot compute with', () => {
    expect(() => compileCalendar({ ...moscow, timeZone: 'Moscow' })).toThrow(CalendarError);
    expect(() => compileCalendar({ ...moscow, weeklyHours: [[], [], [], [], [], [], []] })).toThrow('no working hours');
    expect(() => compileCalendar({ ...moscow, weeklyHours: [DAY] })).toThrow('seven days');
    const allHolidays = { ...moscow, weeklyHours: WEEKDAYS(DAY), exceptions: [] as BusinessCalendar['exceptions'] };
    for (let d = 0; d < 12; d++) allHolidays.exceptions.push({ date: `2026-11-${String(d + 2).padStart(2, '0')}`, kind: 'holiday', hours: null });
    // an odd calendar still computes: the holidays are skipped
    expect(new Date(addBusinessTime(compileCalendar(allHolidays), Z('2026-11-02T06:00:00Z'), H)).toISOString()).toBe('2026-11-16T07:00:00.000Z');
  });
});
