import { afterEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { decide } from '../../../test/helpers/intake.ts';
import { makeMail } from '../../../test/helpers/mail.ts';
import { signMail, useMailDomain } from '../../../test/helpers/mail-auth.ts';
import { addUser } from '../../../test/helpers/web.ts';
import { buildServices } from '../../services.ts';
import { decideSenderTrust, senderTrusted } from './decide-sender-trust.ts';

describe('decide-sender-trust', () => {
  let deps: TestDeps;
  afterEach(() => deps.close());
  const steps = [decideSenderTrust];

  it('requires a verified sender for an agent’s address, not for a requester’s by default', async () => {
    deps = await makeTestDeps();
    useMailDomain(deps, 'desk.example');
    await addUser(buildServices(deps), 'agent', 'agent@desk.example');
    const forged = await decide(deps, makeMail({ from: 'agent@desk.example' }), { steps });
    expect(forged.sender).toEqual({ verdict: 'unverified', reason: 'dmarc-fail', method: 'mailauth', claimsAgent: true, required: true });
    expect(senderTrusted(forged)).toBe(false);
    expect(forged.notes.join()).toMatch(/not verified \(dmarc-fail\): taken as a requester-side message/);
    const requester = await decide(deps, makeMail({ from: 'anna@client.example' }), { steps });
    expect(requester.sender).toMatchObject({ verdict: 'unverified', required: false });
    expect(senderTrusted(requester)).toBe(true);
  });

  it('requires it of requesters too with MAIL_VERIFY_REQUESTERS=on, and is satisfied by a valid signature', async () => {
    deps = await makeTestDeps({ MAIL_VERIFY_REQUESTERS: 'on' });
    const client = useMailDomain(deps, 'client.example');
    const unsigned = await decide(deps, makeMail({ from: 'anna@client.example' }), { steps });
    expect(senderTrusted(unsigned)).toBe(false);
    const signed = await decide(deps, await signMail(makeMail({ from: 'anna@client.example' }), client), { steps });
    expect(signed.sender).toMatchObject({ verdict: 'verified', required: true });
    expect(senderTrusted(signed)).toBe(true);
  });

  it('has no verdict when the desk does not check senders', async () => {
    deps = await makeTestDeps({ MAIL_SENDER_VERIFY: 'off' });
    const d = await decide(deps, makeMail({ from: 'agent@desk.example' }), { steps });
    expect(d.sender).toBeNull();
    expect(senderTrusted(d)).toBe(true);
  });
});
