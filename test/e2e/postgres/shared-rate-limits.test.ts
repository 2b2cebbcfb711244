// Rate limits on PostgreSQL are counted in the database: a client refused by one desk process
// behind the load balancer is refused by the others too, instead of getting a fresh allowance from
// each of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskDeps } from '../../helpers/desk-deps.ts';
import { startPostgres, type PostgresCluster } from '../../helpers/postgres.ts';
import { startTestServer, type TestServer } from '../../helpers/web.ts';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);
afterAll(() => cluster?.stop());

const badToken = (server: TestServer) => fetch(`${server.url}/api/v1/tickets`, { headers: { authorization: 'Bearer hd_not_a_token' } }).then(async (r) => (await r.arrayBuffer(), r.status));

describe('rate limits shared by the desk processes on PostgreSQL', () => {
  it('counts the bad API tokens of one client across two processes and refuses it on both after the limit', { timeout: 60_000 }, async () => {
    const url = cluster.url(await cluster.createDatabase());
    const [a, b] = [await deskDeps(url), await deskDeps(url)];
    const [one, two] = [await startTestServer(a), await startTestServer(b)];
    try {
      const statuses: number[] = [];
      // 100 refused tokens are allowed per client and window, whichever process gets them
      for (let i = 0; i < 100; i++) statuses.push(await badToken(i % 2 ? two : one));
      expect(statuses.every((s) => s === 401)).toBe(true);
      expect(await badToken(one)).toBe(429);
      expect(await badToken(two)).toBe(429);
      const counted = await a.db.get<{ key: string; hits: number }>("select key, hits from rate_limits where key like 'api-bad-token:%'");
      expect(counted).toEqual({ key: 'api-bad-token:127.0.0.1', hits: 102 });
    } finally {
      await one.close();
      await two.close();
      await a.close();
      await b.close();
    }
  });
});
