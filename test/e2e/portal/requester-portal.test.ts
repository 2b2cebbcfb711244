// The signed-in requester portal over HTTP, with the real outbox worker and a loopback SMTP server:
// sign-in by a one-time link (works once, expires, the same answer for an unknown address and no
// mail), by SMS code, by a notification mail's link; My requests shows a requester their own
// tickets only (and a designated contact their colleagues'), never another's by changing the
// number; a new request becomes a ticket; sign-out ends the session.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { startSmtpServer, type TestSmtp } from '../../helpers/smtp.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../helpers/web.ts';
import { assignTicket, changeStatus, createTicket, replyToTicket } from '../../../src/actions/tickets.ts';
import { resolveTicket } from '../../../src/actions/resolution.ts';
import { PORTAL_WRITE_LIMITS, replyFromPortal } from '../../../src/actions/portal.ts';
import { organizations, outbox, portalSignIns } from '../../../src/db/schema.ts';
import { schedulerTick } from '../../../src/roles/scheduler.ts';
import { makePortalToken } from '../../../src/domain/portal-link.ts';
import { SIGN_IN_LIFETIME_MS } from '../../../src/domain/portal-sign-in.ts';
import { createOutboxWorker, type OutboxWorker } from '../../../src/outbox/worker.ts';
import { insertContact, updateContact, type Contact } from '../../../src/store/contacts.ts';
import { listAttachmentsForMessages, listTicketMessages } from '../../../src/store/messages.ts';
import { findTicketByNumber, getTicket, type Ticket } from '../../../src/store/tickets.ts';

const PUBLIC_URL = 'https://help.desk.example';

