import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDeps, resolveSecrets } from './bootstrap.ts';
import { loadConfig } from './config.ts';
import { getMailbox, insertMailbox, mailboxPassword } from './store/mailboxes.ts';

describe('resolveSecrets without SESSION_SECRET', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-secret-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const config = () => loadConfig({ DATA_DIR: dir, DATABASE_URL: `file:${path.join(dir, 'desk.sqlite')}` });

  it('generates the secret once, keeps it private, and uses the same one after a restart', () => {
    const first = resolveSecrets(config());
    const file = path.join(dir, 'secret.key');
    expect(readFileSync(file, 'utf8').trim().length).toBeGreaterThanOrEqual(64);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(resolveSecrets(config())).toEqual(first);
    expect(readdirSync(dir)).toEqual(['secret.key']);
  });

  it('replaces an empty secret file (what a crash during the first start leaves) instead of signing with an empty key', () => {
    writeFileSync(path.join(dir, 'secret.key'), '\n');
    const secrets = resolveSecrets(config());
    // an empty file would have given HMACs under an empty key, which anyone can compute
    expect(secrets.session).not.toBe(createHmac('sha256', '').update('session').digest('base64url'));
    expect(secrets.token).not.toBe(createHmac('sha256', '').update('ticket-token').digest('base64url'));
    expect(readFileSync(path.join(dir, 'secret.key'), 'utf8').trim().length).toBeGreaterThanOrEqual(64);
    expect(resolveSecrets(config())).toEqual(secrets);
  });

  it('seals mailbox passwords saved before sealing existed when the desk starts', async () => {
    const first = await openDeps(config());
    const mb = await insertMailbox(first.db, { name: 'Old', address: 'old@desk.example', host: 'imap.desk.example', username: 'old', password: 'plain-text-password' }, 1);
    first.db.sqlite.close();
    const next = await openDeps(config());
    try {
      const stored = await getMailbox(next.db, mb.id);
      expect(stored.password).toMatch(/^sealed:v1:/);
      expect(mailboxPassword(stored, next.secrets.credentials)).toBe('plain-text-password');
      expect(next.secrets.credentials).toBe(resolveSecrets(config()).credentials);
    } finally {
      next.db.sqlite.close();
    }
  });
});

describe('openDeps', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-deps-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives intake the system DNS for sender checks, whose failures carry a DNS error code', async () => {
    const deps = await openDeps(loadConfig({ DATA_DIR: dir, DATABASE_URL: `file:${path.join(dir, 'desk.sqlite')}`, MAIL_DNS_TIMEOUT_MS: '200' }));
    try {
      expect(deps.resolveDns).toBeTypeOf('function');
      // .invalid never exists (RFC 2606); with no DNS reachable the lookup fails with a code too
      const err = await deps.resolveDns!('no-such-host.invalid', 'TXT').then(() => null, (e: unknown) => e as { code?: string });
      expect(err?.code).toMatch(/^E[A-Z]+$/);
    } finally {
      deps.db.sqlite.close();
    }
  });
});
