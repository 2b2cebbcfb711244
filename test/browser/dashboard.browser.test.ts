// The dashboard and the reports in headless Chromium: a manager's dashboard at desktop size,
// rearranged by dragging (kept after a reload) and followed from a figure to the queue; an agent's
// on a phone, arranged with the ⋯ forms by tapping and by a finger's drag; a report's number followed to its tickets, at
// desktop size and, in Russian, on a phone.
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser as Chromium, Page } from 'playwright-core';
import { launchChromium, screenshotPath, settled } from '../helpers/browser.ts';
import { DESKTOP, PHONE, signedIn, startDesk, type Desk } from '../helpers/console-desk.ts';
import { REPORTS } from '../../src/reports/index.ts';
import { updateUser } from '../../src/store/users.ts';

let chromium: Chromium;
beforeAll(async () => {
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
});

const order = (page: Page) => page.$$eval('#dashboard .widget', (ws) => ws.map((w) => w.getAttribute('data-widget')));
const sidewaysScroll = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
/** Presses a finger on `from`, slides it in steps to the top-left corner of `to`, and lifts it. */
async function touchDrag(page: Page, from: string, to: string): Promise<void> {
  const a = (await page.locator(from).boundingBox())!;
  const b = (await page.locator(to).boundingBox())!;
  const cdp = await page.context().newCDPSession(page);
  const at = (x: number, y: number) => [{ x: Math.round(x), y: Math.round(y) }];
  const [x0, y0, x1, y1] = [a.x + a.width / 2, a.y + a.height / 2, b.x + 4, b.y + 4];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(x0, y0) });
  for (let i = 1; i <= 8; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(x0 + ((x1 - x0) * i) / 8, y0 + ((y1 - y0) * i) / 8) });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}
const rowsInQueue = (page: Page) => page.$$eval('table.tickets tbody tr[data-ticket]', (trs) => trs.length);

/** The created-vs-resolved report's total (six tickets), followed by a click or a finger to the queue on them. */
async function followTotal(page: Page, how: 'click' | 'tap'): Promise<void> {
  const total = page.locator('#report-table tfoot td a').first();
  expect(await total.textContent()).toBe('6');
  await total[how]();
  await page.waitForURL(/\/tickets\?view=all&created=/);
  await settled(page);
  expect(await rowsInQueue(page)).toBe(6);
}

