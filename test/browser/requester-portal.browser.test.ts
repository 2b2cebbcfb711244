// The requester portal in a real browser at phone width with JavaScript off: sign in by the mailed
// link, My requests (and searching them), a new request filled in by its labels, the request's page; no page scrolls
// sideways, in English or Russian.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser as Chromium, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.ts';
import { makeTestDeps, type TestDeps } from '../helpers/deps.ts';
import { addUser, startTestServer, type TestServer } from '../helpers/web.ts';
import { createTicket } from '../../src/actions/tickets.ts';
import { createKbArticle, publishKbArticle } from '../../src/actions/kb.ts';
import { resolveTicket } from '../../src/actions/resolution.ts';
import { portalSignIns } from '../../src/db/schema.ts';
import { makeSignInToken } from '../../src/domain/portal-sign-in.ts';
import { insertContact } from '../../src/store/contacts.ts';

let chromium: Chromium;
beforeAll(async () => {
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
});

const overflow = (page: Page) => page.evaluate(() => {
  const g = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
  return g.document.documentElement.scrollWidth - g.innerWidth;
});

describe('the requester portal on a phone, without JavaScript', () => {
  let deps: TestDeps;
  let srv: TestServer;
  beforeEach(async () => {
    deps = await makeTestDeps({ PUBLIC_URL: 'http://127.0.0.1' });
    srv = await startTestServer(deps);
  });
  afterEach(async () => {
    await srv.close();
    deps.close();
  });

  it('with JavaScript on, shows the matching help articles and the requester’s resolved requests while they type', async () => {
    const anna = await insertContact(deps.db, { name: 'Anna', emails: ['anna@romashka.example'], locale: 'ru' }, deps.clock.now());
    const ctx = srv.services.ctx;
    const boss = await addUser(srv.services, 'manager', 'olga@desk.example', 'Olga');
    const a = await createKbArticle(ctx, boss, { title: 'Принтер не печатает', body: 'Откройте лоток и уберите замятую бумагу.', visibility: 'public', locale: 'ru' });
    await publishKbArticle(ctx, boss, a.id, true);
    const old = await createTicket(ctx, { kind: 'contact', contactId: anna.id }, { subject: 'Принтер мнёт бумагу', body: 'Снова замятие', requesterContactId: anna.id });
    await resolveTicket(ctx, { kind: 'user', user: boss }, { ticketId: old.id, note: 'Почистили ролики' });
    const context = await chromium.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto(`${srv.url}/portal/sign-in`);
    await page.getByLabel('Адрес почты или номер мобильного').fill('anna@romashka.example');
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    const row = (await deps.db.select().from(portalSignIns).all()).at(-1)!;
    await page.goto(`${srv.url}/portal/sign-in/${makeSignInToken(deps.secrets.token, row)}`);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(`${srv.url}/portal`);
    await page.goto(`${srv.url}/portal/new`);
    // typed the way people type, key by key: the suggestions come after a pause, in the live region
    await page.getByLabel('Тема').pressSequentially('Принтеры не печатают', { delay: 30 });
    const region = page.locator('#portal-suggestions');
    await expect.poll(async () => await region.locator(`a[href="/portal/kb/${a.id}?from=new"]`).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(async () => await region.locator(`a[href="/portal/requests/${old.number}"]`).count(), { timeout: 10_000 }).toBe(1);
    expect(await region.getAttribute('aria-live')).toBe('polite');
    expect(await region.textContent()).toContain('Почистили ролики');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await context.close();
  });

  for (const locale of ['en', 'ru'] as const) {
    it(`signs in, lists, files and opens a request (${locale})`, async () => {
      const anna = await insertContact(deps.db, { name: 'Анна Петрова-Водкина', emails: ['anna.petrova-vodkina@romashka.example'], locale }, deps.clock.now());
      await createTicket(srv.services.ctx, { kind: 'contact', contactId: anna.id }, {
        subject: 'Принтер на третьем этаже печатает пустые листы после замены картриджа', body: 'x'.repeat(400), requesterContactId: anna.id,
      });
      const context = await chromium.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false, isMobile: true, hasTouch: true, locale: locale === 'ru' ? 'ru-RU' : 'en-US' });
      const page = await context.newPage();
      const base = srv.url;
      await page.goto(`${base}/portal/sign-in`);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await page.getByLabel(locale === 'ru' ? 'Адрес почты или номер мобильного' : 'E-mail address or mobile number').fill('anna.petrova-vodkina@romashka.example');
      // the form posts without JavaScript: wait for the page it loads, not the one already loaded
      await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
      expect(await page.locator('[role=status]').last().textContent()).toMatch(locale === 'ru' ? /Если мы знаем этот адрес/ : /If we know this address/);
      const row = (await deps.db.select().from(portalSignIns).all()).at(-1)!;
      await page.goto(`${base}/portal/sign-in/${makeSignInToken(deps.secrets.token, row)}`);
      await page.getByRole('button', { name: locale === 'ru' ? 'Войти' : 'Sign in' }).click();
      await page.waitForURL(`${base}/portal`);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      expect(await page.textContent('main')).toContain('Принтер на третьем этаже');
      // search my requests, by another form of the word
      await page.getByLabel(locale === 'ru' ? 'Поиск по моим заявкам' : 'Search my requests').fill('принтера');
      await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
      expect(await page.locator('#portal-found mark').first().textContent()).toBe('Принтер');
      expect(await overflow(page)).toBeLessThanOrEqual(0);

      await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: locale === 'ru' ? 'Новая заявка' : 'New request' }).first().click()]);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await page.getByLabel(locale === 'ru' ? 'Тема' : 'Subject').fill('Нужен второй монитор');
      await page.getByLabel(locale === 'ru' ? 'Опишите заявку' : 'Describe the request').fill('Для нового дизайнера');
      await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: locale === 'ru' ? 'Отправить заявку' : 'Send the request' }).click()]);
      expect(await page.textContent('main')).toContain('Для нового дизайнера');
      expect(await page.locator('#portal-reply textarea').count()).toBe(1);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      // every field has a label
      for (const path of ['/portal/new', page.url()]) {
        await page.goto(path.startsWith('http') ? path : `${base}${path}`);
        const unlabeled = await page.evaluate(() => {
          const d = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ id: string; closest(s: string): unknown; labels: ArrayLike<unknown> | null; name: string }> } }).document;
          return Array.from(d.querySelectorAll('main input:not([type=hidden]), main textarea, main select')).filter((el) => !el.labels?.length).map((el) => el.name);
        });
        expect(unlabeled).toEqual([]);
      }
      await context.close();
    });
  }
});
