import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { decide, fixture, OUR_MESSAGE_ID } from '../../../test/helpers/intake.ts';
import { detectBounce } from './detect-bounce.ts';

describe('detect-bounce', () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await makeTestDeps();
  });
  afterEach(() => deps.close());
  const steps = [detectBounce];

  it('reads a permanent DSN (5.1.1) with the returned original', async () => {
    const d = await decide(deps, fixture('bounce-5.1.1.eml'), { steps });
    expect(d.bounce).toEqual({
      permanent: true, status: '5.1.1', recipients: ['anna@client.example'], originalMessageId: OUR_MESSAGE_ID, action: 'failed',
      diagnostic: '550 5.1.1 <anna@client.example>: Recipient address rejected: User unknown in virtual mailbox table',
    });
  });

  it('reads a transient DSN (4.4.1) as not permanent', async () => {
    const d = await decide(deps, fixture('bounce-4.4.1.eml'), { steps });
    expect(d.bounce).toMatchObject({ permanent: false, status: '4.4.1', action: 'delayed', recipients: ['anna@client.example'], originalMessageId: OUR_MESSAGE_ID });
  });

  it.each([
    ['bounce-null-sender-dragonfly.eml', true],
    ['bounce-from-empty-brackets.eml', true],
    ['bounce-post-master.eml', true],
    ['bounce-exim-delayed-warning.eml', false],
  ])('recognises the plain-text bounce %s (permanent: %s)', async (name, permanent) => {
    const d = await decide(deps, fixture(name), { steps });
    expect(d.bounce).not.toBeNull();
    expect(d.bounce!.permanent).toBe(permanent);
  });

  it('leaves a person’s mail alone, even one that forwards a bounce', async () => {
    expect((await decide(deps, fixture('new-ticket-plain.eml'), { steps })).bounce).toBeNull();
    expect((await decide(deps, fixture('exchange-oof.eml'), { steps })).bounce).toBeNull();
  });
});
