import { describe, expect, it } from 'vitest';
import { judgeSender } from '../../domain/sender-trust.ts';
import { makeMail } from '../../../test/helpers/mail.ts';
import { dnsTable, failingResolver, fakeResolver, mailDomain, signMail, silentResolver } from '../../../test/helpers/mail-auth.ts';
import type { SendingServer } from '../../intake/receive.ts';
import { checkMailAuth, type DnsResolve } from './mail-auth.ts';

const desk = mailDomain('desk.example');
const evil = mailDomain('evil.example');
// client.example's SPF also lists a loopback and a private address, as a domain listing its own relay would
const relaxed = mailDomain('client.example', { dmarc: null, spfIps: ['192.0.2.10', '127.0.0.1', '10.0.0.25'] });
const resolver = fakeResolver(dnsTable(desk, evil, relaxed));

async function verdict(raw: string, opts: { resolver?: DnsResolve; client?: SendingServer; listenerIsMx?: boolean; deadlineMs?: number } = {}) {
  const evidence = await checkMailAuth(Buffer.from(raw), {
    resolver: opts.resolver ?? resolver, client: opts.client, listenerIsMx: opts.listenerIsMx ?? false, mta: 'desk.test', deadlineMs: opts.deadlineMs ?? 10_000,
  });
  const from = raw.match(/^From:.*<([^>]+)>/m)?.[1] ?? null;
  return { ...judgeSender(evidence, from), evidence };
}

describe('checkMailAuth', () => {
  it('verifies mail DKIM-signed by the From domain (DMARC pass)', async () => {
    const raw = await signMail(makeMail({ from: 'Agent <agent@desk.example>' }), desk);
    expect(await verdict(raw)).toMatchObject({ verdict: 'verified', reason: 'dmarc' });
  });

  it('does not verify a From that another domain signed, nor an unsigned one', async () => {
    const forged = await signMail(makeMail({ from: 'Agent <agent@desk.example>' }), evil);
    expect(await verdict(forged)).toMatchObject({ verdict: 'unverified', reason: 'dmarc-fail' });
    expect(await verdict(makeMail({ from: 'Anna <anna@client.example>' }))).toMatchObject({ verdict: 'unverified', reason: 'no-signature' });
  });

  it('notices a signature broken by a change to the mail', async () => {
    const signed = await signMail(makeMail({ from: 'Anna <anna@client.example>', body: 'Please reset my password.' }), relaxed);
    const r = await verdict(signed.replace('reset my password', 'make me an admin'));
    expect(r).toMatchObject({ verdict: 'unverified', reason: 'bad-signature' });
  });

  describe('SPF', () => {
    const raw = makeMail({ from: 'Anna <anna@client.example>' });
    const client = (ip: string): SendingServer => ({ ip, helo: 'mx.client.example', mailFrom: 'anna@client.example' });

    it('takes an SPF pass for the From domain when the listener is the MX and the client a public server', async () => {
      expect(await verdict(raw, { client: client('192.0.2.10'), listenerIsMx: true })).toMatchObject({ verdict: 'verified', reason: 'spf' });
      expect(await verdict(raw, { client: client('198.51.100.7'), listenerIsMx: true })).toMatchObject({ verdict: 'unverified' });
    });

    it('checks no SPF behind a relay (the default): the client is our own server, whatever its address', async () => {
      for (const ip of ['127.0.0.1', '10.0.0.25', '192.0.2.10']) {
        const r = await verdict(raw, { client: client(ip) });
        expect(r, ip).toMatchObject({ verdict: 'unverified', reason: 'no-signature' });
        expect(r.evidence.spf, ip).toBeNull();
      }
    });

    it('checks no SPF for a loopback or private client even when the listener is the MX', async () => {
      for (const ip of ['127.0.0.1', '::ffff:127.0.0.1', '10.0.0.25']) {
        const r = await verdict(raw, { client: client(ip), listenerIsMx: true });
        expect(r, ip).toMatchObject({ verdict: 'unverified', reason: 'no-signature' });
        expect(r.evidence.spf, ip).toBeNull();
      }
    });
  });

  it('leaves the sender unknown when DNS fails or does not answer in time', async () => {
    const raw = await signMail(makeMail({ from: 'Agent <agent@desk.example>' }), desk);
    expect(await verdict(raw, { resolver: failingResolver('ETIMEOUT') })).toMatchObject({ verdict: 'unknown', reason: 'dns' });
    const slow = await verdict(raw, { resolver: silentResolver(), deadlineMs: 50 });
    expect(slow).toMatchObject({ verdict: 'unknown', reason: 'dns' });
    expect(slow.evidence.error).toMatch(/longer than 50 ms/);
  });
});
