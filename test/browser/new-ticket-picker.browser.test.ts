// Opening a ticket for a known contact in headless Chromium: type part of a name or a phone number,
// pick the contact, the requester fields fill in place (what was typed in the subject stays), and
// the ticket opens for that contact. No console or CSP errors on the way.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser as Chromium } from 'playwright-core';
import { launchChromium, settled } from '../helpers/browser.ts';
import { DESKTOP, flash, PHONE, signedIn, startDesk, type Desk } from '../helpers/console-desk.ts';
import { createContact } from '../../src/actions/contacts.ts';
import { findTicket } from '../../src/store/tickets.ts';

let chromium: Chromium;
beforeAll(async () => {
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
});

describe('new ticket for a known contact', () => {
  let desk: Desk;
  beforeEach(async () => {
    desk = await startDesk();
  });
  afterEach(async () => {
    await desk?.close();
  });

  for (const [label, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    it(`picks a contact by phone and opens the ticket for them (${label})`, async () => {
      const s = desk.srv.services;
      const maria = await createContact(s.ctx, desk.olga, { name: 'Мария Волкова', emails: ['maria.volkova@romashka.ru'], phones: ['+7 916 123-45-67'], organizationId: null, locale: 'ru', note: null });
      const { page, problems } = await signedIn(chromium, desk, desk.dmitry, viewport);
      await page.goto(`${desk.srv.url}/tickets/new`);
      await settled(page);
      await page.fill('input[name=subject]', 'Нет доступа к 1С');
      await page.fill('#contact-q', '+7 916 123');
      const pick = page.locator('#contact-picks a', { hasText: 'Мария Волкова' });
      await pick.waitFor();
      await pick.click();
      await expect.poll(() => page.inputValue('input[name=requesterEmail]')).toBe('maria.volkova@romashka.ru');
      await settled(page);
      expect(await page.inputValue('input[name=requesterName]')).toBe('Мария Волкова');
      expect(await page.locator('#contact-picks a').count()).toBe(0);
      // what was typed before the pick is still there
      expect(await page.inputValue('input[name=subject]')).toBe('Нет доступа к 1С');
      await page.fill('textarea[name=body]', 'С утра не пускает в базу.');
      await page.click('form[action="/tickets"] button[type=submit]');
      await flash(page, /created|создана/i);
      const number = Number(/\/tickets\/(\d+)$/.exec(page.url())![1]);
      const t = await findTicket(desk.deps.db, number);
      expect(t?.requesterId).toBe(maria.id);
      // a function, not a string: the console's CSP forbids eval
      const sideways = await page.evaluate(() => {
        const g = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
        return g.document.documentElement.scrollWidth - g.innerWidth;
      });
      expect(sideways).toBeLessThanOrEqual(0);
      expect(problems).toEqual([]);
    });
  }
});
