import { describe, expect, it } from 'vitest';
import { bucketsOf, digestWeekOf, periodOf } from './report-period.ts';

const MSK = 'Europe/Moscow';
const BERLIN = 'Europe/Berlin';
const at = (iso: string) => Date.parse(iso);

describe('the period of a report', () => {
  it('covers whole days of the desk, inclusive of both dates', () => {
    const p = periodOf({ from: '2026-11-01', to: '2026-11-30' }, at('2026-12-05T10:00:00Z'), MSK);
    expect(p).toMatchObject({ fromKey: '2026-11-01', toKey: '2026-11-30', group: 'day' });
    expect(p.from).toBe(at('2026-10-31T21:00:00Z'));
    expect(p.to).toBe(at('2026-11-30T21:00:00Z'));
  });

  it('defaults to the last days up to today in the desk’s zone, and swaps an end before its start', () => {
    // 23:30 UTC on the 4th is already the 5th in Moscow
    const p = periodOf({}, at('2026-12-04T23:30:00Z'), MSK, 7);
    expect([p.fromKey, p.toKey]).toEqual(['2026-11-29', '2026-12-05']);
    expect(periodOf({ from: '2026-12-01', to: '2026-11-01' }, 0, MSK)).toMatchObject({ fromKey: '2026-11-01', toKey: '2026-12-01' });
    expect(periodOf({ from: '2026-02-30', to: 'soon' }, at('2026-12-05T10:00:00Z'), MSK, 2)).toMatchObject({ fromKey: '2026-12-04', toKey: '2026-12-05' });
  });

  it('picks a grouping that suits the length unless one is asked for', () => {
    expect(periodOf({ from: '2026-01-01', to: '2026-01-31' }, 0, MSK).group).toBe('day');
    expect(periodOf({ from: '2026-01-01', to: '2026-05-31' }, 0, MSK).group).toBe('week');
    expect(periodOf({ from: '2025-01-01', to: '2026-05-31' }, 0, MSK).group).toBe('month');
    expect(periodOf({ from: '2025-01-01', to: '2026-05-31', group: 'day' }, 0, MSK).group).toBe('day');
  });
});

describe('the buckets of a period', () => {
  it('cuts weeks at Mondays and clips the first and the last to the period', () => {
    const p = periodOf({ from: '2026-11-04', to: '2026-11-18', group: 'week' }, 0, MSK);
    const b = bucketsOf(p, MSK);
    expect(b.map((x) => x.key)).toEqual(['2026-11-02', '2026-11-09', '2026-11-16']);
    expect(b[0].from).toBe(p.from); // Wednesday the 4th, not Monday the 2nd
    expect(b[1].from).toBe(at('2026-11-08T21:00:00Z'));
    expect(b[2].to).toBe(p.to);
    for (let i = 1; i < b.length; i++) expect(b[i].from).toBe(b[i - 1].to);
  });

  it('cuts calendar months, and days of 23 and 25 hours where the clocks change', () => {
    const months = bucketsOf(periodOf({ from: '2026-01-15', to: '2026-03-10', group: 'month' }, 0, MSK), MSK);
    expect(months.map((x) => x.key)).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(months[1]).toMatchObject({ from: at('2026-01-31T21:00:00Z'), to: at('2026-02-28T21:00:00Z') });
    const days = bucketsOf(periodOf({ from: '2026-03-28', to: '2026-03-30' }, 0, BERLIN), BERLIN);
    expect(days.map((d) => (d.to - d.from) / 3_600_000)).toEqual([24, 23, 24]);
  });
});

describe('the week of a digest', () => {
  it('is the last whole week, from Monday 08:00 of the desk on', () => {
    // Monday 7 December 2026, 07:59 in Moscow: not yet
    expect(digestWeekOf(Date.parse('2026-12-07T04:59:00Z'), MSK)).toBeUndefined();
    const w = digestWeekOf(Date.parse('2026-12-07T05:00:00Z'), MSK)!;
    expect(w.key).toBe('2026-12-07');
    expect([w.period.fromKey, w.period.toKey]).toEqual(['2026-11-30', '2026-12-06']);
    // any later day of that week names the same digest
    expect(digestWeekOf(Date.parse('2026-12-13T20:00:00Z'), MSK)!.key).toBe('2026-12-07');
  });
});
