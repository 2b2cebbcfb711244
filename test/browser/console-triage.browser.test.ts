// The agent's day in headless Chromium, at desktop and phone sizes: a mail comes in, the manager
// (on a phone: an agent) triages it (component, priority) and hands it to a free specialist; the
// specialist replies with a canned answer and a file, adds a note, logs time and resolves. Screenshots of the queue
// and the ticket page go to test-output/screenshots/.
import { afterAll, beforeAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Browser as Chromium, Page } from 'playwright-core';
import { launchChromium, screenshotPath, settled } from '../helpers/browser.ts';
import { DESKTOP, flash, mailIn, PHONE, signedIn, startDesk, type Desk } from '../helpers/console-desk.ts';
import { findTicket } from '../../src/store/tickets.ts';
import { listAttachmentsForMessages, listTicketMessages } from '../../src/store/messages.ts';
import { listTicketWorklogs } from '../../src/store/worklogs.ts';

let chromium: Chromium;
beforeAll(async () => {
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
});

describe('triage to resolution', () => {
  let desk: Desk;
  beforeEach(async () => {
    desk = await startDesk();
  });
  afterEach(async () => {
    await desk?.close();
  });

  async function triage(page: Page, number: number) {
    await page.locator(`tr[data-ticket="${number}"] [data-row-link]`).click();
    await page.waitForURL(new RegExp(`/tickets/${number}$`));
    await settled(page);
    await expect.poll(() => page.textContent('#thread')).toContain('blank');
    await page.selectOption('#ticket-props select[name=componentId]', { label: 'Printers' });
    await page.selectOption('#ticket-props select[name=priority]', 'high');
    await page.selectOption('#ticket-props select[name=category]', 'fault');
    await page.click('#ticket-props button.primary');
    await flash(page, 'Saved.');
    await page.click('#ticket-props button:has-text("Assign to a free specialist")');
    await flash(page, 'Assigned to Sarah Lee.');
  }

  async function work(page: Page, number: number) {
    // a canned reply, filled in for this ticket, plus a file
    await page.selectOption('#reply-form select[name=id]', { label: 'Restart the printer' });
    await expect.poll(() => page.inputValue('#reply-body')).toContain(`tell us if #${number} is solved`);
    await page.fill('#reply-body', (await page.inputValue('#reply-body')).replace('Hello', 'Good morning'));
    await page.setInputFiles('#reply-form input[type=file]', { name: 'how-to.txt', mimeType: 'text/plain', buffer: Buffer.from('1. Off\n2. On\n') });
    await page.click('#reply-form button:has-text("Send reply")');
    await flash(page, 'Reply saved. Outgoing mail is off'); // this desk has no SMTP_URL: the reply waits in the outbox
    await page.fill('#note-form textarea', 'Fuser unit is worn, ordered a spare.');
    await page.click('#note-form button[type=submit]');
    await flash(page, 'Note added.');
    await page.fill('#ticket-time input[name=minutes]', '1h 15m');
    await page.fill('#ticket-time input[name=note]', 'Diagnosis on site');
    await page.click('#ticket-time button:has-text("Log time")');
    await flash(page, 'Time logged.');
    // "Resolve" opens the one resolve form, which asks for what was done
    await page.click('#ticket-props a:has-text("Resolve")');
    await page.locator('#resolve-note').waitFor({ state: 'visible' });
    await page.fill('#resolve-note', 'Replaced the fuser unit.');
    await page.click('#resolve button[type=submit]');
    await flash(page, 'Ticket resolved.');
  }

  async function checkTicket(id: number) {
    const t = (await findTicket(desk.deps.db, id))!;
    expect(t).toMatchObject({ componentId: desk.printers.id, priority: 'high', category: 'fault', assigneeId: desk.sarah.id, status: 'resolved', loggedMinutes: 75 });
    const msgs = await listTicketMessages(desk.deps.db, id);
    const reply = msgs.find((m) => m.direction === 'out')!;
    expect(reply.bodyText).toMatch(/^Good morning Ken Tanaka,/);
    expect((await listAttachmentsForMessages(desk.deps.db, [reply.id])).map((a) => a.filename)).toEqual(['how-to.txt']);
    expect(msgs.some((m) => m.kind === 'note' && m.bodyText.startsWith('Fuser unit'))).toBe(true);
    expect((await listTicketWorklogs(desk.deps.db, id))[0]).toMatchObject({ minutes: 75, note: 'Diagnosis on site' });
  }

  it('at desktop size, with the manager seeing the specialist write', async () => {
    const olga = await signedIn(chromium, desk, desk.olga, DESKTOP);
    const id = await mailIn(desk, 'Scanner on floor 2 prints blank pages', 'Every scan comes out blank since this morning.');
    const number = (await findTicket(desk.deps.db, id))!.number;
    await olga.page.goto(`${desk.srv.url}/tickets?view=open`);
    await olga.page.locator(`tr[data-ticket="${number}"]`).waitFor();
    await olga.page.screenshot({ path: screenshotPath('console-queue-desktop'), fullPage: true });
    await triage(olga.page, number);

    const sarah = await signedIn(chromium, desk, desk.sarah, DESKTOP);
    await sarah.page.goto(`${desk.srv.url}/tickets?view=mine`);
    await sarah.page.locator(`tr[data-ticket="${number}"] [data-row-link]`).click();
    await sarah.page.waitForURL(new RegExp(`/tickets/${number}$`));
    // Olga is still on the ticket; Sarah starts writing and Olga's page says so (presence poll)
    await sarah.page.fill('#reply-body', 'Checking…');
    await expect.poll(() => olga.page.textContent('#presence'), { timeout: 30_000, interval: 1000 }).toContain('Sarah Lee is writing a reply.');
    await sarah.page.fill('#reply-body', '');
    await work(sarah.page, number);
    await checkTicket(id);
    await expect.poll(() => sarah.page.textContent('#thread')).toContain('Fuser unit is worn');
    await sarah.page.screenshot({ path: screenshotPath('console-ticket-desktop'), fullPage: true });
    expect(olga.problems).toEqual([]);
    expect(sarah.problems).toEqual([]);
  }, 120_000);

  it('at phone size', async () => {
    const { page, problems } = await signedIn(chromium, desk, desk.dmitry, PHONE);
    const id = await mailIn(desk, 'Printer in room 214 prints blank pages', 'Since Monday every page comes out blank.');
    const number = (await findTicket(desk.deps.db, id))!.number;
    await page.goto(`${desk.srv.url}/tickets?view=unassigned`);
    await page.locator(`tr[data-ticket="${number}"]`).waitFor();
    // the queue fits the phone: no sideways scrolling
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: screenshotPath('console-queue-phone'), fullPage: true });
    await triage(page, number);
    // the ticket is Sarah's now: Dmitry may still reply, note and log time, but not resolve it
    await expect.poll(() => page.textContent('#ticket-props')).toContain('Assigned to Sarah Lee: only they');
    expect(await page.locator('#ticket-props button:has-text("Resolve")').count()).toBe(0);
    const sarah = await signedIn(chromium, desk, desk.sarah, PHONE);
    await sarah.page.goto(`${desk.srv.url}/tickets/${number}`);
    await settled(sarah.page);
    await work(sarah.page, number);
    await checkTicket(id);
    expect(await sarah.page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await sarah.page.screenshot({ path: screenshotPath('console-ticket-phone'), fullPage: true });
    expect(problems).toEqual([]);
    expect(sarah.problems).toEqual([]);
  }, 120_000);
});
