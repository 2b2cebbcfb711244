// A mail over MAX_MAIL_BYTES in a real Dovecot mailbox: quarantined by reference from its size and
// headers, its body never downloaded, the cursor moved past it only once its record is committed.
// Behind a proxy that makes Dovecot list every message as small (RFC822.SIZE), such a mail is still
// read no further than the limit.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startImapPoller, type ImapPoller } from '../../../src/channels/email/imap-poller.ts';
import { buildServices, type Services } from '../../../src/services.ts';
import { getInbound, type InboundRecord } from '../../../src/store/inbound.ts';
import { getMailbox, insertMailbox, updateMailbox, updateMailboxState, type Mailbox } from '../../../src/store/mailboxes.ts';
import { lockForWrites } from '../../helpers/lock-database.ts';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { startDovecot, type Dovecot, type DovecotUser } from '../../helpers/dovecot.ts';
import { bigMail } from '../../helpers/hostile-mail.ts';
import { startImapProxy, type ImapProxy, type ProxyOptions } from '../../helpers/imap-proxy.ts';
import { makeMail, waitUntil } from '../../helpers/mail.ts';

const LIMIT = 1024 * 1024;

describe('IMAP intake of mail over MAX_MAIL_BYTES', () => {
  let dovecot: Dovecot;
  let deps: TestDeps;
  let services: Services;
  let user: DovecotUser;
  let mailbox: Mailbox;
  const pollers: ImapPoller[] = [];
  const proxies: ImapProxy[] = [];

  const count = async (table: string, where = '1=1') => ((await deps.db.get(`select count(*) n from ${table} where ${where}`)) as { n: number }).n;
  const quarantined = async () => (await deps.db.column("select id from inbound_messages where outcome = 'quarantined'")) as number[];
  const startPoller = () => {
    const p = startImapPoller({ deps, intake: services.intake, mailboxId: mailbox.id, backoff: { initialMs: 50, maxMs: 500 }, idle: false });
    pollers.push(p);
    return p;
  };
  /** Dovecot's own account of each finished session of a user: bytes sent, bodies and headers fetched */
  const sessionsOf = (u: DovecotUser) =>
    [...readFileSync(path.join(dovecot.dir, 'dovecot.log'), 'utf8').matchAll(/imap\(([^)]+)\).*Logged out in=\d+ out=(\d+) .*hdr_count=(\d+) hdr_bytes=\d+ body_count=(\d+) body_bytes=(\d+)/g)]
      .filter((m) => m[1] === u.user)
      .map((m) => ({ out: Number(m[2]), headers: Number(m[3]), bodies: Number(m[4]), bodyBytes: Number(m[5]) }));
  /** the mailbox reaches Dovecot through a proxy that rewrites what passes */
  const throughProxy = async (rewrite: Omit<ProxyOptions, 'target'>) => {
    const proxy = await startImapProxy({ target: { host: dovecot.host, port: dovecot.port }, ...rewrite });
    proxies.push(proxy);
    await updateMailbox(deps.db, mailbox.id, { host: proxy.host, port: proxy.port }, Date.now());
    return proxy;
  };
  /** every message listed as 2 KB, whatever it is */
  const smallSizes = (line: string) => line.replace(/RFC822\.SIZE \d+/g, 'RFC822.SIZE 2000');
  const rawFiles = (dir = path.join(deps.dataDir, 'raw')): number[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? rawFiles(path.join(dir, e.name)) : [statSync(path.join(dir, e.name)).size]));
  /** the size of every raw mail the file store keeps (orphans included): under DATA_DIR on SQLite, in the database on PostgreSQL */
  const rawSizes = async (): Promise<number[]> =>
    deps.db.engine === 'postgres' ? deps.db.column<number>("select size from stored_files where kind = 'raw'") : rawFiles();

  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterAll(async () => {
    await dovecot?.close();
  });
  beforeEach(async () => {
    deps = await makeTestDeps({ MAX_MAIL_BYTES: String(LIMIT) }, { file: true });
    services = buildServices(deps);
    user = dovecot.addUser();
    mailbox = await insertMailbox(deps.db, {
      name: 'Support', address: user.address, host: dovecot.host, port: dovecot.port, secure: false, allowPlaintext: true,
      username: user.user, password: user.password, folder: 'INBOX', markSeen: true,
    }, Date.now());
  });
  afterEach(async () => {
    await Promise.all(pollers.splice(0).map((p) => p.stop()));
    await Promise.all(proxies.splice(0).map((p) => p.close()));
    deps.close();
  });

  it('keeps only the headers of a mail over the limit, leaves it in the folder and goes on with the next', async () => {
    const big = bigMail(3 * LIMIT, 'Scans of the whole archive', 200 * 1024);
    await dovecot.append(user, makeMail({ subject: 'Before the big one' }));
    await dovecot.append(user, big);
    await dovecot.append(user, makeMail({ subject: 'After the big one' }));
    const poller = startPoller();
    await poller.syncNow();

    expect(await count('tickets')).toBe(2);
    expect((await getMailbox(deps.db, mailbox.id)).lastUid).toBe(3);
    const [id] = await quarantined();
    const rec: InboundRecord = await getInbound(deps.db, id);
    expect(rec).toMatchObject({
      source: 'imap', mailboxId: mailbox.id, fromAddress: 'eve@hostile.example', subject: 'Scans of the whole archive',
      remoteRef: { folder: 'INBOX', uid: 2, size: big.length, uidValidity: (await getMailbox(deps.db, mailbox.id)).uidValidity },
      error: 'mail is 3 MB, over the 1 MB limit (MAX_MAIL_BYTES): only its headers were read; it is still in the mailbox (folder "INBOX", UID 2)',
    });
    // what was kept is the header block, nothing of the body
    const kept = (await deps.files.read('raw', rec.rawSha256)).toString('latin1');
    expect(rec.rawSize).toBe(kept.length);
    expect(kept.length).toBe(64 * 1024); // the first 64 KB of its 200 KB header block
    expect(kept).toContain('Subject: Scans of the whole archive');
    expect(kept).not.toContain('xxxxxxxx');
    expect(Math.max(...(await rawSizes()))).toBeLessThanOrEqual(64 * 1024);
    // still in the folder, unread and where it was (the others were flagged as the mailbox asks)
    expect(await dovecot.list(user)).toEqual([
      { uid: 1, flags: ['\\Seen'] }, { uid: 2, flags: [] }, { uid: 3, flags: ['\\Seen'] },
    ]);
    // reprocessing cannot make a ticket of its headers
    expect((await services.intake.reprocess(id)).outcome).toBe('quarantined');
    expect(await count('tickets')).toBe(2);

    // the server's own count for the poller's session (the one that fetched mail): the two small
    // mails' bodies and one header block, never the 3 MB body
    await poller.stop();
    const session = await waitUntil('the poller\'s logout line', () => sessionsOf(user).find((x) => x.bodies > 0));
    expect(session.bodies).toBe(2);
    expect(session.bodyBytes).toBeLessThan(4096);
    expect(session.out).toBeLessThan(LIMIT / 4);
  });

  it('moves the cursor past it only once the record is committed, and records it once', async () => {
    await dovecot.append(user, bigMail(2 * LIMIT, 'Too big, while the database is busy'));
    const other = await lockForWrites(deps, { waitMs: 50 });
    const poller = startPoller();
    try {
      await poller.syncNow();
      expect(await quarantined()).toEqual([]);
      expect((await getMailbox(deps.db, mailbox.id)).lastUid).toBe(0);
    } finally {
      await other.release();
    }
    await waitUntil('the quarantine record', async () => (await quarantined()).length === 1);
    await waitUntil('the cursor', async () => (await getMailbox(deps.db, mailbox.id)).lastUid === 1);

    // a crash between the commit and the cursor write: the mail is met again, and is one record
    await updateMailboxState(deps.db, mailbox.id, { lastUid: 0 });
    await poller.syncNow();
    expect(await quarantined()).toHaveLength(1);
    expect(await count('inbound_messages')).toBe(1);
    expect((await getMailbox(deps.db, mailbox.id)).lastUid).toBe(1);
  });

  it('reads a mail listed as small no further than the limit, and quarantines it by reference when it is over', async () => {
    const proxy = await throughProxy({ serverLine: smallSizes });
    const big = bigMail(10 * LIMIT, 'Under a false size');
    await dovecot.append(user, makeMail({ subject: 'Before the big one' }));
    await dovecot.append(user, big);
    await dovecot.append(user, makeMail({ subject: 'After the big one' }));
    await startPoller().syncNow();

    expect(await count('tickets')).toBe(2);
    expect((await getMailbox(deps.db, mailbox.id)).lastUid).toBe(3);
    const [id] = await quarantined();
    const rec = await getInbound(deps.db, id);
    expect(rec).toMatchObject({
      fromAddress: 'eve@hostile.example', subject: 'Under a false size',
      // what is known for sure: it is longer than the limit
      remoteRef: { folder: 'INBOX', uid: 2, size: LIMIT + 1, uidValidity: (await getMailbox(deps.db, mailbox.id)).uidValidity },
      error: 'mail is over the 1 MB limit (MAX_MAIL_BYTES), though the server gave its size as 2 KB: only its headers were read; it is still in the mailbox (folder "INBOX", UID 2)',
    });
    // only the headers are kept, and it is still in the folder, unread and where it was
    expect((await deps.files.read('raw', rec.rawSha256)).toString('latin1')).not.toContain('xxxxxxxx');
    expect(Math.max(...(await rawSizes()))).toBeLessThan(4096);
    expect(await dovecot.list(user)).toEqual([
      { uid: 1, flags: ['\\Seen'] }, { uid: 2, flags: [] }, { uid: 3, flags: ['\\Seen'] },
    ]);
    // every download of a message was cut, at most one byte past the limit: the 10 MB mail was
    // never sent whole
    const bodyFetches = proxy.clientLines.filter((l) => /FETCH/i.test(l) && /BODY\.PEEK\[\]/i.test(l));
    expect(bodyFetches.length).toBeGreaterThan(0);
    for (const l of bodyFetches) expect(Number(/BODY\.PEEK\[\]<0\.(\d+)>/i.exec(l)?.[1])).toBeLessThanOrEqual(LIMIT + 1);
    expect(proxy.serverBytes).toBeLessThan(2 * LIMIT);
  });

  it('takes in whole a mail listed smaller than it is but within the limit', async () => {
    await throughProxy({ serverLine: smallSizes });
    const raw = makeMail({ subject: 'Bigger than it says', body: 'y'.repeat(300 * 1024) });
    await dovecot.append(user, raw);
    await startPoller().syncNow();
    expect(await quarantined()).toEqual([]);
    expect(await count('tickets')).toBe(1);
    const [rec] = (await deps.db.all('select raw_sha256 sha from inbound_messages')) as { sha: string }[];
    expect((await deps.files.read('raw', rec.sha)).equals(Buffer.from(raw))).toBe(true);
  });

  it('fails the connection, not its memory, when the server sends more of a mail than was asked for', async () => {
    // a server that ignores the cut: the whole message comes back
    await throughProxy({ serverLine: smallSizes, clientLine: (l) => l.replace(/BODY\.PEEK\[\]<0\.\d+>/gi, 'BODY.PEEK[]') });
    await dovecot.append(user, bigMail(3 * LIMIT, 'Sent whole anyway'));
    await expect(startPoller().syncNow()).rejects.toThrow(/Literal size \d+ exceeds/);
    expect(await count('inbound_messages')).toBe(0);
    const mb = await waitUntil('the error on the mailbox', async () => {
      const m = await getMailbox(deps.db, mailbox.id);
      return m.lastError ? m : undefined;
    });
    expect(mb.lastError).toMatch(/^the server sent more of a mail than was asked for \(Literal size \d+ exceeds maximum allowed size of 1048577 bytes\)/);
    expect(mb.lastUid).toBe(0);
  });

  it('keeps a record for each of two mails over the limit whose headers read alike', async () => {
    // the first 64 KB of their header blocks are the same; they differ only after that
    const alike = (subject: string, body: string) => {
      const filler = Array.from({ length: 1200 }, (_, i) => `X-Filler-${i}: ${'h'.repeat(64)}`).join('\r\n');
      const headers = `From: Eve <eve@hostile.example>\r\nTo: ${user.address}\r\n${filler}\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@hostile.example>\r\n\r\n`;
      return headers + `${body.repeat(76)}\r\n`.repeat(Math.ceil((2 * LIMIT) / 78));
    };
    await dovecot.append(user, alike('First scan', 'a'));
    await dovecot.append(user, alike('Second scan', 'b'));
    const poller = startPoller();
    await poller.syncNow();

    const recs = await Promise.all((await quarantined()).map(async (id) => await getInbound(deps.db, id)));
    expect(recs.map((r) => r.remoteRef?.uid)).toEqual([1, 2]);
    expect(recs[0].rawSha256).toBe(recs[1].rawSha256); // what was read of them is the same
    expect((await getMailbox(deps.db, mailbox.id)).lastUid).toBe(2);

    // read again from the start: still one record each
    await updateMailboxState(deps.db, mailbox.id, { lastUid: 0 });
    await poller.syncNow();
    expect(await quarantined()).toHaveLength(2);
  });
});
