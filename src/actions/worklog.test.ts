import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { person, ticket } from '../../test/helpers/factories.ts';
import { buildServices, type Services } from '../services.ts';
import { listTicketMessages } from '../store/messages.ts';
import { getTicket } from '../store/tickets.ts';
import { listTicketWorklogs, sumWorklogs } from '../store/worklogs.ts';
import type { TicketChange } from './context.ts';
import { logWork, removeWorkEntry } from './worklog.ts';

describe('worklog', () => {
  let deps: TestDeps;
  let s: Services;
  beforeEach(async () => {
    deps = await makeTestDeps();
    s = buildServices(deps);
  });
  afterEach(() => deps.close());

  it('logs time, keeps logged_minutes in step and tells the hooks (for budget warnings)', async () => {
    const agent = await person(s, 'Sarah');
    const seen: TicketChange[] = [];
    s.ctx.hooks.ticketChanged.push((_tx, c) => void seen.push(c));
    const t = await ticket(s, agent);
    await logWork(s.ctx, { kind: 'user', user: agent }, { ticketId: t.id, minutes: 45, note: 'Replaced the roller', billable: true });
    await logWork(s.ctx, { kind: 'user', user: agent }, { ticketId: t.id, minutes: 15, billable: false });
    expect((await getTicket(deps.db, t.id)).loggedMinutes).toBe(60);
    expect(await sumWorklogs(deps.db, t.id)).toEqual({ total: 60, billable: 45 });
    expect(seen.filter((c) => c.type === 'worklog')).toMatchObject([{ minutes: 45, billable: true }, { minutes: 15, billable: false }]);
    expect((await listTicketMessages(deps.db, t.id)).filter((m) => m.eventType === 'worklog')[0].eventData).toMatchObject({ minutes: 45, note: 'Replaced the roller' });
    await expect(logWork(s.ctx, { kind: 'user', user: agent }, { ticketId: t.id, minutes: 0 })).rejects.toThrow(/at least one minute/);
  });

  it('lets the author or a manager remove an entry, not another agent', async () => {
    const a = await person(s, 'Author');
    const b = await person(s, 'Other');
    const boss = await person(s, 'Boss', 'manager');
    const t = await ticket(s, a);
    const e1 = await logWork(s.ctx, { kind: 'user', user: a }, { ticketId: t.id, minutes: 30 });
    const e2 = await logWork(s.ctx, { kind: 'user', user: a }, { ticketId: t.id, minutes: 20 });
    await expect(removeWorkEntry(s.ctx, { kind: 'user', user: b }, { ticketId: t.id, worklogId: e1.id })).rejects.toThrow(/author or a manager/);
    const seen: TicketChange[] = [];
    s.ctx.hooks.ticketChanged.push((_tx, c) => void seen.push(c));
    await removeWorkEntry(s.ctx, { kind: 'user', user: a }, { ticketId: t.id, worklogId: e1.id });
    await removeWorkEntry(s.ctx, { kind: 'user', user: boss }, { ticketId: t.id, worklogId: e2.id });
    expect(await listTicketWorklogs(deps.db, t.id)).toEqual([]);
    expect((await getTicket(deps.db, t.id)).loggedMinutes).toBe(0);
    expect(seen).toMatchObject([{ type: 'worklog', minutes: -30 }, { type: 'worklog', minutes: -20 }]);
  });
});
