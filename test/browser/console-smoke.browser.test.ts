// The console in a real browser: first-run setup → sign in → open a ticket that came in by mail.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { makeTestDeps, type TestDeps } from '../helpers/deps.ts';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/web.ts';
import { launchChromium, screenshotPath, settled, watchPageProblems } from '../helpers/browser.ts';

let deps: TestDeps;
let srv: TestServer;
let browser: Browser;

beforeAll(async () => {
  deps = await makeTestDeps();
  srv = await startTestServer(deps);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await srv?.close();
  deps?.close();
});

it('sets up the desk, signs in and opens a ticket in Chromium', async () => {
  const page = await browser.newPage();
  const errors = watchPageProblems(page);

  await page.goto(`${srv.url}/`);
  await expect.poll(() => page.url()).toContain('/setup');
  await page.fill('input[name=name]', 'Admin Person');
  await page.fill('input[name=email]', 'admin@desk.test');
  await page.fill('input[name=password]', TEST_PASSWORD);
  await page.fill('input[name=passwordConfirm]', TEST_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/tickets$/);
  await settled(page);
  expect(await page.textContent('#flash')).toContain('The desk is ready');

  // sign out (from the user menu) and in again
  await page.click('details.menu.user summary');
  await page.click('form.signout button');
  await page.waitForURL(/\/login$/);
  await settled(page);
  await page.fill('input[name=email]', 'admin@desk.test');
  await page.fill('input[name=password]', TEST_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/tickets$/);
  await settled(page);

  // a mail arrives; the queue shows it after a reload
  await srv.services.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: readFileSync(new URL('../../fixtures/email/new-ticket-plain.eml', import.meta.url)) });
  await page.reload();
  await page.click('text=Printer on 3rd floor is jammed');
  await page.waitForURL(/\/tickets\/1$/);
  await settled(page);
  expect(await page.textContent('#thread')).toContain('jams on every page');

  // htmx-boosted note form: the page updates in place and shows the note
  await page.fill('#note-form textarea', 'Checked remotely, needs a technician.');
  await page.click('#note-form button[type=submit]');
  await page.waitForURL(/\/tickets\/1$/);
  await settled(page);
  await expect.poll(async () => page.textContent('#thread')).toContain('needs a technician');
  expect(await page.textContent('#flash')).toContain('Note added');
  await page.screenshot({ path: screenshotPath('smoke-ticket-desktop'), fullPage: true });

  expect(errors).toEqual([]);
});
