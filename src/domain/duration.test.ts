import { expect, it } from 'vitest';
import { parseDuration } from './duration.ts';

it.each([
  ['90', 90], ['1:30', 90], ['1h 30m', 90], ['1h30m', 90], ['1.5h', 90], ['1,5 ч', 90], ['2 часа', 120], ['45 мин', 45],
  ['2h', 120], ['15 min', 15], ['0:05', 5], [' 3 hours ', 180],
])('reads %s as %i minutes', (input, minutes) => {
  expect(parseDuration(input)).toBe(minutes);
});

it.each(['', 'soon', '1x', 'h', '1:75', '-5', '5 days'])('refuses %j', (input) => {
  expect(parseDuration(input)).toBeNull();
});
