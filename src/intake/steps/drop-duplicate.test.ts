import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { decide, fixture } from '../../../test/helpers/intake.ts';
import { buildServices } from '../../services.ts';
import { dropDuplicate } from './drop-duplicate.ts';

describe('drop-duplicate', () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await makeTestDeps();
  });
  afterEach(() => deps.close());

  it('drops a mail without Message-ID the second time (its id comes from its bytes)', async () => {
    const raw = fixture('no-message-id.eml');
    expect((await decide(deps, raw, { steps: [dropDuplicate] })).drop).toBeNull();
    const first = await buildServices(deps).intake.receive({ channel: 'email', source: 'imap', mailboxId: null, raw });
    const again = await decide(deps, raw, { steps: [dropDuplicate] });
    expect(again.drop).toEqual({ outcome: 'duplicate', reason: `already received as inbound #${first.inboundId}`, ticketId: first.ticketId });
    expect(again.msg.externalIdSynthesized).toBe(true);
  });

  it('keeps Message-IDs apart per mailbox', async () => {
    const raw = fixture('new-ticket-plain.eml');
    await buildServices(deps).intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw });
    expect((await decide(deps, raw, { steps: [dropDuplicate] })).drop?.outcome).toBe('duplicate');
    await deps.db.run("insert into mailboxes (name, address, host, username, password, created_at, updated_at) values ('B', 'b@desk.example', 'h', 'u', 'p', 0, 0)");
    expect((await decide(deps, raw, { steps: [dropDuplicate], mailboxId: 1 })).drop).toBeNull();
  });
});
