import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { getMailbox, insertMailbox, listMailboxes, mailboxPassword, sealStoredPasswords, upsertEnvMailbox } from './mailboxes.ts';

describe('stored mailbox passwords', () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await makeTestDeps();
  });
  afterEach(() => deps.close());
  const key = () => deps.secrets.credentials;
  const env = { name: 'support@desk.example', address: 'support@desk.example', host: 'imap.desk.example', port: 993, secure: true, allowPlaintext: false, username: 'support', password: 'app-password-1', folder: 'INBOX' };

  it('seals the passwords stored before sealing existed, once', async () => {
    const old = await insertMailbox(deps.db, { name: 'Old', address: 'old@desk.example', host: 'imap.desk.example', username: 'old', password: 'plain-text-password' }, 1);
    expect(await sealStoredPasswords(deps.db, key())).toBe(1);
    const stored = (await getMailbox(deps.db, old.id)).password;
    expect(stored).toMatch(/^sealed:v1:/);
    expect(stored).not.toContain('plain-text-password');
    expect(mailboxPassword(await getMailbox(deps.db, old.id), key())).toBe('plain-text-password');
    expect(await sealStoredPasswords(deps.db, key())).toBe(0);
    expect((await getMailbox(deps.db, old.id)).password).toBe(stored);
  });

  it('keeps the IMAP_* password sealed, and touches the mailbox only when the environment changed it', async () => {
    const first = await upsertEnvMailbox(deps.db, env, 1, key());
    expect(first.password).toMatch(/^sealed:v1:/);
    expect(mailboxPassword(first, key())).toBe('app-password-1');
    // the same settings at the next start: no change, so the poller is not restarted
    const again = await upsertEnvMailbox(deps.db, env, 2, key());
    expect(again).toMatchObject({ password: first.password, updatedAt: first.updatedAt });
    // a new password in the environment
    const changed = await upsertEnvMailbox(deps.db, { ...env, password: 'app-password-2' }, 3, key());
    expect(changed.updatedAt).toBe(3);
    expect(mailboxPassword(changed, key())).toBe('app-password-2');
    // the desk's secret changed: the environment's password is sealed again with the new key
    const newKey = randomBytes(32).toString('base64url');
    const rekeyed = await upsertEnvMailbox(deps.db, { ...env, password: 'app-password-2' }, 4, newKey);
    expect(rekeyed.updatedAt).toBe(4);
    expect(mailboxPassword(rekeyed, newKey)).toBe('app-password-2');
    expect(() => mailboxPassword(rekeyed, key())).toThrow(/cannot be read with this desk's secret key/);
  });

  it('creates the IMAP_* mailbox once when several desk processes start together', async () => {
    const started = await Promise.all([1, 2, 3, 4].map((n) => upsertEnvMailbox(deps.db, env, n, key())));
    expect(new Set(started.map((m) => m.id)).size).toBe(1);
    expect(await listMailboxes(deps.db)).toHaveLength(1);
    expect(mailboxPassword(started[3]!, key())).toBe('app-password-1');
  });

  it('replaces a plain IMAP_* password from before sealing', async () => {
    await insertMailbox(deps.db, { ...env, fromEnv: true, password: 'app-password-1' }, 1);
    const m = await upsertEnvMailbox(deps.db, env, 2, key());
    expect(m.password).toMatch(/^sealed:v1:/);
    expect(mailboxPassword(m, key())).toBe('app-password-1');
  });
});
