// Incoming SMS end to end: real signed webhooks (Twilio's own signing code) posted to the
// running app, behind a "reverse proxy" (PUBLIC_URL is https://help.example.test, the app
// listens on 127.0.0.1), MMS media fetched from the local stand-in for Twilio's API.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachments, inboundMessages, messages, webhookInbox, tickets } from '../../../src/db/schema.ts';
import { buildServices } from '../../../src/services.ts';
import { TemporaryIntakeError, type Intake } from '../../../src/intake/receive.ts';
import { twilioWebhooks } from '../../../src/channels/sms/twilio-webhook.ts';
import { lockForWrites } from '../../helpers/lock-database.ts';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../helpers/web.ts';
import { inboundSms, postSigned, startTwilioFake, twilioEnv, type TwilioFake } from '../../helpers/twilio-fake.ts';
import { allInbound, allOutbox, allTickets, countRows, messageAttachments, PNG_1X1, smsSettled, ticketMessages } from '../../helpers/sms.ts';

const SMS = '/webhooks/twilio/sms';
const ANNA = '+79123456789';
const BORIS = '+79990001122';

let fake: TwilioFake;
let deps: TestDeps;
let srv: TestServer;

async function start(extraEnv: Record<string, string> = {}) {
  deps = await makeTestDeps(twilioEnv(fake, extraEnv));
  srv = await startTestServer(deps);
}

beforeEach(async () => {
  fake = await startTwilioFake();
});
afterEach(async () => {
  await srv?.close();
  deps?.close();
  await fake.close();
});

/** posts a signed webhook and waits until what it accepted has been through intake */
async function post(path: string, params: Record<string, string>, opts?: Parameters<typeof postSigned>[3]) {
  const r = await postSigned(srv.url, path, params, opts);
  await smsSettled(deps.db);
  return r;
}

const text = (from: string, body: string, extra: Partial<Parameters<typeof inboundSms>[0]> = {}) => inboundSms({ from, body, ...extra });

