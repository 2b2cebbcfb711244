// Requester portal links over HTTP, with the real outbox worker and a loopback SMTP server: a
// merged ticket's link never opens the ticket it went into; links the desk never issued (old-style
// or forged) are unknown; expired and revoked links offer a fresh link, sent once per ten minutes
// to the address on file only; the link in that mail works.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { startSmtpServer, type TestSmtp } from '../../helpers/smtp.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../helpers/web.ts';
import { confirmResolution } from '../../../src/actions/portal.ts';
import { mergeTickets } from '../../../src/actions/ticket-links.ts';
import { createTicket, replyToTicket } from '../../../src/actions/tickets.ts';
import { resolveTicket } from '../../../src/actions/resolution.ts';
import { outbox } from '../../../src/db/schema.ts';
import { makePortalToken } from '../../../src/domain/portal-link.ts';
import { signPayload } from '../../../src/domain/reply-token.ts';
import { createOutboxWorker, type OutboxWorker } from '../../../src/outbox/worker.ts';
import { insertContact } from '../../../src/store/contacts.ts';
import { listTicketEvents } from '../../../src/store/events.ts';
import { listTicketMessages } from '../../../src/store/messages.ts';
import { getTicket, insertTicket, updateTicket, type Ticket } from '../../../src/store/tickets.ts';
import type { User } from '../../../src/store/users.ts';

const PUBLIC_URL = 'https://help.desk.example';
const DAY = 86_400_000;

