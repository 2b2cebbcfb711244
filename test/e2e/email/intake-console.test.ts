// The intake pages of the console, over HTTP in-process: the quarantine list with raw downloads
// and reprocessing, the mailboxes page with a real IMAP connection test, inline images.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildServices } from '../../../src/services.ts';
import { findMailboxByAddress, getMailbox, insertMailbox, mailboxPassword, updateMailbox, updateMailboxState } from '../../../src/store/mailboxes.ts';
import { sealSecret } from '../../../src/domain/stored-secret.ts';
import { findInbound } from '../../../src/store/inbound.ts';
import { listTicketMessages } from '../../../src/store/messages.ts';
import { startDovecot, type Dovecot } from '../../helpers/dovecot.ts';
import { makeMail } from '../../helpers/mail.ts';
import { addUser, Browser, TEST_PASSWORD } from '../../helpers/web.ts';
import { useTestDesk } from '../../helpers/test-desk.ts';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/email/${name}`, import.meta.url));

describe('intake console', () => {
  const desk = useTestDesk({ file: true });
  let admin: Browser;
  beforeEach(async () => {
    admin = await desk.signIn(await addUser(desk.srv.services, 'admin'));
  });

  it('lists quarantined mail with its error, serves the raw file as a download and reprocesses it', async () => {
    // quarantined under a small size limit
    const small = { ...desk.deps, config: { ...desk.deps.config, limits: { ...desk.deps.config.limits, mailBytes: 100 } } };
    const raw = fixture('new-ticket-plain.eml');
    const q = await buildServices(small).intake.receive({ channel: 'email', source: 'imap', mailboxId: null, raw });
    expect(q.outcome).toBe('quarantined');

    const page = await admin.get('/admin/inbound');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`data-inbound="${q.inboundId}"`);
    expect(page.text).toContain('over the 100-byte limit (MAX_MAIL_BYTES)');
    expect(page.text).toContain('href="/admin/inbound"'); // the nav link

    const dl = await fetch(`${desk.srv.url}/inbound/${q.inboundId}/raw`, { headers: { cookie: cookieOf(admin) } });
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="?inbound-${q.inboundId}\\.eml"?$`));
    expect(dl.headers.get('content-type')).toBe('application/octet-stream');
    expect(dl.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await dl.arrayBuffer()).equals(raw)).toBe(true);

    // the running desk has the normal limit: one click takes it out of quarantine
    const noCsrf = await admin.post(`/admin/inbound/${q.inboundId}/reprocess`, {}, { csrf: false });
    expect(noCsrf.status).toBe(403);
    const r = await admin.post(`/admin/inbound/${q.inboundId}/reprocess`, { view: 'quarantined' });
    expect(r.status).toBe(303);
    expect(r.location).toBe('/admin/inbound?view=quarantined');
    const rec = (await findInbound(desk.deps.db, q.inboundId!))!;
    expect(rec.outcome).toBe('created');
    expect(rec.attempts).toBe(2);
    const after = await admin.get('/admin/inbound?view=quarantined');
    expect(after.text).toContain('Processed again: the mail is on its ticket now.');
    expect(after.text).not.toContain(`data-inbound="${q.inboundId}"`);
    expect((await admin.get('/admin/inbound?view=all')).text).toContain(`href="/tickets/1"`);
  });

  it('lists ignored mail (own loop, unmatched auto-replies) and mail with parse problems', async () => {
    const { intake } = desk.srv.services;
    await intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: fixture('exchange-oof.eml') });
    await intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: fixture('ru-undeclared-koi8r.eml') });
    const ignored = await admin.get('/admin/inbound?view=ignored');
    expect(ignored.text).toContain('Automatic reply: Printer is jammed');
    expect(ignored.text).toContain('Automatic mail');
    const problems = await admin.get('/admin/inbound?view=problems');
    expect(problems.text).toContain('text without a charset, read as koi8-r');
  });

  it('keeps the quarantine and the mailboxes to the roles that may see them', async () => {
    await addUser(desk.srv.services, 'agent');
    await addUser(desk.srv.services, 'manager');
    const agent = desk.browser();
    await agent.login('agent@desk.test', TEST_PASSWORD);
    expect((await agent.get('/admin/inbound')).status).toBe(403);
    expect((await agent.get('/admin/mailboxes')).status).toBe(403);
    const manager = desk.browser();
    await manager.login('manager@desk.test', TEST_PASSWORD);
    expect((await manager.get('/admin/inbound')).status).toBe(200);
    expect((await manager.get('/admin/mailboxes')).status).toBe(403);

    // an agent may download the original of mail on a ticket, not quarantined mail
    const { intake } = desk.srv.services;
    const onTicket = await intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: fixture('new-ticket-plain.eml') });
    const broken = await intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: fixture('corrupt-no-headers.eml') });
    expect((await fetch(`${desk.srv.url}/inbound/${onTicket.inboundId}/raw`, { headers: { cookie: cookieOf(agent) } })).status).toBe(200);
    expect((await fetch(`${desk.srv.url}/inbound/${broken.inboundId}/raw`, { headers: { cookie: cookieOf(agent) } })).status).toBe(403);
  });

  it('shows an inline cid: image inside the HTML body, served inline from the attachments route', async () => {
    const r = await desk.srv.services.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: fixture('html-inline-image.eml') });
    const messages = await listTicketMessages(desk.deps.db, r.ticketId!);
    expect(messages[0].bodyHtml).toContain('src="cid:logo@client.example"');
    const page = await admin.get('/tickets/1');
    const m = /src="\/attachments\/(\d+)\?inline=1"/.exec(page.text);
    expect(m, 'the cid: link is rewritten to the attachment').not.toBeNull();
    expect(page.text).not.toContain('cid:logo@client.example');
    const img = await fetch(`${desk.srv.url}/attachments/${m![1]}?inline=1`, { headers: { cookie: cookieOf(admin) } });
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(img.headers.get('content-disposition')).toMatch(/^inline;/);
  });

  describe('mailboxes', () => {
    let dovecot: Dovecot;
    beforeAll(async () => {
      dovecot = await startDovecot();
    });
    afterAll(async () => {
      await dovecot?.close();
    });

    it('fills the server for a common mail service and says what it asks for first', async () => {
      const plain = await admin.get('/admin/mailboxes/new');
      for (const id of ['gmail', 'yandex', 'mailru', 'exchange', 'microsoft365']) expect(plain.text).toContain(`href="/admin/mailboxes/new?preset=${id}"`);
      const yandex = await admin.get('/admin/mailboxes/new?preset=yandex');
      expect(yandex.text).toMatch(/name="host" required value="imap\.yandex\.ru"/);
      expect(yandex.text).toMatch(/name="port" type="number" min="1" max="65535" required value="993"/);
      expect(yandex.text).toMatch(/name="secure" checked/);
      expect(yandex.text).toContain('app password');
      expect(yandex.text).toMatch(/href="\/admin\/mailboxes\/new\?preset=yandex" class="chip active" aria-current="true"/);
      const m365 = await admin.get('/admin/mailboxes/new?preset=microsoft365');
      expect(m365.text).toMatch(/<p class="banner warn" data-preset="microsoft365">Microsoft 365 accepts only OAuth 2\.0/);
      expect((await admin.get('/admin/mailboxes/new?preset=exchange')).text).toMatch(/name="host" required value=""/);
      expect((await admin.get('/admin/mailboxes/new?preset=aol')).text).not.toContain('data-preset=');
    });

    it('adds a mailbox after validating the form, tests its connection and turns it off and on', async () => {
      const u = dovecot.addUser();
      await admin.get('/admin/mailboxes/new');
      const bad = await admin.post('/admin/mailboxes', { name: 'Support', address: 'not an address', host: 'imap://x', port: '0', username: '', password: '', folder: 'INBOX' });
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('Enter the address people write to');
      expect(bad.text).toContain('Enter a host name, without imap:// or a port');

      const form = { name: 'Support', address: 'Support@Desk.Example', host: dovecot.host, port: String(dovecot.port), allowPlaintext: 'on', username: u.user, password: u.password, folder: 'INBOX', enabled: 'on' };
      const test = await admin.post('/admin/mailboxes/test', form);
      expect(test.status).toBe(200);
      expect(test.text).toContain('Connected: logged in and opened the folder (0 messages in it).');
      expect(test.text).not.toContain(u.password); // never sent back

      const noFolder = await admin.post('/admin/mailboxes/test', { ...form, folder: 'Nope' });
      expect(noFolder.status).toBe(422);
      expect(noFolder.text).toContain('Logged in, but there is no folder &quot;Nope&quot;');

      const created = await admin.post('/admin/mailboxes', form);
      expect(created.status).toBe(303);
      const mb = (await findMailboxByAddress(desk.deps.db, 'support@desk.example'))!;
      // the password is kept sealed: the database alone does not give it away
      expect(mb.password).toMatch(/^sealed:v1:/);
      expect(mb.password).not.toContain(u.password);
      expect(mailboxPassword(mb, desk.deps.secrets.credentials)).toBe(u.password);
      // mail already in the folder is left alone unless asked for (else every old mail becomes a ticket)
      expect(mb.importSince).toBe(desk.deps.clock.now() - 24 * 3600_000);

      // the list: last success, last error, today's counts
      await updateMailboxState(desk.deps.db, mb.id, { lastSuccessAt: desk.deps.clock.now(), lastError: 'connection refused (x)', lastErrorAt: desk.deps.clock.now() - 60_000 });
      await desk.srv.services.intake.receive({ channel: 'email', source: 'imap', mailboxId: mb.id, raw: Buffer.from(makeMail({ subject: 'Today' })) });
      const list = await admin.get('/admin/mailboxes');
      expect(list.text).toContain('support@desk.example');
      expect(list.text).toContain('Last successful fetch');
      expect(list.text).toContain('connection refused (x)');
      expect(list.text).toContain('imported: 1');
      expect(list.text).toContain('quarantined: 0');

      // edit: an empty password keeps the stored one; a stored mailbox tests with it
      const retest = await admin.post(`/admin/mailboxes/${mb.id}/test`, { ...form, password: '' });
      expect(retest.text).toContain('Connected');
      expect((await admin.post(`/admin/mailboxes/${mb.id}`, { ...form, name: 'Help', password: '', markSeen: 'on', moveTo: 'Processed' })).status).toBe(303);
      const edited = await getMailbox(desk.deps.db, mb.id);
      expect(edited).toMatchObject({ name: 'Help', password: mb.password, markSeen: true, moveTo: 'Processed' });

      // after the desk's secret changed, the stored password cannot be opened: the form says so
      await updateMailbox(desk.deps.db, mb.id, { password: sealSecret(randomBytes(32).toString('base64url'), u.password) }, desk.deps.clock.now());
      const unreadable = await admin.post(`/admin/mailboxes/${mb.id}/test`, { ...form, password: '' });
      expect(unreadable.status).toBe(422);
      expect(unreadable.text).toContain('The stored mailbox password cannot be read with this desk&#x27;s secret key');
      expect((await admin.post(`/admin/mailboxes/${mb.id}/test`, form)).text).toContain('Connected');

      expect((await admin.post(`/admin/mailboxes/${mb.id}/enabled`, { enabled: '0' })).status).toBe(303);
      expect((await getMailbox(desk.deps.db, mb.id)).enabled).toBe(false);
      expect((await admin.get('/admin/mailboxes')).text).toContain('Enable');
      await admin.post(`/admin/mailboxes/${mb.id}/enabled`, { enabled: '1' });
      expect((await getMailbox(desk.deps.db, mb.id)).enabled).toBe(true);
    });

    it('says clearly when the login is refused', async () => {
      const own = await startDovecot(); // failed logins slow the next ones down: a server of its own
      try {
        const u = own.addUser();
        await admin.get('/admin/mailboxes/new');
        const r = await admin.post('/admin/mailboxes/test', {
          name: 'X', address: 'x@desk.example', host: own.host, port: String(own.port), allowPlaintext: 'on', username: u.user, password: 'wrong', folder: 'INBOX',
        });
        expect(r.status).toBe(422);
        expect(r.text).toContain('Connection test failed: login failed');
      } finally {
        await own.close();
      }
    });

    it('keeps the connection of the IMAP_* mailbox read-only', async () => {
      const env = await insertMailbox(desk.deps.db, { name: 'Env', address: 'env@desk.example', host: 'imap.example.com', username: 'env', password: 'secret', fromEnv: true }, Date.now());
      const page = await admin.get(`/admin/mailboxes/${env.id}`);
      expect(page.text).toContain('comes from the IMAP_* settings');
      expect(page.text).not.toContain('secret');
      await admin.post(`/admin/mailboxes/${env.id}`, { name: 'Renamed', address: 'env@desk.example', host: 'evil.example', port: '993', username: 'x', folder: 'INBOX', enabled: 'on' });
      expect(await getMailbox(desk.deps.db, env.id)).toMatchObject({ name: 'Renamed', host: 'imap.example.com', username: 'env' });
    });
  });
});

function cookieOf(b: Browser): string {
  return (b as unknown as { cookieHeader(): string }).cookieHeader();
}