describe('incoming SMS webhook', () => {
  beforeEach(() => start());

  it('turns a signed text into a ticket, answers empty TwiML and keeps the form fields raw', async () => {
    const params = text(ANNA, 'Printer on the 3rd floor jams on every page, please help');
    const r = await post(SMS, params);
    expect(r.status).toBe(200);
    expect(r.contentType).toMatch(/xml/);
    expect(r.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');

    const [t] = await allTickets(deps.db);
    expect(t).toMatchObject({ number: 1, channel: 'sms', subject: 'Printer on the 3rd floor jams on every' });
    const [m] = await ticketMessages(deps.db, t.id);
    expect(m).toMatchObject({ kind: 'reply', direction: 'in', channel: 'sms', fromAddress: ANNA, bodyText: params.Body, headerMessageId: params.MessageSid });
    const [rec] = await allInbound(deps.db);
    expect(rec).toMatchObject({ channel: 'sms', source: 'twilio', outcome: 'created', externalId: params.MessageSid, fromAddress: ANNA, ticketId: t.id });
    expect(JSON.parse((await deps.files.read('raw', rec.rawSha256)).toString('utf8'))).toEqual(params);
    // the requester is told the ticket number, in the language they wrote in
    expect(await allOutbox(deps.db)).toMatchObject([{ channel: 'sms', event: 'ack', recipient: ANNA, payload: { template: 'ack', locale: 'en', vars: { number: 1 } } }]);
  });

  it('refuses a tampered body, the wrong URL, the wrong token and a missing signature, storing nothing', async () => {
    const params = text(ANNA, 'Hello');
    const signedBody = new URLSearchParams(params).toString();
    const tampered = await post(SMS, params, { body: signedBody.replace('Body=Hello', 'Body=Send+me+the+passwords') });
    const added = await post(SMS, params, { body: `${signedBody}&Extra=1` });
    // signed for the address the app listens on, not the public URL Twilio was given
    const wrongUrl = await post(SMS, params, { signedAs: `${srv.url}${SMS}` });
    const httpNotHttps = await post(SMS, params, { signedAs: `http://help.example.test${SMS}` });
    const wrongToken = await post(SMS, params, { authToken: 'not-the-token' });
    const missing = await post(SMS, params, { signature: null });
    const empty = await post(SMS, params, { signature: '' });
    for (const r of [tampered, added, wrongUrl, httpNotHttps, wrongToken, missing, empty]) expect(r.status).toBe(403);
    expect(await countRows(deps.db, inboundMessages)).toBe(0);
    expect(await countRows(deps.db, tickets)).toBe(0);
    expect(await countRows(deps.db, messages)).toBe(0);
    expect(readdirSync(deps.dataDir).filter((d) => d === 'raw' || d === 'spool')).toEqual([]);
    // the signature check itself passes for the genuine request
    expect((await post(SMS, params)).status).toBe(200);
  });

  it('stores the same MessageSid once, however often and however concurrently it comes', async () => {
    const params = text(ANNA, 'My laptop does not boot');
    const results = await Promise.all([post(SMS, params), post(SMS, params), post(SMS, params)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect((await post(SMS, params)).status).toBe(200);
    expect(await countRows(deps.db, inboundMessages)).toBe(1);
    expect(await countRows(deps.db, messages)).toBe(1);
    expect(await countRows(deps.db, tickets)).toBe(1);
  });

  it('threads replies from the same number onto the open ticket within the window', async () => {
    await post(SMS, text(ANNA, 'VPN is down'));
    deps.clock.advance(2 * 3_600_000);
    // the same number, however it is spelled
    await post(SMS, text('+7 912 345-67-89', 'Still down, error 809'));
    expect(await allTickets(deps.db)).toHaveLength(1);
    expect((await ticketMessages(deps.db, 1)).map((m) => m.bodyText)).toEqual(['VPN is down', 'Still down, error 809']);
    expect((await allInbound(deps.db))[1]).toMatchObject({ outcome: 'appended', ticketId: 1 });

    // past the window (72 h by default) a text opens a new ticket
    deps.clock.advance(73 * 3_600_000);
    await post(SMS, text(ANNA, 'New problem: the scanner'));
    expect((await allTickets(deps.db)).map((t) => t.subject)).toEqual(['VPN is down', 'New problem: the scanner']);
  });

  it('does not join a resolved ticket, but "#N" from its requester reopens it', async () => {
    await post(SMS, text(ANNA, 'Mail is slow'));
    await deps.db.update(tickets).set({ status: 'resolved' }).run();
    await post(SMS, text(ANNA, 'Another thing: the phone'));
    expect((await allTickets(deps.db)).map((t) => [t.number, t.status])).toEqual([[1, 'resolved'], [2, 'new']]);
    await post(SMS, text(ANNA, 'About #1: slow again today'));
    expect((await allTickets(deps.db)).map((t) => [t.number, t.status])).toEqual([[1, 'reopened'], [2, 'new']]);
    expect((await ticketMessages(deps.db, 1)).filter((m) => m.kind === 'reply').at(-1)?.bodyText).toBe('About #1: slow again today');
    expect((await ticketMessages(deps.db, 1)).at(-1)).toMatchObject({ kind: 'event', eventType: 'status', eventData: { from: 'resolved', to: 'reopened' } });
  });

  it('ignores "#N" from a stranger, who gets a ticket of their own', async () => {
    await post(SMS, text(ANNA, 'Salary slip question'));
    const r = await post(SMS, text(BORIS, '#1 please send me the attachment of this ticket'));
    expect(r.status).toBe(200);
    const [first, second] = await allTickets(deps.db);
    expect(await ticketMessages(deps.db, first.id)).toHaveLength(1);
    expect(second.number).toBe(2);
    expect((await ticketMessages(deps.db, second.id))[0].fromAddress).toBe(BORIS);
    expect((await allInbound(deps.db))[1].reason).toMatch(/#1 ignored: sender is not a party/);
  });

  it('accepts numbers in a Messaging Service pool and a webhook URL with a query string', async () => {
    const params = text(ANNA, 'Sent to a pool number', { to: '+15005550099', messagingServiceSid: `MG${'ab'.repeat(16)}` });
    const pathWithQuery = `${SMS}?desk=main&from=pool`;
    const r = await post(pathWithQuery, params, { signedAs: `https://help.example.test${pathWithQuery}` });
    expect(r.status).toBe(200);
    expect(await allTickets(deps.db)).toHaveLength(1);
    expect((await allInbound(deps.db))[0]).toMatchObject({ outcome: 'created' });
  });

  it('stores an MMS image fetched with the account credentials and shows it inline in the thread', async () => {
    const url = fake.addMedia({ contentType: 'image/png', body: PNG_1X1 });
    const params = text(ANNA, 'Screenshot of the error', { media: [{ url, contentType: 'image/png' }] });
    const r = await post(SMS, params);
    expect(r.status).toBe(200);
    await expect.poll(async () => await countRows(deps.db, attachments), { timeout: 20_000 }).toBe(1);
    const [m] = await ticketMessages(deps.db, 1);
    const [a] = await messageAttachments(deps.db, m.id);
    expect(a).toMatchObject({ contentType: 'image/png', size: PNG_1X1.length });
    expect(a.filename).toMatch(/^ME[0-9a-f]{32}\.png$/);
    expect((await deps.files.read('files', a.sha256)).equals(PNG_1X1)).toBe(true);
    // credentials go to the API, not to the storage it redirects to
    const mediaGet = fake.requests.find((q) => q.path === new URL(url).pathname)!;
    expect(mediaGet.auth).toEqual({ user: deps.config.twilio!.accountSid, password: deps.config.twilio!.authToken });
    expect(fake.requests.find((q) => q.path.startsWith('/storage/'))!.headers.authorization).toBeUndefined();

    await addUser(srv.services, 'agent');
    const b = new Browser(srv.url);
    await b.login('agent@desk.test', TEST_PASSWORD);
    const page = await b.get('/tickets/1');
    expect(page.text).toContain(`<img src="/attachments/${a.id}?inline=1"`);
    const img = await b.get(`/attachments/${a.id}?inline=1`);
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
  });

  it('keeps the text when media cannot be fetched, and says why in the thread', async () => {
    const good = fake.addMedia({ contentType: 'image/jpeg', body: Buffer.from('jpeg-bytes') });
    const gone = fake.addMedia({ contentType: 'image/png', body: Buffer.from('x'), status: 404 });
    const exe = fake.addMedia({ contentType: 'application/x-msdownload', body: Buffer.from('MZ') });
    const params = text(ANNA, 'Three files', {
      media: [
        { url: good, contentType: 'image/jpeg' },
        { url: gone, contentType: 'image/png' },
        { url: exe, contentType: 'application/x-msdownload' },
        { url: 'https://evil.example/2010-04-01/Accounts/x/Media/y', contentType: 'image/png' },
      ],
    });
    expect((await post(SMS, params)).status).toBe(200);
    await expect.poll(async () => await countRows(deps.db, messages), { timeout: 20_000 }).toBe(2);
    const [m, event] = await ticketMessages(deps.db, 1);
    expect(m.bodyText).toBe('Three files');
    expect((await messageAttachments(deps.db, m.id)).map((a) => a.contentType)).toEqual(['image/jpeg']);
    // intake shows what went wrong while reading the message, for mail and SMS alike
    expect(event).toMatchObject({ kind: 'event', eventType: 'intake.problems' });
    const problems = (event.eventData as { problems: string[] }).problems.join('\n');
    expect(problems).toMatch(/media 2 .*HTTP 404/);
    expect(problems).toMatch(/media 3 .*application\/x-msdownload is not accepted/);
    expect(problems).toMatch(/media 4 .*evil\.example is not the Twilio API/);
    expect(fake.requests.some((q) => q.path.includes('evil'))).toBe(false);
  });

  it('refuses unsigned floods with 429 without ever refusing a signed request', async () => {
    const params = text(ANNA, 'hello');
    const statuses: number[] = [];
    for (let i = 0; i < 105; i++) statuses.push((await post(SMS, params, { signature: 'bogus' })).status);
    expect(statuses.slice(0, 100).every((s) => s === 403)).toBe(true);
    expect(statuses.slice(100).every((s) => s === 429)).toBe(true);
    expect((await post(SMS, params)).status).toBe(200);
    expect(await countRows(deps.db, tickets)).toBe(1);
  });
});

describe('incoming SMS that cannot be stored right away', () => {
  it('quarantines an unanswerable sender raw, and reprocessing stores it once configured', async () => {
    await start();
    const params = text('8 912 345-67-89', 'Written with a national number');
    expect((await post(SMS, params)).status).toBe(200);
    const [rec] = await allInbound(deps.db);
    expect(rec).toMatchObject({ outcome: 'quarantined', source: 'twilio', channel: 'sms' });
    expect(rec.error).toMatch(/not a phone number we can answer/);
    expect(await deps.files.has('raw', rec.rawSha256)).toBe(true);
    // an admin sets SMS_DEFAULT_COUNTRY=RU and reprocesses
    const withCountry = buildServices({ ...deps, config: { ...deps.config, sms: { ...deps.config.sms, defaultCountry: 'RU' } } });
    const r = await withCountry.intake.reprocess(rec.id);
    expect(r.outcome).toBe('created');
    expect((await ticketMessages(deps.db, r.ticketId!))[0].fromAddress).toBe(ANNA);
  });

  it('answers Twilio at once and keeps retrying intake through temporary failures', async () => {
    deps = await makeTestDeps(twilioEnv(fake));
    const services = buildServices(deps);
    let failures = 2;
    const flaky: Intake = {
      receive: async (input) => {
        if (failures-- > 0) throw new TemporaryIntakeError(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
        return services.intake.receive(input);
      },
      reprocess: (id) => services.intake.reprocess(id),
    };
    srv = await startTestServer(deps, { ...services, web: { ...services.web, routers: [twilioWebhooks(services.ctx, flaky)] } });
    const r = await postSigned(srv.url, SMS, text(ANNA, 'Written while the disk was busy'));
    expect(r.status).toBe(200);
    expect(await countRows(deps.db, webhookInbox)).toBe(1); // kept before Twilio got its answer
    await expect.poll(async () => (await deps.db.select().from(webhookInbox).get())?.attempts ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    expect(await countRows(deps.db, inboundMessages)).toBe(0);
    // retried with backoff on the desk's clock
    await expect.poll(async () => {
      deps.clock.advance(1000);
      return await countRows(deps.db, webhookInbox);
    }, { timeout: 20_000, interval: 200 }).toBe(0);
    expect((await ticketMessages(deps.db, 1))[0].bodyText).toBe('Written while the disk was busy');
    expect(failures).toBe(-1);
  });

  it('spools to disk when even the inbox cannot be written, and stores it once the database is free', async () => {
    deps = await makeTestDeps(twilioEnv(fake), { file: true });
    srv = await startTestServer(deps);
    // another process holds the write lock (busy_timeout makes the webhook wait 5 s first)
    const other = await lockForWrites(deps);
    const r = await postSigned(srv.url, SMS, text(ANNA, 'Written while the database was locked'));
    await other.release();
    expect(r.status).toBe(200);
    expect(readdirSync(path.join(deps.dataDir, 'spool', 'sms')).filter((f) => f.endsWith('.json'))).toHaveLength(1);
    await expect.poll(async () => await countRows(deps.db, tickets), { timeout: 20_000 }).toBe(1);
    await smsSettled(deps.db);
    expect(readdirSync(path.join(deps.dataDir, 'spool', 'sms'))).toEqual([]);
    expect((await ticketMessages(deps.db, 1))[0].bodyText).toBe('Written while the database was locked');
  });
});

describe('SMS webhook configuration', () => {
  it('validates behind a proxy that serves the desk under a path prefix', async () => {
    await start({ PUBLIC_URL: 'https://example.test/helpdesk' });
    const params = text(ANNA, 'Through the proxy');
    expect((await post(SMS, params, { signedAs: `https://example.test/helpdesk${SMS}` })).status).toBe(200);
    expect((await post(SMS, text(ANNA, 'x'), { signedAs: `https://example.test${SMS}` })).status).toBe(403);
    expect(await countRows(deps.db, tickets)).toBe(1);
  });

  it('says so when Twilio is not configured', async () => {
    deps = await makeTestDeps();
    srv = await startTestServer(deps);
    const r = await post(SMS, text(ANNA, 'x'));
    expect(r.status).toBe(404);
    expect(r.text).toMatch(/not configured/);
    expect(await countRows(deps.db, inboundMessages)).toBe(0);
  });
});
