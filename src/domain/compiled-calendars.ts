// The business calendars a desk has compiled, by calendar id and version (its row and a fingerprint
// of its exceptions): reading and compiling a year of exceptions on every ticket change is slow.
// buildServices makes one per desk (ctx.calendars), so no two desks share what one compiled.
import { keepBounded } from './bounded-memo.ts';
import type { CompiledCalendar } from './business-calendar.ts';

export type CompiledCalendars = {
  /** the calendar kept under `version`, compiled now if it is not */
  get(version: string, compile: () => CompiledCalendar): CompiledCalendar;
  /** the calendar kept under `version`, or undefined (then read what it needs and `get` it) */
  peek(version: string): CompiledCalendar | undefined;
};

export function createCompiledCalendars(max = 100): CompiledCalendars {
  const byVersion = new Map<string, CompiledCalendar>();
  return {
    get(version, compile) {
      return byVersion.get(version) ?? keepBounded(byVersion, version, compile(), max);
    },
    peek(version) {
      return byVersion.get(version);
    },
  };
}
