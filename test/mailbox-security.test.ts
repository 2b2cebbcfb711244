// Mailbox connections from the console: the stored password never goes to another server or user.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sealSecret } from '../src/domain/stored-secret.ts';
import { getMailbox, insertMailbox, type Mailbox } from '../src/store/mailboxes.ts';
import { findUserByEmail, updateUser } from '../src/store/users.ts';
import { makeTestDeps, type TestDeps } from './helpers/deps.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from './helpers/web.ts';

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
  let deps: TestDeps;
  let srv: TestServer;
  let admin: Browser;
  let mb: Mailbox;
  let stranger: Awaited<ReturnType<typeof countingListener>>;

  beforeEach(async () => {
    deps = makeTestDeps();
    srv = await startTestServer(deps);
    await addUser(srv.services, 'admin');
    admin = new Browser(srv.url);
    await admin.login('admin@desk.test', TEST_PASSWORD);
    mb = insertMailbox(deps.db, {
      name: 'Support', address: 'support@desk.example', host: 'imap.desk.example', port: 993, secure: true,
      username: 'support', password: sealSecret(deps.secrets.credentials, 'stored-secret'), folder: 'INBOX', fromEnv: false,
    }, deps.clock.now());
    stranger = await countingListener();
  });
  afterEach(async () => {
    await stranger.close();
    await srv.close();
    deps.close();
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
    expect(getMailbox(deps.db, mb.id)).toMatchObject({ host: 'imap.desk.example', username: 'support', password: mb.password });

    // the same server and user keep the stored password; a new password goes with a new server
    expect((await admin.post(`/admin/mailboxes/${mb.id}`, form({ host: 'IMAP.desk.example', name: 'Help' }))).status).toBe(303);
    expect(getMailbox(deps.db, mb.id).password).toBe(mb.password);
    expect((await admin.post(`/admin/mailboxes/${mb.id}`, form({ host: 'imap.elsewhere.example', password: 'new-secret' }))).status).toBe(303);
    expect(getMailbox(deps.db, mb.id).host).toBe('imap.elsewhere.example');
  });

  it('says so in Russian', async () => {
    updateUser(deps.db, findUserByEmail(deps.db, 'admin@desk.test')!.id, { locale: 'ru' }, deps.clock.now());
    await admin.get(`/admin/mailboxes/${mb.id}`);
    const r = await admin.post(`/admin/mailboxes/${mb.id}/test`, form({ host: '127.0.0.1', port: String(stranger.port) }));
    expect(r.status).toBe(422);
    expect(r.text).toContain('Введите пароль ещё раз');
    expect(stranger.connections()).toBe(0);
  });
});
