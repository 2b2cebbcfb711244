// A queue download in headless Chromium: the page fetches the file, shows how many of the view's
// tickets have arrived, and saves it under the desk's name; the saved CSV holds every ticket.
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser as Chromium } from 'playwright-core';
import { launchChromium, settled } from '../helpers/browser.ts';
import { DESKTOP, signedIn, startDesk, type Desk } from '../helpers/console-desk.ts';

let chromium: Chromium;
beforeAll(async () => {
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
});

describe('a queue download in a browser', () => {
  let desk: Desk;
  beforeEach(async () => {
    desk = await startDesk();
  });
  afterEach(async () => {
    await desk?.close();
  });

  it('shows the tickets arriving against the total, then saves the file with every ticket', async () => {
    const { page, problems } = await signedIn(chromium, desk, desk.olga, DESKTOP);
    await page.goto(`${desk.srv.url}/tickets?view=all`);
    await settled(page);
    const total = Number((await desk.deps.db.get<{ n: number | string }>('select count(*) as n from tickets'))!.n);
    expect(total).toBeGreaterThan(2);
    const status = page.locator('#download-progress');
    expect(await status.isHidden()).toBe(true);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('a[href^="/tickets.csv"]').click()]);
    expect(csv.suggestedFilename()).toMatch(/^tickets-all-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = (await readFile((await csv.path())!, 'utf8')).trim().split('\n');
    expect(lines[0]).toMatch(/^Number,Subject,Status/);
    expect(lines).toHaveLength(total + 1);
    await expect.poll(() => status.textContent()).toContain(`Downloaded: ${total} tickets`);
    expect(await status.isVisible()).toBe(true);
    expect(await page.locator('#download-progress progress').evaluate((p) => [(p as unknown as { value: number }).value, (p as unknown as { max: number }).max])).toEqual([1, 1]);

    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.locator('a[href^="/tickets.xlsx"]').click()]);
    expect(xlsx.suggestedFilename()).toMatch(/^tickets-all-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const bytes = await readFile((await xlsx.path())!);
    expect(bytes.subarray(0, 2).toString()).toBe('PK'); // a zip, as XLSX is

    // a text search has no total announced: the rows are counted as they come
    const word = (await desk.deps.db.get<{ subject: string }>('select subject from tickets order by id limit 1'))!.subject.split(' ')[0];
    await page.goto(`${desk.srv.url}/tickets?view=all&q=${encodeURIComponent(word)}`);
    await settled(page);
    const [found] = await Promise.all([page.waitForEvent('download'), page.locator('a[href^="/tickets.csv"]').click()]);
    const foundLines = (await readFile((await found.path())!, 'utf8')).trim().split('\n');
    expect(foundLines.length).toBeGreaterThan(1);
    await expect.poll(() => status.textContent()).toContain(`Downloaded: ${foundLines.length - 1} tickets`);
    expect(problems).toEqual([]);
  });
});
