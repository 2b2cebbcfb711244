// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, with the flags this
// machine needs (no background networking: the network is closed).
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * What went wrong in any page of any Chromium launched here during the current test: script
 * errors, console errors (CSP violations show up there) and failed requests. The suite's setup
 * (test/setup/page-problems.ts) fails the test on any it did not declare with expectPageProblem.
 * 422 is how a refused form comes back: not a problem.
 */
const pageProblems = { seen: [] as string[], expected: [] as RegExp[], pages: new Set<Page>() };
const ANSWER_STATUSES = [422];

function track(page: Page): void {
  if (pageProblems.pages.has(page)) return;
  pageProblems.pages.add(page);
  page.on('pageerror', (e) => pageProblems.seen.push(`pageerror: ${e.message} (${page.url()})`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const status = /the server responded with a status of (\d{3})/.exec(m.text());
    if (status && ANSWER_STATUSES.includes(Number(status[1]))) return;
    pageProblems.seen.push(`console: ${m.text()} (${page.url()})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !ANSWER_STATUSES.includes(r.status()) && !r.url().endsWith('/favicon.ico')) pageProblems.seen.push(`${r.status()} ${r.url()}`);
  });
}

function trackContext(context: BrowserContext): BrowserContext {
  context.on('page', track);
  for (const p of context.pages()) track(p);
  return context;
}

/** A test that provokes a problem on purpose (an expired link's 410) says so; it must then happen. */
export function expectPageProblem(pattern: RegExp): void {
  pageProblems.expected.push(pattern);
}

/**
 * At the end of each test: closes its pages (a page left open would go on polling a desk that is
 * gone, and its errors would land on the next test), then gives its problems less the expected
 * ones; an expected one that did not happen is a problem too.
 */
export async function takePageProblems(): Promise<string[]> {
  const contexts = new Set([...pageProblems.pages].map((p) => p.context()));
  pageProblems.pages.clear();
  await Promise.all([...contexts].map((c) => c.close().catch(() => undefined)));
  const seen = pageProblems.seen.filter((p) => !pageProblems.expected.some((re) => re.test(p)));
  const missing = pageProblems.expected.filter((re) => !pageProblems.seen.some((p) => re.test(p))).map((re) => `expected but not seen: ${re}`);
  pageProblems.seen = [];
  pageProblems.expected = [];
  return [...seen, ...missing];
}
(globalThis as { __helpdeskPageProblems?: () => Promise<string[]> }).__helpdeskPageProblems = takePageProblems;

/**
 * `watch: false` for a test that watches its pages itself and provokes violations on purpose, or
 * runs its tests concurrently (closing pages at the end of one test would cut the others short).
 */
export async function launchChromium(opts: { watch?: boolean } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}; install it with: apt-get install -y chromium`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  if (opts.watch === false) return browser;
  // every page of this browser is watched, however the test opens it
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args) => trackContext(await newContext(...args));
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (...args) => {
    const page = await newPage(...args);
    track(page);
    return page;
  };
  return browser;
}

export const SCREENSHOT_DIR = path.resolve('test-output/screenshots');

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return path.join(SCREENSHOT_DIR, `${name}.png`);
}

/**
 * Collects what goes wrong on a page: script errors, console errors (CSP violations show up
 * there) and failed requests; `allow` lists statuses that are answers, not problems (422 is how
 * a refused form comes back).
 */
export function watchPageProblems(page: Page, allow: number[] = []): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !allow.includes(r.status()) && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`);
  });
  return problems;
}

/** Signs in through the login form and waits for the queue. */
export async function signInAs(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/tickets$/);
  await settled(page);
}

/**
 * Waits until no htmx swap is in progress in the page. A boosted link or form puts the new URL in
 * the address bar before the swap, and the new content's hx- attributes work only after the settle.
 */
export async function settled(page: Page): Promise<void> {
  // a function, not a string: the console's CSP forbids eval
  const noSwap = (): boolean => !(globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector('.htmx-swapping, .htmx-settling');
  await page.waitForFunction(noSwap, undefined, { timeout: 15_000 });
}
