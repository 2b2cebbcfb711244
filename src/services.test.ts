// Two desks built in one process (the tests start several) share no cache: each one's services
// keep what they read and compile for themselves.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../test/helpers/deps.ts';
import { buildServices } from './services.ts';
import { loadCompiledCalendar } from './store/sla-config.ts';

let deps: TestDeps[];
beforeEach(() => {
  deps = [makeTestDeps(), makeTestDeps()];
});
afterEach(() => deps.forEach((d) => d.close()));

it('gives each desk its own locale strings', () => {
  const [a, b] = deps.map((d) => buildServices(d));
  expect(a.ctx.locales).not.toBe(b.ctx.locales);
  expect(a.ctx.locales.tree('en')).not.toBe(b.ctx.locales.tree('en'));
  expect(a.ctx.locales.tree('en')).toEqual(b.ctx.locales.tree('en'));
  expect(a.ctx.locales.tree('en')).toBe(a.ctx.locales.tree('en'));
});

it('gives each desk its own compiled calendars, even two desks on one database', () => {
  const [a, b] = [buildServices(deps[0]), buildServices(deps[0])];
  const cal = loadCompiledCalendar(deps[0].db, a.ctx.calendars, null);
  expect(loadCompiledCalendar(deps[0].db, a.ctx.calendars, null)).toBe(cal); // kept by the desk that compiled it
  const other = loadCompiledCalendar(deps[0].db, b.ctx.calendars, null);
  expect(other).not.toBe(cal);
  expect(other).toEqual(cal);
});
