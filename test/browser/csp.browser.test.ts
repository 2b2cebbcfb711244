// The browser console stays clean through a day's htmx actions: a reply, a note, a canned reply,
// logged time, a property change, a bulk change, the filters, the polls. Every browser test fails
// on a script error, a console error or a failed request (test/setup/page-problems.ts); this one
// walks the actions that swap content, where a CSP violation (an inline style, an eval) would
// show. It also proves the watch works: an inline style applied on purpose is caught.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser as Chromium } from 'playwright-core';
import { expectPageProblem, launchChromium, settled } from '../helpers/browser.ts';
import { DESKTOP, flash, signedIn, startDesk, type Desk } from '../helpers/console-desk.ts';

let chromium: Chromium;
beforeAll(async () => {
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
});

describe('no CSP or script errors', () => {
  let desk: Desk;
  beforeEach(async () => {
    desk = await startDesk();
  });
  afterEach(async () => {
    await desk?.close();
  });

  it('through replies, notes, canned replies, time, properties, bulk changes and filters', async () => {
    const { page } = await signedIn(chromium, desk, desk.olga, DESKTOP);
    await page.selectOption('#filters select[name=priority]', 'high');
    await page.waitForURL(/priority=high/);
    await settled(page);
    await page.goto(`${desk.srv.url}/tickets/1`);
    await settled(page);
    // a canned reply inserted through htmx, then sent
    await page.selectOption('#reply-form select[name=id]', { label: 'Restart the printer' });
    await expect.poll(() => page.inputValue('#reply-body')).toContain('switch the printer off and on again');
    await settled(page);
    await page.click('#reply-form button.primary');
    await flash(page, /^Reply/);
    await page.fill('#note-form textarea[name=body]', 'Checked the toner too.');
    await page.click('#note-form button[type=submit]');
    await flash(page, /Note/);
    await page.fill('#ticket-time input[name=minutes]', '20m');
    await page.click('#ticket-time button:has-text("Log time")');
    await flash(page, 'Time logged.');
    await page.selectOption('#ticket-props select[name=priority]', 'urgent');
    await page.click('#ticket-props button.primary');
    await flash(page, 'Saved.');
    // a refused form (422) is an answer, not an error
    await page.click('#resolve summary');
    await page.click('#resolve button[type=submit]');
    await page.locator('#resolve-note:invalid').waitFor({ state: 'attached' });
    // bulk change from the queue
    await page.goto(`${desk.srv.url}/tickets?view=open`);
    await settled(page);
    await page.check('table.tickets tbody tr:nth-child(2) input[name=ids]');
    await page.selectOption('.bulk-bar select[name=priority]', 'low');
    await page.click('.bulk-bar button[value=priority]');
    await flash(page, /Changed 1 ticket/);
    await page.screenshot({ path: 'test-output/screenshots/csp-queue.png' });
    // htmx's inline indicator styles are off; app.css hides an indicator until its request runs
    const opacity = (during: boolean) => page.evaluate((d) => {
      const g = globalThis as unknown as { document: { createElement(t: string): { className: string; appendChild(c: unknown): void; remove(): void }; body: { appendChild(c: unknown): void } }; getComputedStyle(e: unknown): { opacity: string } };
      const outer = g.document.createElement('div');
      const ind = g.document.createElement('span');
      ind.className = 'htmx-indicator';
      if (d) outer.className = 'htmx-request';
      outer.appendChild(ind);
      g.document.body.appendChild(outer);
      const o = g.getComputedStyle(ind).opacity;
      outer.remove();
      return o;
    }, during);
    expect(await opacity(false)).toBe('0');
    await expect.poll(() => opacity(true)).not.toBe('0');
  }, 60_000);

  it('catches a CSP violation when one happens', async () => {
    const { page } = await signedIn(chromium, desk, desk.olga, DESKTOP);
    expectPageProblem(/Applying inline style violates the following Content Security Policy directive/);
    await page.evaluate(() => {
      const g = globalThis as unknown as { document: { body: { setAttribute(n: string, v: string): void } } };
      g.document.body.setAttribute('style', 'color: red');
    });
    await expect.poll(async () => (await page.evaluate(() => 1)) === 1).toBe(true);
  });
});
