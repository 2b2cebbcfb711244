// The console at phone size (390×844), in English and Russian: every page reachable from the top
// bar and the Admin menu fits the screen (no sideways scrolling), and the Admin menu opens where it
// can be seen and used. At desktop size the queue is still a table.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser as Chromium, Page } from 'playwright-core';
import { launchChromium, screenshotPath, settled } from '../helpers/browser.ts';
import { DESKTOP, PHONE, signedIn, startDesk, type Desk } from '../helpers/console-desk.ts';
import { person } from '../helpers/factories.ts';
import { createKbArticle } from '../../src/actions/kb.ts';
import { createOrganization } from '../../src/actions/organizations.ts';
import { seedSla } from '../helpers/workflow.ts';
import { insertMailbox } from '../../src/store/mailboxes.ts';
import { updateUser } from '../../src/store/users.ts';
import type { User } from '../../src/store/users.ts';

let chromium: Chromium;
beforeAll(async () => {
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
});

/** How far the page reaches past the right edge of the screen, in CSS pixels. */
const overflow = (page: Page) =>
  page.evaluate(() => {
    const g = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
    return g.document.documentElement.scrollWidth - g.innerWidth;
  });

/** The elements that stick out past the right edge (for the failure message). */
const culprits = (page: Page) =>
  page.evaluate(() => {
    const g = globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ getBoundingClientRect(): { right: number }; tagName: string; className: string; id: string }> }; innerWidth: number };
    return Array.from(g.document.querySelectorAll('main *, header *'))
      .filter((e) => e.getBoundingClientRect().right > g.innerWidth + 1)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className ? `.${String(e.className).split(' ').join('.')}` : ''}`);
  });

describe('the console on a phone', () => {
  let desk: Desk;
  let admin: User;
  let pages: string[];
  beforeEach(async () => {
    desk = await startDesk();
    const s = desk.srv.services;
    admin = await person(s, 'Ada Administrator', 'admin');
    const org = await createOrganization(s.ctx, admin, { name: 'ООО «Ромашка» — головной офис на Профсоюзной улице', domains: ['romashka.ru'] });
    const sla = await seedSla(s.ctx, { makeDefault: true });
    const mailbox = await insertMailbox(desk.deps.db, { name: 'Поддержка', address: 'support@desk.example', host: 'imap.very-long-hostname-of-the-mail-server.example.com', username: 'support-desk-mailbox-user@desk.example', password: 'secret' }, desk.deps.clock.now());
    const article = await createKbArticle(s.ctx, admin, {
      title: 'Принтер на третьем этаже не печатает двусторонние документы после обновления драйвера', locale: 'ru', visibility: 'public',
      body: '# Что делать\n\n```\nrundll32 printui.dll,PrintUIEntry /dl /n "\\\\print-server-with-a-very-long-name.corp.example\\HP-LaserJet-M507-3rd-floor"\n```\n\n- Откройте https://very-long-hostname-of-the-intranet.example.com/printers/third-floor/drivers/latest',
    });
    pages = [
      '/tickets', '/tickets?view=all', '/tickets?view=sla', '/tickets/1', '/tickets/new', '/search?q=printer', '/sms/new',
      '/contacts', '/contacts/new', '/contacts/1', '/organizations', '/organizations/new', `/organizations/${org.id}`, `/organizations/${org.id}/contract`,
      '/components', '/components/new', `/components/${desk.printers.id}`, '/canned', '/canned/new',
      '/admin/users', '/admin/users/new', `/admin/users/${desk.olga.id}`, '/admin/tokens', '/admin/sign-in-locks',
      '/admin/mailboxes', '/admin/mailboxes/new', `/admin/mailboxes/${mailbox.id}`, '/admin/inbound', '/admin/outbox',
      '/admin/workflow', '/admin/sla-policies', `/admin/sla-policies/${sla.policy.id}`, '/admin/calendars', `/admin/calendars/${sla.calendar.id}`,
      '/admin/getting-started', '/admin/delivery', '/reports/contracts', '/profile', '/me/notifications',
      '/kb', '/kb/new', `/kb/${article.id}`, `/kb/${article.id}/edit`,
      '/dashboard', '/calendar', '/calendar?view=week', '/reports/created-resolved', '/reports/status', '/reports/time?by=period', '/reports/cost',
    ];
  });
  afterEach(async () => {
    await desk?.close();
  });

  for (const locale of ['en', 'ru'] as const) {
    it(`fits every page on the screen and opens the Admin menu (${locale})`, async () => {
      await updateUser(desk.deps.db, admin.id, { locale }, desk.deps.clock.now());
      const { page } = await signedIn(chromium, desk, admin, PHONE);
      const wide: string[] = [];
      for (const path of pages) {
        await page.goto(`${desk.srv.url}${path}`);
        await settled(page);
        const over = await overflow(page);
        if (over > 0) {
          wide.push(`${path}: ${over}px too wide (${(await culprits(page)).join(', ')})`);
          await page.screenshot({ path: screenshotPath(`phone-${locale}-${path.replace(/[^a-z0-9]+/gi, '_')}`), fullPage: true });
        }
      }
      expect(wide).toEqual([]);

      // the Admin menu: opened by a tap, its links on screen and usable
      await page.goto(`${desk.srv.url}/tickets`);
      await settled(page);
      await page.locator('details.menu:not(.user) > summary').tap();
      const links = page.locator('details.menu:not(.user) .menu-list a');
      expect(await links.count()).toBeGreaterThan(8);
      for (let i = 0; i < (await links.count()); i++) {
        const box = await links.nth(i).boundingBox();
        expect(box, await links.nth(i).textContent() ?? '').not.toBeNull();
        expect(box!.x).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
        expect(box!.height).toBeGreaterThan(0);
      }
      await page.screenshot({ path: screenshotPath(`phone-${locale}-admin-menu`) });
      await page.locator('details.menu:not(.user) .menu-list a[href="/admin/outbox"]').tap();
      await page.waitForURL(/\/admin\/outbox$/);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
    }, 120_000);
  }

  it('keeps the queue a table at desktop size', async () => {
    const { page } = await signedIn(chromium, desk, admin, DESKTOP);
    const display = await page.locator('table.tickets').evaluate((t) => (globalThis as unknown as { getComputedStyle(e: unknown): { display: string } }).getComputedStyle(t).display);
    expect(display).toBe('table');
    expect(await page.locator('table.tickets thead').isVisible()).toBe(true);
  });
});