describe('requester portal: sign-in, my requests, new request', () => {
  let smtp: TestSmtp;
  let deps: TestDeps;
  let srv: TestServer;
  let worker: OutboxWorker;
  let orgId: number;
  let anna: Contact;
  let boris: Contact;
  let chief: Contact;
  let stranger: Contact;
  beforeEach(async () => {
    smtp = await startSmtpServer();
    deps = await makeTestDeps({ SMTP_URL: smtp.url, MAIL_FROM: 'Acme IT <support@desk.example>', PUBLIC_URL });
    srv = await startTestServer(deps);
    worker = createOutboxWorker(srv.services.ctx, { senders: srv.services.senders });
    const now = deps.clock.now();
    orgId = (await deps.db.insert(organizations).values({ name: 'Romashka', createdAt: now, updatedAt: now }).returning())[0].id;
    anna = await insertContact(deps.db, { name: 'Anna', organizationId: orgId, emails: ['anna@romashka.example'], phones: ['+79123456789'] }, now);
    boris = await insertContact(deps.db, { name: 'Boris', organizationId: orgId, emails: ['boris@romashka.example'] }, now);
    chief = await insertContact(deps.db, { name: 'Chief', organizationId: orgId, emails: ['chief@romashka.example'] }, now);
    await updateContact(deps.db, chief.id, { seesOrganizationRequests: true }, now);
    stranger = await insertContact(deps.db, { name: 'Stranger', emails: ['x@elsewhere.example'] }, now);
  });
  afterEach(async () => {
    await worker.stop();
    await srv.close();
    await smtp.close();
    deps.close();
  });

  const ctx = () => srv.services.ctx;
  const ticketOf = async (c: Contact, subject: string): Promise<Ticket> =>
    await createTicket(ctx(), { kind: 'contact', contactId: c.id }, { subject, body: `${subject}, please help`, requesterContactId: c.id });
  const signInMails = async () => (await deps.db.select().from(outbox).all()).filter((r) => r.event === 'portal_sign_in');
  /** asks for a link and returns the path in the mail that went out */
  const mailedLink = async (b: Browser, address: string) => {
    await worker.runOnce(); // the mail about the tickets so far
    await b.get('/portal/sign-in?lang=en');
    expect((await b.post('/portal/sign-in', { address })).status).toBe(200);
    const before = smtp.received.length;
    expect(await worker.runOnce()).toMatchObject({ sent: 1 });
    const mail = smtp.received[before];
    expect(mail.to).toEqual([address]);
    expect(mail.parsed.subject).toBe('Sign in to Help Desk');
    return /https:\/\/help\.desk\.example(\/portal\/sign-in\/\S+)/.exec(mail.parsed.text!)![1];
  };
  const signIn = async (address: string) => {
    const b = new Browser(srv.url);
    const link = await mailedLink(b, address);
    await b.get(link);
    const r = await b.post(link, {});
    expect(r.status).toBe(303);
    expect(r.location).toBe('/portal');
    return b;
  };

  it('signs in by a mailed link that works once; the outbox never holds the link', async () => {
    await ticketOf(anna, 'Printer jams');
    const b = new Browser(srv.url);
    const link = await mailedLink(b, 'anna@romashka.example');
    expect(JSON.stringify(await signInMails())).not.toContain(link.split('/').at(-1));
    expect((await b.get('/portal')).status).toBe(303); // not signed in until the link is used
    const page = await b.get(link);
    expect(page.status).toBe(200);
    const first = await b.post(link, {});
    expect(first.status).toBe(303);
    const list = await b.get('/portal');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Printer jams');
    expect(list.text).toContain('Sign out');
    expect(list.text).toContain('<title>My requests · ');
    expect((await b.get('/portal?lang=ru')).text).toContain('<title>Мои заявки · ');

    const other = new Browser(srv.url);
    expect((await other.get(link)).status).toBe(410);
    await other.get('/portal/sign-in');
    const again = await other.post(link, {});
    expect(again.status).toBe(410);
    expect(again.text).toContain('already been used');
    expect((await other.get('/portal')).status).toBe(303);
  });

  it('five wrong codes end an SMS sign-in; wrong guesses at a link do not use it up', async () => {
    const b = new Browser(srv.url);
    await b.get('/portal/sign-in?lang=en');
    await b.post('/portal/sign-in', { address: '+79123456789' });
    const code = String(((await deps.db.select().from(outbox).all()).find((x) => x.channel === 'sms')!.payload as { vars: { code: string } }).vars.code);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) expect((await b.post('/portal/sign-in/code', { address: '+79123456789', code: wrong })).status).toBe(422);
    expect((await b.post('/portal/sign-in/code', { address: '+79123456789', code })).status).toBe(422);

    const link = await mailedLink(b, 'anna@romashka.example');
    const id = /\/s(\d+)\./.exec(link)![1];
    for (let i = 0; i < 6; i++) await b.post(`/portal/sign-in/s${id}.${'A'.repeat(32)}`, {});
    await b.get(link);
    expect((await b.post(link, {})).status).toBe(303);
  });

  it('a link made up for an SMS sign-in does not spend its tries; ten wrong codes a day over sign-ins end the day’s codes; a client typing codes by the score is refused', async () => {
    const phone = '+79123456789';
    const b = new Browser(srv.url);
    await b.get('/portal/sign-in?lang=en');
    const ask = async () => {
      await b.post('/portal/sign-in', { address: phone });
      const sms = (await deps.db.select().from(outbox).all()).filter((x) => x.channel === 'sms' && x.event === 'portal_sign_in').at(-1)!;
      return String((sms.payload as { vars: { code: string } }).vars.code);
    };
    const type = async (code: string, address = phone) => (await b.post('/portal/sign-in/code', { address, code })).status;
    const wrongFor = (code: string) => (code === '000000' ? '111111' : '000000');
    let code = await ask();
    const rows = await deps.db.select().from(portalSignIns).all();
    const sms = rows.filter((r) => r.channel === 'sms').at(-1)!;
    for (let i = 0; i < 6; i++) expect((await b.post(`/portal/sign-in/s${sms.id}.${'A'.repeat(32)}`, {})).status).not.toBe(303);
    for (let i = 0; i < 4; i++) expect(await type(wrongFor(code))).toBe(422);
    expect(await type(code)).toBe(303);
    // four more wrong on a second sign-in and two on a third: ten today, and the right code is refused
    code = await ask();
    for (let i = 0; i < 4; i++) expect(await type(wrongFor(code))).toBe(422);
    code = await ask();
    for (let i = 0; i < 2; i++) expect(await type(wrongFor(code))).toBe(422);
    expect(await type(code)).toBe(422);
    // the next day codes work again; but a client that typed twenty codes this hour is refused any more, even a right one
    deps.clock.advance(24 * 3_600_000 + 1000);
    code = await ask();
    for (let i = 0; i < 20; i++) expect(await type('123456', '+79990001122')).toBe(422);
    expect(await type(code)).toBe(422);
    deps.clock.advance(3_600_000 + 1000);
    expect(await type(await ask())).toBe(303);
  });

  it('a link expires after 30 minutes', async () => {
    const b = new Browser(srv.url);
    const link = await mailedLink(b, 'anna@romashka.example');
    deps.clock.advance(SIGN_IN_LIFETIME_MS + 1000);
    const page = await b.get(link);
    expect(page.status).toBe(410);
    expect(page.text).toContain('expired');
    expect((await b.post(link, {})).status).toBe(410);
    expect((await b.get('/portal')).status).toBe(303);
    // the scheduler forgets sign-ins that no longer work
    expect((await schedulerTick(ctx())).purged.portalSignIns).toBe(1);
    expect(await deps.db.select().from(portalSignIns).all()).toEqual([]);
  });

  it('answers an unknown address exactly as a known one, and sends nothing', async () => {
    const answer = async (address: string) => {
      const b = new Browser(srv.url);
      await b.get('/portal/sign-in?lang=en');
      const r = await b.post('/portal/sign-in', { address });
      return { status: r.status, text: r.text.replace(/name="_csrf" value="[^"]+"/g, '').replaceAll(address, 'ADDRESS') };
    };
    const known = await answer('boris@romashka.example');
    const unknown = await answer('nobody@romashka.example');
    expect(unknown).toEqual(known);
    expect(known.text).toContain('If we know this address');
    const rows = await signInMails();
    expect(rows.map((r) => r.recipient)).toEqual(['boris@romashka.example']);
    // a forged token names no sign-in
    expect((await new Browser(srv.url).get('/portal/sign-in/s1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(410);
  });

  it('limits sign-in requests per address', async () => {
    const b = new Browser(srv.url);
    await b.get('/portal/sign-in?lang=en');
    for (let i = 0; i < 3; i++) expect((await b.post('/portal/sign-in', { address: 'anna@romashka.example' })).status).toBe(200);
    const fourth = await b.post('/portal/sign-in', { address: 'anna@romashka.example' });
    expect(fourth.status).toBe(429);
    // the unknown address is limited the same way, so the limit tells nothing either
    for (let i = 0; i < 3; i++) await b.post('/portal/sign-in', { address: 'ghost@romashka.example' });
    const c = new Browser(srv.url);
    await c.get('/portal/sign-in?lang=en');
    expect((await c.post('/portal/sign-in', { address: 'ghost@romashka.example' })).status).toBe(429);
    expect(await signInMails()).toHaveLength(3);
  });

  it('signs in by an SMS code to a known number, once', async () => {
    const b = new Browser(srv.url);
    await b.get('/portal/sign-in?lang=en');
    const r = await b.post('/portal/sign-in', { address: '+7 912 345-67-89' });
    expect(r.status).toBe(200);
    expect(r.text).toContain('Code from the SMS');
    const sms = (await deps.db.select().from(outbox).all()).filter((x) => x.channel === 'sms' && x.event === 'portal_sign_in');
    expect(sms.map((x) => x.recipient)).toEqual(['+79123456789']);
    const code = String((sms[0].payload as { vars: { code: string } }).vars.code);
    expect(code).toMatch(/^\d{6}$/);
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await b.post('/portal/sign-in/code', { address: '+79123456789', code: wrong })).status).toBe(422);
    const ok = await b.post('/portal/sign-in/code', { address: '+79123456789', code });
    expect(ok.status).toBe(303);
    expect((await b.get('/portal')).status).toBe(200);
    const other = new Browser(srv.url);
    await other.get('/portal/sign-in');
    expect((await other.post('/portal/sign-in/code', { address: '+79123456789', code })).status).toBe(422);
  });

  it('a requester sees only their own requests, never another’s by changing the number', async () => {
    const mine = await ticketOf(anna, 'Anna’s monitor');
    const borisTicket = await ticketOf(boris, 'Boris’s salary question');
    const strangers = await ticketOf(stranger, 'Stranger’s laptop');
    const b = await signIn('anna@romashka.example');
    const list = await b.get('/portal');
    expect(list.text).toContain('Anna’s monitor');
    expect(list.text).not.toContain('Boris’s salary question');
    expect(list.text).not.toContain('Stranger’s laptop');
    const open = await b.get(`/portal/requests/${mine.number}`);
    expect(open.status).toBe(303);
    expect((await b.get(open.headers.get('location')!)).text).toContain('Anna’s monitor');
    for (const t of [borisTicket, strangers]) {
      const r = await b.get(`/portal/requests/${t.number}`);
      expect(r.status).toBe(404);
      expect(r.text).not.toContain(t.subject);
    }
    expect((await b.get('/portal/requests/999999')).status).toBe(404);
    expect((await b.get('/portal/requests/abc')).status).toBe(404);
  });

  it('a designated contact also sees their colleagues’ requests, and not other organisations’', async () => {
    const borisTicket = await ticketOf(boris, 'Boris’s VPN');
    const agent = await addUser(srv.services, 'agent', 'agent@desk.example', 'Alex Agent');
    await replyToTicket(ctx(), { kind: 'user', user: agent }, { ticketId: borisTicket.id, body: 'Please restart the VPN client' });
    const strangers = await ticketOf(stranger, 'Stranger’s laptop');
    const b = await signIn('chief@romashka.example');
    const list = await b.get('/portal');
    expect(list.text).toContain('Boris’s VPN');
    expect(list.text).toContain('from Boris');
    expect(list.text).toContain('Please restart the VPN client');
    expect(list.text).not.toContain('Stranger’s laptop');
    // a colleague's request is shown read-only, with no link that would act for Boris
    const page = await b.get(`/portal/requests/${borisTicket.number}?lang=en`);
    expect(page.status).toBe(200);
    // not kept by the browser: Back after signing out on a shared computer shows nothing
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.text).toContain('Please restart the VPN client');
    expect(page.text).toContain('Only Boris can confirm');
    expect(page.text).not.toMatch(/\/portal\/t\d+\./);
    expect(page.text).not.toContain('action="/portal//');
    expect((await b.get(`/portal/requests/${strangers.number}`)).status).toBe(404);
  });

  it('an admin marks a designated contact with a checkbox on the contact page', async () => {
    await addUser(srv.services, 'admin', 'admin@desk.example', 'Ada Admin');
    const b = new Browser(srv.url);
    await b.login('admin@desk.example', TEST_PASSWORD);
    const form = await b.get(`/contacts/${boris.id}`);
    expect(form.text).toMatch(/<input type="checkbox" name="seesOrganizationRequests" aria-describedby/);
    const saved = await b.post(`/contacts/${boris.id}`, { name: 'Boris', emails: 'boris@romashka.example', organizationId: String(orgId), seesOrganizationRequests: 'on' });
    expect(saved.status).toBe(303);
    expect((await b.get(`/contacts/${boris.id}`)).text).toMatch(/name="seesOrganizationRequests" checked/);
    await ticketOf(anna, 'Anna’s headset');
    expect((await (await signIn('boris@romashka.example')).get('/portal')).text).toContain('Anna’s headset');
    await b.post(`/contacts/${boris.id}`, { name: 'Boris', emails: 'boris@romashka.example', organizationId: String(orgId) });
    expect((await b.get(`/contacts/${boris.id}`)).text).not.toMatch(/name="seesOrganizationRequests" checked/);
  });

  it('a new request becomes a ticket of the requester and shows in My requests', async () => {
    const b = await signIn('boris@romashka.example');
    await b.get('/portal/new?lang=en');
    const empty = await b.post('/portal/new', { subject: '', body: '' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Please give your request a subject');
    const r = await b.post('/portal/new', { subject: 'Need a second screen', body: 'For the new designer', type: 'service_request' });
    expect(r.status).toBe(303);
    const number = Number(/\/portal\/requests\/(\d+)/.exec(r.location!)![1]);
    const t = (await findTicketByNumber(deps.db, number))!;
    expect(t).toMatchObject({ subject: 'Need a second screen', requesterId: boris.id, organizationId: orgId, channel: 'web', type: 'service_request' });
    const msgs = await listTicketMessages(deps.db, t.id);
    expect(msgs[0]).toMatchObject({ direction: 'in', authorContactId: boris.id, bodyText: 'For the new designer', fromAddress: 'boris@romashka.example' });
    expect((await b.get('/portal')).text).toContain('Need a second screen');
    const page = await b.get((await b.get(r.location!)).headers.get('location')!);
    expect(page.text).toContain('For the new designer');
  });

  it('stores a form sent twice once: a new request and a reply each carry a one-time key', async () => {
    const b = await signIn('boris@romashka.example');
    const form = (await b.get('/portal/new?lang=en')).text;
    const submission = /name="submission" value="([0-9a-f-]{36})"/.exec(form)![1];
    expect(/name="submission" value="([0-9a-f-]{36})"/.exec((await b.get('/portal/new?lang=en')).text)![1]).not.toBe(submission);
    const send = () => b.post('/portal/new', { subject: 'Printer offline', body: 'Since this morning', submission });
    const [first, second] = [await send(), await send()];
    expect(second.location).toBe(first.location);
    const mine = async () => (await deps.db.all<{ n: number | string }>(sql`select count(*) as n from tickets where requester_id = ${boris.id} and subject = 'Printer offline'`))[0].n;
    expect(Number(await mine())).toBe(1);
    // a new form is a new request
    await b.post('/portal/new', { subject: 'Printer offline', body: 'Again', submission: crypto.randomUUID() });
    expect(Number(await mine())).toBe(2);

    const t = (await findTicketByNumber(deps.db, Number(/(\d+)$/.exec(first.location!)![1])))!;
    const pagePath = (await b.get(`/portal/requests/${t.number}`)).headers.get('location')!;
    const replyKey = /id="portal-reply"[\s\S]*?name="submission" value="([0-9a-f-]{36})"/.exec((await b.get(pagePath)).text)![1];
    for (let i = 0; i < 2; i++) expect((await b.postMultipart(`${pagePath}/reply`, { message: 'It prints again', submission: replyKey })).status).toBe(303);
    expect((await listTicketMessages(deps.db, t.id)).filter((m) => m.bodyText === 'It prints again')).toHaveLength(1);
  });

  it('limits what one requester writes from the portal an hour: new requests, then messages; a repeated form is not counted again', async () => {
    const b = await signIn('boris@romashka.example');
    const count = async () => Number((await deps.db.all<{ n: number | string }>(sql`select count(*) as n from tickets where requester_id = ${boris.id}`))[0].n);
    const before = await count();
    const first = crypto.randomUUID();
    for (let i = 0; i < PORTAL_WRITE_LIMITS.requests; i++) {
      expect((await b.post('/portal/new', { subject: `Request ${i}`, body: 'Please', submission: i === 0 ? first : crypto.randomUUID() })).status).toBe(303);
    }
    // the first form sent again is not a new request, and not counted
    expect((await b.post('/portal/new', { subject: 'Request 0', body: 'Please', submission: first })).status).toBe(303);
    const refused = await b.post('/portal/new?lang=en', { subject: 'One more', body: 'Please', submission: crypto.randomUUID() });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.text).toContain('You have sent a lot from the portal in the last hour');
    expect(refused.text).toContain('value="One more"'); // the words are kept
    expect(await count()).toBe(before + PORTAL_WRITE_LIMITS.requests);
    // another requester is not held back
    const a = await signIn('anna@romashka.example');
    expect((await a.post('/portal/new', { subject: 'Mine', body: 'Please' })).status).toBe(303);

    // messages on a request: the hour's are spent, then the next hour they are not
    const t = (await findTicketByNumber(deps.db, (await ticketOf(boris, 'Keyboard')).number))!;
    const pagePath = (await b.get(`/portal/requests/${t.number}`)).headers.get('location')!;
    for (let i = 0; i < PORTAL_WRITE_LIMITS.messages; i++) await replyFromPortal(ctx(), { contactId: boris.id }, { ticketId: t.id, message: `Reply ${i}` });
    const tooMany = await b.postMultipart(`${pagePath}/reply?lang=ru`, { message: 'Ещё одно', submission: crypto.randomUUID() });
    expect(tooMany.status).toBe(429);
    expect(tooMany.text).toContain('За последний час вы отправили слишком много');
    expect((await listTicketMessages(deps.db, t.id)).some((m) => m.bodyText === 'Ещё одно')).toBe(false);
    deps.clock.advance(PORTAL_WRITE_LIMITS.windowMs);
    expect((await b.postMultipart(`${pagePath}/reply`, { message: 'Ещё одно', submission: crypto.randomUUID() })).status).toBe(303);
    expect((await b.post('/portal/new', { subject: 'Next hour', body: 'Please', submission: crypto.randomUUID() })).status).toBe(303);
  });

  it('a new request takes attachments; a reply from the request page with a file sends a waiting request back to work', async () => {
    const b = await signIn('boris@romashka.example');
    await b.get('/portal/new?lang=en');
    const r = await b.postMultipart('/portal/new', { subject: 'Scanner error', body: 'See the photo' }, [{ field: 'attachments', name: 'photo.png', type: 'image/png', content: Buffer.from('png bytes') }]);
    expect(r.status).toBe(303);
    const t = (await findTicketByNumber(deps.db, Number(/(\d+)$/.exec(r.location!)![1])))!;
    const first = (await listTicketMessages(deps.db, t.id))[0];
    expect((await listAttachmentsForMessages(deps.db, [first.id])).map((a) => a.filename)).toEqual(['photo.png']);

    const agent = await addUser(srv.services, 'agent', 'agent@desk.example', 'Alex Agent');
    await assignTicket(ctx(), { kind: 'system' }, { ticketId: t.id, assigneeId: agent.id });
    await changeStatus(ctx(), { kind: 'user', user: agent }, { ticketId: t.id, status: 'pending_requester' });
    const list = await b.get('/portal?lang=en');
    expect(list.text).toContain('We are waiting for your answer');
    const pagePath = (await b.get(`/portal/requests/${t.number}`)).headers.get('location')!;
    const page = await b.get(pagePath);
    expect(page.text).toContain('id="portal-reply"');
    expect(page.text).toContain('photo.png');
    const sent = await b.postMultipart(`${pagePath}/reply`, { message: 'Here is the log' }, [{ field: 'attachments', name: 'scan.log', type: 'text/plain', content: Buffer.from('E42') }]);
    expect(sent.status).toBe(303);
    const after = await getTicket(deps.db, t.id);
    expect(after.status).toBe('in_progress');
    const last = (await listTicketMessages(deps.db, t.id)).filter((m) => m.kind === 'reply').at(-1)!;
    expect(last).toMatchObject({ direction: 'in', authorContactId: boris.id, bodyText: 'Here is the log', channel: 'web' });
    expect((await listAttachmentsForMessages(deps.db, [last.id])).map((a) => a.filename)).toEqual(['scan.log']);
    const notices = (await deps.db.select().from(outbox).all()).filter((o) => o.event === 'customer_reply');
    expect(notices.map((o) => o.recipient)).toEqual(['agent@desk.example']);
    expect((await b.postMultipart(`${pagePath}/reply`, { message: '' })).status).toBe(422);

    // the files download from the request's page; another request's file does not, by its id
    const href = /href="(\/portal\/[^"]+\/attachments\/\d+)" download>scan\.log</.exec((await b.get(pagePath)).text)![1];
    const file = await b.getBytes(href);
    expect(file.status).toBe(200);
    expect(file.body.toString()).toBe('E42');
    expect(file.headers.get('content-type')).toBe('application/octet-stream');
    expect(file.headers.get('content-security-policy')).toContain('sandbox');
    const other = await createTicket(ctx(), { kind: 'contact', contactId: stranger.id }, { subject: 'Secret', body: 'Private', requesterContactId: stranger.id }, [{ filename: 'secret.txt', contentType: 'text/plain', content: Buffer.from('secret') }]);
    const secretId = (await listAttachmentsForMessages(deps.db, [(await listTicketMessages(deps.db, other.id))[0].id]))[0].id;
    const probe = await b.getBytes(href.replace(/\d+$/, String(secretId)));
    expect(probe.status).toBe(404);
    expect(probe.body.toString()).not.toContain('secret');
  });

  it('confirms a resolution with a satisfaction rating and a comment, which the agent sees on the ticket', async () => {
    const t = await ticketOf(anna, 'Projector');
    const agent = await addUser(srv.services, 'agent', 'agent@desk.example', 'Alex Agent');
    await resolveTicket(ctx(), { kind: 'user', user: agent }, { ticketId: t.id, note: 'Replaced the lamp' });
    const b = await signIn('anna@romashka.example');
    expect((await b.get('/portal?lang=en')).text).toContain('Please confirm the resolution');
    const pagePath = (await b.get(`/portal/requests/${t.number}`)).headers.get('location')!;
    const page = await b.get(pagePath);
    expect(page.text).toMatch(/<input type="radio" name="rating" value="5">/);
    expect(page.text).toContain('<label for="portal-rating-comment">');
    expect((await b.post(`${pagePath}/confirm`, { rating: '9' })).status).toBe(422);
    expect((await b.post(`${pagePath}/confirm`, { rating: '4', comment: 'Quick, thanks' })).status).toBe(303);
    expect(await getTicket(deps.db, t.id)).toMatchObject({ status: 'closed', satisfactionRating: 4, satisfactionComment: 'Quick, thanks' });
    const staff = new Browser(srv.url);
    await staff.login('agent@desk.example', TEST_PASSWORD);
    const console = await staff.get(`/tickets/${t.number}?lang=en`);
    expect(console.text).toMatch(/id="ticket-satisfaction"[^]*4 of 5\.[^]*Quick, thanks/);
  });

  it('signing out everywhere ends every browser’s session; staff who manage contacts can do it for them, and it is recorded', async () => {
    await ticketOf(anna, 'Laptop');
    const phone = await signIn('anna@romashka.example');
    const laptop = await signIn('anna@romashka.example');
    const boris1 = await signIn('boris@romashka.example');
    expect((await laptop.get('/portal')).status).toBe(200);
    const page = (await phone.get('/portal?lang=en')).text;
    expect(page).toContain('Sign out on every device');
    expect((await phone.post('/portal/sign-out-everywhere', {}, { csrf: false })).status).toBe(403);
    const out = await phone.post('/portal/sign-out-everywhere', {});
    expect(out.location).toBe('/portal/sign-in');
    for (const b of [phone, laptop]) expect((await b.get('/portal')).headers.get('location')).toBe('/portal/sign-in');
    expect((await boris1.get('/portal')).status).toBe(200); // someone else's sessions go on
    // signing in again works, from a new link
    const again = await signIn('anna@romashka.example');
    expect((await again.get('/portal')).status).toBe(200);

    // staff: the contact's page ends them too
    await addUser(srv.services, 'agent', 'agent@desk.example', 'Alex Agent');
    const staff = new Browser(srv.url);
    await staff.login('agent@desk.example', TEST_PASSWORD);
    expect((await staff.get(`/contacts/${anna.id}?lang=en`)).text).toContain('Sign out of the portal everywhere');
    const ended = await staff.post(`/contacts/${anna.id}/portal-sessions/end`, {});
    expect(ended.location).toBe(`/contacts/${anna.id}`);
    expect((await again.get('/portal')).headers.get('location')).toBe('/portal/sign-in');
    const events = await deps.db.all<{ type: string; actor_kind: string; data: string }>(sql`select type, actor_kind, data from events where type = 'contact.portal_sessions_ended' order by id`);
    expect(events.map((e) => [e.actor_kind, JSON.parse(e.data)])).toEqual([['contact', { contactId: anna.id }], ['user', { contactId: anna.id }]]);
    expect((await staff.post('/contacts/999999/portal-sessions/end', {})).status).toBe(404);
  });

  it('a notification mail’s link opens its request, and signs its requester in at a press of a button; signing out ends it', async () => {
    const t = await ticketOf(anna, 'Keyboard');
    const b = new Browser(srv.url);
    expect((await b.get('/portal')).status).toBe(303);
    const link = `/portal/${makePortalToken(deps.secrets.token, await getTicket(deps.db, t.id), deps.clock.now())}`;
    const opened = await b.get(`${link}?lang=en`);
    expect(opened.status).toBe(200);
    expect(opened.text).toContain('See all your requests and open new ones');
    // opening it signed no one in (an agent's preview, a link planted on a visitor)
    expect((await b.get('/portal')).status).toBe(303);
    expect((await b.post(`${link}/sign-in`, {}, { csrf: false })).status).toBe(403);
    const signedIn = await b.post(`${link}/sign-in`, {});
    expect(signedIn.status).toBe(303);
    expect(signedIn.location).toBe('/portal');
    const list = await b.get('/portal');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Keyboard');
    const out = await b.post('/portal/sign-out', {});
    expect(out.status).toBe(303);
    expect(out.location).toBe('/portal/sign-in');
    expect((await b.get('/portal')).status).toBe(303);
    expect((await b.get('/portal/new')).status).toBe(303);
  });

  it('a staff session is not a requester session', async () => {
    await addUser(srv.services, 'admin', 'admin@desk.example', 'Ada Admin');
    const b = new Browser(srv.url);
    await b.login('admin@desk.example', TEST_PASSWORD);
    for (const path of ['/portal', '/portal/new', '/portal/requests/1']) expect((await b.get(path)).headers.get('location'), path).toBe('/portal/sign-in');
    expect((await b.post('/portal/new', { subject: 'x', body: 'y' })).location).toBe('/portal/sign-in');
  });
});
