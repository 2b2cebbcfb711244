// The client's address behind a proxy: X-Forwarded-For is believed only from the proxies that
// TRUST_PROXY names, so clients behind nginx are counted each under their own address, and a
// client talking to the desk directly cannot choose another address by sending the header.
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { startTestServer, type TestServer } from '../../helpers/web.ts';

describe('TRUST_PROXY', () => {
  let deps: TestDeps;
  let server: TestServer;
  afterEach(async () => {
    await server?.close();
    deps?.close();
  });

  const start = async (env: Record<string, string>) => {
    deps = await makeTestDeps(env);
    server = await startTestServer(deps);
  };
  const badToken = async (forwardedFor: string) => {
    const r = await fetch(`${server.url}/api/v1/tickets`, { headers: { authorization: 'Bearer hd_guess', 'x-forwarded-for': forwardedFor } });
    await r.arrayBuffer();
    return r.status;
  };

  it('counts clients behind a trusted proxy (the loopback, by default) by the address it forwards', async () => {
    await start({});
    for (let i = 0; i < 100; i++) await badToken('203.0.113.7');
    expect(await badToken('203.0.113.7')).toBe(429);
    // another client behind the same proxy is not refused with it
    expect(await badToken('198.51.100.20')).toBe(401);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    await start({ TRUST_PROXY: '10.0.0.5' });
    for (let i = 0; i < 100; i++) await badToken(`203.0.113.${i}`);
    // every request was counted under the peer's own address, whatever it claimed
    expect(await badToken('198.51.100.20')).toBe(429);
  });
});