describe('requester portal links', () => {
  let smtp: TestSmtp;
  let deps: TestDeps;
  let srv: TestServer;
  let worker: OutboxWorker;
  let agent: User;
  beforeEach(async () => {
    smtp = await startSmtpServer();
    deps = await makeTestDeps({ SMTP_URL: smtp.url, MAIL_FROM: 'Acme IT <support@desk.example>', PUBLIC_URL });
    srv = await startTestServer(deps);
    worker = createOutboxWorker(srv.services.ctx, { senders: srv.services.senders });
    agent = await addUser(srv.services, 'agent', 'agent@desk.example', 'Alex Agent');
  });
  afterEach(async () => {
    await worker.stop();
    await srv.close();
    await smtp.close();
    deps.close();
  });

  const ctx = () => srv.services.ctx;
  const as = { kind: 'user' as const };
  /** the link as a mail sent now would carry it */
  const link = async (t: Pick<Ticket, 'id'>) => `/portal/${makePortalToken(deps.secrets.token, await getTicket(deps.db, t.id), deps.clock.now())}`;
  const open = async (requesterEmail: string, requesterName: string, body: string) =>
    await createTicket(ctx(), { ...as, user: agent }, { subject: `Request of ${requesterName}`, body, requesterEmail, requesterName });
  const closed = async (t: Ticket) => {
    await resolveTicket(ctx(), { ...as, user: agent }, { ticketId: t.id, note: 'Cleaned the rollers' });
    await confirmResolution(ctx(), { contactId: t.requesterId! }, { ticketId: t.id });
    return await getTicket(deps.db, t.id);
  };
  const outboxRows = async () => await deps.db.select().from(outbox).all();
  const pathOf = (url: string) => url.slice(PUBLIC_URL.length);
  const linkInMail = (text: string) => pathOf(/https:\/\/help\.desk\.example\/portal\/\S+/.exec(text)![0]);

  it('a merged ticket’s link says so, never shows the other ticket to someone else, and refuses every action', async () => {
    const a = await open('xavier@client.example', 'Xavier', 'My own words');
    const b = await open('yolanda@other.example', 'Yolanda', 'Yolanda’s private conversation');
    await replyToTicket(ctx(), { ...as, user: agent }, { ticketId: b.id, body: 'Answer meant for Yolanda only' });
    await resolveTicket(ctx(), { ...as, user: agent }, { ticketId: b.id, note: 'Done' });
    const linkA = await link(a);
    const x = new Browser(srv.url);
    expect((await x.get(linkA)).status).toBe(200); // his page, with its forms, open before the merge
    await mergeTickets(ctx(), { ...as, user: agent }, { sourceId: a.id, targetNumber: b.number, confirm: true });
    const before = { b: await getTicket(deps.db, b.id), messages: (await listTicketMessages(deps.db, b.id)).length };
    const neverShown = ['Yolanda', 'private conversation', 'Answer meant for', `/portal/t${b.id}.`];

    // the merge keeps Xavier in the loop by mail: he is told so, but gets no page of Yolanda's ticket
    const page = await x.get(`${linkA}?lang=en`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('This request was merged');
    expect(page.text).toContain(`You take part in request #${b.number}`);
    for (const secret of neverShown) expect(page.text).not.toContain(secret);

    for (const [action, form] of [['confirm', {}], ['reopen', { message: 'Still broken' }], ['escalate', { reason: 'Too slow' }]] as const) {
      const r = await x.post(`${linkA}/${action}`, form);
      expect(r.status, action).toBe(409);
      expect(r.text).toContain('Nothing was changed');
      for (const secret of neverShown) expect(r.text).not.toContain(secret);
    }
    expect((await x.post(`${linkA}/fresh-link`, {})).status).toBe(303);
    expect(await getTicket(deps.db, b.id)).toEqual(before.b);
    expect(await listTicketMessages(deps.db, b.id)).toHaveLength(before.messages);
    expect(await getTicket(deps.db, a.id)).toMatchObject({ status: 'closed', mergedIntoId: b.id, reopenCount: 0 });
    expect((await outboxRows()).filter((r) => r.event === 'portal_link')).toHaveLength(0);

    // no longer a participant: not even the other ticket's number
    await deps.db.run('delete from ticket_participants where ticket_id = ?', b.id);
    const stranger = await x.get(linkA);
    expect(stranger.text).not.toContain(`#${b.number}`);
    for (const secret of neverShown) expect(stranger.text).not.toContain(secret);

    // Yolanda's own duplicate leads her on to her ticket
    const c = await open('yolanda@other.example', 'Yolanda', 'Same problem again');
    const linkC = await link(c);
    await mergeTickets(ctx(), { ...as, user: agent }, { sourceId: c.id, targetNumber: b.number });
    const y = new Browser(srv.url);
    const to = /href="(\/portal\/t\d+\.[^"]+)"/.exec((await y.get(linkC)).text)?.[1];
    expect(to).toMatch(new RegExp(`^/portal/t${b.id}\\.`));
    expect((await y.get(to!)).text).toContain('Answer meant for Yolanda only');
  });

  it('links the desk never issued are unknown: old-style, forged, altered, or for another ticket', async () => {
    const t = await open('anna@client.example', 'Anna', 'Printer jams');
    const good = await link(t);
    const b = new Browser(srv.url);
    expect((await b.get(good)).status).toBe(200);
    const oldStyle = `/portal/t${t.id}.${signPayload(deps.secrets.token, `portal.t${t.id}`)}`;
    const otherKey = `/portal/${makePortalToken('another key entirely, 32 chars long', await getTicket(deps.db, t.id), deps.clock.now())}`;
    // a changed signature (its first half proves the desk issued the link)
    const [head, issued, sig] = good.split('.');
    const altered = `${head}.${issued}.${sig[0] === 'a' ? 'b' : 'a'}${sig.slice(1)}`;
    const otherTicket = good.replace(`/portal/t${t.id}.`, `/portal/t${t.id + 1}.`);
    for (const url of [oldStyle, otherKey, altered, otherTicket, '/portal/nonsense']) {
      expect((await b.get(url)).status, url).toBe(404);
      expect((await b.post(`${url}/fresh-link`, {})).status, url).toBe(404);
    }
    expect((await outboxRows()).filter((r) => r.event === 'portal_link')).toHaveLength(0);
  });

  it('an expired link gives 410 and acts on nothing; the fresh link goes once, to the address on file only, and works', async () => {
    const t = await open('anna@client.example', 'Anna', 'Printer jams');
    const oldLink = await link(t);
    await closed(t);
    await worker.runOnce(); // the mail about the ticket so far
    deps.clock.advance(30 * DAY - 1000);
    const b = new Browser(srv.url);
    expect((await b.get(oldLink)).status).toBe(200);
    deps.clock.advance(1000);

    const gone = await b.get(`${oldLink}?lang=en`);
    expect(gone.status).toBe(410);
    expect(gone.text).toContain('This link has expired');
    expect(gone.text).toContain('/fresh-link');
    expect(gone.text).not.toContain('Printer jams');
    expect((await b.post(`${oldLink}/reopen`, { message: 'Again' })).status).toBe(410);
    expect(await getTicket(deps.db, t.id)).toMatchObject({ status: 'closed', reopenCount: 0 });

    const queued = (await outboxRows()).length;
    const asked = await b.post(`${oldLink}/fresh-link`, { email: 'mallory@evil.example', recipient: 'mallory@evil.example' });
    expect(asked.status).toBe(303);
    expect((await b.get(asked.location!)).text).toContain('A new link is on its way');
    const rows = (await outboxRows()).slice(queued);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'email', event: 'portal_link', recipient: 'anna@client.example', ticketId: t.id });
    expect(JSON.stringify(await outboxRows())).not.toContain('mallory');

    const again = await b.post(`${oldLink}/fresh-link`, {});
    expect(again.status).toBe(429);
    expect(again.headers.get('retry-after')).toBe('600');
    expect(await outboxRows()).toHaveLength(queued + 1);

    // the link is issued when the mail goes, so it counts its days from then
    deps.clock.advance(60_000);
    expect(await worker.runOnce()).toMatchObject({ sent: 1 });
    const mail = smtp.received.at(-1)!;
    expect(mail.to).toEqual(['anna@client.example']);
    expect(mail.parsed.subject).toContain(`[#${t.number}]`);
    const fresh = linkInMail(mail.parsed.text!);
    expect(fresh).not.toBe(oldLink);
    const page = await new Browser(srv.url).get(fresh);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Printer jams');

    deps.clock.advance(10 * 60_000);
    expect((await b.post(`${oldLink}/fresh-link`, {})).status).toBe(303);
    expect(await outboxRows()).toHaveLength(queued + 2);
  });

  it('a requester with only a phone gets the fresh link by SMS', async () => {
    const now = deps.clock.now();
    const c = await insertContact(deps.db, { name: 'Boris', phones: ['+79123456789'] }, now);
    const t = await insertTicket(deps.db, { subject: 'Phone only', channel: 'sms', requesterId: c.id }, now);
    await updateTicket(deps.db, t.id, { status: 'closed', closedAt: now }, now);
    const oldLink = await link(t);
    deps.clock.advance(31 * DAY);
    const b = new Browser(srv.url);
    expect((await b.get(oldLink)).status).toBe(410);
    expect((await b.post(`${oldLink}/fresh-link`, {})).status).toBe(303);
    const row = (await outboxRows()).find((r) => r.event === 'portal_link')!;
    expect(row).toMatchObject({ channel: 'sms', recipient: '+79123456789', ticketId: t.id });
    const url = String((row.payload as { vars: { url: string } }).vars.url);
    expect((await b.get(pathOf(url))).status).toBe(200);
  });

  it('revoking makes every link given out so far 410, and links in new mail work', async () => {
    const t = await open('anna@client.example', 'Anna', 'Printer jams');
    const oldLink = await link(t);
    const requester = new Browser(srv.url);
    expect((await requester.get(oldLink)).status).toBe(200);

    const a = new Browser(srv.url);
    await a.login('agent@desk.example', TEST_PASSWORD);
    const ticketPage = await a.get(`/tickets/${t.number}`);
    expect(ticketPage.text).toContain(`/tickets/${t.number}/portal-links/revoke`);
    const revoked = await a.post(`/tickets/${t.number}/portal-links/revoke`, {});
    expect(revoked.status).toBe(303);
    expect((await listTicketEvents(deps.db, t.id)).map((e) => e.type)).toContain('ticket.portal_links_revoked');
    expect((await a.get(`/tickets/${t.number}`)).text).toContain('revoked all requester links');

    const gone = await requester.get(`${oldLink}?lang=en`);
    expect(gone.status).toBe(410);
    expect(gone.text).toContain('This link no longer works');
    expect((await requester.post(`${oldLink}/escalate`, { reason: 'Slow' })).status).toBe(410);
    expect((await getTicket(deps.db, t.id)).escalatedAt).toBeNull();

    // the requester asks for a new link: it arrives by mail and opens the ticket
    await worker.runOnce(); // the mail about the ticket so far
    expect((await requester.post(`${oldLink}/fresh-link`, {})).status).toBe(303);
    expect(await worker.runOnce()).toMatchObject({ sent: 1 });
    const fresh = linkInMail(smtp.received.at(-1)!.parsed.text!);
    expect((await requester.get(fresh)).status).toBe(200);
    // and the link the agent's page shows now is a new one too
    const shown = /href="https:\/\/help\.desk\.example(\/portal\/[^"]+)"/.exec((await a.get(`/tickets/${t.number}`)).text)![1];
    expect((await requester.get(shown)).status).toBe(200);
  });
});
