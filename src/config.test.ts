import { describe, expect, it } from 'vitest';
import { ConfigError, databaseLabel, listenerUrl, loadConfig } from './config.ts';

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
    expect(c.database).toEqual({ engine: 'sqlite', file: './data/helpdesk.sqlite' });
    expect(c.dataDir).toBe('./data');
    expect(c.imap).toBeUndefined();
    expect(c.smtp).toBeUndefined();
    expect(c.twilio).toBeUndefined();
    expect(c.roles).toEqual(['web', 'intake', 'outbox', 'scheduler']);
    expect(c.limits).toEqual({ mailBytes: 25 * 1024 * 1024, attachmentBytes: 20 * 1024 * 1024, attachmentsPerMail: 100 });
    expect(c.portal.linkDays).toBe(30);
  });

  it('links to this listener when PUBLIC_URL is not set, and to PUBLIC_URL when it is', () => {
    expect(loadConfig({}).publicUrl).toBe('http://localhost:3000');
    expect(loadConfig({ PORT: '4100' })).toMatchObject({ publicUrl: 'http://localhost:4100', publicUrlConfigured: false });
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ HOST: 'desk.lan', PORT: '8080' }).publicUrl).toBe('http://desk.lan:8080');
    expect(loadConfig({ PORT: '4100', PUBLIC_URL: 'https://help.example.com/' })).toMatchObject({ publicUrl: 'https://help.example.com', publicUrlConfigured: true });
    expect(listenerUrl('::', 3000)).toBe('http://localhost:3000');
    expect(listenerUrl('::1', 3000)).toBe('http://localhost:3000');
    expect(listenerUrl('127.0.0.2', 3000)).toBe('http://localhost:3000');
    expect(listenerUrl('fd00::5', 3000)).toBe('http://[fd00::5]:3000');
    expect(listenerUrl('[fd00::5]', 3000)).toBe('http://[fd00::5]:3000');
    expect(listenerUrl('10.0.0.7', 3000)).toBe('http://10.0.0.7:3000');
  });

  it('reads the limits on one mail, and refuses a negative attachment count', () => {
    expect(loadConfig({ MAX_ATTACHMENTS_PER_MAIL: '5', MAX_MAIL_BYTES: '1048576' }).limits).toMatchObject({ attachmentsPerMail: 5, mailBytes: 1048576 });
    expect(loadConfig({ MAX_ATTACHMENTS_PER_MAIL: '0' }).limits.attachmentsPerMail).toBe(0);
    expect(problems({ MAX_ATTACHMENTS_PER_MAIL: '-1' })[0]).toMatch(/^MAX_ATTACHMENTS_PER_MAIL/);
  });

  it('reads how long requester portal links live, in whole days', () => {
    expect(loadConfig({ PORTAL_LINK_DAYS: '7' }).portal.linkDays).toBe(7);
    expect(problems({ PORTAL_LINK_DAYS: '0' })[0]).toMatch(/^PORTAL_LINK_DAYS/);
    expect(problems({ PORTAL_LINK_DAYS: 'a month' })[0]).toMatch(/^PORTAL_LINK_DAYS: must be a number of days/);
  });

  it('runs on PostgreSQL when DATABASE_URL names a server, and never logs its password', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://desk:s3cret@db.example:5432/desk', DATABASE_POOL_SIZE: '4' });
    expect(c.database).toEqual({ engine: 'postgres', url: 'postgres://desk:s3cret@db.example:5432/desk', poolSize: 4 });
    expect(databaseLabel(c.database)).toBe('postgres://desk:***@db.example:5432/desk');
    expect(loadConfig({ DATABASE_URL: 'postgresql://db.example/desk' }).database).toMatchObject({ engine: 'postgres', poolSize: 10 });
    expect(databaseLabel(loadConfig({}).database)).toBe('./data/helpdesk.sqlite');
    expect(problems({ DATABASE_URL: 'postgres://db.example/desk', DATABASE_POOL_SIZE: '0' })[0]).toMatch(/^DATABASE_POOL_SIZE/);
  });

  it('lists every problem at once, naming the variable', () => {
    const p = problems({ PORT: 'eighty', PUBLIC_URL: 'help.example.com', DATABASE_URL: 'mysql://x', IMAP_HOST: 'imap.example.com', TWILIO_ACCOUNT_SID: 'XX', TIME_ZONE: 'Mars/Olympus' });
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

  it('reads the sign-in limits, with defaults of 10 failures per account and per address in 15 minutes', () => {
    expect(loadConfig({}).signIn).toEqual({ failuresPerAccount: 10, failuresPerIp: 10, windowMs: 15 * 60_000 });
    const c = loadConfig({ SIGN_IN_FAILURES_PER_ACCOUNT: '5', SIGN_IN_FAILURES_PER_IP: '50', SIGN_IN_WINDOW_MINUTES: '60' });
    expect(c.signIn).toEqual({ failuresPerAccount: 5, failuresPerIp: 50, windowMs: 3_600_000 });
    expect(problems({ SIGN_IN_FAILURES_PER_IP: '0', SIGN_IN_WINDOW_MINUTES: 'soon' }).map((x) => x.split(':')[0])).toEqual(['SIGN_IN_FAILURES_PER_IP', 'SIGN_IN_WINDOW_MINUTES']);
  });

  it('believes X-Forwarded-For from the loopback by default, and from the proxies TRUST_PROXY names', () => {
    expect(loadConfig({}).trustProxy).toEqual(['loopback']);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.5, 10.1.0.0/16 ,uniquelocal, fd00::/8' }).trustProxy).toEqual(['10.0.0.5', '10.1.0.0/16', 'uniquelocal', 'fd00::/8']);
    // trusting every proxy would let any client choose the address it is counted under
    for (const v of ['true', 'all', '10.0.0.0/33', '10.0.0', 'proxy.example']) expect(problems({ TRUST_PROXY: v }).map((x) => x.split(':')[0])).toEqual(['TRUST_PROXY']);
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

describe('sender verification and the SMTP listener', () => {
  it('checks senders itself by default, agents always and requesters only when asked', () => {
    expect(loadConfig({}).senderVerify).toEqual({ mode: 'mailauth', authservId: undefined, requesters: false, dnsTimeoutMs: 5000 });
    expect(loadConfig({ MAIL_VERIFY_REQUESTERS: 'on' }).senderVerify.requesters).toBe(true);
    expect(loadConfig({ MAIL_SENDER_VERIFY: 'off' }).senderVerify.mode).toBe('off');
  });

  it('believes the provider once its authserv-id is configured, and needs the id for authserv', () => {
    expect(loadConfig({ MAIL_AUTHSERV_ID: 'MX.Google.com' }).senderVerify).toMatchObject({ mode: 'authserv', authservId: 'mx.google.com' });
    expect(loadConfig({ MAIL_AUTHSERV_ID: 'mx.google.com', MAIL_SENDER_VERIFY: 'mailauth' }).senderVerify.mode).toBe('mailauth');
    expect(problems({ MAIL_SENDER_VERIFY: 'authserv' })).toEqual([expect.stringMatching(/^MAIL_AUTHSERV_ID: is required when MAIL_SENDER_VERIFY=authserv/)]);
    expect(problems({ MAIL_SENDER_VERIFY: 'dkim', MAIL_VERIFY_REQUESTERS: 'maybe' }).map((p) => p.split(':')[0])).toEqual(['MAIL_SENDER_VERIFY', 'MAIL_VERIFY_REQUESTERS']);
  });

  it('reads the listener limits, accepted addresses and AUTH credentials', () => {
    const c = loadConfig({ SMTP_INBOUND_PORT: '2525', SMTP_INBOUND_ADDRESSES: 'Help@Desk.example, @tickets.desk.example', SMTP_INBOUND_USER: 'relay', SMTP_INBOUND_PASSWORD: 'pw' });
    expect(c.smtpInbound).toEqual({
      port: 2525, host: '127.0.0.1', addresses: ['help@desk.example', '@tickets.desk.example'], maxClients: 20, maxPerIp: 5, auth: { user: 'relay', password: 'pw' }, mx: false,
    });
    expect(loadConfig({ SMTP_INBOUND_PORT: '25', SMTP_INBOUND_MX: 'true' }).smtpInbound?.mx).toBe(true);
    expect(problems({ SMTP_INBOUND_MX: 'maybe' })).toEqual(['SMTP_INBOUND_MX: must be true or false']);
    expect(problems({ SMTP_INBOUND_PORT: '2525', SMTP_INBOUND_USER: 'relay' })).toEqual(['SMTP_INBOUND_PASSWORD: is required when SMTP_INBOUND_USER is set']);
    expect(problems({ SMTP_INBOUND_ADDRESSES: 'support' })[0]).toMatch(/^SMTP_INBOUND_ADDRESSES/);
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
