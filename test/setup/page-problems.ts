// Every test that drives Chromium fails on a script error, a console error (a CSP violation shows
// up there) or a failed request in any of its pages, unless it declared that one
// (expectPageProblem in test/helpers/browser.ts). Tests without a browser are not touched: the
// check is registered by the browser helper itself when a test file imports it.
import { afterEach, expect } from 'vitest';

afterEach(async () => {
  const take = (globalThis as { __helpdeskPageProblems?: () => Promise<string[]> }).__helpdeskPageProblems;
  if (take) expect(await take(), 'problems in the browser pages of this test').toEqual([]);
});
