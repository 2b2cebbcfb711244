import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { recordingLogger, type LogLine } from '../../test/helpers/log.ts';
import { buildServices } from '../services.ts';
import { countUsers } from '../store/users.ts';
import { isLoopbackHost, issueSetupCode, newSetupCode, setupCodeMatches, setupCodeRequired } from './setup-code.ts';
import type { Ctx } from './context.ts';
import { ensureAdminFromEnv } from './bootstrap-admin.ts';

describe('setup code', () => {
  it('is needed unless the desk listens on loopback only', () => {
    for (const h of ['127.0.0.1', '127.0.1.1', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.5', 'help.example.com', '128.0.0.1']) expect(isLoopbackHost(h), h).toBe(false);
  });

  it('is needed behind a reverse proxy on the same machine: a public PUBLIC_URL means others reach the form', () => {
    expect(setupCodeRequired({ host: '127.0.0.1', publicUrl: 'http://localhost:3000' })).toBe(false);
    expect(setupCodeRequired({ host: '127.0.0.1', publicUrl: 'http://127.0.0.1:3000' })).toBe(false);
    expect(setupCodeRequired({ host: '127.0.0.1', publicUrl: 'https://help.example.com' })).toBe(true);
    expect(setupCodeRequired({ host: '0.0.0.0', publicUrl: 'http://localhost:3000' })).toBe(true);
  });

  it('is 16 unambiguous characters in groups of four, different every time', () => {
    const code = newSetupCode();
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/);
    expect(newSetupCode()).not.toBe(code);
  });

  describe('off loopback', () => {
    let deps: TestDeps;
    let ctx: Ctx;
    let lines: LogLine[];
    beforeEach(async () => {
      deps = await makeTestDeps({ HOST: '0.0.0.0' });
      ({ log: deps.log, lines } = recordingLogger());
      ctx = buildServices(deps).ctx;
    });
    afterEach(() => deps.close());

    const logged = () => lines.filter((l) => l.event === 'setup_code').map((l) => String(l.setupCode));

    it('logs a code at each start; each works, typed loosely; nothing else does', async () => {
      await issueSetupCode(ctx);
      await issueSetupCode(ctx); // a second web process
      const [a, b] = logged();
      expect(a).not.toBe(b);
      expect(lines.find((l) => l.event === 'setup_code')?.msg).toContain(a);
      expect(await setupCodeMatches(ctx, a)).toBe(true);
      expect(await setupCodeMatches(ctx, ` ${b.toLowerCase().replaceAll('-', ' ')} `)).toBe(true);
      expect(await setupCodeMatches(ctx, '')).toBe(false);
      expect(await setupCodeMatches(ctx, newSetupCode())).toBe(false);
      // only hashes are stored
      expect(JSON.stringify(await deps.db.all('select * from settings'))).not.toContain(a.replaceAll('-', ''));
    });

    it('keeps every code when processes start at the same moment', async () => {
      await Promise.all([issueSetupCode(ctx), issueSetupCode(ctx), issueSetupCode(ctx)]);
      const codes = logged();
      expect(codes).toHaveLength(3);
      for (const c of codes) expect(await setupCodeMatches(ctx, c), c).toBe(true);
    });

    it('creates the admin from ADMIN_EMAIL once when processes start at the same moment', async () => {
      const withAdmin = await makeTestDeps({ ADMIN_EMAIL: 'root@desk.test', ADMIN_PASSWORD: 'a long enough password' });
      try {
        const c = buildServices(withAdmin).ctx;
        await Promise.all([ensureAdminFromEnv(c), ensureAdminFromEnv(c), ensureAdminFromEnv(c)]);
        expect(await countUsers(withAdmin.db)).toBe(1);
      } finally {
        withAdmin.close();
      }
    });

    it('logs none once a user exists, or on loopback', async () => {
      await deps.db.run("insert into users (email, name, role, created_at, updated_at) values ('a@b.test', 'A', 'admin', 0, 0)");
      expect(await countUsers(deps.db)).toBe(1);
      await issueSetupCode(ctx);
      expect(logged()).toEqual([]);
      const local = await makeTestDeps({ HOST: '127.0.0.1' });
      const rec = recordingLogger();
      local.log = rec.log;
      await issueSetupCode(buildServices(local).ctx);
      local.close();
      expect(rec.lines).toEqual([]);
    });
  });
});
