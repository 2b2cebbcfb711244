import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { quarantineByReference, type ReferencedInbound } from './quarantine-by-reference.ts';

describe('a mail quarantined by reference', () => {
  let deps: TestDeps;
  beforeEach(() => {
    deps = makeTestDeps();
  });
  afterEach(() => deps.close());

  const held = (ref: Partial<ReferencedInbound['ref']>) =>
    quarantineByReference(deps, {
      channel: 'email', source: 'imap', mailboxId: null, headers: Buffer.from('From: Eve <eve@hostile.example>\r\nSubject: Scans\r\n'),
      fromAddress: 'eve@hostile.example', subject: 'Scans', externalId: null, reason: 'mail is 30 MB, over the 25 MB limit (MAX_MAIL_BYTES)',
      ref: { folder: 'INBOX', uidValidity: '7', uid: 1, size: 30 * 1024 * 1024, ...ref },
    });

  it('is one record per message where it is, however alike the headers read', () => {
    const first = held({ uid: 1 });
    expect(first.outcome).toBe('quarantined');
    expect(held({ uid: 2 }).outcome).toBe('quarantined');
    expect(held({ uid: 1, folder: 'Archive' }).outcome).toBe('quarantined');
    expect(held({ uid: 1, uidValidity: '8' }).outcome).toBe('quarantined');
    // the same message met again
    expect(held({ uid: 1 })).toMatchObject({ outcome: 'duplicate', inboundId: first.inboundId });
    expect(deps.db.$client.prepare('select count(*) from inbound_messages').pluck().get()).toBe(4);
  });
});
