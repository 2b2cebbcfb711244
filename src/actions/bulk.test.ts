import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { person, ticket } from '../../test/helpers/factories.ts';
import { buildServices, type Services } from '../services.ts';
import { AppError } from '../domain/errors.ts';
import { getTicket } from '../store/tickets.ts';
import { bulkUpdate } from './bulk.ts';
import { assignTicket } from './tickets.ts';

describe('bulk changes', () => {
  let deps: TestDeps;
  let s: Services;
  beforeEach(async () => {
    deps = await makeTestDeps();
    s = buildServices(deps);
  });
  afterEach(() => deps.close());

  it('a manager assigns, prioritises and changes the status of many tickets; refusals are reported per ticket', async () => {
    const boss = await person(s, 'Boss', 'manager');
    const agent = await person(s, 'Agent');
    const ts = [await ticket(s, boss), await ticket(s, boss), await ticket(s, boss)];
    const as = { kind: 'user' as const, user: boss };
    expect((await bulkUpdate(s.ctx, as, { ticketIds: ts.map((t) => t.id), action: { kind: 'assign', assigneeId: agent.id } })).changed).toHaveLength(3);
    expect((await bulkUpdate(s.ctx, as, { ticketIds: ts.map((t) => t.id), action: { kind: 'priority', priority: 'urgent' } })).changed).toHaveLength(3);
    s.ctx.hooks.validateChange.push((_tx, c) => {
      if (c.type === 'status' && c.ticket.id === ts[1].id) throw new AppError('transition_refused', 'Needs a worklog first');
    });
    const r = await bulkUpdate(s.ctx, as, { ticketIds: [...ts.map((t) => t.id), 99_999], action: { kind: 'status', status: 'in_progress' } });
    expect(r.changed).toEqual([ts[0].id, ts[2].id]);
    expect(r.skipped).toEqual([
      { ticketId: ts[1].id, number: ts[1].number, reason: 'Needs a worklog first' },
      { ticketId: 99_999, number: null, reason: 'Ticket not found' },
    ]);
    expect(await getTicket(deps.db, ts[0].id)).toMatchObject({ assigneeId: agent.id, priority: 'urgent', status: 'in_progress' });
    expect((await getTicket(deps.db, ts[1].id)).status).toBe('assigned');
  });

  it('an agent may change their own and unassigned tickets, not a colleague\'s: the rule of a single ticket', async () => {
    const a = await person(s, 'Agent A');
    const b = await person(s, 'Agent B');
    const [free, mine, theirs] = [await ticket(s, a), await ticket(s, a), await ticket(s, a)];
    await assignTicket(s.ctx, { kind: 'system' }, { ticketId: mine.id, assigneeId: a.id });
    await assignTicket(s.ctx, { kind: 'system' }, { ticketId: theirs.id, assigneeId: b.id });
    const as = { kind: 'user' as const, user: a };
    const take = await bulkUpdate(s.ctx, as, { ticketIds: [free.id, theirs.id], action: { kind: 'assign', assigneeId: a.id } });
    expect(take.changed).toEqual([free.id]);
    expect(take.skipped[0]).toMatchObject({ ticketId: theirs.id, reason: expect.stringMatching(/assigned to Agent B/) });
    const pr = await bulkUpdate(s.ctx, as, { ticketIds: [mine.id, theirs.id], action: { kind: 'priority', priority: 'low' } });
    expect(pr.changed).toEqual([mine.id]);
    const st = await bulkUpdate(s.ctx, as, { ticketIds: [theirs.id], action: { kind: 'status', status: 'closed' } });
    expect(st.skipped).toHaveLength(1);
    expect(await getTicket(deps.db, theirs.id)).toMatchObject({ assigneeId: b.id, priority: 'normal', status: 'assigned' });
    // handing one's own ticket to a colleague is allowed, as on the ticket page
    expect((await bulkUpdate(s.ctx, as, { ticketIds: [mine.id], action: { kind: 'assign', assigneeId: b.id } })).changed).toEqual([mine.id]);
  });

  it('refuses an empty or oversized selection', async () => {
    const boss = await person(s, 'Boss', 'manager');
    await expect(bulkUpdate(s.ctx, { kind: 'user', user: boss }, { ticketIds: [], action: { kind: 'priority', priority: 'low' } })).rejects.toThrow(/Select tickets/);
    await expect(bulkUpdate(s.ctx, { kind: 'user', user: boss }, { ticketIds: Array.from({ length: 501 }, (_, i) => i + 1), action: { kind: 'priority', priority: 'low' } })).rejects.toThrow(/At most 500/);
  });

  it('refuses an empty choice and changes nothing; unassigning is an explicit null, never an empty value', async () => {
    const boss = await person(s, 'Boss', 'manager');
    const agent = await person(s, 'Agent');
    const t = await ticket(s, boss);
    await assignTicket(s.ctx, { kind: 'system' }, { ticketId: t.id, assigneeId: agent.id });
    const as = { kind: 'user' as const, user: boss };
    const empty = (action: unknown) => bulkUpdate(s.ctx, as, { ticketIds: [t.id], action: action as never });
    await expect(empty({ kind: 'priority', priority: '' })).rejects.toThrow(/Unknown priority/);
    await expect(empty({ kind: 'status', status: '' })).rejects.toThrow(/Unknown status/);
    await expect(empty({ kind: 'assign', assigneeId: '' })).rejects.toThrow(AppError);
    await expect(empty({ kind: 'assign' })).rejects.toThrow(AppError);
    expect(await getTicket(deps.db, t.id)).toMatchObject({ assigneeId: agent.id, priority: 'normal', status: 'assigned' });
    expect((await bulkUpdate(s.ctx, as, { ticketIds: [t.id], action: { kind: 'assign', assigneeId: null } })).changed).toEqual([t.id]);
    expect((await getTicket(deps.db, t.id)).assigneeId).toBeNull();
  });
});
