// Admin → Outgoing mail and SMS over HTTP, against a real SMTP server that checks the login and the
// Twilio stand-in: saving settings (secrets sealed, errors at their fields), the test mail and test
// SMS, the outbox sending what waited as soon as mail is set up, the SMS webhook checking signatures
// with the saved auth token, switching off, and the environment taking precedence.
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { rawMail } from '../../helpers/mail.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../helpers/web.ts';
import { inboundSms, postSigned, startTwilioFake, TEST_ACCOUNT_SID, type TwilioFake } from '../../helpers/twilio-fake.ts';
import { createOutboxWorker } from '../../../src/outbox/worker.ts';
import { listOutbox } from '../../../src/store/outbox.ts';
import { buildServices } from '../../../src/services.ts';
import { gettingStarted } from '../../../src/actions/getting-started.ts';
import { findUserByEmail } from '../../../src/store/users.ts';

const PASSWORD = 'p@ss:w/rd é%';
const TOKEN = 'console-auth-token-9876543210';

type LoginServer = { port: number; logins: { user: string; password: string }[]; mail: ParsedMail[]; envelopes: string[][]; close(): Promise<void> };

/** A real SMTP server that takes mail only after a login as support@desk.example with PASSWORD (plain text on loopback). */
async function startLoginSmtp(): Promise<LoginServer> {
  const logins: LoginServer['logins'] = [];
  const mail: ParsedMail[] = [];
  const envelopes: string[][] = [];
  const server = new SMTPServer({
    secure: false, disabledCommands: ['STARTTLS'], allowInsecureAuth: true, authMethods: ['PLAIN', 'LOGIN'], logger: false, closeTimeout: 50,
    onAuth(auth, _session, cb) {
      logins.push({ user: auth.username ?? '', password: auth.password ?? '' });
      if (auth.username === 'support@desk.example' && auth.password === PASSWORD) return cb(null, { user: auth.username });
      cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        envelopes.push(session.envelope.rcptTo.map((r) => r.address));
        void simpleParser(Buffer.concat(chunks)).then((p) => {
          mail.push(p);
          cb();
        });
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.server.address();
  return { port: typeof addr === 'object' && addr ? addr.port : 0, logins, mail, envelopes, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('outgoing mail and SMS set up in the console', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let smtp: LoginServer | undefined;
  let fake: TwilioFake | undefined;

  const setup = async (env: Record<string, string> = {}) => {
    fake = await startTwilioFake({ authToken: TOKEN });
    deps = await makeTestDeps({ TWILIO_API_URL: fake.url, PUBLIC_URL: 'https://help.example.test', ...env });
    srv = await startTestServer(deps, buildServices(deps));
    await addUser(srv.services, 'admin', 'admin@desk.example', 'Ada Admin');
    await addUser(srv.services, 'agent', 'boris@desk.example', 'Boris');
    const admin = new Browser(srv.url);
    await admin.login('admin@desk.example', TEST_PASSWORD);
    const agent = new Browser(srv.url);
    await agent.login('boris@desk.example', TEST_PASSWORD);
    return { admin, agent };
  };
  const smtpForm = (over: Record<string, string> = {}) => ({
    host: '127.0.0.1', port: String(smtp!.port), security: 'none', username: 'support@desk.example', password: PASSWORD, from: 'IT Support <support@desk.example>', ...over,
  });
  const storedSettings = async () => (await deps.db.all('select key, value from settings where key like ?', 'delivery.%')) as { key: string; value: string }[];
  const checklist = async () => Object.fromEntries((await gettingStarted(srv.services.ctx, (await findUserByEmail(deps.db, 'admin@desk.example'))!)).steps.map((s) => [s.id, s.done]));

  afterEach(async () => {
    await srv?.close();
    await smtp?.close();
    await fake?.close();
    smtp = undefined;
    fake = undefined;
    deps?.close();
  });

  it('is for admins only, and says both are off on a new desk', async () => {
    const { admin, agent } = await setup();
    const page = await admin.get('/admin/delivery');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/Outgoing mail \(SMTP\) <span class="badge">off/);
    expect(page.text).toMatch(/SMS \(Twilio\) <span class="badge">off/);
    expect(page.text).toContain('https://help.example.test/webhooks/twilio/sms');
    expect((await admin.get('/tickets')).text).toContain('href="/admin/delivery"');
    expect((await agent.get('/tickets')).text).not.toContain('href="/admin/delivery"');
    expect((await agent.get('/admin/delivery')).status).toBe(403);
    smtp = await startLoginSmtp();
    expect((await agent.post('/admin/delivery/smtp', smtpForm())).status).toBe(403);
    expect(await storedSettings()).toEqual([]);
  });

  it('refuses wrong values at their fields, in the reader\'s language, and keeps nothing', async () => {
    const { admin } = await setup();
    smtp = await startLoginSmtp();
    const r = await admin.post('/admin/delivery/smtp', smtpForm({ host: 'smtp://mail.example.com:587', port: '0', from: 'not an address', password: '' }));
    expect(r.status).toBe(422);
    expect(r.text).toMatch(/name="host"[^>]*aria-invalid="true"[\s\S]*id="smtp-host-err">Enter a host name, without smtp:\/\/ or a port</);
    expect(r.text).toContain('id="smtp-port-err">Enter a port number<');
    expect(r.text).toContain('id="smtp-from-err">Enter an address, e.g. Support &lt;support@example.com&gt;<');
    expect(r.text).toContain('value="smtp://mail.example.com:587"'); // what was typed stays
    const sms = await admin.post('/admin/delivery/twilio', { accountSid: 'AC123', authToken: '', from: 'my phone' });
    expect(sms.status).toBe(422);
    expect(sms.text).toContain('id="sms-sid-err">An Account SID starts with AC');
    expect(sms.text).toContain('id="sms-from-err">Enter a number in international form');
    expect(sms.text).toContain('id="sms-token-err">Enter the auth token<');
    // the same in Russian
    expect((await admin.post('/profile', { name: 'Ada Admin', locale: 'ru', timeZone: 'UTC', available: 'on' })).status).toBe(303);
    const ru = await admin.post('/admin/delivery/smtp', smtpForm({ port: '70000' }));
    expect(ru.status).toBe(422);
    expect(ru.text).toContain('id="smtp-port-err">Укажите номер порта<');
    expect(await storedSettings()).toEqual([]);
  });

  it('sends through the saved server with the sealed password: the test mail, then the mail that waited', async () => {
    const { admin } = await setup();
    smtp = await startLoginSmtp();
    // a requester wrote before mail was set up: the acknowledgement waits
    await srv.services.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: rawMail({ from: 'anna@client.example', subject: 'Printer jammed', body: 'It jams.' }) });
    const worker = createOutboxWorker(srv.services.ctx, { senders: srv.services.senders });
    await worker.runOnce();
    expect(await listOutbox(deps.db, {}, { limit: 5 })).toMatchObject([{ status: 'pending', attempts: 0 }]);
    expect(await checklist()).toMatchObject({ outgoingMail: false });

    const saved = await admin.post('/admin/delivery/smtp', smtpForm());
    expect(saved.status).toBe(303);
    const page = await admin.get('/admin/delivery');
    expect(page.text).toContain('Outgoing mail settings saved.');
    expect(page.text).toMatch(/Outgoing mail \(SMTP\) <span class="badge ok">on/);
    expect(page.text).not.toContain(PASSWORD);
    expect(page.text).toContain('placeholder="stored; leave empty to keep it"');
    // sealed at rest
    const [row] = await storedSettings();
    expect(row.value).toMatch(/"password":"sealed:v1:/);
    expect(row.value).not.toContain('p@ss');
    expect(await checklist()).toMatchObject({ outgoingMail: true });

    const test = await admin.post('/admin/delivery/smtp/test', {});
    expect(test.status).toBe(200);
    expect(test.text).toMatch(/Test mail accepted by the server: admin@desk\.example: 250/);
    expect(smtp.logins).toEqual([{ user: 'support@desk.example', password: PASSWORD }]);
    expect(smtp.envelopes).toEqual([['admin@desk.example']]);
    expect(smtp.mail[0]).toMatchObject({ subject: 'Help Desk: test mail' });
    expect(smtp.mail[0].from?.text).toBe('"IT Support" <support@desk.example>');

    // the outbox sends what waited, through the same server
    expect(await worker.runOnce()).toMatchObject({ sent: 1 });
    expect(smtp.envelopes[1]).toEqual(['anna@client.example']);
    expect(smtp.mail[1].subject).toMatch(/Printer jammed/);

    // saving again without a password keeps the stored one; another user name needs it again
    expect((await admin.post('/admin/delivery/smtp', smtpForm({ password: '', from: 'Support <support@desk.example>' }))).status).toBe(303);
    const other = await admin.post('/admin/delivery/smtp', smtpForm({ password: '', username: 'someone@desk.example' }));
    expect(other.status).toBe(422);
    expect(other.text).toContain('id="smtp-password-err">Enter the password again: the server or user name changed<');
    await admin.post('/admin/delivery/smtp/test', {});
    expect(smtp.logins.at(-1)).toEqual({ user: 'support@desk.example', password: PASSWORD });
    expect(smtp.mail.at(-1)?.from?.text).toBe('"Support" <support@desk.example>');
  });

  it('says what the server answered when the test mail fails', async () => {
    const { admin } = await setup();
    smtp = await startLoginSmtp();
    await admin.post('/admin/delivery/smtp', smtpForm({ password: 'wrong password' }));
    const test = await admin.post('/admin/delivery/smtp/test', {});
    expect(test.status).toBe(422);
    expect(test.text).toMatch(/Test failed: SMTP login refused: 535/);
    expect(smtp.mail).toEqual([]);
  });

  it('sends a test SMS and checks incoming texts with the saved auth token', async () => {
    const { admin } = await setup();
    // unsigned or signed: nothing is accepted before SMS is set up
    const before = await postSigned(srv.url, '/webhooks/twilio/sms', inboundSms({ from: '+79161234567', body: 'hello' }), { authToken: TOKEN });
    expect(before.status).toBe(404);

    expect((await admin.post('/admin/delivery/twilio', { accountSid: TEST_ACCOUNT_SID, authToken: TOKEN, from: '+1 500 555 0006' })).status).toBe(303);
    const [row] = await storedSettings();
    expect(row.value).not.toContain(TOKEN);
    expect(await checklist()).toMatchObject({ sms: true });
    const page = await admin.get('/admin/delivery');
    expect(page.text).toMatch(/SMS \(Twilio\) <span class="badge ok">on/);
    expect(page.text).toContain('value="+15005550006"');

    const bad = await admin.post('/admin/delivery/twilio/test', { to: 'call me' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="sms-to-err">Enter a phone number in international form');
    const test = await admin.post('/admin/delivery/twilio/test', { to: '+7 916 123-45-67' });
    expect(test.status).toBe(200);
    expect(test.text).toMatch(/Test SMS accepted by Twilio: \+79161234567: SM[0-9a-f]{32}/);
    const [sent] = fake!.messages();
    expect(sent.auth).toEqual({ user: TEST_ACCOUNT_SID, password: TOKEN });
    expect(sent.form).toEqual({ To: '+79161234567', From: '+15005550006', Body: 'Help Desk: test SMS. Texts from the desk reach this number.' });

    // Twilio's signature with the saved token is believed; one made with another token is not
    const signed = await postSigned(srv.url, '/webhooks/twilio/sms', inboundSms({ from: '+79161234567', body: 'Printer on floor 2 is down' }), { authToken: TOKEN });
    expect(signed.status).toBe(200);
    const forged = await postSigned(srv.url, '/webhooks/twilio/sms', inboundSms({ from: '+79161234567', body: 'forged' }), { authToken: 'another-token' });
    expect(forged.status).toBe(403);

    // a refused test says what Twilio said
    fake!.failNext({ status: 401, body: { code: 20003, message: 'Authenticate', status: 401 } });
    const refused = await admin.post('/admin/delivery/twilio/test', { to: '+79161234567' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Test failed: Twilio: 401 20003 Authenticate');
  });

  it('switches off: what is sent next waits in the outbox', async () => {
    const { admin } = await setup();
    smtp = await startLoginSmtp();
    await admin.post('/admin/delivery/smtp', smtpForm());
    expect((await admin.post('/admin/delivery/smtp/off', {})).status).toBe(303);
    expect(await storedSettings()).toEqual([]);
    expect(srv.services.ctx.config.smtp).toBeUndefined();
    expect((await admin.get('/admin/delivery')).text).toContain('Outgoing mail is off: mail waits in the outbox.');
    await srv.services.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: rawMail({ from: 'anna@client.example', subject: 'VPN', body: 'No VPN.' }) });
    expect(await createOutboxWorker(srv.services.ctx, { senders: srv.services.senders }).runOnce()).toMatchObject({ sent: 0 });
    expect(smtp.mail).toEqual([]);
  });

  it('shows settings from the environment read-only and refuses to change them', async () => {
    smtp = await startLoginSmtp();
    const { admin } = await setup({ SMTP_URL: `smtp://support%40desk.example:secret@127.0.0.1:${smtp.port}`, MAIL_FROM: 'support@desk.example' });
    const page = await admin.get('/admin/delivery');
    expect(page.text).toContain('Set by SMTP_URL and MAIL_FROM in the desk');
    expect(page.text).toContain(`<code>smtp://127.0.0.1:${smtp.port}</code>`);
    expect(page.text).not.toContain('secret');
    expect(page.text).not.toContain('action="/admin/delivery/smtp"');
    const r = await admin.post('/admin/delivery/smtp', smtpForm());
    expect(r.status).toBe(409);
    expect(await storedSettings()).toEqual([]);
  });
});
