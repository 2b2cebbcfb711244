// The SMS parts of the console in Chromium: an MMS picture shown in the thread, the SMS box with
// the opt-out state, and texting someone from the "New SMS" page.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { attachments } from '../../src/db/schema.ts';
import { makeTestDeps, type TestDeps } from '../helpers/deps.ts';
import { addUser, startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/web.ts';
import { launchChromium, screenshotPath, settled, signInAs, watchPageProblems } from '../helpers/browser.ts';
import { inboundSms, postSigned, startTwilioFake, twilioEnv, type TwilioFake } from '../helpers/twilio-fake.ts';
import { allTickets, countRows, PNG_1X1, smsSettled } from '../helpers/sms.ts';

let fake: TwilioFake;
let deps: TestDeps;
let srv: TestServer;
let browser: Browser;

beforeAll(async () => {
  fake = await startTwilioFake();
  deps = await makeTestDeps(twilioEnv(fake, { SMS_DEFAULT_COUNTRY: 'RU' }));
  srv = await startTestServer(deps);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await srv?.close();
  deps?.close();
  await fake?.close();
});

it('shows an MMS picture, the requester’s SMS state, and sends a new SMS', async () => {
  await addUser(srv.services, 'agent', 'agent@desk.test', 'Olga Agent');
  const url = fake.addMedia({ contentType: 'image/png', body: PNG_1X1 });
  await postSigned(srv.url, '/webhooks/twilio/sms', inboundSms({ from: '+79123456789', body: 'Экран показывает ошибку', media: [{ url, contentType: 'image/png' }] }));
  await expect.poll(async () => await countRows(deps.db, attachments), { timeout: 20_000 }).toBe(1);

  const page = await browser.newPage();
  const errors = watchPageProblems(page);

  await signInAs(page, srv.url, 'agent@desk.test', TEST_PASSWORD);

  await page.goto(`${srv.url}/tickets/1`);
  const img = page.locator('#thread .attachments img');
  await expect.poll(() => img.evaluate((el) => { const i = el as unknown as { complete: boolean; naturalWidth: number }; return i.complete && i.naturalWidth; })).toBe(1);
  expect(await page.textContent('#ticket-sms')).toContain('+7 912 345 67 89');
  expect(await page.textContent('#ticket-sms')).toContain('gets texts');

  await postSigned(srv.url, '/webhooks/twilio/sms', inboundSms({ from: '+79123456789', body: 'СТОП' }));
  await smsSettled(deps.db);
  await page.reload();
  expect(await page.textContent('#ticket-sms')).toContain('opted out');
  expect(await page.textContent('#thread')).toContain('+79123456789 opted out of SMS (СТОП)');
  await page.screenshot({ path: screenshotPath('sms-ticket'), fullPage: true });

  await page.click('nav >> text=New SMS');
  await page.waitForURL(/\/sms\/new$/);
  await settled(page);
  await page.fill('input[name=phone]', '8 999 000-11-22');
  await page.fill('input[name=name]', 'Boris');
  await page.fill('textarea[name=body]', 'Boris, your access card is ready at the front desk.');
  await page.click('#sms-new button[type=submit]');
  await page.waitForURL(/\/tickets\/2$/);
  await settled(page);
  expect(await page.textContent('#flash')).toContain('The SMS is on its way.');
  expect(await page.textContent('#thread')).toContain('your access card is ready');
  expect((await allTickets(deps.db)).map((t) => t.channel)).toEqual(['sms', 'sms']);
  expect(errors).toEqual([]);
});
