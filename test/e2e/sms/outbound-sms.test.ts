// Outgoing SMS end to end: agent replies and keyword answers go through the outbox and the
// Twilio sender to a local stand-in for Twilio's REST API, whose requests are asserted exactly;
// delivery reports come back as signed webhooks.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { replyToTicket } from '../../../src/actions/tickets.ts';
import { createTwilioSender } from '../../../src/channels/sms/twilio-sender.ts';
import { createOutboxWorker } from '../../../src/outbox/worker.ts';
import type { ChannelSender } from '../../../src/outbox/types.ts';
import { messages, outbox } from '../../../src/db/schema.ts';
import { portalUrl } from '../../../src/domain/portal-link.ts';
import { getTicket } from '../../../src/store/tickets.ts';
import { smsSize } from '../../../src/domain/sms-segments.ts';
import type { User } from '../../../src/store/users.ts';
import { findMessage } from '../../../src/store/messages.ts';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../helpers/web.ts';
import { inboundSms, postSigned, startTwilioFake, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, twilioEnv, type TwilioFake } from '../../helpers/twilio-fake.ts';
import { allOutbox, allTickets, phoneRow, smsSettled, ticketMessages } from '../../helpers/sms.ts';

const SMS = '/webhooks/twilio/sms';
const STATUS = '/webhooks/twilio/status';
const ANNA = '+79123456789';
const MESSAGES_PATH = `/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Messages.json`;

let fake: TwilioFake;
let deps: TestDeps;
let srv: TestServer;
let agent: User;

async function start(extraEnv: Record<string, string> = {}) {
  deps = await makeTestDeps(twilioEnv(fake, extraEnv));
  srv = await startTestServer(deps);
  agent = await addUser(srv.services, 'agent');
}
// one run of the desk's outbox worker with the Twilio sender (deferred sends are not part of these cases)
async function sendWith(sender: ChannelSender) {
  const { deferred: _deferred, ...summary } = await createOutboxWorker(deps, { senders: [sender] }).runOnce();
  return summary;
}
const send = () => sendWith(createTwilioSender(deps));
const reply = async (ticketId: number, body: string) => await replyToTicket(srv.services.ctx, { kind: 'user', user: agent }, { ticketId, body });
async function textIn(body: string, from = ANNA) {
  const r = await postSigned(srv.url, SMS, inboundSms({ from, body }));
  await smsSettled(deps.db);
  return r;
}
/** the ticket exists and its acknowledgement has gone out */
async function ticketFromAnna(body = 'The printer jams') {
  await textIn(body);
  await send();
  return (await allTickets(deps.db)).at(-1)!;
}

beforeEach(async () => {
  fake = await startTwilioFake();
});
afterEach(async () => {
  await srv?.close();
  deps?.close();
  await fake.close();
});

