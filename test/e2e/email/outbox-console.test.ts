// The console side of outbound mail over HTTP: the admin outbox page (banners, lists, retry,
// discard, send limits), the ticket page's mail notice, "my notifications", and permissions.
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { startSmtpServer, type TestSmtp } from '../../helpers/smtp.ts';
import { rawMail } from '../../helpers/mail.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../helpers/web.ts';
import { createOutboxWorker } from '../../../src/outbox/worker.ts';
import { getOutboxSettings, saveChannelHealth } from '../../../src/outbox/settings.ts';
import { listOutbox } from '../../../src/store/outbox.ts';
import { findUserByEmail } from '../../../src/store/users.ts';
import { listTicketMessages } from '../../../src/store/messages.ts';
import { createUser } from '../../../src/actions/users.ts';
import { buildServices } from '../../../src/services.ts';
import type { Channel } from '../../../src/channels/channel.ts';
import { emailChannel } from '../../../src/channels/email/index.ts';
import { loadLocale, type Tree } from '../../../src/i18n/locales.ts';
import { queueSms } from '../../../src/outbox/queue.ts';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../../helpers/twilio-fake.ts';

describe('outbox in the console', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let smtp: TestSmtp | undefined;

  const setup = async (env: Record<string, string> = {}, channels?: readonly Channel[]) => {
    deps = await makeTestDeps(env);
    srv = await startTestServer(deps, buildServices(deps, { channels }));
    await addUser(srv.services, 'admin', 'admin@desk.example', 'Ada Admin');
    await addUser(srv.services, 'agent', 'boris@desk.example', 'Boris');
    const admin = new Browser(srv.url);
    await admin.login('admin@desk.example', TEST_PASSWORD);
    const agent = new Browser(srv.url);
    await agent.login('boris@desk.example', TEST_PASSWORD);
    return { admin, agent };
  };
  const mailIn = (from = 'anna@client.example', subject = 'Printer jammed') =>
    srv.services.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: rawMail({ from, subject, body: 'It jams.' }) });

  afterEach(async () => {
    await srv?.close();
    await smtp?.close();
    smtp = undefined;
    deps?.close();
  });

  it('shows admins the outbox and keeps everyone else out', async () => {
    const { admin, agent } = await setup();
    expect((await admin.get('/tickets')).text).toContain('href="/admin/outbox"');
    const tickets = await agent.get('/tickets');
    expect(tickets.text).not.toContain('href="/admin/outbox"');
    expect(tickets.text).toContain('href="/me/notifications"');
    expect((await agent.get('/admin/outbox')).status).toBe(403);
    expect((await agent.post('/admin/outbox/retry-dead', {})).status).toBe(403);
    expect((await agent.post('/admin/outbox/settings', { 'requester.0': '1' })).status).toBe(403);
  });

  it('says mail is off while it is not set up: outbox page, ticket page and reply composer', async () => {
    const { admin, agent } = await setup();
    await mailIn();
    const page = await admin.get('/admin/outbox');
    expect(page.text).toContain('Outgoing mail is off: it is not set up yet (Admin → Outgoing mail and SMS).');
    expect(page.text).toMatch(/The oldest mail has been waiting since/);
    expect(page.text).toContain('anna@client.example');
    expect(page.text).toMatch(/Email: Acknowledgement/);

    const ticket = await agent.get('/tickets/1');
    expect(ticket.text).toContain('Outgoing mail is off (not set up yet). Mail of this ticket waits in the outbox.');
    expect(ticket.text).toContain('Waiting to be sent: 1');
    expect(ticket.text).not.toContain('Open in the outbox'); // only admins get the link
    expect((await admin.get('/tickets/1')).text).toContain('href="/admin/outbox?view=waiting&amp;ticket=1"');
    // the reply composer says so too
    expect(ticket.text).toMatch(/id="reply-form"[\s\S]*Outgoing mail is off/);
    // said once on the page, not once per block
    expect(ticket.text.split('Outgoing mail is off (not set up yet). Mail of this ticket waits in the outbox.').length - 1).toBe(1);

    const form = new FormData();
    form.set('body', 'We ordered a new fuser.');
    const r = await agent.postFormData('/tickets/1/replies', form);
    expect(r.status).toBe(303);
    expect((await agent.get('/tickets/1')).text).toContain('Reply saved. Outgoing mail is off');
    expect(await listOutbox(deps.db, { statuses: ['pending'] }, { limit: 10 })).toHaveLength(2);
  });

  it('refuses a reply upload without the CSRF token, and an empty reply with a message', async () => {
    const { agent } = await setup();
    await mailIn();
    await agent.get('/tickets/1');
    const form = new FormData();
    form.set('body', 'x');
    const res = await fetch(`${srv.url}/tickets/1/replies`, { method: 'POST', body: form, redirect: 'manual' });
    expect([401, 403]).toContain(res.status);
    const empty = new FormData();
    empty.set('body', '   ');
    const r = await agent.postFormData('/tickets/1/replies', empty);
    expect(r.status).toBe(422);
    expect(r.text).toContain('Write the reply first');
    expect(await listOutbox(deps.db, { statuses: ['pending'] }, { limit: 10 })).toHaveLength(1); // only the acknowledgement
  });

  it('lists failed mail with its error; an admin retries, discards, or retries all', async () => {
    smtp = await startSmtpServer({ respond: () => ({ code: 550, message: 'no such user here' }) });
    const { admin } = await setup({ SMTP_URL: smtp.url, MAIL_FROM: 'support@desk.example' });
    await mailIn('a@client.example', 'First');
    await mailIn('b@client.example', 'Second');
    await mailIn('c@client.example', 'Third');
    const worker = createOutboxWorker(srv.services.ctx, { senders: srv.services.senders });
    expect(await worker.runOnce()).toMatchObject({ dead: 3 });

    const failed = await admin.get('/admin/outbox?view=failed');
    expect(failed.text).toContain('Outgoing mail is on (SMTP).');
    expect(failed.text).toContain('550 no such user here');
    expect(failed.text).toContain('Send all failed mail again (3)');
    const ids = (await listOutbox(deps.db, { statuses: ['dead'] }, { limit: 10 })).map((r) => r.id).sort();
    const ticketPage = await admin.get('/tickets/1');
    expect(ticketPage.text).toContain('Could not be sent: 1');
    expect(ticketPage.text).toMatch(/Acknowledgement to a@client\.example: <strong>not delivered<\/strong> — SMTP DATA refused: 550 no such user here/);

    smtp.behaviour.respond = undefined;
    const retried = await admin.post(`/admin/outbox/${ids[0]}/retry`, { back: '/admin/outbox?view=failed' });
    expect(retried.location).toBe('/admin/outbox?view=failed');
    const discarded = await admin.post(`/admin/outbox/${ids[1]}/discard`, { back: 'https://evil.example/' });
    expect(discarded.location).toBe('/admin/outbox');
    expect((await admin.post(`/admin/outbox/${ids[1]}/discard`, {})).status).toBe(422); // already discarded
    expect(await worker.runOnce()).toMatchObject({ sent: 1 });
    await admin.post('/admin/outbox/retry-dead', {});
    expect(await worker.runOnce()).toMatchObject({ sent: 1 });
    await worker.stop();

    const byId = new Map((await listOutbox(deps.db, {}, { limit: 10 })).map((r) => [r.id, r.status]));
    expect([byId.get(ids[0]), byId.get(ids[1]), byId.get(ids[2])]).toEqual(['sent', 'discarded', 'sent']);
    expect(smtp.received).toHaveLength(2);
    expect((await admin.get('/admin/outbox?view=discarded')).text).toContain('discarded by Ada Admin');
    const thread = (await listTicketMessages(deps.db, 2)).filter((m) => m.eventType === 'outbox');
    expect(thread.at(-1)?.deliveryStatus).toBe('skipped');
    expect((await admin.get('/admin/outbox?view=sent')).text).toContain('a@client.example');
  });

  it('says when the mail server cannot be reached', async () => {
    smtp = await startSmtpServer();
    const { admin } = await setup({ SMTP_URL: smtp.url, MAIL_FROM: 'support@desk.example' });
    await mailIn();
    await saveChannelHealth(deps.db, 'email', { ok: false, since: deps.clock.now(), lastError: 'SMTP server unreachable: connect ECONNREFUSED', checkedAt: deps.clock.now() });
    expect((await admin.get('/admin/outbox')).text).toContain('The mail server has been unreachable since');
    expect((await admin.get('/tickets/1')).text).toContain('The mail server cannot be reached; mail of this ticket waits and is retried.');
  });

  describe('banners of the registered channels', () => {
    // Twilio configured; nothing is sent in these cases, so the API address is never called
    const TWILIO = { TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID, TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, TWILIO_FROM: '+15005550006', TWILIO_API_URL: 'http://127.0.0.1:9', PUBLIC_URL: 'https://help.example.test' };
    const banners = (html: string) => [...html.matchAll(/<p class="banner (\w+)" data-channel="(\w+)" data-state="(\w+)"[^>]*>([^<]*)<\/p>/g)].map((m) => ({ tone: m[1], channel: m[2], state: m[3], text: m[4] }));
    const textIn = async () => await queueSms(deps.db, { ticketId: null, event: 'reply', recipient: '+79123456789', payload: { text: 'On our way' } }, deps.clock.now());

    it('says what SMS lacks while it is not configured, and since when texts wait', async () => {
      const { admin } = await setup({ SMTP_URL: 'smtp://127.0.0.1:9', MAIL_FROM: 'support@desk.example' });
      expect(banners((await admin.get('/admin/outbox')).text)).toEqual([
        { tone: 'ok', channel: 'email', state: 'on', text: 'Outgoing mail is on (SMTP).' },
        { tone: 'muted', channel: 'sms', state: 'notConfigured', text: 'SMS is not set up (Admin → Outgoing mail and SMS): text messages stay queued.' },
      ]);
      await textIn();
      const waiting = (await admin.get('/admin/outbox')).text;
      expect(waiting).toContain('The oldest text has been waiting since');
      const [, sms] = banners(waiting);
      expect(sms).toMatchObject({ tone: 'warn', state: 'notConfigured' });
      expect(sms.text).toMatch(/^SMS is not set up \(Admin → Outgoing mail and SMS\): text messages stay queued\. The oldest text has been waiting since \S/);
    });

    it('says since when Twilio has been down, with its last error, and nothing while it is fine', async () => {
      const { admin } = await setup(TWILIO);
      expect(banners((await admin.get('/admin/outbox')).text).map((b) => b.channel)).toEqual(['email']);
      await saveChannelHealth(deps.db, 'sms', { ok: false, since: deps.clock.now(), lastError: 'Twilio API unreachable: connect ECONNREFUSED', checkedAt: deps.clock.now() });
      const down = (await admin.get('/admin/outbox')).text;
      expect(down).toContain('Twilio has been unreachable since');
      const [, sms] = banners(down);
      expect(sms).toMatchObject({ tone: 'warn', channel: 'sms', state: 'down' });
      expect(sms.text).toMatch(/^Twilio has been unreachable since \S.*: Twilio API unreachable: connect ECONNREFUSED\. Texts stay queued/);
      await saveChannelHealth(deps.db, 'sms', { ok: true, since: deps.clock.now(), lastError: null, checkedAt: deps.clock.now() });
      expect(banners((await admin.get('/admin/outbox')).text).map((b) => b.channel)).toEqual(['email']);
    });

    it('follows the channels the desk runs and speaks in their senders’ words', async () => {
      // a stand-in SMS gateway whose sender words its own notice
      const gateway: Channel = {
        id: 'sms-gateway',
        forDesk: () => ({
          sender: {
            channel: 'sms', configured: false, banners: { notConfigured: 'sms.new.notConfigured', down: 'outbox.smsDown' },
            send: () => Promise.reject(new Error('not configured')),
          },
        }),
      };
      const { admin } = await setup({}, [emailChannel, gateway]);
      const page = (await admin.get('/admin/outbox')).text;
      expect(page).not.toContain('text messages stay queued'); // the words of the Twilio sender, which this desk does not run
      expect(banners(page)).toEqual([
        { tone: 'muted', channel: 'email', state: 'notConfigured', text: 'Outgoing mail is off: it is not set up yet (Admin → Outgoing mail and SMS). Mail stays in the outbox and goes out once it is.' },
        { tone: 'muted', channel: 'sms', state: 'notConfigured', text: 'SMS is not set up on this desk yet (Admin → Outgoing mail and SMS): the text will wait in the outbox.' },
      ]);
      await srv.close();
      deps.close();
      // a desk without SMS has no SMS banner
      const { admin: mailOnly } = await setup({}, [emailChannel]);
      const mailPage = (await mailOnly.get('/admin/outbox')).text;
      expect(mailPage).not.toContain('SMS is not configured');
      expect(banners(mailPage).map((b) => b.channel)).toEqual(['email']);
    });

    it('has every sender’s words in English and Russian', async () => {
      deps = await makeTestDeps();
      const keys = buildServices(deps).senders.flatMap((s) => Object.values(s.banners));
      expect(keys.length).toBeGreaterThan(0);
      for (const locale of ['en', 'ru'] as const) {
        const tree = loadLocale(locale);
        const missing = keys.filter((k) => typeof k.split('.').reduce<Tree | string | undefined>((t, part) => (typeof t === 'object' ? t[part] : undefined), tree) !== 'string');
        expect(missing, locale).toEqual([]);
      }
    });
  });

  it('lets an admin change the send limits and reply quoting, and rejects bad numbers', async () => {
    const { admin } = await setup();
    const page = await admin.get('/admin/outbox');
    expect(page.text).toContain('name="requester.2" value="5"');
    expect(page.text).toMatch(/name="quoteHistory" checked/);
    const bad = await admin.post('/admin/outbox/settings', { 'requester.2': 'lots', quoteHistory: 'on' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Enter a whole number');
    const ok = await admin.post('/admin/outbox/settings', { 'requester.2': '3', 'agent.1': '50' });
    expect(ok.status).toBe(303);
    const s = await getOutboxSettings(deps.db);
    expect(s.limits.requester[2]).toEqual({ scope: 'recipient', windowMinutes: 10, max: 3 });
    expect(s.limits.agent[1].max).toBe(50);
    expect(s.quoteHistory).toBe(false);
  });

  it('explains mail that was not sent on the ticket, in the reader’s language', async () => {
    smtp = await startSmtpServer();
    const { agent } = await setup({ SMTP_URL: smtp.url, MAIL_FROM: 'support@desk.example' });
    await createUser(srv.services.ctx, { email: 'ivan@desk.example', name: 'Иван', role: 'agent', password: TEST_PASSWORD, locale: 'ru' });
    const ru = new Browser(srv.url);
    await ru.login('ivan@desk.example', TEST_PASSWORD);
    await mailIn('noreply@shop.example', 'Your order');
    for (let i = 0; i < 6; i++) await mailIn('busy@client.example', `Request ${i}`);
    const worker = createOutboxWorker(srv.services.ctx, { senders: srv.services.senders });
    expect(await worker.runOnce()).toMatchObject({ sent: 5, skipped: 1 });
    await worker.stop();
    expect((await agent.get('/tickets/1')).text).toContain('not acknowledged: no-reply address noreply@shop.example');
    expect((await ru.get('/tickets/1')).text).toContain('подтверждение не отправлено: no-reply address noreply@shop.example');
    expect((await agent.get('/tickets/7')).text).toContain('Acknowledgement to busy@client.example: <strong>not sent</strong> — send limit reached: 5 automatic mails to this address (at most 5 in 10 min)');
    expect((await ru.get('/tickets/7')).text).toContain('Подтверждение для busy@client.example: <strong>не отправлено</strong> — достигнуто ограничение: 5 автоматических писем на этот адрес (не больше 5 за 10 мин)');
  });

  it('lets each user choose their notices', async () => {
    const { agent } = await setup();
    const page = await agent.get('/me/notifications');
    expect(page.text).toContain('Choose which notices the desk mails to boris@desk.example.');
    expect(page.text.match(/type="checkbox" name="\w+" checked/g)).toHaveLength(5);
    const r = await agent.post('/me/notifications', { assigned: 'on', sla_breach: 'on' });
    expect(r.status).toBe(303);
    expect((await findUserByEmail(deps.db, 'boris@desk.example'))?.notifyPrefs).toEqual({
      // an agent is not offered the weekly digest: it keeps its value
      assigned: true, new_in_component: false, customer_reply: false, sla_warning: false, sla_breach: true, weekly_digest: true,
    });
    const after = await agent.get('/me/notifications');
    expect(after.text).toContain('Notification choices saved.');
    expect(after.text.match(/type="checkbox" name="\w+" checked/g)).toHaveLength(2);
  });
});
