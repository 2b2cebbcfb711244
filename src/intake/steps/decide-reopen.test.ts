import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { insertOrganization } from '../../store/organizations.ts';
import { insertTicket, updateTicket } from '../../store/tickets.ts';
import type { TicketStatus } from '../../db/schema.ts';
import { newDraft } from '../pipeline.ts';
import type { Draft, InboundMessage } from '../types.ts';
import { decideReopen } from './decide-reopen.ts';

const DAY = 86_400_000;

function message(receivedAt: number): InboundMessage {
  return {
    channel: 'email', source: 'pipe', mailboxId: null, receivedAt, raw: Buffer.from('x'), rawSha256: 'x', externalId: 'm@x', externalIdSynthesized: false,
    from: { address: 'anna@client.example', name: 'Anna' }, to: [], cc: [], replyTo: [], deliveredTo: [], subject: 'Re: [#1]', text: 'hi', html: null,
    date: null, inReplyTo: [], references: [], headers: {}, attachments: [], problems: [],
  };
}

describe('decide-reopen', () => {
  let deps: TestDeps;
  let orgId: number;
  beforeAll(async () => {
    deps = await makeTestDeps();
    orgId = (await insertOrganization(deps.db, { name: 'Client', reopenLimit: 2, reopenWindowDays: 10 }, deps.clock.now())).id;
  });
  afterAll(() => deps.close());

  const resolvedAt = Date.UTC(2026, 10, 2);
  type Case = { status: TicketStatus; reopenCount?: number; after?: number; autoReply?: boolean; fromAgent?: boolean; contract?: boolean };
  const run = async (c: Case): Promise<Draft> => {
    const t = await insertTicket(deps.db, { subject: 'x', channel: 'email', organizationId: c.contract === false ? null : orgId }, resolvedAt);
    await updateTicket(deps.db, t.id, { status: c.status, reopenCount: c.reopenCount ?? 0, assigneeId: null, resolvedAt: c.status === 'resolved' || c.status === 'closed' ? resolvedAt : null }, resolvedAt);
    const draft = newDraft(message(resolvedAt + (c.after ?? DAY)));
    draft.match = { ticketId: t.id, via: 'subject-tag' };
    draft.requester = { address: 'anna@client.example', name: 'Anna', contactId: null, organizationId: orgId, userId: c.fromAgent ? 1 : null };
    if (c.autoReply) draft.autoReply = { reason: 'Auto-Submitted: auto-replied' };
    await decideReopen.run(draft, deps);
    return draft;
  };

  it.each<[string, Case, { statusChange: Draft['statusChange']; followUp: string | null; matched: boolean }]>([
    ['a reply to a resolved ticket reopens it', { status: 'resolved' }, { statusChange: { to: 'reopened', reopen: true }, followUp: null, matched: true }],
    ['a reply to a closed ticket reopens it', { status: 'closed', reopenCount: 1 }, { statusChange: { to: 'reopened', reopen: true }, followUp: null, matched: true }],
    ['the limit M = 2 is reached', { status: 'resolved', reopenCount: 2 }, { statusChange: null, followUp: 'limit', matched: false }],
    ['the window has passed', { status: 'closed', after: 10 * DAY + 1 }, { statusChange: null, followUp: 'window', matched: false }],
    ['no contract: no limits', { status: 'resolved', reopenCount: 9, after: 400 * DAY, contract: false }, { statusChange: { to: 'reopened', reopen: true }, followUp: null, matched: true }],
    ['an auto-reply never reopens', { status: 'resolved', autoReply: true }, { statusChange: null, followUp: null, matched: true }],
    ['an auto-reply past the limit opens nothing either', { status: 'resolved', reopenCount: 5, autoReply: true }, { statusChange: null, followUp: null, matched: true }],
    ['an agent’s mail does not reopen', { status: 'resolved', fromAgent: true }, { statusChange: null, followUp: null, matched: true }],
    ['the requester answers a pending ticket: back to the queue', { status: 'pending_requester' }, { statusChange: { to: 'new', reopen: false }, followUp: null, matched: true }],
    ['an open ticket stays as it is', { status: 'in_progress' }, { statusChange: null, followUp: null, matched: true }],
  ])('%s', async (_name, c, expected) => {
    const d = await run(c);
    expect(d.statusChange).toEqual(expected.statusChange);
    expect(d.followUpOf?.reason ?? null).toBe(expected.followUp);
    expect(!!d.match).toBe(expected.matched);
  });
});
