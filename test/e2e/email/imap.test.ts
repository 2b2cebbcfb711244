// The IMAP poller against a real Dovecot: mail appended to INBOX becomes tickets, exactly once,
// whatever the server or other mail clients do meanwhile.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startImapPoller, type ImapPoller } from '../../../src/channels/email/imap-poller.ts';
import { buildServices, type Services } from '../../../src/services.ts';
import { sealSecret } from '../../../src/domain/stored-secret.ts';
import { getMailbox, insertMailbox, updateMailbox, type Mailbox } from '../../../src/store/mailboxes.ts';
import { listTicketMessages } from '../../../src/store/messages.ts';
import { findTicket } from '../../../src/store/tickets.ts';
import { lockForWrites } from '../../helpers/lock-database.ts';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { startDovecot, type Dovecot, type DovecotUser } from '../../helpers/dovecot.ts';
import { makeMail, waitUntil } from '../../helpers/mail.ts';

const count = async (deps: TestDeps, table: string, where = '1=1') =>
  ((await deps.db.get(`select count(*) n from ${table} where ${where}`)) as { n: number }).n;

describe('IMAP intake against Dovecot', () => {
  let dovecot: Dovecot;
  let deps: TestDeps;
  let services: Services;
  let user: DovecotUser;
  let mailbox: Mailbox;
  const pollers: ImapPoller[] = [];

  const addMailbox = async (patch: Partial<Parameters<typeof insertMailbox>[1]> = {}) =>
    await insertMailbox(
      deps.db,
      {
        name: 'Support', address: user.address, host: dovecot.host, port: dovecot.port, secure: false, allowPlaintext: true,
        username: user.user, password: user.password, folder: 'INBOX', ...patch,
      },
      Date.now(),
    );
  const startPoller = (mb: Mailbox = mailbox, opts: { idle?: boolean; pollIntervalMs?: number } = {}) => {
    const p = startImapPoller({
      deps, intake: services.intake, mailboxId: mb.id,
      backoff: { initialMs: 50, maxMs: 500 }, pollIntervalMs: opts.pollIntervalMs ?? 60_000, idle: opts.idle ?? true,
    });
    pollers.push(p);
    return p;
  };

  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterAll(async () => {
    await dovecot?.close();
  });
  beforeEach(async () => {
    deps = await makeTestDeps({}, { file: true });
    services = buildServices(deps);
    user = dovecot.addUser();
    mailbox = await addMailbox();
  });
  afterEach(async () => {
    await Promise.all(pollers.splice(0).map((p) => p.stop()));
    if (!dovecot.running()) await dovecot.start();
    deps.close();
  });

  it('turns a mail appended to INBOX into a ticket (IDLE), and threads the reply onto it', async () => {
    const poller = startPoller();
    await poller.syncNow(); // connected and idle
    await dovecot.append(user, makeMail({ messageId: 'first@client.example', subject: 'VPN is down' }));
    const ticketId = await waitUntil('the ticket', async () =>
      ((await deps.db.get('select id from tickets')) as { id: number } | undefined)?.id,
    );
    expect((await findTicket(deps.db, ticketId))?.subject).toBe('VPN is down');

    await dovecot.append(user, makeMail({
      messageId: 'second@client.example', subject: 'Re: VPN is down', inReplyTo: 'first@client.example',
      references: ['first@client.example'], body: 'Still down.\r\n\r\nOn Mon, 2 Nov 2026 at 09:00, Anna wrote:\r\n> VPN is down',
    }));
    await waitUntil('the reply', async () => (await listTicketMessages(deps.db, ticketId)).length === 2);
    expect(await count(deps, 'tickets')).toBe(1);
    const reply = (await listTicketMessages(deps.db, ticketId))[1];
    expect(reply.newText).toBe('Still down.');
    expect(reply.bodyText).toContain('> VPN is down');
    const mb = await getMailbox(deps.db, mailbox.id);
    expect(mb.lastUid).toBe(2);
    expect(mb.lastSuccessAt).not.toBeNull();
    // BODY.PEEK: the poller never marks mail as read unless the mailbox asks for it
    expect((await dovecot.list(user)).every((m) => !m.flags.includes('\\Seen'))).toBe(true);
  });

  it('imports a mail another client already marked as read', async () => {
    await dovecot.append(user, makeMail({ subject: 'Already read by a colleague' }), { flags: ['\\Seen'] });
    await dovecot.append(user, makeMail({ subject: 'Unread one' }));
    await startPoller(mailbox, { idle: false }).syncNow();
    expect(await count(deps, 'tickets')).toBe(2);
    expect(((await deps.db.all('select subject from tickets order by id')) as { subject: string }[]).map((r) => r.subject))
      .toEqual(['Already read by a colleague', 'Unread one']);
  });

  it('flags as read and moves to a folder after the ticket is committed, when the mailbox says so', async () => {
    const mb = await addMailbox({ address: `second-${user.address}`, markSeen: true, moveTo: 'Processed' });
    await dovecot.append(user, makeMail({ subject: 'Move me' }));
    await startPoller(mb, { idle: false }).syncNow();
    expect(await count(deps, 'tickets')).toBe(1);
    expect(await dovecot.list(user)).toEqual([]);
    const processed = await dovecot.list(user, 'Processed');
    expect(processed).toHaveLength(1);
    expect(processed[0].flags).toContain('\\Seen');
  });

  it('leaves mail that was in the folder long before the mailbox was connected alone', async () => {
    const mb = await addMailbox({ address: `backlog-${user.address}`, importSince: Date.now() - 24 * 3600_000 });
    await dovecot.append(user, makeMail({ subject: 'Old, from last year' }), { internalDate: new Date(Date.now() - 300 * 24 * 3600_000) });
    await dovecot.append(user, makeMail({ subject: 'Arrived this morning' }), { internalDate: new Date(Date.now() - 3600_000) });
    await dovecot.append(user, makeMail({ subject: 'Old again' }), { internalDate: new Date(Date.now() - 3 * 24 * 3600_000) });
    const poller = startPoller(mb, { idle: false });
    await poller.syncNow();
    await poller.syncNow();
    expect(((await deps.db.all('select subject from tickets')) as { subject: string }[]).map((r) => r.subject)).toEqual(['Arrived this morning']);
    expect((await getMailbox(deps.db, mb.id)).lastUid).toBe(3);
  });

  it('quarantines a bad message and goes on with the rest', async () => {
    await dovecot.append(user, makeMail({ subject: 'Good one' }));
    await dovecot.append(user, 'This is not a mail at all, no headers\r\n');
    await dovecot.append(user, makeMail({ subject: 'Good two' }));
    await startPoller(mailbox, { idle: false }).syncNow();
    expect(await count(deps, 'tickets')).toBe(2);
    expect(await count(deps, 'inbound_messages', "outcome = 'quarantined'")).toBe(1);
    expect((await getMailbox(deps.db, mailbox.id)).lastUid).toBe(3);
  });

  it('loses nothing and duplicates nothing when Dovecot restarts mid-stream', { timeout: 90_000 }, async () => {
    startPoller();
    const total = 40;
    for (let i = 1; i <= total; i++) {
      await dovecot.append(user, makeMail({ subject: `Stream ${i}` }));
      if (i === 15) {
        await waitUntil('some mail imported', async () => await count(deps, 'tickets') > 0);
        await dovecot.stop(); // a crash: every connection drops at once
        await new Promise((r) => setTimeout(r, 200));
        await dovecot.start();
      }
    }
    await waitUntil(`all ${total} tickets`, async () => await count(deps, 'tickets') >= total, 60_000);
    await pollers[0].syncNow();
    expect(await count(deps, 'tickets')).toBe(total);
    expect(await count(deps, 'messages')).toBe(total);
    expect(await count(deps, 'inbound_messages')).toBe(total);
    const subjects = new Set(((await deps.db.all('select subject from tickets')) as { subject: string }[]).map((r) => r.subject));
    expect(subjects.size).toBe(total);
  });

  it('duplicates nothing when the folder gets a new UIDVALIDITY', { timeout: 90_000 }, async () => {
    await dovecot.appendMany(user, [makeMail({ subject: 'One' }), makeMail({ subject: 'Two' }), makeMail({ subject: 'Three', messageId: null })]);
    const poller = startPoller(mailbox, { idle: false });
    await poller.syncNow();
    expect(await count(deps, 'tickets')).toBe(3);
    const before = (await getMailbox(deps.db, mailbox.id)).uidValidity;

    const next = await dovecot.changeUidValidity(user);
    await dovecot.append(user, makeMail({ subject: 'Four' }));
    // the poll (IDLE is off here) after the server came back; a sync during the restart may fail
    await waitUntil('the fourth ticket', async () => {
      await poller.syncNow().catch(() => undefined);
      return await count(deps, 'tickets') >= 4;
    }, 60_000, 100);
    await poller.syncNow();
    expect((await getMailbox(deps.db, mailbox.id)).uidValidity).toBe(String(next));
    expect(before).not.toBe(String(next));
    expect(await count(deps, 'tickets')).toBe(4);
    expect(await count(deps, 'messages')).toBe(4);
    expect(await count(deps, 'inbound_messages')).toBe(4);
  });

  it('imports a burst of 200 mails as exactly 200 messages', { timeout: 120_000 }, async () => {
    startPoller();
    await pollers[0].syncNow();
    const mails = Array.from({ length: 200 }, (_, i) => makeMail({ subject: `Burst ${i + 1}` }));
    await dovecot.appendMany(user, mails);
    await waitUntil('200 tickets', async () => await count(deps, 'tickets') >= 200, 90_000, 100);
    await pollers[0].syncNow();
    expect(await count(deps, 'messages')).toBe(200);
    expect(await count(deps, 'tickets')).toBe(200);
    expect((await getMailbox(deps.db, mailbox.id)).lastUid).toBe(200);
  });

  it('retries later without moving on when intake fails temporarily (database locked)', async () => {
    const other = await lockForWrites(deps, { waitMs: 50 });
    try {
      await dovecot.append(user, makeMail({ subject: 'Wait for me' }));
      const poller = startPoller(mailbox, { idle: false });
      await poller.syncNow();
      await poller.syncNow();
      expect(await count(deps, 'tickets')).toBe(0);
      expect((await getMailbox(deps.db, mailbox.id)).lastUid).toBe(0);
    } finally {
      await other.release();
    }
    await waitUntil('the ticket after the retry', async () => await count(deps, 'tickets') === 1);
    const mb = await waitUntil('the cursor', async () => (await getMailbox(deps.db, mailbox.id)).lastUid === 1 && await getMailbox(deps.db, mailbox.id));
    expect(await count(deps, 'inbound_messages')).toBe(1);
    // the failure is reported once the database takes writes again
    expect(mb.lastError).toMatch(/temporary intake failure.*will retry/);
  });

  it('records a login failure and keeps trying with backoff', async () => {
    // a Dovecot of its own: failed logins slow down later logins from the same address
    const own = await startDovecot();
    try {
      const u = own.addUser();
      const bad = await insertMailbox(deps.db, {
        name: 'Wrong', address: u.address, host: own.host, port: own.port, secure: false, allowPlaintext: true,
        username: u.user, password: 'wrong password', folder: 'INBOX',
      }, Date.now());
      const poller = startPoller(bad);
      const mb = await waitUntil('the error', async () => (await getMailbox(deps.db, bad.id)).lastError && await getMailbox(deps.db, bad.id));
      expect(mb.lastError).toMatch(/login failed/i);
      expect(mb.lastSuccessAt).toBeNull();
      await poller.stop();
    } finally {
      await own.close();
    }
  });

  it('logs in with a sealed password, and says what to do when the desk secret changed since it was sealed', async () => {
    await updateMailbox(deps.db, mailbox.id, { password: sealSecret(deps.secrets.credentials, user.password) }, Date.now());
    await dovecot.append(user, makeMail({ subject: 'Through a sealed password' }));
    const poller = startPoller();
    await waitUntil('the ticket', async () => await count(deps, 'tickets') === 1);
    await poller.stop();

    const other = dovecot.addUser();
    const stale = await insertMailbox(deps.db, {
      name: 'Stale', address: other.address, host: dovecot.host, port: dovecot.port, secure: false, allowPlaintext: true,
      username: other.user, password: sealSecret(randomBytes(32).toString('base64url'), other.password), folder: 'INBOX',
    }, Date.now());
    const stalePoller = startPoller(stale);
    const mb = await waitUntil('the error', async () => (await getMailbox(deps.db, stale.id)).lastError && await getMailbox(deps.db, stale.id));
    expect(mb.lastError).toContain("the stored mailbox password cannot be read with this desk's secret key");
    expect(mb.lastSuccessAt).toBeNull();
    await stalePoller.stop();
  });
});
