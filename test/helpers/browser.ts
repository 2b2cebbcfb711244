// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, with the flags this
// machine needs (no background networking: the network is closed).
import { chromium, type Browser, type Page } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}; install it with: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
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
