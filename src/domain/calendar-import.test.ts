import { describe, expect, it } from 'vitest';
import { parseCalendarImport, splitFields } from './calendar-import.ts';
import { addBusinessTime, compileCalendar, type Interval } from './business-calendar.ts';

const DAY: Interval[] = [['09:00', '18:00']];
const WEEK = [DAY, DAY, DAY, DAY, DAY, [], []];

describe('calendar import: one date per line', () => {
  it('reads holidays, transferred working days and short days in several spellings', () => {
    const r = parseCalendarImport(
      [
        '# Russia 2026 (excerpt)',
        'date,kind,hours,note',
        '2026-01-01,holiday,,New Year',
        '2026-01-02;off',
        '07.03.2026 short',
        '2026-03-06,workday,"09:00-13:00, 14:00-16:00",extra hours',
        '2026-11-04 праздник День народного единства',
        '2026-11-07 рабочий',
        '2026-11-03,сокращённый',
      ].join('\n'),
      WEEK,
    );
    expect(r.errors).toEqual([]);
    expect(r.format).toBe('lines');
    expect(r.exceptions).toEqual([
      { date: '2026-01-01', kind: 'holiday', hours: null, note: 'New Year' },
      { date: '2026-01-02', kind: 'holiday', hours: null, note: null },
      { date: '2026-03-06', kind: 'workday', hours: [['09:00', '13:00'], ['14:00', '16:00']], note: 'extra hours' },
      // a Saturday: the standard day, shortened
      { date: '2026-03-07', kind: 'workday', hours: [['09:00', '17:00']], note: 'pre-holiday' },
      { date: '2026-11-03', kind: 'workday', hours: [['09:00', '17:00']], note: 'pre-holiday' },
      { date: '2026-11-04', kind: 'holiday', hours: null, note: 'День народного единства' },
      { date: '2026-11-07', kind: 'workday', hours: null, note: null },
    ]);
  });

  it('names every bad line and keeps nothing half-read', () => {
    const r = parseCalendarImport('2026-13-01,holiday\n2026-01-05,party\n2026-01-06,workday,18:00-09:00\n2026-01-07,holiday', WEEK);
    expect(r.errors).toEqual([
      'line 1: “2026-13-01” is not a date (YYYY-MM-DD or DD.MM.YYYY)',
      'line 2: “party” is not one of holiday, workday, short',
      'line 3: “18:00–09:00” ends before it starts',
    ]);
  });

  it('splits quoted CSV fields', () => {
    expect(splitFields('2026,"1,2,3",x;y\t"a ""b"""')).toEqual(['2026', '1,2,3', 'x', 'y', 'a "b"']);
  });
});

describe('calendar import: the Russian open-data production calendar', () => {
  // 2026 as published: listed days are days off, * a shortened pre-holiday day, + a transferred day off
  const header = 'Год/Месяц,Январь,Февраль,Март,Апрель,Май,Июнь,Июль,Август,Сентябрь,Октябрь,Ноябрь,Декабрь,Всего рабочих дней,Всего праздничных и выходных дней,Количество рабочих часов при 40-часовой рабочей неделе,Количество рабочих часов при 36-часовой рабочей неделе,Количество рабочих часов при 24-часовой рабочей неделе';
  const row2026 = '2026,"1,2,3,4,5,6,7,8,9+,10,11,17,18,24,25,31","1,7,8,14,15,21,22,23,28","1,7,8,9,14,15,21,22,28,29","4,5,11,12,18,19,25,26,30*","1,2,3,9,10,11,16,17,23,24,30,31","6,7,11*,12,13,14,20,21,27,28","4,5,11,12,18,19,25,26","1,2,8,9,15,16,22,23,29,30","5,6,12,13,19,20,26,27","3,4,10,11,17,18,24,25,31","1,3*,4,7,8,14,15,21,22,28,29","5,6,12,13,19,20,26,27,31+",247,118,1972,1774.4,1183.6';

  it('turns the year into exceptions against the weekly hours', () => {
    const r = parseCalendarImport(`${header}\n${row2026}\n`, WEEK);
    expect(r.errors).toEqual([]);
    expect(r.format).toBe('production-calendar');
    expect(r.years).toEqual([2026]);
    const byDate = new Map(r.exceptions.map((e) => [e.date, e]));
    expect(byDate.get('2026-01-01')).toMatchObject({ kind: 'holiday' }); // Thursday off
    expect(byDate.get('2026-01-09')).toMatchObject({ kind: 'holiday' }); // transferred day off (9+)
    expect(byDate.has('2026-01-10')).toBe(false); // an ordinary Saturday needs no exception
    expect(byDate.get('2026-04-30')).toEqual({ date: '2026-04-30', kind: 'workday', hours: [['09:00', '17:00']], note: 'pre-holiday' });
    expect(byDate.get('2026-11-03')).toMatchObject({ kind: 'workday', hours: [['09:00', '17:00']] });
    expect(byDate.get('2026-11-04')).toMatchObject({ kind: 'holiday' });
    expect(byDate.get('2026-12-31')).toMatchObject({ kind: 'holiday' });
    // the published total: 247 working days
    const cal = compileCalendar({ timeZone: 'Europe/Moscow', weeklyHours: WEEK, exceptions: r.exceptions });
    let working = 0;
    for (let d = Date.UTC(2026, 0, 1, 9); d < Date.UTC(2027, 0, 1); d += 86_400_000) {
      const day = new Date(d).toISOString().slice(0, 10);
      const e = byDate.get(day);
      const weekday = (new Date(d).getUTCDay() + 6) % 7;
      if (e ? e.kind === 'workday' : WEEK[weekday].length > 0) working++;
    }
    expect(working).toBe(247);
    // New Year holidays: 31 Dec 17:00 + 2 business hours is 12 January 10:00 MSK
    expect(new Date(addBusinessTime(cal, Date.parse('2025-12-31T14:00:00Z'), 2 * 3_600_000)).toISOString()).toBe('2026-01-12T07:00:00.000Z');
  });

  it('refuses rows it cannot read', () => {
    const r = parseCalendarImport(`${header}\nтысяча,"1"\n2026,"1,2,x"`, WEEK);
    expect(r.errors[0]).toContain('is not a year');
    expect(r.errors[1]).toContain('expected twelve months');
  });
});
