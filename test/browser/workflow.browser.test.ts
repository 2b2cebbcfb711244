// In Chromium: the admin configures a business calendar, an SLA policy and a contract; a mail
// arrives; the queue shows the time left, and the breach once the clock passes the due time.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { makeTestDeps, type TestDeps } from '../helpers/deps.ts';
import { addUser, startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/web.ts';
import { launchChromium, screenshotPath, settled, signInAs, watchPageProblems } from '../helpers/browser.ts';
import { rawMail } from '../helpers/workflow.ts';
import { insertOrganization } from '../../src/store/organizations.ts';
import { findOrganization } from '../../src/store/organizations.ts';
import { getTicket } from '../../src/store/tickets.ts';

let deps: TestDeps;
let srv: TestServer;
let browser: Browser;

beforeAll(async () => {
  deps = await makeTestDeps(); // the desk's clock: Monday 2 Nov 2026, 09:00 UTC (12:00 in Moscow)
  srv = await startTestServer(deps);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await srv?.close();
  deps?.close();
});

it('configures a calendar, a policy and a contract; the queue shows the time left and the breach', async () => {
  await addUser(srv.services, 'admin', 'admin@desk.test', 'Ada Admin');
  const org = await insertOrganization(deps.db, { name: 'ООО «Ромашка»' }, deps.clock.now(), ['romashka.ru']);
  const page = await browser.newPage();
  const errors = watchPageProblems(page);

  await signInAs(page, srv.url, 'admin@desk.test', TEST_PASSWORD);

  // a business calendar: Moscow, Monday to Friday 09:00–18:00, with a holiday
  await page.click('nav.nav details.menu summary'); // the Admin menu
  await page.click('nav.nav >> text=Calendars');
  await page.waitForURL(/\/admin\/calendars$/);
  await settled(page);
  await page.fill('#calendar-form input[name=name]', 'Moscow office');
  await page.fill('#calendar-form input[name=timeZone]', 'Europe/Moscow');
  await expect.poll(() => page.inputValue('#calendar-form input[name=hours0]')).toBe('09:00-18:00');
  await page.click('#calendar-form button[type=submit]');
  await page.waitForURL(/\/admin\/calendars\/\d+$/);
  await settled(page);
  await page.fill('#calendar-exceptions input[name=date]', '2026-11-04');
  await page.fill('#calendar-exceptions input[name=note]', 'National Unity Day');
  await page.click('#calendar-exceptions button[type=submit]');
  await expect.poll(() => page.textContent('#calendar-exceptions')).toContain('National Unity Day');
  await page.fill('#calendar-import textarea', '2026-11-03,short\n2026-12-31,holiday,,New Year’s Eve');
  await page.click('#calendar-import button[type=submit]');
  await expect.poll(() => page.textContent('#calendar-exceptions')).toContain('New Year’s Eve');
  expect(await page.textContent('#calendar-exceptions')).toContain('09:00-17:00');
  await page.screenshot({ path: screenshotPath('workflow-calendar'), fullPage: true });

  // an SLA policy on that calendar: 30 minutes to the first response, 4 hours to resolve
  await page.click('nav.nav details.menu summary');
  await page.click('nav.nav >> text=SLA');
  await page.waitForURL(/\/admin\/sla-policies$/);
  await settled(page);
  await page.fill('#policy-form input[name=name]', 'Standard');
  await page.selectOption('#policy-form select[name=calendarId]', { label: 'Moscow office' });
  await page.fill('#policy-form input[name="normal.firstResponseMinutes"]', '30m');
  await page.fill('#policy-form input[name="normal.resolutionMinutes"]', '4h');
  await page.fill('#policy-form input[name="normal.internalResolutionMinutes"]', '3h');
  await page.click('#policy-form button[type=submit]');
  await page.waitForURL(/\/admin\/sla-policies\/\d+$/);
  await settled(page);
  expect(await page.inputValue('#policy-form input[name="normal.resolutionMinutes"]')).toBe('4h');

  // the organisation's contract uses the policy
  await page.goto(`${srv.url}/organizations/${org.id}/contract`);
  await page.fill('#contract-form input[name=monthlyFee]', '60000');
  await page.fill('#contract-form input[name=includedTime]', '20h');
  await page.fill('#contract-form input[name=hourlyRate]', '2500');
  await page.fill('#contract-form input[name=reopenLimit]', '1');
  await page.fill('#contract-form input[name=reopenWindowDays]', '14');
  await page.selectOption('#contract-form select[name=slaPolicyId]', { label: 'Standard' });
  await page.check('#contract-form input[name=allComponents]');
  await page.check('#contract-form input[name=allChannels]');
  await page.click('#contract-form button[type=submit]');
  await expect.poll(() => page.textContent('#flash')).toContain('Saved');
  expect(await findOrganization(deps.db, org.id)).toMatchObject({ reopenLimit: 1, includedMinutes: 1200, monthlyFeeCents: 6_000_000, slaPolicyId: expect.any(Number) });
  await page.screenshot({ path: screenshotPath('workflow-contract'), fullPage: true });

  // a mail from the client: the queue shows the time left to the first response
  const r = await srv.services.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: rawMail({ from: 'Иван <ivan@romashka.ru>', subject: 'Принтер не печатает', body: 'Застревает бумага' }) });
  expect((await getTicket(deps.db, r.ticketId!)).firstResponseDueAt).toBe(Date.parse('2026-11-02T09:30:00Z'));
  await page.click('nav.nav >> text=Tickets');
  await page.waitForURL(/\/tickets$/);
  await settled(page);
  const cell = page.locator('tr[data-ticket="1"] td.sla');
  await expect.poll(() => cell.textContent()).toBe('30 min');
  expect(await cell.getAttribute('class')).toBe('sla sla-soon');
  await page.screenshot({ path: screenshotPath('workflow-queue-time-left'), fullPage: true });

  // twenty minutes later the first response is overdue: the cell turns red
  deps.clock.set(Date.parse('2026-11-02T09:50:00Z'));
  await page.reload();
  await expect.poll(() => cell.textContent()).toBe('overdue 20 min');
  expect(await cell.getAttribute('class')).toBe('sla sla-breached');
  expect(await cell.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color)).toBe('rgb(180, 35, 24)');
  await page.screenshot({ path: screenshotPath('workflow-queue-breached'), fullPage: true });

  // the ticket page shows each target, the contract's and the internal one
  await page.click('tr[data-ticket="1"] td.subject a');
  await page.waitForURL(/\/tickets\/1$/);
  await settled(page);
  expect(await page.textContent('#sla-firstResponse')).toContain('overdue 20 min');
  expect(await page.textContent('#sla-internalResolution')).toContain('Resolution (internal)');
  expect(await page.getAttribute('#sla-resolution', 'class')).toBe('sla-running');
  await page.screenshot({ path: screenshotPath('workflow-ticket-sla'), fullPage: true });

  expect(errors).toEqual([]);
});
