import { describe, expect, it } from 'vitest';
import { formatDurationInput, formatMoneyInput, parseDurationMinutes, parseMoneyCents } from './quantities.ts';

describe('durations typed in forms', () => {
  it.each([
    ['90', 90], ['1h30m', 90], ['1h 30m', 90], ['1:30', 90], ['4h', 240], ['30 min', 30], ['1.5h', 90],
    ['2 ч 30 мин', 150], ['1д', 1440], ['2d 4h', 3120], ['', null], ['  ', null],
    ['soon', undefined], ['1h banana', undefined], ['-5', undefined],
    ['1,5 ч', 90], ['2 часа', 120], ['45 мин', 45], ['15 min', 15], ['0:05', 5], [' 3 hours ', 180], ['2 дня', 2880],
    ['1x', undefined], ['h', undefined], ['1:75', undefined], ['1h30', undefined],
  ] as const)('“%s” is %s minutes', (text, minutes) => {
    expect(parseDurationMinutes(text)).toBe(minutes);
  });

  it('leaves days out of logged time and estimates: a day of work is not 24 hours', () => {
    expect(parseDurationMinutes('2h 30m', { days: false })).toBe(150);
    expect(parseDurationMinutes('5 days', { days: false })).toBeUndefined();
    expect(parseDurationMinutes('1д', { days: false })).toBeUndefined();
    expect(parseDurationMinutes('5 days')).toBe(7200);
  });

  it.each([[null, ''], [45, '45m'], [240, '4h'], [90, '1h 30m']] as const)('%s is shown as “%s” and reads back', (m, text) => {
    expect(formatDurationInput(m)).toBe(text);
    expect(parseDurationMinutes(text)).toBe(m);
  });
});

describe('money typed in forms', () => {
  it.each([
    ['1500', 150_000], ['1 500,50', 150_050], ['1500.5', 150_050], ['0', 0], ['', null], ['12.345', undefined], ['ten', undefined], ['-3', undefined],
  ] as const)('“%s” is %s cents', (text, cents) => {
    expect(parseMoneyCents(text)).toBe(cents);
  });

  it('formats back for the form', () => {
    expect(formatMoneyInput(150_000)).toBe('1500');
    expect(formatMoneyInput(150_050)).toBe('1500.50');
    expect(formatMoneyInput(null)).toBe('');
  });
});