describe('replies by SMS', () => {
  beforeEach(() => start());

  it('sends the acknowledgement and an agent reply through the Twilio API, exactly', async () => {
    const t = await ticketFromAnna();
    const [ack] = fake.messages();
    expect(ack.form.Body).toBe('Help Desk: we got your message, ticket #1. Reply to this text to add to it.');

    const m = await reply(t.id, 'Hi Anna, a technician is on the way.');
    expect((await findMessage(deps.db, m.id))?.deliveryStatus).toBe('queued');
    expect(await send()).toEqual({ sent: 1, retried: 0, dead: 0, skipped: 0 });

    const calls = fake.messages();
    expect(calls).toHaveLength(2);
    const r = calls[1];
    expect(r.method).toBe('POST');
    expect(r.path).toBe(MESSAGES_PATH);
    expect(r.auth).toEqual({ user: TEST_ACCOUNT_SID, password: TEST_AUTH_TOKEN });
    expect(r.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(r.form).toEqual({
      To: ANNA,
      From: '+15005550006',
      Body: 'Hi Anna, a technician is on the way.',
      StatusCallback: `https://help.example.test${STATUS}?message=${m.id}`,
    });
    const stored = (await findMessage(deps.db, m.id))!;
    expect(stored.deliveryStatus).toBe('sent');
    expect(stored.externalId).toMatch(/^SM[0-9a-f]{32}$/);
    expect((await allOutbox(deps.db)).find((o) => o.messageId === m.id)).toMatchObject({ status: 'sent', attempts: 1, providerId: stored.externalId });
  });

  it('records delivery reports from the signed status callback, never moving a status back', async () => {
    const t = await ticketFromAnna();
    const m = await reply(t.id, 'Please restart the printer.');
    await send();
    const sid = (await findMessage(deps.db, m.id))!.externalId!;
    const report = (status: string, extra: Record<string, string> = {}) =>
      postSigned(srv.url, `${STATUS}?message=${m.id}`, { MessageSid: sid, SmsSid: sid, MessageStatus: status, SmsStatus: status, AccountSid: TEST_ACCOUNT_SID, To: ANNA, From: '+15005550006', ApiVersion: '2010-04-01', ...extra });

    expect((await postSigned(srv.url, `${STATUS}?message=${m.id}`, { MessageSid: sid, MessageStatus: 'delivered' }, { signature: 'forged' })).status).toBe(403);
    expect((await findMessage(deps.db, m.id))?.deliveryStatus).toBe('sent');
    expect((await report('delivered')).status).toBe(204);
    expect((await findMessage(deps.db, m.id))?.deliveryStatus).toBe('delivered');
    expect((await report('sent')).status).toBe(204); // late and out of order
    expect((await findMessage(deps.db, m.id))?.deliveryStatus).toBe('delivered');

    const b = new Browser(srv.url);
    await b.login('agent@desk.test', TEST_PASSWORD);
    const page = await b.get(`/tickets/${t.number}`);
    expect(page.text).toMatch(/<section id="ticket-sms"[\s\S]*\+7 912 345 67 89[\s\S]*gets texts[\s\S]*Last text:[\s\S]*delivered/);

    // a failed one is recorded visibly, with Twilio's error code
    const m2 = await reply(t.id, 'Did that help?');
    await send();
    const sid2 = (await findMessage(deps.db, m2.id))!.externalId!;
    await postSigned(srv.url, `${STATUS}?message=${m2.id}`, { MessageSid: sid2, MessageStatus: 'undelivered', ErrorCode: '30003', To: ANNA });
    expect((await findMessage(deps.db, m2.id))?.deliveryStatus).toBe('failed');
    expect((await ticketMessages(deps.db, t.id)).at(-1)).toMatchObject({ kind: 'event', eventType: 'sms', eventData: { what: 'failed', code: 30003, known: true } });
    expect((await b.get(`/tickets/${t.number}`)).text).toContain(`SMS to ${ANNA} not delivered: the phone is off or out of reach (30003)`);
    const m3 = await reply(t.id, 'Third try');
    await send();
    await postSigned(srv.url, `${STATUS}?message=${m3.id}`, { MessageSid: (await findMessage(deps.db, m3.id))!.externalId!, MessageStatus: 'failed', ErrorCode: '30999', To: ANNA });
    expect((await b.get(`/tickets/${t.number}`)).text).toContain(`SMS to ${ANNA} not delivered (30999)`);

  });

  it('sends a reply too long for SMS as its beginning and a link to the requester’s page', async () => {
    const t = await ticketFromAnna();
    const long = Array.from({ length: 300 }, (_, i) => `step${i}`).join(' ');
    const m = await reply(t.id, long);
    await send();
    const body = fake.messages().at(-1)!.form.Body;
    const url = portalUrl('https://help.example.test', deps.secrets.token, await getTicket(deps.db, t.id), deps.clock.now());
    expect(body.startsWith('step0 step1 step2')).toBe(true);
    expect(body.endsWith(`... Full reply: ${url}`)).toBe(true);
    expect(body.length).toBeLessThanOrEqual(1600);
    expect(smsSize(body).segments).toBeLessThanOrEqual(10);
    expect((await findMessage(deps.db, m.id))?.bodyText).toBe(long); // the thread keeps the whole reply
    // a reply that fits (several segments, split by the provider) goes as one body
    const medium = 'a'.repeat(700);
    await reply(t.id, medium);
    await send();
    expect(fake.messages().at(-1)!.form.Body).toBe(medium);
  });

  it('points to the requester’s page for files, which SMS cannot carry', async () => {
    const t = await ticketFromAnna();
    await replyToTicket(srv.services.ctx, { kind: 'user', user: agent }, {
      ticketId: t.id, body: 'Here is the driver.', attachments: [{ filename: 'driver.zip', contentType: 'application/zip', content: Buffer.from('PK') }],
    });
    await send();
    const url = portalUrl('https://help.example.test', deps.secrets.token, await getTicket(deps.db, t.id), deps.clock.now());
    expect(fake.messages().at(-1)!.form.Body).toBe(`Here is the driver.\n\nFiles attached (1): ${url}`);
  });

  it('retries what Twilio could not take now and gives up on what it refuses', async () => {
    const t = await ticketFromAnna();
    fake.failNext({ status: 503, body: { code: 20500, message: 'Service unavailable', status: 503 } });
    const m = await reply(t.id, 'First try fails');
    expect(await send()).toEqual({ sent: 0, retried: 1, dead: 0, skipped: 0 });
    expect((await allOutbox(deps.db)).at(-1)).toMatchObject({ status: 'pending', attempts: 1 });
    expect(await send()).toEqual({ sent: 0, retried: 0, dead: 0, skipped: 0 }); // not due yet
    deps.clock.advance(61_000);
    expect(await send()).toEqual({ sent: 1, retried: 0, dead: 0, skipped: 0 });
    expect((await findMessage(deps.db, m.id))?.deliveryStatus).toBe('sent');

    fake.failNext({ status: 400, body: { code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 } });
    const bad = await reply(t.id, 'This one is refused');
    expect(await send()).toEqual({ sent: 0, retried: 0, dead: 1, skipped: 0 });
    expect((await findMessage(deps.db, bad.id))?.deliveryStatus).toBe('failed');
    expect((await ticketMessages(deps.db, t.id)).at(-1)).toMatchObject({ eventType: 'outbox', deliveryStatus: 'failed', eventData: { reason: expect.stringContaining('21211') } });
  });

  it('sends from a Messaging Service when TWILIO_FROM is one', async () => {
    await srv.close();
    deps.close();
    await start({ TWILIO_FROM: `MG${'cd'.repeat(16)}` });
    const t = await ticketFromAnna();
    await reply(t.id, 'From the pool');
    await send();
    expect(fake.messages().at(-1)!.form).toEqual({
      To: ANNA, MessagingServiceSid: `MG${'cd'.repeat(16)}`, Body: 'From the pool', StatusCallback: expect.stringMatching(/^https:\/\/help\.example\.test\/webhooks\/twilio\/status\?message=\d+$/),
    });
  });
});

describe('opt-out keywords', () => {
  beforeEach(() => start());

  it('STOP: nothing is sent until START, and the console says so', async () => {
    const t = await ticketFromAnna();
    const before = fake.messages().length;
    expect((await textIn('STOP')).status).toBe(200);
    expect((await phoneRow(deps.db, ANNA))?.smsOptedOutAt).toBe(deps.clock.now());
    expect(await allTickets(deps.db)).toHaveLength(1); // a keyword is no support request
    expect((await ticketMessages(deps.db, t.id)).at(-1)).toMatchObject({ eventType: 'sms', eventData: { what: 'opted_out', word: 'STOP' } });

    const notice = await reply(t.id, 'Your laptop is ready for pickup.');
    await send();
    expect(fake.messages()).toHaveLength(before); // Twilio answers STOP itself; we send nothing
    expect((await findMessage(deps.db, notice.id))?.deliveryStatus).toBe('skipped');
    expect((await allOutbox(deps.db)).some((o) => o.messageId === notice.id)).toBe(false);
    expect((await ticketMessages(deps.db, t.id)).at(-1)).toMatchObject({ eventType: 'sms', eventData: { what: 'not_sent', reason: 'opted_out' } });

    const b = new Browser(srv.url);
    await b.login('agent@desk.test', TEST_PASSWORD);
    const page = await b.get(`/tickets/${t.number}`);
    expect(page.text).toMatch(/<section id="ticket-sms"[\s\S]*opted out[\s\S]*sent STOP: it gets no texts until it sends START/);
    expect(page.text).toContain(`Not sent by SMS: ${ANNA} has opted out`);

    expect((await textIn('start')).status).toBe(200);
    expect((await phoneRow(deps.db, ANNA))?.smsOptedOutAt).toBeNull();
    await reply(t.id, 'Your laptop is ready for pickup.');
    await send();
    expect(fake.messages()).toHaveLength(before + 1);
    expect(fake.messages().at(-1)!.form.Body).toBe('Your laptop is ready for pickup.');
    expect((await b.get(`/tickets/${t.number}`)).text).not.toContain('it gets no texts until');
  });

  it('does not send a reply queued before a STOP that came in meanwhile', async () => {
    const t = await ticketFromAnna();
    const before = fake.messages().length;
    const m = await reply(t.id, 'Queued before the STOP');
    await textIn('Stop');
    expect(await send()).toEqual({ sent: 0, retried: 0, dead: 0, skipped: 1 });
    expect((await allOutbox(deps.db)).find((o) => o.messageId === m.id)?.status).toBe('skipped');
    expect(fake.messages()).toHaveLength(before);
    expect((await findMessage(deps.db, m.id))?.deliveryStatus).toBe('skipped');
  });

  it('answers Russian keywords itself: confirmation for СТОП, then silence, and СТАРТ', async () => {
    const t = await ticketFromAnna('Не работает принтер');
    expect(fake.messages().at(-1)!.form.Body).toBe('Help Desk: сообщение получено, заявка #1. Ответьте на это SMS, чтобы дополнить её.');
    await textIn('Стоп');
    expect((await phoneRow(deps.db, ANNA))?.smsOptedOutAt).not.toBeNull();
    await send();
    expect(fake.messages().at(-1)!.form.Body).toBe('Вы отписались от SMS Help Desk. Чтобы снова получать сообщения, ответьте СТАРТ.');
    const count = fake.messages().length;
    await reply(t.id, 'Принтер починили');
    await textIn('СТОП'); // a second STOP gets no second confirmation
    await send();
    expect(fake.messages()).toHaveLength(count);
    await textIn('старт');
    await send();
    expect(fake.messages().at(-1)!.form.Body).toBe('Вы снова получаете SMS Help Desk. Чтобы отписаться, ответьте СТОП.');
  });

  it('answers HELP with the help text, and a stranger’s STOP sticks to their number', async () => {
    await textIn('HELP');
    await send();
    expect(fake.messages()).toHaveLength(1);
    expect(fake.messages()[0].form).toMatchObject({ To: ANNA, Body: expect.stringContaining('Write #123 to add to ticket 123. Reply STOP') });
    expect(await allTickets(deps.db)).toHaveLength(0);

    const stranger = '+79995554433';
    await textIn('STOP', stranger);
    expect((await phoneRow(deps.db, stranger))?.smsOptedOutAt).not.toBeNull();
    await textIn('My monitor flickers', stranger);
    expect(await allTickets(deps.db)).toHaveLength(1); // they can still write to us…
    await send();
    expect(fake.messages().filter((m) => m.form.To === stranger)).toHaveLength(0); // …but get nothing back
    // "yes" is an opt-in only for an opted-out number; otherwise an answer like any other
    await textIn('Yes');
    expect((await phoneRow(deps.db, ANNA))?.smsOptedOutAt ?? null).toBeNull();
    expect(await ticketMessages(deps.db, (await allTickets(deps.db)).find(async (x) => x.requesterId === (await phoneRow(deps.db, ANNA))?.contactId)?.id ?? 0)).toHaveLength(1);
  });

  it('marks a number opted out when Twilio refuses it as unsubscribed (21610)', async () => {
    const t = await ticketFromAnna();
    fake.failNext({ status: 400, body: { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 } });
    await reply(t.id, 'Hello?');
    await send();
    expect((await phoneRow(deps.db, ANNA))?.smsOptedOutAt).not.toBeNull();
  });
});

describe('starting an SMS conversation from the console', () => {
  it('texts a contact’s number as a new SMS ticket, and refuses opted-out or invalid numbers', async () => {
    await start({ SMS_DEFAULT_COUNTRY: 'RU' });
    const b = new Browser(srv.url);
    await b.login('agent@desk.test', TEST_PASSWORD);
    const form = await b.get('/sms/new');
    expect(form.status).toBe(200);
    expect(form.text).toContain('read as RU numbers');

    const bad = await b.post('/sms/new', { phone: 'call me', body: 'x' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Enter a valid phone number');

    const ok = await b.post('/sms/new', { phone: '8 (912) 345-67-89', name: 'Anna Petrova', body: 'Hello Anna, your new laptop has arrived. When can you pick it up?' });
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/tickets/1');
    const [t] = await allTickets(deps.db);
    expect(t).toMatchObject({ channel: 'sms', subject: 'Hello Anna, your new laptop has arrived. When' });
    expect((await ticketMessages(deps.db, t.id))[0]).toMatchObject({ kind: 'reply', direction: 'out', authorUserId: agent.id, deliveryStatus: 'queued' });
    await send();
    expect(fake.messages()[0].form).toMatchObject({ To: ANNA, Body: 'Hello Anna, your new laptop has arrived. When can you pick it up?' });
    const page = await b.get('/tickets/1');
    expect(page.text).toContain('Anna Petrova');
    expect(page.text).toContain('Hello Anna, your new laptop has arrived.');

    // her answer threads onto that ticket
    await textIn('Tomorrow at 10');
    expect(await allTickets(deps.db)).toHaveLength(1);
    expect((await ticketMessages(deps.db, t.id)).at(-1)?.bodyText).toBe('Tomorrow at 10');

    // the contact's page link: /sms/new?contact=ID lists her numbers
    const again = await b.get(`/sms/new?contact=${t.requesterId}`);
    expect(again.text).toContain('<option value="+79123456789"');
    await textIn('STOP');
    const refused = await b.post('/sms/new', { phone: ANNA, contactId: String(t.requesterId), body: 'One more thing' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('opted out of SMS');
    expect(await allTickets(deps.db)).toHaveLength(1);
    expect((await b.get('/sms/new?contact=99999')).status).toBe(404);
  });
});

it('keeps rows queued while Twilio is not configured', async () => {
  deps = await makeTestDeps();
  srv = await startTestServer(deps);
  const sender = createTwilioSender(deps);
  expect(sender.configured).toBe(false);
  await deps.db.insert(outbox).values({ channel: 'sms', event: 'ack', recipient: ANNA, payload: { text: 'x' }, status: 'pending', attempts: 0, nextAttemptAt: 0, createdAt: 0 }).run();
  expect(await sendWith(sender)).toEqual({ sent: 0, retried: 0, dead: 0, skipped: 0 });
  expect(await deps.db.select().from(outbox).where(eq(outbox.status, 'pending')).all()).toHaveLength(1);
  expect(await deps.db.select().from(messages).all()).toHaveLength(0);
});
