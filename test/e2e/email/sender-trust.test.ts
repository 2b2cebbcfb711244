// What the desk believes about who sent a mail, end to end through intake: DKIM checked against a
// DNS answered from a table (real keys, real signatures), the provider's Authentication-Results
// believed only from the configured authserv-id, and what an unverified sender may not do.
import { afterEach, describe, expect, it } from 'vitest';
import { buildServices, type Services } from '../../../src/services.ts';
import { listTicketMessages, type Message } from '../../../src/store/messages.ts';
import { listOutbox } from '../../../src/store/outbox.ts';
import { getTicket, updateTicket } from '../../../src/store/tickets.ts';
import type { User } from '../../../src/store/users.ts';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { OUR_MESSAGE_ID, seedTicketOne } from '../../helpers/intake.ts';
import { failingResolver, signMail, useMailDomain, type SigningDomain } from '../../helpers/mail-auth.ts';
import { makeMail } from '../../helpers/mail.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD } from '../../helpers/web.ts';

describe('who sent a mail', () => {
  let deps: TestDeps;
  let s: Services;
  let agent: User;
  let ticketId: number;

  async function open(env: Record<string, string> = {}) {
    deps = await makeTestDeps({ SMTP_URL: 'smtp://127.0.0.1:9', MAIL_FROM: 'Support <support@desk.example>', ...env });
    s = buildServices(deps);
    agent = await addUser(s, 'agent', 'agent@desk.example', 'Alex Agent');
    ticketId = await seedTicketOne(deps); // #1 from anna@client.example, our reply carries OUR_MESSAGE_ID
  }
  afterEach(() => deps?.close());

  const receive = async (raw: string) => s.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: Buffer.from(raw) });
  const lastMessage = async (id: number): Promise<Message> => (await listTicketMessages(deps.db, id)).filter((m) => m.kind === 'reply' && m.direction === 'in').at(-1)!;
  const setStatus = async (status: 'pending_requester' | 'resolved') =>
    await updateTicket(deps.db, ticketId, { status, assigneeId: agent.id, resolvedAt: status === 'resolved' ? deps.clock.now() : null }, deps.clock.now());

  describe('checked by the desk (mailauth, the default)', () => {
    let desk: SigningDomain;
    const agentMail = (extra: Parameters<typeof makeMail>[0] = {}) => makeMail({ from: 'Alex Agent <agent@desk.example>', subject: 'Re: Printer on 3rd floor is jammed [#1]', body: 'Fuser replaced.', ...extra });

    it('takes a forged agent From with the subject tag for a stranger: new ticket, marked, nothing changes', async () => {
      await open();
      useMailDomain(deps, 'desk.example'); // the desk's domain publishes DKIM and DMARC p=reject
      await setStatus('pending_requester');
      const r = await receive(agentMail());
      expect(r.outcome).toBe('created');
      expect(r.ticketId).not.toBe(ticketId);
      const m = await lastMessage(r.ticketId!);
      expect(m).toMatchObject({ authorUserId: null, senderCheck: { verdict: 'unverified', reason: 'dmarc-fail', method: 'mailauth', claimsAgent: true } });
      expect(await getTicket(deps.db, ticketId)).toMatchObject({ status: 'pending_requester', firstRespondedAt: null });
      expect(r.reason).toMatch(/subject tag \[#1\] ignored: the sender is not verified/);
    });

    it('threads a forged agent mail that carries our signed reference, as a requester-side message that changes no status', async () => {
      await open();
      useMailDomain(deps, 'desk.example');
      await setStatus('pending_requester');
      const r = await receive(agentMail({ inReplyTo: OUR_MESSAGE_ID }));
      expect(r).toMatchObject({ outcome: 'appended', ticketId });
      expect(await lastMessage(ticketId)).toMatchObject({ authorUserId: null, senderCheck: { verdict: 'unverified', claimsAgent: true } });
      expect(await getTicket(deps.db, ticketId)).toMatchObject({ status: 'pending_requester', firstRespondedAt: null });
    });

    it('believes a DKIM-signed agent mail: an agent message, as before', async () => {
      await open();
      desk = useMailDomain(deps, 'desk.example');
      await setStatus('pending_requester');
      const r = await receive(await signMail(agentMail(), desk));
      expect(r).toMatchObject({ outcome: 'appended', ticketId });
      expect(await lastMessage(ticketId)).toMatchObject({ authorUserId: agent.id, senderCheck: { verdict: 'verified', reason: 'dmarc', claimsAgent: true } });
      expect((await getTicket(deps.db, ticketId)).firstRespondedAt).toBe(deps.clock.now());
    });

    it('does not take a signed mail of the domain as the agent’s when the agent is only in Sender', async () => {
      await open();
      desk = useMailDomain(deps, 'desk.example');
      await setStatus('pending_requester');
      const someonesSignedMail = await signMail(makeMail({ from: 'Boris <boris@desk.example>', subject: 'Lunch', body: 'Signed by the domain.', inReplyTo: OUR_MESSAGE_ID }), desk);
      // two From headers, the first a group without an address: the second (Boris) is the sender, and a
      // mail with more than one From is never vouched for, whatever its signature covers
      const r = await receive(`From: undisclosed-recipients:;\r\nSender: Alex Agent <agent@desk.example>\r\n${someonesSignedMail}`);
      expect(r).toMatchObject({ outcome: 'appended', ticketId });
      expect(await lastMessage(ticketId)).toMatchObject({ authorUserId: null, senderCheck: { verdict: 'unknown', reason: 'no-from', claimsAgent: false } });
      expect(await getTicket(deps.db, ticketId)).toMatchObject({ firstRespondedAt: null });
      await setStatus('pending_requester');
      // only the group From: the agent named in Sender is looked at, and is not taken for the author
      const sign = someonesSignedMail.replace(/^From: .*\r\n/m, '');
      const onlySender = await receive(`From: undisclosed-recipients:;\r\nSender: Alex Agent <agent@desk.example>\r\n${sign.replace(/^Message-ID: <[^>]+>/im, 'Message-ID: <only-sender@desk.example>')}`);
      expect(onlySender).toMatchObject({ outcome: 'appended', ticketId });
      expect(await lastMessage(ticketId)).toMatchObject({ authorUserId: null, senderCheck: { verdict: 'unknown', reason: 'no-from', claimsAgent: true } });
      expect(await getTicket(deps.db, ticketId)).toMatchObject({ status: 'pending_requester', firstRespondedAt: null });
    });

    it('does not believe text added after a signature that covers only the start of the body (l=)', async () => {
      await open();
      desk = useMailDomain(deps, 'desk.example');
      await setStatus('pending_requester');
      const signed = await signMail(agentMail({ body: 'Fuser replaced.', inReplyTo: OUR_MESSAGE_ID }), desk, { bodyLength: 10 });
      const r = await receive(`${signed}\r\nAnd please close the ticket, no more work needed.\r\n`);
      expect(r).toMatchObject({ outcome: 'appended', ticketId });
      expect(await lastMessage(ticketId)).toMatchObject({ authorUserId: null, senderCheck: { claimsAgent: true } });
      expect((await lastMessage(ticketId)).senderCheck?.verdict).not.toBe('verified');
      expect(await getTicket(deps.db, ticketId)).toMatchObject({ status: 'pending_requester', firstRespondedAt: null });
    });

    it('keeps mail when DNS fails: the sender is unknown, a requester still reaches their ticket', async () => {
      await open();
      deps.resolveDns = failingResolver('ETIMEOUT');
      const r = await receive(makeMail({ from: 'Anna Petrova <anna@client.example>', subject: 'Re: [#1] still jammed' }));
      expect(r).toMatchObject({ outcome: 'appended', ticketId });
      expect((await lastMessage(ticketId)).senderCheck).toEqual({ verdict: 'unknown', reason: 'dns', method: 'mailauth', claimsAgent: false });
      const agentsMail = await receive(agentMail());
      expect(agentsMail.outcome).toBe('created');
      expect(await lastMessage(agentsMail.ticketId!)).toMatchObject({ authorUserId: null, senderCheck: { verdict: 'unknown', claimsAgent: true } });
    });
  });

  describe('delivered to the SMTP listener', () => {
    // the desk's domain lists its own mail server (203.0.113.5, loopback on that server) in SPF, as
    // every company does; a forged agent mail from the internet reaches the desk through that server
    const fromServer = async (raw: string, ip: string) =>
      s.intake.receive({ channel: 'email', source: 'smtp', mailboxId: null, raw: Buffer.from(raw), envelopeTo: ['support@desk.example'], sender: { ip, helo: 'mail.desk.example', mailFrom: 'agent@desk.example' } });
    const forged = () => makeMail({ from: 'Alex Agent <agent@desk.example>', subject: 'Re: [#1] close it', body: 'Done, closing.' });

    it('takes no SPF pass from the relay in front of the listener (the default): the forged agent mail is not verified', async () => {
      await open();
      useMailDomain(deps, 'desk.example', { dmarc: null, spfIps: ['203.0.113.5', '127.0.0.1', '10.0.0.25'] });
      await setStatus('pending_requester');
      for (const ip of ['203.0.113.5', '127.0.0.1', '10.0.0.25']) {
        const r = await fromServer(forged(), ip);
        expect(r.outcome, ip).toBe('created');
        expect(await lastMessage(r.ticketId!), ip).toMatchObject({ authorUserId: null, senderCheck: { verdict: 'unverified', reason: 'no-signature', claimsAgent: true } });
      }
      expect(await getTicket(deps.db, ticketId)).toMatchObject({ status: 'pending_requester', firstRespondedAt: null });
    });

    it('believes SPF with SMTP_INBOUND_MX=true when the client is a public server, never a loopback or private one', async () => {
      await open({ SMTP_INBOUND_PORT: '0', SMTP_INBOUND_MX: 'true' });
      useMailDomain(deps, 'desk.example', { dmarc: null, spfIps: ['203.0.113.5', '127.0.0.1', '10.0.0.25'] });
      await setStatus('pending_requester');
      for (const ip of ['127.0.0.1', '10.0.0.25']) {
        const r = await fromServer(forged(), ip);
        expect(await lastMessage(r.ticketId!), ip).toMatchObject({ authorUserId: null, senderCheck: { verdict: 'unverified', reason: 'no-signature' } });
      }
      const r = await fromServer(makeMail({ from: 'Alex Agent <agent@desk.example>', subject: 'Re: Printer on 3rd floor is jammed [#1]', body: 'Fuser replaced.' }), '203.0.113.5');
      expect(r).toMatchObject({ outcome: 'appended', ticketId });
      expect(await lastMessage(ticketId)).toMatchObject({ authorUserId: agent.id, senderCheck: { verdict: 'verified', reason: 'spf', claimsAgent: true } });
    });
  });

  describe('requesters', () => {
    const annaReply = () => makeMail({ from: 'Anna Petrova <anna@client.example>', subject: 'Re: Printer on 3rd floor is jammed', inReplyTo: OUR_MESSAGE_ID, body: 'It jams again.' });

    it('reopen as before by default, the message marked unverified', async () => {
      await open();
      await setStatus('resolved');
      const r = await receive(annaReply());
      expect(r).toMatchObject({ outcome: 'appended', ticketId });
      expect(await getTicket(deps.db, ticketId)).toMatchObject({ status: 'reopened', reopenCount: 1 });
      expect((await lastMessage(ticketId)).senderCheck).toMatchObject({ verdict: 'unknown', claimsAgent: false });
    });

    it('may not reopen unverified when MAIL_VERIFY_REQUESTERS=on: a new linked ticket, acknowledged as any other', async () => {
      await open({ MAIL_VERIFY_REQUESTERS: 'on' });
      useMailDomain(deps, 'client.example');
      await setStatus('resolved');
      const r = await receive(annaReply());
      expect(r.outcome).toBe('created');
      expect(await getTicket(deps.db, ticketId)).toMatchObject({ status: 'resolved', reopenCount: 0 });
      expect(r.reason).toMatch(/reopen of #1 refused \(the sender is not verified\)/);
      const note = (await listTicketMessages(deps.db, r.ticketId!)).find((m) => m.kind === 'note');
      expect(note?.bodyText).toMatch(/could not verify/);
      const mail = (await listOutbox(deps.db, {}, { limit: 10 })).filter((o) => o.ticketId === r.ticketId);
      expect(mail.map((o) => o.event)).toEqual(['ack']);
      // the subject tag is refused the same way
      const tagged = await receive(makeMail({ from: 'Anna Petrova <anna@client.example>', subject: 'Re: [#1] jammed' }));
      expect(tagged.outcome).toBe('created');
    });

    it('reopen when verified, also with MAIL_VERIFY_REQUESTERS=on', async () => {
      await open({ MAIL_VERIFY_REQUESTERS: 'on' });
      const client = useMailDomain(deps, 'client.example');
      await setStatus('resolved');
      const r = await receive(await signMail(annaReply(), client));
      expect(r).toMatchObject({ outcome: 'appended', ticketId });
      expect(await getTicket(deps.db, ticketId)).toMatchObject({ status: 'reopened', reopenCount: 1 });
    });
  });

  describe('believed from the provider (authserv)', () => {
    // the provider adds its header on top; the one inside the mail is the sender's own writing
    const withResults = (byProvider: string | null, bySender?: string) =>
      (byProvider ? `Authentication-Results: ${byProvider}\r\n` : '') +
      makeMail({
        from: 'Alex Agent <agent@desk.example>', subject: 'Re: Printer on 3rd floor is jammed [#1]', body: 'Fuser replaced.',
        headers: bySender ? { 'Authentication-Results': bySender } : {},
      });

    it('trusts the topmost header of the configured authserv-id', async () => {
      await open({ MAIL_AUTHSERV_ID: 'mx.provider.example' });
      const r = await receive(withResults('mx.provider.example; dkim=pass header.d=desk.example; dmarc=pass header.from=desk.example'));
      expect(r).toMatchObject({ outcome: 'appended', ticketId });
      expect(await lastMessage(ticketId)).toMatchObject({ authorUserId: agent.id, senderCheck: { verdict: 'verified', method: 'authserv' } });
    });

    it('ignores a header of any other id, and one of the right id below the provider’s own', async () => {
      await open({ MAIL_AUTHSERV_ID: 'mx.provider.example' });
      const other = await receive(withResults(null, 'mail.attacker.example; dmarc=pass header.from=desk.example'));
      expect(other.outcome).toBe('created');
      expect(await lastMessage(other.ticketId!)).toMatchObject({ authorUserId: null, senderCheck: { verdict: 'unknown', reason: 'no-results', claimsAgent: true } });
      const below = await receive(withResults('mx.provider.example; dkim=none; dmarc=fail header.from=desk.example', 'mx.provider.example; dmarc=pass header.from=desk.example'));
      expect(below.outcome).toBe('created');
      expect(await lastMessage(below.ticketId!)).toMatchObject({ authorUserId: null, senderCheck: { verdict: 'unverified', reason: 'dmarc-fail' } });
    });
  });

  it('shows agents which messages have a sender the desk could not verify, and why', async () => {
    await open();
    useMailDomain(deps, 'desk.example');
    const forged = await receive(makeMail({ from: 'Alex Agent <agent@desk.example>', subject: 'Re: [#1] reset the CEO password', inReplyTo: OUR_MESSAGE_ID }));
    const srv = await startTestServer(deps, s);
    try {
      const browser = new Browser(srv.url);
      await browser.login('agent@desk.example', TEST_PASSWORD);
      const page = await browser.get(`/tickets/${(await getTicket(deps.db, forged.ticketId!)).number}`);
      expect(page.status).toBe(200);
      const item = page.text.slice(page.text.indexOf(`id="m${(await lastMessage(ticketId)).id}"`));
      expect(item).toMatch(/<span class="badge warn sender-unverified" title="[^"]*DMARC[^"]*">Sender not verified<\/span>/);
      expect(item).toContain('taken as a requester-side message that changed no status');
      expect(page.text.match(/>Sender not verified</g)).toHaveLength(1);
    } finally {
      await srv.close();
    }
  });

  it('believes From as written with MAIL_SENDER_VERIFY=off, and marks nothing', async () => {
    await open({ MAIL_SENDER_VERIFY: 'off' });
    const r = await receive(makeMail({ from: 'Alex Agent <agent@desk.example>', subject: 'Re: [#1]', body: 'On it.' }));
    expect(r).toMatchObject({ outcome: 'appended', ticketId });
    expect(await lastMessage(ticketId)).toMatchObject({ authorUserId: agent.id, senderCheck: null });
  });
});
