// Mailbox connections: the stored password never goes to another server or user, and a mailbox
// without TLS from the start must switch to TLS (STARTTLS) unless plain text is allowed explicitly.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkImapConnection } from '../../../src/channels/email/imap-check.ts';
import { sealSecret } from '../../../src/domain/stored-secret.ts';
import { startIntake, type IntakeRole } from '../../../src/roles/intake.ts';
import { buildServices } from '../../../src/services.ts';
import { findMailboxByAddress, getMailbox, insertMailbox, listMailboxes, type Mailbox } from '../../../src/store/mailboxes.ts';
import { findUserByEmail, updateUser } from '../../../src/store/users.ts';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { startDovecot, type Dovecot } from '../../helpers/dovecot.ts';
import { makeMail, waitUntil } from '../../helpers/mail.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD } from '../../helpers/web.ts';
import { useTestDesk } from '../../helpers/test-desk.ts';

/** A TCP listener on loopback that only counts who connects to it (a stranger's "IMAP server"). */
async function countingListener(): Promise<{ port: number; connections: () => number; close(): Promise<void> }> {
  let n = 0;
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => {
    n++;
    sockets.push(s);
    s.write('* OK ready\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : 0,
    connections: () => n,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

describe('mailbox password on a changed server', () => {
  const desk = useTestDesk();
  let admin: Browser;
  let mb: Mailbox;
  let stranger: Awaited<ReturnType<typeof countingListener>>;
  beforeEach(async () => {
    admin = await desk.signIn(await addUser(desk.srv.services, 'admin'));
    mb = await insertMailbox(desk.deps.db, {
      name: 'Support', address: 'support@desk.example', host: 'imap.desk.example', port: 993, secure: true,
      username: 'support', password: sealSecret(desk.deps.secrets.credentials, 'stored-secret'), folder: 'INBOX', fromEnv: false,
    }, desk.deps.clock.now());
    stranger = await countingListener();
  });
  afterEach(async () => {
    await stranger.close();
  });

  const form = (over: Record<string, string>) => ({
    name: 'Support', address: 'support@desk.example', host: 'imap.desk.example', port: '993', secure: 'on',
    username: 'support', password: '', folder: 'INBOX', enabled: 'on', ...over,
  });

  it('refuses to test another host with the stored password and connects nowhere', async () => {
    await admin.get(`/admin/mailboxes/${mb.id}`);
    const r = await admin.post(`/admin/mailboxes/${mb.id}/test`, form({ host: '127.0.0.1', port: String(stranger.port), secure: '' }));
    expect(r.status).toBe(422);
    expect(r.text).toContain('Enter the password again: the server or user name changed');
    expect(stranger.connections()).toBe(0);
  });

  it('refuses to save another host or user without the password, and keeps the stored settings', async () => {
    await admin.get(`/admin/mailboxes/${mb.id}`);
    const host = await admin.post(`/admin/mailboxes/${mb.id}`, form({ host: 'imap.elsewhere.example' }));
    expect(host.status).toBe(422);
    expect(host.text).toContain('Enter the password again');
    const user = await admin.post(`/admin/mailboxes/${mb.id}`, form({ username: 'someone-else' }));
    expect(user.status).toBe(422);
    expect(await getMailbox(desk.deps.db, mb.id)).toMatchObject({ host: 'imap.desk.example', username: 'support', password: mb.password });

    // the same server and user keep the stored password; a new password goes with a new server
    expect((await admin.post(`/admin/mailboxes/${mb.id}`, form({ host: 'IMAP.desk.example', name: 'Help' }))).status).toBe(303);
    expect((await getMailbox(desk.deps.db, mb.id)).password).toBe(mb.password);
    expect((await admin.post(`/admin/mailboxes/${mb.id}`, form({ host: 'imap.elsewhere.example', password: 'new-secret' }))).status).toBe(303);
    expect((await getMailbox(desk.deps.db, mb.id)).host).toBe('imap.elsewhere.example');
  });

  it('says so in Russian', async () => {
    await updateUser(desk.deps.db, (await findUserByEmail(desk.deps.db, 'admin@desk.test'))!.id, { locale: 'ru' }, desk.deps.clock.now());
    await admin.get(`/admin/mailboxes/${mb.id}`);
    const r = await admin.post(`/admin/mailboxes/${mb.id}/test`, form({ host: '127.0.0.1', port: String(stranger.port) }));
    expect(r.status).toBe(422);
    expect(r.text).toContain('Введите пароль ещё раз');
    expect(stranger.connections()).toBe(0);
  });
});

describe('a mailbox on a server without TLS (Dovecot on loopback, plain text only)', () => {
  let dovecot: Dovecot;
  let deps: TestDeps;
  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterAll(async () => {
    await dovecot?.close();
  });
  afterEach(() => deps?.close());

  it('is refused with a clear error unless plain text is allowed for it, in the console', async () => {
    deps = await makeTestDeps();
    const srv = await startTestServer(deps);
    try {
      await addUser(srv.services, 'admin');
      const admin = new Browser(srv.url);
      await admin.login('admin@desk.test', TEST_PASSWORD);
      const u = dovecot.addUser();
      await admin.get('/admin/mailboxes/new');
      const form = { name: 'Support', address: u.address, host: dovecot.host, port: String(dovecot.port), username: u.user, password: u.password, folder: 'INBOX', enabled: 'on' };

      const refused = await admin.post('/admin/mailboxes/test', form);
      expect(refused.status).toBe(422);
      expect(refused.text).toContain('the server did not switch to TLS (STARTTLS), and the password is not sent without it');
      const allowed = await admin.post('/admin/mailboxes/test', { ...form, allowPlaintext: 'on' });
      expect(allowed.status).toBe(200);
      expect(allowed.text).toContain('Connected');

      expect((await admin.post('/admin/mailboxes', { ...form, allowPlaintext: 'on' })).status).toBe(303);
      const mb = (await findMailboxByAddress(deps.db, u.address))!;
      expect(mb).toMatchObject({ secure: false, allowPlaintext: true });
      expect((await admin.get('/admin/mailboxes')).text).toContain('plain text, insecure');
      expect((await admin.get(`/admin/mailboxes/${mb.id}`)).text).toMatch(/name="allowPlaintext" checked/);
      // with TLS from the start there is nothing to allow
      expect((await admin.post(`/admin/mailboxes/${mb.id}`, { ...form, secure: 'on', allowPlaintext: 'on', password: '' })).status).toBe(303);
      expect(await getMailbox(deps.db, mb.id)).toMatchObject({ secure: true, allowPlaintext: false });
    } finally {
      await srv.close();
    }
  });

  it('is refused by the connection check itself unless allowed', async () => {
    deps = await makeTestDeps();
    const u = dovecot.addUser();
    const base = { host: dovecot.host, port: dovecot.port, secure: false, username: u.user, password: u.password, folder: 'INBOX' };
    const refused = await checkImapConnection({ ...base, allowPlaintext: false });
    expect(refused).toMatchObject({ ok: false });
    expect(refused.ok ? '' : refused.error).toMatch(/STARTTLS/);
    expect(await checkImapConnection({ ...base, allowPlaintext: true })).toMatchObject({ ok: true });
  });

  it('IMAP_SECURE=false requires STARTTLS for the IMAP_* mailbox unless IMAP_ALLOW_PLAINTEXT=true', { timeout: 30_000 }, async () => {
    const u = dovecot.addUser();
    deps = await makeTestDeps({
      IMAP_HOST: dovecot.host, IMAP_PORT: String(dovecot.port), IMAP_SECURE: 'false', IMAP_ALLOW_PLAINTEXT: 'false',
      IMAP_USER: u.user, IMAP_PASSWORD: u.password, IMAP_ADDRESS: u.address,
    }, { file: true });
    await dovecot.append(u, makeMail({ subject: 'Must not be read in plain text' }));
    let role: IntakeRole | undefined;
    try {
      role = await startIntake(buildServices(deps), { reconcileMs: 100_000, backoff: { initialMs: 50, maxMs: 500 } });
      const [env] = await listMailboxes(deps.db);
      expect(env).toMatchObject({ fromEnv: true, secure: false, allowPlaintext: false });
      const failed = await waitUntil('the error', async () => (await getMailbox(deps.db, env.id)).lastError);
      expect(failed).toMatch(/did not switch to TLS \(STARTTLS\)/);
      expect(await deps.db.get('select count(*) n from tickets')).toEqual({ n: 0 });
    } finally {
      await role?.stop();
    }
  });
});
