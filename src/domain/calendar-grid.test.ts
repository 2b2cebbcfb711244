import { describe, expect, it } from 'vitest';
import { calendarFeedToken, calendarFeedUser, checkCalendarFeedToken } from './calendar-feed.ts';
import { calendarGrid, parseCalendarDate } from './calendar-grid.ts';

describe('a calendar page', () => {
  it('shows a month as whole weeks from Monday, days outside it marked', () => {
    const g = calendarGrid('month', { y: 2026, m: 11, d: 15 }, 'Europe/Moscow');
    expect(g.days).toHaveLength(42); // 1 Nov 2026 is a Sunday: 26 Oct – 6 Dec
    expect([g.days[0].key, g.days.at(-1)!.key]).toEqual(['2026-10-26', '2026-12-06']);
    expect(g.days.filter((d) => d.inMonth)).toHaveLength(30);
    expect(g.days[6].from).toBe(Date.parse('2026-10-31T21:00:00Z'));
    expect([g.key, g.prev, g.next]).toEqual(['2026-11', '2026-10-01', '2026-12-01']);
  });

  it('shows a week from its Monday', () => {
    const g = calendarGrid('week', { y: 2026, m: 12, d: 3 }, 'UTC');
    expect(g.days.map((d) => d.key)).toEqual(['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06']);
    expect([g.prev, g.next]).toEqual(['2026-11-23', '2026-12-07']);
  });

  it('reads a day or a month from the address', () => {
    expect(parseCalendarDate('2026-11')).toEqual({ y: 2026, m: 11, d: 1 });
    expect(parseCalendarDate('2026-11-31')).toBeUndefined();
    expect(parseCalendarDate(['2026-11'])).toBeUndefined();
  });
});

describe('a calendar feed address', () => {
  it('names its person and is refused with another nonce or a changed id', () => {
    const t = calendarFeedToken('s3cret', 42, 'n1');
    expect(calendarFeedUser(t)).toBe(42);
    expect(checkCalendarFeedToken('s3cret', t, 'n1')).toBe(true);
    expect(checkCalendarFeedToken('s3cret', t, 'n2')).toBe(false);
    expect(checkCalendarFeedToken('other', t, 'n1')).toBe(false);
    expect(checkCalendarFeedToken('s3cret', t.replace(/^42/, '43'), 'n1')).toBe(false);
    expect(calendarFeedUser('42.short')).toBeUndefined();
  });
});