describe('the dashboard in a browser', () => {
  let desk: Desk;
  beforeEach(async () => {
    desk = await startDesk();
  });
  afterEach(async () => {
    await desk?.close();
  });

  it('a manager drags a widget to the front, finds it there after a reload, and opens a figure’s tickets', async () => {
    const { page, problems } = await signedIn(chromium, desk, desk.olga, DESKTOP);
    await page.goto(`${desk.srv.url}/`);
    await page.waitForURL(/\/dashboard$/);
    await settled(page);
    expect(await order(page)).toEqual(['sla-risk', 'unassigned', 'created-today', 'done-week', 'report:created-resolved', 'report:cost', 'sla-list']);
    // the chart is drawn on the server; its numbers are a table beside it, for screen readers (the
    // picture is hidden from them) and printing: not shown on screen, shown on paper
    await expect.poll(() => page.locator('#widget-report\\:created-resolved [aria-hidden=true] svg[role=img]').count()).toBe(1);
    const numbers = page.locator('#widget-report\\:created-resolved .chart-data');
    expect((await numbers.boundingBox())!.width).toBeLessThanOrEqual(1);
    await page.emulateMedia({ media: 'print' });
    expect((await numbers.boundingBox())!.width).toBeGreaterThan(100);
    await page.emulateMedia({ media: 'screen' });
    const saved = page.waitForResponse((r) => r.url().endsWith('/dashboard/layout') && r.status() === 204);
    await page.locator('#widget-done-week .widget-head h2').dragTo(page.locator('#widget-sla-risk .widget-head h2'), { targetPosition: { x: 5, y: 5 } });
    await saved;
    expect((await order(page))[0]).toBe('done-week');
    await page.reload();
    await settled(page);
    expect((await order(page))[0]).toBe('done-week');
    await page.screenshot({ path: screenshotPath('dashboard-manager'), fullPage: true });

    // the tickets that came in today (the desk's day, UTC; six unless the run crosses midnight): the figure opens the queue on them
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const today = (await desk.deps.db.all<{ created_at: number }>('select created_at from tickets')).filter((t) => day(Number(t.created_at)) === day(desk.deps.clock.now())).length;
    expect(today).toBeGreaterThan(0);
    const figure = page.locator('#widget-created-today .widget-figure');
    expect(await figure.textContent()).toBe(String(today));
    await figure.click();
    await page.waitForURL(/\/tickets\?view=all&created=/);
    await settled(page);
    expect(await rowsInQueue(page)).toBe(today);
    await expect.poll(() => page.locator('.period-chips .chip').count()).toBe(1);
    expect(problems).toEqual([]);
  });

  it('an agent arranges the dashboard on a phone by tapping the ⋯ forms and dragging with a finger', async () => {
    const { page, problems } = await signedIn(chromium, desk, desk.dmitry, PHONE);
    await page.goto(`${desk.srv.url}/dashboard`);
    await settled(page);
    expect(await order(page)).toEqual(['my-open', 'sla-risk', 'unassigned', 'pending', 'my-queue', 'sla-list']);
    expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0);
    await page.locator('#widget-pending summary').tap();
    await page.locator('#widget-pending button[value=remove]').tap();
    // the page the form answers with has no pending widget: wait for it before choosing what to add,
    // or the choice is made on the page being replaced
    await expect.poll(() => order(page)).toEqual(['my-open', 'sla-risk', 'unassigned', 'my-queue', 'sla-list']);
    await settled(page);
    await page.locator('.dashboard-tools select[name=id]').selectOption('my-components');
    await page.locator('.dashboard-tools button[type=submit]', { hasText: 'Add' }).tap();
    await settled(page);
    await expect.poll(() => order(page)).toEqual(['my-open', 'sla-risk', 'unassigned', 'my-queue', 'sla-list', 'my-components']);
    await page.locator('#widget-my-components summary').tap();
    await page.locator('#widget-my-components button[value=up]').tap();
    await settled(page);
    await expect.poll(() => order(page)).toEqual(['my-open', 'sla-risk', 'unassigned', 'my-queue', 'my-components', 'sla-list']);
    // a finger on a widget's grip drags it (real touch input, through the DevTools protocol): the
    // components go to the front, and the order is kept after a reload
    const saved = page.waitForResponse((r) => r.url().endsWith('/dashboard/layout') && r.status() === 204);
    await touchDrag(page, '#widget-my-components .widget-grip', '#widget-my-open .widget-head h2');
    await saved;
    expect(await order(page)).toEqual(['my-components', 'my-open', 'sla-risk', 'unassigned', 'my-queue', 'sla-list']);
    await page.reload();
    await settled(page);
    expect(await order(page)).toEqual(['my-components', 'my-open', 'sla-risk', 'unassigned', 'my-queue', 'sla-list']);
    // Dmitry has the printer job and the VPN ticket
    expect(await page.locator('#widget-my-open .widget-figure').textContent()).toBe('2');
    await page.screenshot({ path: screenshotPath('dashboard-agent-phone'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('a manager follows a report’s number to the tickets behind it', async () => {
    const { page, problems } = await signedIn(chromium, desk, desk.olga, DESKTOP);
    await page.goto(`${desk.srv.url}/reports/created-resolved?group=month`);
    await settled(page);
    // the downloads are files, not pages: the CSV comes down with the table's numbers
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('.report-downloads a', { hasText: 'CSV' }).click()]);
    expect(csv.suggestedFilename()).toMatch(/^created-resolved-\d{4}-\d{2}-\d{2}\.csv$/);
    expect((await readFile((await csv.path())!, 'utf8')).trim().split('\n').at(-1)).toMatch(/^Total,6,/);
    expect(page.url()).toContain('/reports/created-resolved?group=month');
    await followTotal(page, 'click');
    expect(problems).toEqual([]);
  });

  it('a Russian-speaking manager reads every report on a phone without sideways scrolling and taps a number through to its tickets', async () => {
    await updateUser(desk.deps.db, desk.olga.id, { locale: 'ru' }, desk.deps.clock.now());
    const { page, problems } = await signedIn(chromium, desk, desk.olga, PHONE);
    for (const report of REPORTS) {
      await page.goto(`${desk.srv.url}${report.path}`);
      await settled(page);
      expect(await page.getAttribute('html', 'lang'), report.id).toBe('ru');
      // the wide tables scroll inside their own box, the page itself does not
      expect(await sidewaysScroll(page), report.id).toBeLessThanOrEqual(0);
    }
    await page.goto(`${desk.srv.url}/reports/created-resolved?group=month`);
    await settled(page);
    expect(await page.locator('#report-table tfoot td').first().textContent()).toBe('Итого');
    await page.screenshot({ path: screenshotPath('report-manager-phone-ru'), fullPage: true });
    await followTotal(page, 'tap');
    expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
  });
});
