// PUBLIC_URL and this listener: without it, links use HOST and PORT; with it, the web role checks at
// start that it leads to this desk (a proof only this desk can give) and warns when it does not.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { recordingLogger } from '../../helpers/log.ts';
import { buildServices } from '../../../src/services.ts';
import { startWeb } from '../../../src/roles/web.ts';
import { checkPublicUrl } from '../../../src/roles/public-url-check.ts';
import { deskProof } from '../../../src/domain/desk-proof.ts';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('PUBLIC_URL', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function web(env: Record<string, string>) {
    const deps: TestDeps = await makeTestDeps(env);
    const rec = recordingLogger();
    const services = buildServices({ ...deps, log: rec.log });
    const role = await startWeb(services);
    cleanups.push(() => deps.close(), () => role.stop());
    return { role, lines: rec.lines, deps };
  }

  it('defaults to this listener, so the links on the desk’s pages open it', async () => {
    const port = await freePort();
    const { role, deps } = await web({ PORT: String(port) });
    expect(deps.config.publicUrl).toBe(`http://localhost:${port}`);
    expect(await role.publicUrlCheck).toEqual({ ok: true });
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('says nothing when PUBLIC_URL leads to this desk', async () => {
    const port = await freePort();
    const { role, lines } = await web({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
    expect(await role.publicUrlCheck).toEqual({ ok: true });
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
  });

  it('warns when nothing answers at PUBLIC_URL', async () => {
    const port = await freePort();
    const closed = await freePort();
    const { role, lines } = await web({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${closed}` });
    expect(await role.publicUrlCheck).toEqual({ ok: false, url: expect.stringContaining(`http://127.0.0.1:${closed}/healthz?challenge=`), problem: 'no answer: ECONNREFUSED' });
    const warning = lines.find((l) => l.level === 40);
    expect(warning?.msg).toContain(`PUBLIC_URL (http://127.0.0.1:${closed}) does not lead to this desk`);
  });

  it('warns when something else answers there, even with 200 and JSON', async () => {
    const other: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"proof":"00"}'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => other.close(() => r())));
    const port = await freePort();
    const { role, lines } = await web({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${(other.address() as AddressInfo).port}` });
    expect(await role.publicUrlCheck).toMatchObject({ ok: false, problem: 'something else answers there (not this desk)' });
    expect(lines.some((l) => l.level === 40 && l.msg.includes('does not lead to this desk'))).toBe(true);
  });

  it('another desk with another secret does not pass for this one', async () => {
    const port = await freePort();
    const { deps } = await web({ PORT: String(port) });
    const res = await fetch(`http://127.0.0.1:${port}/healthz?challenge=${'a'.repeat(32)}`);
    expect(((await res.json()) as { proof: string }).proof).toBe(deskProof(deps.secrets.session, 'a'.repeat(32)));
    expect(await checkPublicUrl({ publicUrl: `http://127.0.0.1:${port}`, secret: 'not this desk’s secret' })).toMatchObject({ ok: false, problem: 'something else answers there (not this desk)' });
    expect(await checkPublicUrl({ publicUrl: `http://127.0.0.1:${port}`, secret: deps.secrets.session })).toEqual({ ok: true });
  });
});
