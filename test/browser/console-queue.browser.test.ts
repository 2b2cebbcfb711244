// The queue in headless Chromium: a manager's filtered view saved for later, a bulk change, the
// keyboard, the "N new" badge that appears without a reload, and the console in Russian.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser as Chromium } from 'playwright-core';
import { launchChromium, screenshotPath, settled } from '../helpers/browser.ts';
import { DESKTOP, flash, mailIn, PHONE, signedIn, startDesk, type Desk } from '../helpers/console-desk.ts';
import { findTicketByNumber } from '../../src/store/tickets.ts';
import { listSavedViews } from '../../src/store/saved-views.ts';
import { findUserByEmail } from '../../src/store/users.ts';

let chromium: Chromium;
beforeAll(async () => {
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
});

describe('the queue', () => {
  let desk: Desk;
  beforeEach(async () => {
    desk = await startDesk();
  });
  afterEach(async () => {
    await desk?.close();
  });
  const numbersOnPage = (page: import('playwright-core').Page) =>
    page.$$eval('table.tickets tbody tr', (trs) => trs.map((tr) => Number(tr.getAttribute('data-ticket'))));

  it('a manager filters by priority as the choice changes, saves the view and comes back to it', async () => {
    const { page, problems } = await signedIn(chromium, desk, desk.olga, DESKTOP);
    await page.selectOption('#filters select[name=priority]', 'high'); // no Apply click: it applies on change
    await page.waitForURL(/priority=high/);
    await settled(page);
    const high = await numbersOnPage(page);
    expect(high.length).toBeGreaterThan(1);
    for (const n of high) expect((await findTicketByNumber(desk.deps.db, n))!.priority).toBe('high');
    await page.selectOption('#filters select[name=assignee]', 'none');
    await page.waitForURL(/assignee=none/);
    await settled(page);
    expect((await numbersOnPage(page)).every(async (n) => (await findTicketByNumber(desk.deps.db, n))!.assigneeId === null)).toBe(true);
    await page.click('.save-view summary');
    await page.fill('.save-view input[name=name]', 'High, nobody on it');
    await page.click('.save-view button[type=submit]');
    await flash(page, 'View “High, nobody on it” saved.');
    expect((await listSavedViews(desk.deps.db, desk.olga.id))[0].query).toBe('view=open&priority=high&assignee=none');
    await page.click('nav.tabs a:has-text("All")');
    await page.waitForURL(/view=all$/);
    await settled(page);
    await page.click('.saved-views a:has-text("High, nobody on it")');
    await page.waitForURL(/priority=high&assignee=none/);
    await settled(page);
    expect(await page.inputValue('#filters select[name=priority]')).toBe('high');
    expect(problems).toEqual([]);
  }, 60_000);

  it('changes the status of several tickets at once; keys move through the list and open a ticket', async () => {
    const { page, problems } = await signedIn(chromium, desk, desk.olga, DESKTOP);
    await page.goto(`${desk.srv.url}/tickets?view=unassigned`);
    const before = await numbersOnPage(page);
    expect(await page.isVisible('.bulk-actions')).toBe(false);
    // keyboard: j moves down, x selects; the bulk controls appear once something is selected
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    expect(await page.isVisible('.bulk-actions')).toBe(true);
    expect(await page.textContent('[data-selected-count]')).toBe('Selected: 2');
    await page.selectOption('.bulk-bar select[name=status]', 'pending_requester');
    await page.click('.bulk-bar button[value=status]');
    await flash(page, 'Changed 2 tickets.');
    for (const n of before.slice(0, 2)) expect((await findTicketByNumber(desk.deps.db, n))!.status).toBe('pending_requester');
    expect((await findTicketByNumber(desk.deps.db, before[2]))!.status).toBe('new');
    // j, j, o opens the second row, also when the "new: N" poll swaps its badge in between
    const rows = await numbersOnPage(page);
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.evaluate(`htmx.ajax('GET', document.querySelector('#queue-poll').getAttribute('hx-get'), { source: '#queue-poll', target: '#queue-poll', swap: 'outerHTML' })`);
    await settled(page);
    expect(await page.getAttribute('tr.current', 'data-ticket')).toBe(String(rows[1]));
    await page.keyboard.press('o');
    await page.waitForURL(new RegExp(`/tickets/${rows[1]}$`));
    await settled(page);
    await page.keyboard.press('r');
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('reply-body');
    await page.keyboard.press('Escape');
    await page.keyboard.press('?');
    expect(await page.isVisible('#keyboard-help')).toBe(true);
    expect(problems).toEqual([]);
  }, 60_000);

  it('a bulk button pressed without choosing changes nothing and says what to choose', async () => {
    const { page, problems } = await signedIn(chromium, desk, desk.olga, DESKTOP);
    await page.goto(`${desk.srv.url}/tickets?view=unassigned`);
    const before = await numbersOnPage(page);
    const state = async () => Promise.all(before.map(async (n) => { const t = (await findTicketByNumber(desk.deps.db, n))!; return [t.status, t.priority, t.assigneeId]; }));
    const was = await state();
    for (const [button, message] of [['priority', 'choose a priority first'], ['status', 'choose a status first'], ['assign', 'choose whom to assign the tickets to first']]) {
      await page.check('input[data-select-all]');
      for (const name of ['assigneeId', 'status', 'priority']) expect(await page.inputValue(`.bulk-bar select[name=${name}]`)).toBe('');
      await page.click(`.bulk-bar button[value=${button}]`);
      await flash(page, `Nothing changed: ${message}.`);
    }
    expect(await state()).toEqual(was);
    expect(problems).toEqual([]);
  }, 60_000);

  it('shows "new: N" when tickets arrive, without reloading', async () => {
    const { page, problems } = await signedIn(chromium, desk, desk.dmitry, DESKTOP);
    await page.goto(`${desk.srv.url}/tickets?view=unassigned`);
    await page.evaluate('window.__same = true');
    desk.deps.clock.advance(1000);
    await mailIn(desk, 'Wi-Fi in warehouse B', 'Scanners lose the connection every afternoon.');
    await page.locator('#queue-poll a').filter({ hasText: 'new: 1' }).waitFor({ timeout: 40_000 });
    expect(await page.evaluate<boolean>('window.__same === true')).toBe(true); // same document: no reload happened
    await page.click('#queue-poll a');
    await page.locator('td.subject', { hasText: 'Wi-Fi in warehouse B' }).waitFor();
    expect(problems).toEqual([]);
  }, 60_000);

  it('switches the console to Russian from the profile, on a phone', async () => {
    const { page, problems } = await signedIn(chromium, desk, desk.sarah, PHONE);
    await page.click('details.menu.user summary');
    await page.click('a[href="/profile"]');
    await page.waitForURL(/\/profile$/);
    await settled(page);
    await page.selectOption('select[name=locale]', 'ru');
    await page.selectOption('select[name=timeZone]', 'Europe/Moscow');
    await page.click('form[action="/profile"] button[type=submit]');
    await flash(page, 'Профиль сохранён.');
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    expect(await findUserByEmail(desk.deps.db, desk.sarah.email)).toMatchObject({ locale: 'ru', timeZone: 'Europe/Moscow' });
    await page.click('nav.nav a[href="/tickets"]');
    await page.waitForURL(/\/tickets$/);
    await settled(page);
    expect(await page.textContent('h1')).toBe('Заявки');
    expect(await page.textContent('nav.tabs')).toContain('Без исполнителя');
    await page.screenshot({ path: screenshotPath('console-queue-phone-ru'), fullPage: true });
    await page.locator('table.tickets tbody tr [data-row-link]').first().click();
    await page.waitForURL(/\/tickets\/\d+$/);
    await settled(page);
    expect(await page.textContent('#ticket-props h2')).toBe('Свойства');
    expect(await page.textContent('#reply-form')).toContain('Отправить ответ');
    expect(problems).toEqual([]);
  }, 60_000);
});
