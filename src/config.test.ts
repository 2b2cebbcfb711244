import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('config', () => {
  it('runs with no configuration at all on the embedded defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.databasePath).toBe('./data/helpdesk.sqlite');
    expect(c.dataDir).toBe('./data');
    expect(c.imap).toBeUndefined();
    expect(c.smtp).toBeUndefined();
    expect(c.twilio).toBeUndefined();
    expect(c.roles).toEqual(['web', 'intake', 'outbox', 'scheduler']);
  });

  it('lists every problem at once, naming the variable', () => {
    const p = problems({ PORT: 'eighty', PUBLIC_URL: 'help.example.com', DATABASE_URL: 'postgres://x', IMAP_HOST: 'imap.example.com', TWILIO_ACCOUNT_SID: 'XX', TIME_ZONE: 'Mars/Olympus' });
    const names = p.map((x) => x.split(':')[0]);
    expect(names).toEqual(expect.arrayContaining(['PORT', 'PUBLIC_URL', 'DATABASE_URL', 'IMAP_USER', 'IMAP_PASSWORD', 'TWILIO_ACCOUNT_SID', 'TIME_ZONE']));
    expect(p.find((x) => x.startsWith('IMAP_USER'))).toMatch(/required when IMAP_HOST is set/);
  });

  it('needs MAIL_FROM with SMTP_URL and both admin variables together', () => {
    expect(problems({ SMTP_URL: 'smtp://localhost:25' })).toEqual(['MAIL_FROM: is required when SMTP_URL is set']);
    expect(problems({ ADMIN_EMAIL: 'a@b.example' })[0]).toMatch(/^ADMIN_PASSWORD/);
    expect(problems({ SMTP_URL: 'smtp://localhost:25', MAIL_FROM: 'Help Desk' })).toEqual(['MAIL_FROM: must contain an email address, e.g. "Help Desk <support@example.com>"']);
    expect(loadConfig({ SMTP_URL: 'smtp://localhost:25', MAIL_FROM: 'Help Desk <support@example.com>' }).smtp?.from).toBe('Help Desk <support@example.com>');
  });

  it('treats empty values as unset, as .env files write them', () => {
    const c = loadConfig({ IMAP_HOST: '', SMTP_URL: '', TWILIO_ACCOUNT_SID: '', SMTP_INBOUND_PORT: '' });
    expect(c.imap).toBeUndefined();
    expect(c.smtp).toBeUndefined();
    expect(c.smtpInbound).toBeUndefined();
  });

  it('reads a full mailbox and Twilio configuration', () => {
    const c = loadConfig({
      IMAP_HOST: 'imap.example.com', IMAP_USER: 'support@example.com', IMAP_PASSWORD: 'x', IMAP_SECURE: 'false',
      TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'tok', TWILIO_FROM: '+15005550006', PUBLIC_URL: 'https://help.example.com/',
    });
    expect(c.imap).toMatchObject({ host: 'imap.example.com', port: 143, secure: false, allowPlaintext: false, address: 'support@example.com', mailbox: 'INBOX' });
    expect(c.twilio?.from).toBe('+15005550006');
    expect(c.publicUrl).toBe('https://help.example.com');
  });
});

describe('plain text connections', () => {
  const imap = { IMAP_HOST: 'imap.example.com', IMAP_USER: 'support@example.com', IMAP_PASSWORD: 'x' };
  const smtp = { SMTP_URL: 'smtp://relay.example.com:587', MAIL_FROM: 'support@example.com' };

  it('requires TLS (STARTTLS) unless plain text is allowed explicitly', () => {
    expect(loadConfig({ ...imap, IMAP_SECURE: 'false' }).imap?.allowPlaintext).toBe(false);
    expect(loadConfig({ ...imap, IMAP_SECURE: 'false', IMAP_ALLOW_PLAINTEXT: 'true' }).imap?.allowPlaintext).toBe(true);
    // with TLS from the start there is nothing to allow
    expect(loadConfig({ ...imap, IMAP_ALLOW_PLAINTEXT: 'true' }).imap).toMatchObject({ secure: true, allowPlaintext: false });
    expect(loadConfig(smtp).smtp?.allowPlaintext).toBe(false);
    expect(loadConfig({ ...smtp, SMTP_ALLOW_PLAINTEXT: 'true' }).smtp?.allowPlaintext).toBe(true);
  });

  it('lists a mistyped allowance', () => {
    expect(problems({ ...imap, IMAP_ALLOW_PLAINTEXT: 'sure', ...smtp, SMTP_ALLOW_PLAINTEXT: 'ok' })).toEqual([
      'IMAP_ALLOW_PLAINTEXT: must be true or false',
      'SMTP_ALLOW_PLAINTEXT: must be true or false',
    ]);
  });
});

describe('.env.example', () => {
  it('documents every variable the schema reads, and loads as it is', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    const vars = Object.fromEntries(
      text.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const source = readFileSync(new URL('./config.ts', import.meta.url), 'utf8');
    const schemaVars = [...source.matchAll(/^\s{4}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]);
    expect(schemaVars.length).toBeGreaterThan(20);
    for (const v of schemaVars) expect(Object.keys(vars), `${v} is missing from .env.example`).toContain(v);
    expect(() => loadConfig(vars)).not.toThrow();
  });
});
