import type { SMTPServerSession } from 'smtp-server';
import { describe, expect, it } from 'vitest';
import { perIpLimit } from './smtp-listener.ts';

const session = (id: string, remoteAddress: string) => ({ id, remoteAddress }) as SMTPServerSession;

describe('SMTP listener connection limit per client', () => {
  const connect = (limit: ReturnType<typeof perIpLimit>, s: SMTPServerSession) => {
    let refused: Error | null = null;
    limit.onConnect(s, (err) => (refused = err ?? null));
    return refused as (Error & { responseCode?: number }) | null;
  };

  it('counts the addresses of one IPv6 /56 network as one client, and frees a slot on close', () => {
    const limit = perIpLimit(2);
    expect(connect(limit, session('a', '2001:db8:1:200::1'))).toBeNull();
    expect(connect(limit, session('b', '2001:db8:1:2ff::9'))).toBeNull();
    expect(connect(limit, session('c', '2001:db8:1:2aa::5'))?.responseCode).toBe(421);
    // another /56 is another client
    expect(connect(limit, session('d', '2001:db8:1:300::1'))).toBeNull();
    limit.onClose(session('a', '2001:db8:1:200::1'));
    expect(connect(limit, session('e', '2001:db8:1:2aa::5'))).toBeNull();
  });

  it('counts an IPv4 client the same whether written plain or IPv4-mapped', () => {
    const limit = perIpLimit(1);
    expect(connect(limit, session('a', '203.0.113.7'))).toBeNull();
    expect(connect(limit, session('b', '::ffff:203.0.113.7'))?.responseCode).toBe(421);
  });
});
