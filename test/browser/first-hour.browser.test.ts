// The first hour of a new desk, in Chromium, through the console only: the real desk process on an
// empty database; the setup page makes the admin; the getting-started checklist leads to adding a
// mailbox (Dovecot), outgoing mail (a real SMTP server) and SMS (the Twilio stand-in), each ticked
// as it is done and each tested from its page; then a requester's mail becomes a ticket answered by
// mail, and a text becomes a ticket answered by SMS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshotPath, settled, watchPageProblems } from '../helpers/browser.ts';
import { newDatabaseUrl } from '../helpers/deps.ts';
import { startDesk, type DeskProcess } from '../helpers/desk-process.ts';
import { freePort, startDovecot, type Dovecot, type DovecotUser } from '../helpers/dovecot.ts';
import { rawMail } from '../helpers/mail.ts';
import { startSmtpServer, type TestSmtp } from '../helpers/smtp.ts';
import { inboundSms, postSigned, startTwilioFake, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, type TwilioFake } from '../helpers/twilio-fake.ts';

let dovecot: Dovecot;
let support: DovecotUser;
let smtp: TestSmtp;
let fake: TwilioFake;
let desk: DeskProcess;
let browser: Browser;
let base: string;
let dataDir: string;

beforeAll(async () => {
  [dovecot, smtp, fake] = await Promise.all([startDovecot(), startSmtpServer(), startTwilioFake()]);
  support = dovecot.addUser('support');
  dataDir = mkdtempSync(path.join(tmpdir(), 'desk-first-hour-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  desk = startDesk({
    dataDir,
    roles: 'web,intake,outbox,scheduler',
    databaseUrl: await newDatabaseUrl(dataDir),
    // nothing about mail or SMS in the environment: all of it is set in the console
    env: { PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: base, TWILIO_API_URL: fake.url, MAIL_SENDER_VERIFY: 'off', SMTP_ALLOW_PLAINTEXT: 'false', IMAP_ALLOW_PLAINTEXT: 'false' },
  });
  await desk.started;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await desk?.stop();
  await Promise.all([dovecot?.close(), smtp?.close(), fake?.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

const done = async (page: Page) => await page.locator('.getting-started li.done').evaluateAll((els) => els.map((e) => e.getAttribute('data-step')));

/** Follows a checklist step's link from the queue to its page. */
async function step(page: Page, id: string, to: RegExp): Promise<void> {
  await page.goto(`${base}/tickets`);
  await page.click(`.getting-started li[data-step="${id}"] a`);
  await page.waitForURL(to);
  await settled(page);
}

it('takes an empty desk to its first tickets answered by mail and by SMS, using only the console', async () => {
  const page = await browser.newPage();
  const problems = watchPageProblems(page);

  // the setup page: the first account is the admin
  await page.goto(`${base}/tickets`);
  await page.waitForURL(/\/setup$/);
  await page.fill('input[name=name]', 'Alex Morgan');
  await page.fill('input[name=email]', 'alex@firm.example');
  await page.fill('input[name=password]', 'first-hour-password');
  await page.fill('input[name=passwordConfirm]', 'first-hour-password');
  await page.click('button[type=submit]');
  await page.waitForURL(/\/tickets$/);
  expect(await done(page)).toEqual([]);

  // 1. connect a mailbox
  await step(page, 'mailbox', /\/admin\/mailboxes$/);
  await page.click('a[href="/admin/mailboxes/new"]');
  await page.waitForURL(/\/admin\/mailboxes\/new$/);
  await settled(page);
  await page.fill('input[name=name]', 'Support');
  await page.fill('input[name=address]', support.address);
  await page.fill('input[name=host]', dovecot.host);
  await page.fill('input[name=port]', String(dovecot.port));
  await page.uncheck('input[name=secure]');
  await page.check('input[name=allowPlaintext]');
  await page.fill('input[name=username]', support.user);
  await page.fill('input[name=password]', support.password);
  await page.click('form button.primary[type=submit]');
  await page.waitForURL(/\/admin\/mailboxes$/);

  // 2. outgoing mail, with a test mail to the admin
  await step(page, 'outgoingMail', /\/admin\/delivery#mail$/);
  const mail = page.locator('#mail');
  await mail.locator('input[name=host]').fill('127.0.0.1');
  await mail.locator('input[name=port]').fill(String(smtp.port));
  await mail.locator('select[name=security]').selectOption('none');
  await mail.locator('input[name=from]').fill('Firm IT <' + support.address + '>');
  await mail.locator('button.primary').click();
  await expect.poll(() => page.textContent('#flash')).toContain('Outgoing mail settings saved.');
  await page.click('#mail button:has-text("Send a test mail to alex@firm.example")');
  await expect.poll(() => page.textContent('#smtp-test')).toMatch(/Test mail accepted by the server: alex@firm\.example: 250/);
  const [test] = await smtp.waitFor(1);
  expect(test.to).toEqual(['alex@firm.example']);
  expect(test.parsed.from?.text).toBe(`"Firm IT" <${support.address}>`);

  // 3. SMS, with a test text to a number typed on the page
  await step(page, 'sms', /\/admin\/delivery#sms$/);
  const sms = page.locator('#sms');
  await sms.locator('input[name=accountSid]').fill(TEST_ACCOUNT_SID);
  await sms.locator('input[name=authToken]').fill(TEST_AUTH_TOKEN);
  await sms.locator('input[name=from]').fill('+15005550006');
  await sms.locator('button.primary').click();
  await expect.poll(() => page.textContent('#flash')).toContain('SMS settings saved.');
  await page.fill('#sms input[name=to]', '+12025550143');
  await page.click('#sms button:has-text("Send a test SMS")');
  await expect.poll(() => page.textContent('#sms-test')).toMatch(/Test SMS accepted by Twilio: \+12025550143: SM/);
  expect(fake.messages().map((m) => [m.form.To, m.form.From])).toEqual([['+12025550143', '+15005550006']]);

  await page.goto(`${base}/tickets`);
  expect(await done(page)).toEqual(['mailbox', 'outgoingMail', 'sms']);
  await page.screenshot({ path: screenshotPath('first-hour-checklist'), fullPage: true });

  // a requester writes to the mailbox: the ticket appears, the acknowledgement goes out, the agent answers by mail
  await dovecot.append(support, rawMail({ from: 'Anna Petrova <anna@client.example>', to: support.address, subject: 'Printer on floor 3 jams', body: 'Every second page jams.', date: new Date() }));
  await expect.poll(async () => {
    await page.goto(`${base}/tickets?view=all`);
    return await page.locator('main').textContent();
  }, { timeout: 30_000, interval: 250 }).toContain('Printer on floor 3 jams');
  await page.click('text=Printer on floor 3 jams');
  await page.waitForURL(/\/tickets\/\d+$/);
  await settled(page);
  await page.fill('#reply-form textarea[name=body]', 'We are replacing the fuser today.');
  await page.click('#reply-form button:has-text("Send reply")');
  await settled(page);
  await expect.poll(() => smtp.received.filter((m) => m.to.includes('anna@client.example')).map((m) => m.parsed.text ?? ''), { timeout: 30_000 })
    .toEqual([expect.any(String), expect.stringContaining('We are replacing the fuser today.')]);

  // a text comes in: the ticket appears and the agent answers by SMS
  const signed = await postSigned(base, '/webhooks/twilio/sms', inboundSms({ from: '+12025550177', body: 'Hi, the Wi-Fi in room 5 is down' }), { signedAs: `${base}/webhooks/twilio/sms` });
  expect(signed.status).toBe(200);
  await expect.poll(async () => {
    await page.goto(`${base}/tickets?view=all`);
    return await page.locator('main').textContent();
  }, { timeout: 30_000, interval: 250 }).toContain('Wi-Fi in room 5');
  await page.click('text=Wi-Fi in room 5');
  await page.waitForURL(/\/tickets\/\d+$/);
  await settled(page);
  await page.fill('#reply-form textarea[name=body]', 'The access point restarts now.');
  await page.click('#reply-form button:has-text("Send")');
  await settled(page);
  await expect.poll(() => fake.messages().filter((m) => m.form.To === '+12025550177').map((m) => m.form.Body), { timeout: 30_000 })
    .toContainEqual(expect.stringContaining('The access point restarts now.'));
  await page.goto(`${base}/tickets`);
  expect(await done(page)).toEqual(['mailbox', 'outgoingMail', 'sms', 'firstReply']);
  expect(problems).toEqual([]);
}, 180_000);
