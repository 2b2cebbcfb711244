import { expect, it } from 'vitest';
import { ALWAYS_OPEN, compileCalendar } from './business-calendar.ts';
import { createCompiledCalendars } from './compiled-calendars.ts';

it('compiles a version once and keeps a bounded number of versions', () => {
  let compiles = 0;
  const compile = () => (compiles++, compileCalendar(ALWAYS_OPEN));
  const calendars = createCompiledCalendars(2);
  const first = calendars.get('1:100', compile);
  expect(calendars.get('1:100', compile)).toBe(first);
  expect(compiles).toBe(1);
  calendars.get('1:101', compile); // a changed calendar is a new version
  expect(compiles).toBe(2);
  calendars.get('2:100', compile); // a third version: the memo starts over
  expect(calendars.get('1:100', compile)).not.toBe(first);
  expect(compiles).toBe(4);
});
