// A fresh desk for every test of a describe block (or file): real deps (SQLite with the real
// migrations in a temp DATA_DIR) and the app on a free port, made in beforeEach and closed in
// afterEach; plus people and browsers signed in to it.
import { afterEach, beforeEach } from 'vitest';
import { makeTestDeps, type TestDeps } from './deps.ts';
import { Browser, startTestServer, type TestServer } from './web.ts';
import { PASSWORD, person } from './factories.ts';
import type { Role } from '../../src/db/schema.ts';
import type { User } from '../../src/store/users.ts';

export type TestDesk = {
  /** this test's deps and server; read them inside a test or hook, never at collection time */
  readonly deps: TestDeps;
  readonly srv: TestServer;
  /** a person made with the real action, password PASSWORD (see factories.ts) */
  person(name: string, role?: Role, opts?: Parameters<typeof person>[3]): Promise<User>;
  /** a browser that has not signed in */
  browser(): Browser;
  /** a browser signed in as this person through the login form */
  signIn(who: { email: string }): Promise<Browser>;
};

export function useTestDesk(opts: { env?: Record<string, string>; file?: boolean } = {}): TestDesk {
  let current: { deps: TestDeps; srv: TestServer } | undefined;
  const now = () => {
    if (!current) throw new Error('the test desk exists only while a test runs (useTestDesk makes it in beforeEach)');
    return current;
  };
  beforeEach(async () => {
    const deps = await makeTestDeps(opts.env, { file: opts.file });
    try {
      current = { deps, srv: await startTestServer(deps) };
    } catch (e) {
      deps.close();
      throw e;
    }
  });
  afterEach(async () => {
    if (!current) return;
    const { deps, srv } = current;
    current = undefined;
    await srv.close();
    deps.close();
  });
  const desk: TestDesk = {
    get deps() {
      return now().deps;
    },
    get srv() {
      return now().srv;
    },
    person: (name, role, o) => person(now().srv.services, name, role, o),
    browser: () => new Browser(now().srv.url),
    async signIn(who) {
      const b = new Browser(now().srv.url);
      await b.login(who.email, PASSWORD);
      return b;
    },
  };
  return desk;
}
