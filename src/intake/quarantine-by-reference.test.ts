import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { quarantineByReference, type ReferencedInbound } from './quarantine-by-reference.ts';

describe('a mail quarantined by reference', () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await makeTestDeps();
  });
  afterEach(() => deps.close());

  const held = async (ref: Partial<ReferencedInbound['ref']>) =>
    await quarantineByReference(deps, {
      channel: 'email', source: 'imap', mailboxId: null, headers: Buffer.from('From: Eve <eve@hostile.example>\r\nSubject: Scans\r\n'),
      fromAddress: 'eve@hostile.example', subject: 'Scans', externalId: null, reason: 'mail is 30 MB, over the 25 MB limit (MAX_MAIL_BYTES)',
      ref: { folder: 'INBOX', uidValidity: '7', uid: 1, size: 30 * 1024 * 1024, ...ref },
    });

  it('is one record per message where it is, however alike the headers read', async () => {
    const first = await held({ uid: 1 });
    expect(first.outcome).toBe('quarantined');
    expect((await held({ uid: 2 })).outcome).toBe('quarantined');
    expect((await held({ uid: 1, folder: 'Archive' })).outcome).toBe('quarantined');
    expect((await held({ uid: 1, uidValidity: '8' })).outcome).toBe('quarantined');
    // the same message met again
    expect(await held({ uid: 1 })).toMatchObject({ outcome: 'duplicate', inboundId: first.inboundId });
    expect(await deps.db.value('select count(*) from inbound_messages')).toBe(4);
  });
});
