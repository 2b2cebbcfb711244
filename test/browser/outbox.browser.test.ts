// Replying by email from the console in Chromium (htmx-boosted multipart form with a file), then
// the admin's outbox page; the mail arrives at a real SMTP server with the attachment.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { makeTestDeps, type TestDeps } from '../helpers/deps.ts';
import { startSmtpServer, type TestSmtp } from '../helpers/smtp.ts';
import { rawMail } from '../helpers/mail.ts';
import { addUser, startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/web.ts';
import { launchChromium, screenshotPath, settled, signInAs, watchPageProblems } from '../helpers/browser.ts';
import { createOutboxWorker, type OutboxWorker } from '../../src/outbox/worker.ts';

let deps: TestDeps;
let srv: TestServer;
let smtp: TestSmtp;
let browser: Browser;
let worker: OutboxWorker;

beforeAll(async () => {
  smtp = await startSmtpServer();
  deps = await makeTestDeps({ SMTP_URL: smtp.url, MAIL_FROM: 'Acme IT <support@desk.example>', PUBLIC_URL: 'https://help.desk.example' });
  srv = await startTestServer(deps);
  worker = createOutboxWorker(srv.services.ctx, { senders: srv.services.senders });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await srv?.close();
  await smtp?.close();
  deps?.close();
});

it('an agent replies by email with an attachment; the admin sees it sent in the outbox', async () => {
  await addUser(srv.services, 'agent', 'boris@desk.example', 'Boris Agent');
  await addUser(srv.services, 'admin', 'admin@desk.example', 'Ada Admin');
  await srv.services.intake.receive({
    channel: 'email', source: 'pipe', mailboxId: null,
    raw: rawMail({ from: 'Anna Petrova <anna@client.example>', subject: 'Scanner offline', body: 'The scanner on floor 2 is offline.', messageId: 'scan-1@client.example' }),
  });
  await worker.runOnce(); // the acknowledgement

  const page = await browser.newPage();
  const errors = watchPageProblems(page);
  await signInAs(page, srv.url, 'boris@desk.example', TEST_PASSWORD);
  await page.goto(`${srv.url}/tickets/1`);
  expect(await page.textContent('#thread')).toMatch(/Acknowledgement to anna@client\.example: sent/);
  await page.fill('#reply-form textarea[name=body]', 'The scanner is back online.\nPlease try again.');
  await page.setInputFiles('#reply-form input[type=file]', { name: 'scan-test.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex') });
  await page.click('#reply-form button:has-text("Send reply")');
  await expect.poll(() => page.textContent('#flash')).toContain('Reply queued for sending.');
  expect(await page.textContent('#thread')).toContain('The scanner is back online.');

  expect(await worker.runOnce()).toMatchObject({ sent: 1 });
  const [, reply] = await smtp.waitFor(2);
  expect(reply.parsed.subject).toBe('Re: Scanner offline [#1]');
  expect(reply.parsed.text).toContain('The scanner is back online.\nPlease try again.');
  expect(reply.parsed.attachments.map((a) => [a.filename, a.size])).toEqual([['scan-test.png', 16]]);
  await page.reload();
  expect(await page.textContent('#thread')).toMatch(/sent/);
  await page.screenshot({ path: screenshotPath('outbox-ticket-reply'), fullPage: true });
  expect(errors).toEqual([]);

  const adminPage = await browser.newPage();
  const adminErrors = watchPageProblems(adminPage);
  await signInAs(adminPage, srv.url, 'admin@desk.example', TEST_PASSWORD);
  await adminPage.click('nav.nav details.menu summary');
  await adminPage.click('nav.nav a:has-text("Outbox")');
  await adminPage.waitForURL(/\/admin\/outbox$/);
  await settled(adminPage);
  await adminPage.click('nav.tabs a:has-text("Sent")');
  await expect.poll(() => adminPage.textContent('#outbox-list')).toContain('Agent reply');
  expect(await adminPage.textContent('#outbox-list')).toContain('Acknowledgement');
  await adminPage.screenshot({ path: screenshotPath('outbox-admin-sent'), fullPage: true });
  expect(adminErrors).toEqual([]);
}, 60_000);
