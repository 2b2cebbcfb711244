// People choose their own passwords: an admin invites a member of staff by mail, anyone with an
// account has a reset link mailed to them. Real SMTP server on loopback, the console over HTTP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { startSmtpServer, type ReceivedMail, type TestSmtp } from '../../helpers/smtp.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../helpers/web.ts';
import { buildServices, type Services } from '../../../src/services.ts';
import { createOutboxWorker, type OutboxWorker } from '../../../src/outbox/worker.ts';
import { authenticate } from '../../../src/actions/users.ts';
import { listOutbox } from '../../../src/store/outbox.ts';
import { findUserByEmail, updateUser } from '../../../src/store/users.ts';

describe('invitations and forgotten passwords', () => {
  let deps: TestDeps;
  let smtp: TestSmtp;
  let services: Services;
  let srv: TestServer;
  let worker: OutboxWorker;
  let admin: Browser;

  const send = async (expected: number): Promise<ReceivedMail[]> => {
    const before = smtp.received.length;
    await worker.runOnce();
    return (await smtp.waitFor(before + expected)).slice(before);
  };
  /** The link in a mail, as a path on the test server (the desk's PUBLIC_URL is its default). */
  const linkIn = (mail: ReceivedMail): string => {
    const m = /https?:\/\/[^\s/]+(\/password\/[^\s"<>]+)/.exec(mail.parsed.text ?? '');
    if (!m) throw new Error(`no password link in: ${mail.parsed.text}`);
    expect(mail.parsed.html).toContain(`${m[1]}"`);
    return m[1];
  };

  beforeEach(async () => {
    smtp = await startSmtpServer();
    deps = await makeTestDeps({ SMTP_URL: smtp.url, MAIL_FROM: 'Acme IT <support@desk.example>', DESK_NAME: 'Acme IT' });
    services = buildServices(deps);
    srv = await startTestServer(deps, services);
    worker = createOutboxWorker(services.ctx, { senders: services.senders });
    await addUser(services, 'admin', 'ada@desk.example', 'Ada Admin');
    admin = new Browser(srv.url);
    await admin.login('ada@desk.example', TEST_PASSWORD);
  });
  afterEach(async () => {
    await worker.stop();
    await srv.close();
    await smtp.close();
    deps.close();
  });

  it('an admin invites someone by mail; they choose their password once and are signed in', async () => {
    await admin.get('/admin/users/new');
    const created = await admin.post('/admin/users', { name: 'Ольга Смирнова', email: 'Olga@Desk.example', password: '', role: 'agent', locale: 'ru', timeZone: 'Europe/Moscow', active: 'on', available: 'on' });
    expect(created.status).toBe(303);
    const olga = (await findUserByEmail(deps.db, 'olga@desk.example'))!;
    expect(olga.passwordHash).toBeNull();
    expect((await admin.get(created.location!)).text).toContain('Invitation queued: olga@desk.example gets a mail');
    expect((await admin.get('/admin/users')).text).toMatch(/Ольга Смирнова<\/a> <span class="badge">invited<\/span>/);
    // nobody can sign in to an account without a password
    expect(await authenticate(services.ctx, 'olga@desk.example', '')).toMatchObject({ ok: false });

    // the queued mail holds no link: it is made when the mail leaves
    const [row] = await listOutbox(deps.db, { statuses: ['pending'] }, { limit: 10 });
    expect(JSON.stringify(row.payload)).not.toMatch(/password\//);

    const [mail] = await send(1);
    expect(mail.to).toEqual(['olga@desk.example']);
    expect(mail.parsed.subject).toBe('Приглашение в Acme IT');
    expect(mail.parsed.text).toContain('Ada Admin приглашает вас работать в Acme IT, роль: Агент.');
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    const link = linkIn(mail);

    const visitor = new Browser(srv.url);
    const page = await visitor.get(link);
    expect(page.status).toBe(200);
    expect(page.text).toContain('olga@desk.example');
    const differ = await visitor.post(link, { password: 'a long new password', confirm: 'another password' });
    expect(differ.status).toBe(422);
    expect(differ.text).toMatch(/aria-invalid="true" aria-describedby="confirm-password-error"/);
    const short = await visitor.post(link, { password: 'short', confirm: 'short' });
    expect(short.status).toBe(422);
    expect(short.text).toContain('new-password-error');

    const done = await visitor.post(link, { password: 'a long new password', confirm: 'a long new password' });
    expect(done).toMatchObject({ status: 303, location: '/tickets' });
    expect((await visitor.get('/tickets')).status).toBe(200);
    expect(await authenticate(services.ctx, 'olga@desk.example', 'a long new password')).toMatchObject({ ok: true });

    // the link worked once; the invitation cannot be sent again to someone with a password
    const again = await new Browser(srv.url).get(link);
    expect(again.status).toBe(410);
    expect(again.text).toContain('already been used');
    const late = new Browser(srv.url);
    await late.get('/forgot');
    expect((await late.post(link, { password: 'yet another password', confirm: 'yet another password' })).status).toBe(410);
    await admin.get(`/admin/users/${olga.id}`);
    const resend = await admin.post(`/admin/users/${olga.id}/invite`, {});
    expect(resend.status).toBe(409);
    expect(resend.text).toContain('already set a password');
  });

  it('an invitation can be sent again, and an older one stops working when a password is chosen', async () => {
    await admin.get('/admin/users/new');
    await admin.post('/admin/users', { name: 'Ken', email: 'ken@desk.example', password: '', role: 'manager', locale: 'en', timeZone: 'UTC', active: 'on', available: 'on' });
    const ken = (await findUserByEmail(deps.db, 'ken@desk.example'))!;
    const [first] = await send(1);
    expect(first.parsed.subject).toBe('You are invited to Acme IT');
    expect(first.parsed.text).toContain('as Manager');
    const page = await admin.get(`/admin/users/${ken.id}`);
    expect(page.text).toContain('Invitation pending');
    expect((await admin.post(`/admin/users/${ken.id}/invite`, {})).status).toBe(303);
    deps.clock.advance(2000);
    const [second] = await send(1);
    expect(linkIn(second)).not.toBe(linkIn(first));
    const visitor = new Browser(srv.url);
    await visitor.get(linkIn(second));
    expect((await visitor.post(linkIn(second), { password: 'kens own password', confirm: 'kens own password' })).status).toBe(303);
    expect((await new Browser(srv.url).get(linkIn(first))).status).toBe(410);
  });

  it('a forgotten password: the same answer for any address, a link that works an hour and once, every session ended', async () => {
    await addUser(services, 'agent', 'boris@desk.example', 'Boris');
    const old = new Browser(srv.url);
    await old.login('boris@desk.example', TEST_PASSWORD);
    expect((await new Browser(srv.url).get('/login')).text).toContain('href="/forgot"');

    const visitor = new Browser(srv.url);
    await visitor.get('/forgot');
    const known = await visitor.post('/forgot', { email: 'Boris@desk.example' });
    const unknown = await visitor.post('/forgot', { email: 'nobody@desk.example' });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const answer = (t: string) => /<p role="status">([^<]*)<\/p>/.exec(t)![1];
    expect(answer(known.text).replace('Boris@desk.example', 'X')).toBe(answer(unknown.text).replace('nobody@desk.example', 'X'));
    expect((await visitor.post('/forgot', { email: 'not an address' })).status).toBe(422);

    const [mail] = await send(1); // one mail: the unknown address got none
    expect(mail.to).toEqual(['boris@desk.example']);
    expect(mail.parsed.subject).toBe('Set a new password for Acme IT');
    const link = linkIn(mail);
    deps.clock.advance(30 * 60_000);
    expect((await visitor.get(link)).status).toBe(200);
    expect((await visitor.post(link, { password: 'borises new password', confirm: 'borises new password' })).status).toBe(303);
    // the old session ended with the old password
    expect((await old.get('/tickets')).status).toBe(303);
    expect(await authenticate(services.ctx, 'boris@desk.example', TEST_PASSWORD)).toMatchObject({ ok: false });
    expect(await authenticate(services.ctx, 'boris@desk.example', 'borises new password')).toMatchObject({ ok: true });

    // a link older than an hour has expired
    const again = new Browser(srv.url);
    await again.get('/forgot');
    expect((await again.post('/forgot', { email: 'boris@desk.example' })).status).toBe(200);
    const [late] = await send(1);
    deps.clock.advance(61 * 60_000);
    const expired = await new Browser(srv.url).get(linkIn(late));
    expect(expired.status).toBe(410);
    expect(expired.text).toContain('This link has expired.');
  });

  it('limits reset mail per address, and sends none for a deactivated account', async () => {
    const boris = await addUser(services, 'agent', 'boris@desk.example', 'Boris');
    const visitor = new Browser(srv.url);
    await visitor.get('/forgot');
    for (let i = 0; i < 5; i++) expect((await visitor.post('/forgot', { email: 'boris@desk.example' })).status).toBe(200);
    expect(await send(3)).toHaveLength(3);
    expect(await listOutbox(deps.db, { statuses: ['pending'] }, { limit: 10 })).toHaveLength(0);

    // a reset queued, then the account deactivated before it leaves: the mail is not sent
    deps.clock.advance(61 * 60_000);
    await visitor.post('/forgot', { email: 'boris@desk.example' });
    await updateUser(deps.db, boris.id, { active: false }, deps.clock.now());
    await worker.runOnce();
    const rows = await listOutbox(deps.db, { statuses: ['dead'] }, { limit: 10 });
    expect(rows).toHaveLength(1);
    expect(rows[0].lastError).toMatch(/deactivated/);
    // and a deactivated account gets no mail at all
    deps.clock.advance(61 * 60_000);
    await visitor.post('/forgot', { email: 'boris@desk.example' });
    expect(await listOutbox(deps.db, { statuses: ['pending'] }, { limit: 10 })).toHaveLength(0);
  });
});
