// A queue download in headless Chromium: the browser saves the file itself under the desk's name
// (the page never holds it), while the page asks the desk how many of the view's tickets it has
// sent and says so; the saved CSV holds every ticket and the page stays where it was.
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser as Chromium, Download, Page } from 'playwright-core';
import { launchChromium, settled } from '../helpers/browser.ts';
import { DESKTOP, signedIn, startDesk, type Desk } from '../helpers/console-desk.ts';

let chromium: Chromium;
beforeAll(async () => {
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
});

type Counted = { blobUrls: number };

/** Counts the Blob URLs the page makes: a page that fetched the file to save it would make one. */
async function countBlobUrls(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const g = globalThis as unknown as Counted & { URL: { createObjectURL(o: unknown): string } };
    const original = g.URL.createObjectURL;
    g.blobUrls = 0;
    g.URL.createObjectURL = (o: unknown) => {
      g.blobUrls++;
      return original.call(g.URL, o);
    };
  });
}

describe('a queue download in a browser', () => {
  let desk: Desk;
  beforeEach(async () => {
    desk = await startDesk();
  });
  afterEach(async () => {
    await desk?.close();
  });

  it('lets the browser save the file with every ticket while the page shows the tickets sent', async () => {
    const { page, problems } = await signedIn(chromium, desk, desk.olga, DESKTOP);
    await countBlobUrls(page);
    // what the page itself asks for: the progress, never the file
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'fetch' || r.resourceType() === 'xhr') asked.push(new URL(r.url()).pathname);
    });
    const queue = `${desk.srv.url}/tickets?view=all`;
    await page.goto(queue);
    await settled(page);
    const total = Number((await desk.deps.db.get<{ n: number | string }>('select count(*) as n from tickets'))!.n);
    expect(total).toBeGreaterThan(2);
    const status = page.locator('#download-progress');
    expect(await status.isHidden()).toBe(true);
    const download = async (format: 'csv' | 'xlsx'): Promise<Download> => {
      const [d] = await Promise.all([page.waitForEvent('download'), page.locator(`a[href^="/tickets.${format}"]`).click()]);
      const id = /[?&]progress=([0-9a-f]{32})(&|$)/.exec(d.url())?.[1];
      expect(id, d.url()).toBeDefined();
      await expect.poll(() => asked.includes(`/tickets/export-progress/${id}`)).toBe(true);
      return d;
    };

    const csv = await download('csv');
    expect(csv.suggestedFilename()).toMatch(/^tickets-all-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = (await readFile((await csv.path())!, 'utf8')).trim().split('\n');
    expect(lines[0]).toMatch(/^Number,Subject,Status/);
    expect(lines).toHaveLength(total + 1);
    await expect.poll(() => status.textContent()).toContain(`Downloaded: ${total} tickets`);
    expect(await status.isVisible()).toBe(true);
    expect(await page.locator('#download-progress progress').evaluate((p) => [(p as unknown as { value: number }).value, (p as unknown as { max: number }).max])).toEqual([1, 1]);

    // XLSX too: the desk counts its rows as it sends them
    const xlsx = await download('xlsx');
    expect(xlsx.suggestedFilename()).toMatch(/^tickets-all-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const bytes = await readFile((await xlsx.path())!);
    expect(bytes.subarray(0, 2).toString()).toBe('PK'); // a zip, as XLSX is
    await expect.poll(() => status.textContent()).toContain(`Downloaded: ${total} tickets`);

    // the page held no file and went nowhere
    expect(page.url()).toBe(queue);
    expect(await page.locator('[data-queue]').count()).toBe(1);
    expect(await page.evaluate(() => (globalThis as unknown as Counted).blobUrls)).toBe(0);
    expect(asked.filter((p) => /^\/tickets\.(csv|xlsx)/.test(p))).toEqual([]);

    // a text search has no total: the rows are counted as they go
    const word = (await desk.deps.db.get<{ subject: string }>('select subject from tickets order by id limit 1'))!.subject.split(' ')[0];
    const search = `${desk.srv.url}/tickets?view=all&q=${encodeURIComponent(word)}`;
    await page.goto(search);
    await settled(page);
    const found = await download('csv');
    const foundLines = (await readFile((await found.path())!, 'utf8')).trim().split('\n');
    expect(foundLines.length).toBeGreaterThan(1);
    await expect.poll(() => status.textContent()).toContain(`Downloaded: ${foundLines.length - 1} tickets`);
    expect(page.url()).toBe(search);
    expect(await page.evaluate(() => (globalThis as unknown as Counted).blobUrls)).toBe(0);
    expect(problems).toEqual([]);
  });
});
