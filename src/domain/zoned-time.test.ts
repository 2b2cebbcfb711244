import { describe, expect, it } from 'vitest';
import { addDays, civilDateOf, instantOf, isValidTimeZone, localDateTimeOf, monthStart, offsetAt, parseDateKey, parseLocalDateTime, weekdayOf, zonedParts } from './zoned-time.ts';

const Z = (iso: string) => Date.parse(iso);

describe('zoned time', () => {
  it.each([
    // zone, local date, minute of day, expected instant
    ['Europe/Moscow', { y: 2026, m: 11, d: 2 }, 9 * 60, '2026-11-02T06:00:00Z'],
    ['UTC', { y: 2026, m: 11, d: 2 }, 24 * 60, '2026-11-03T00:00:00Z'],
    ['Asia/Vladivostok', { y: 2026, m: 11, d: 3 }, 9 * 60 + 30, '2026-11-02T23:30:00Z'],
    ['America/New_York', { y: 2026, m: 7, d: 1 }, 9 * 60, '2026-07-01T13:00:00Z'],
    ['America/New_York', { y: 2026, m: 12, d: 1 }, 9 * 60, '2026-12-01T14:00:00Z'],
    // clocks go forward in Berlin at 02:00 on 29 March 2026: 02:30 does not exist and becomes 03:30 CEST
    ['Europe/Berlin', { y: 2026, m: 3, d: 29 }, 150, '2026-03-29T01:30:00Z'],
    ['Europe/Berlin', { y: 2026, m: 3, d: 29 }, 180, '2026-03-29T01:00:00Z'],
    // clocks go back at 03:00 on 25 October 2026: 02:30 happens twice, the earlier (CEST) wins
    ['Europe/Berlin', { y: 2026, m: 10, d: 25 }, 150, '2026-10-25T00:30:00Z'],
    ['Europe/Berlin', { y: 2026, m: 10, d: 25 }, 9 * 60, '2026-10-25T08:00:00Z'],
  ] as const)('%s %o minute %i is %s', (zone, date, minute, iso) => {
    expect(new Date(instantOf(date, minute, zone)).toISOString()).toBe(new Date(iso).toISOString());
  });

  it('reads local parts and offsets, and knows the weekday', () => {
    expect(zonedParts(Z('2026-11-02T23:30:00Z'), 'Asia/Vladivostok')).toEqual({ y: 2026, m: 11, d: 3, hh: 9, mm: 30, ss: 0, weekday: 1 });
    expect(offsetAt(Z('2026-01-15T12:00:00Z'), 'Europe/Berlin')).toBe(3_600_000);
    expect(offsetAt(Z('2026-07-15T12:00:00Z'), 'Europe/Berlin')).toBe(7_200_000);
    expect(offsetAt(Z('2026-07-15T12:00:00Z'), 'Europe/Moscow')).toBe(3 * 3_600_000);
    expect(weekdayOf({ y: 2026, m: 11, d: 2 })).toBe(0); // Monday
    expect(weekdayOf({ y: 2026, m: 11, d: 8 })).toBe(6); // Sunday
  });

  it('knows the calendar date of every day number from 1600 to 2400, as Date does', () => {
    const wrong: number[] = [];
    for (let n = -135_000; n < 158_000; n++) {
      const t = new Date(n * 86_400_000);
      const c = civilDateOf(n);
      if (c.y !== t.getUTCFullYear() || c.m !== t.getUTCMonth() + 1 || c.d !== t.getUTCDate()) wrong.push(n);
    }
    expect(wrong).toEqual([]);
    expect(civilDateOf(0)).toEqual({ y: 1970, m: 1, d: 1 });
    expect(civilDateOf(11_016)).toEqual({ y: 2000, m: 2, d: 29 });
  });

  it('reads the local parts of instants from 1960 to 2100 as Date reads the shifted instant', () => {
    let seed = 5;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const wrong: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const ms = Z('1960-01-01T00:00:00Z') + Math.floor(rand() * 140 * 365.25 * 86_400_000);
      const zone = ['UTC', 'Europe/Moscow', 'America/St_Johns', 'Asia/Kathmandu'][i % 4];
      const t = new Date(ms + offsetAt(ms, zone));
      const p = zonedParts(ms, zone);
      const want = { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate(), hh: t.getUTCHours(), mm: t.getUTCMinutes(), ss: t.getUTCSeconds(), weekday: (t.getUTCDay() + 6) % 7 };
      if (JSON.stringify(p) !== JSON.stringify(want)) wrong.push(ms);
    }
    expect(wrong).toEqual([]);
  });

  it('does date arithmetic and validates names and dates', () => {
    expect(addDays({ y: 2026, m: 12, d: 31 }, 1)).toEqual({ y: 2027, m: 1, d: 1 });
    expect(addDays({ y: 2028, m: 3, d: 1 }, -1)).toEqual({ y: 2028, m: 2, d: 29 });
    expect(parseDateKey('2026-02-29')).toBeUndefined();
    expect(parseDateKey('2026-02-28')).toEqual({ y: 2026, m: 2, d: 28 });
    expect(isValidTimeZone('Europe/Moscow')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(new Date(monthStart(2026, 13, 'Europe/Moscow')).toISOString()).toBe('2026-12-31T21:00:00.000Z');
  });

  it('answers right for more spellings of zones than its memos keep (Intl takes any letter case)', () => {
    const spell = (zone: string, i: number) => [...zone].map((c, k) => ((i >> k) & 1 ? c.toUpperCase() : c.toLowerCase())).join('');
    for (let i = 0; i < 1200; i++) {
      const berlin = spell('Europe/Berlin', i);
      expect(isValidTimeZone(berlin)).toBe(true);
      expect(offsetAt(Z('2026-07-15T12:00:00Z'), berlin)).toBe(7_200_000);
      expect(offsetAt(Z('2026-07-15T12:00:00Z'), spell('Asia/Tokyo', i))).toBe(9 * 3_600_000);
    }
    expect(offsetAt(Z('2026-01-15T12:00:00Z'), 'Europe/Berlin')).toBe(3_600_000);
  });

  it('gives Intl’s offset at every minute around the changes of the year in zones with odd offsets and changes', () => {
    // the memo takes a whole UTC day as one offset when its start, noon and end agree
    const formats = new Map<string, Intl.DateTimeFormat>();
    const intl = (ms: number, zone: string) => {
      if (!formats.has(zone)) formats.set(zone, new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }));
      const parts = Object.fromEntries(formats.get(zone)!.formatToParts(new Date(ms)).map((p) => [p.type, Number(p.value)]));
      return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second) - Math.floor(ms / 1000) * 1000;
    };
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham']) {
      let checked = 0;
      for (let day = Z('2026-01-01T00:00:00Z'); day < Z('2027-01-01T00:00:00Z'); day += 86_400_000) {
        const changes = intl(day, zone) !== intl(day + 86_400_000, zone);
        // every minute of a day with a change and of the days beside it; noon and a random minute of the others
        const step = changes ? 60_000 : 43_200_000;
        for (let ms = day - (changes ? 86_400_000 : 0); ms < day + 86_400_000 * (changes ? 2 : 1); ms += step) {
          expect(offsetAt(ms, zone)).toBe(intl(ms, zone));
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(365);
    }
  });

  it('reads a date and a time input in a time zone and writes them back', () => {
    const at = parseLocalDateTime('2026-12-11', '17:00', 'Europe/Moscow');
    expect(at).toBe(Date.parse('2026-12-11T14:00:00Z'));
    expect(localDateTimeOf(at!, 'Europe/Moscow')).toEqual({ date: '2026-12-11', time: '17:00' });
    expect(localDateTimeOf(at!, 'UTC')).toEqual({ date: '2026-12-11', time: '14:00' });
    // the hour skipped when clocks go forward moves forward by the gap
    expect(parseLocalDateTime('2026-03-29', '02:30', 'Europe/Berlin')).toBe(Date.parse('2026-03-29T01:30:00Z'));
    for (const [date, time] of [['2026-02-30', '10:00'], ['2026-12-11', '24:00'], ['2026-12-11', '9:5'], ['', '10:00'], ['2026-12-11', '']]) {
      expect(parseLocalDateTime(date, time, 'UTC')).toBeUndefined();
    }
  });
});
