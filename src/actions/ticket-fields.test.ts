import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { component, person, ticket } from '../../test/helpers/factories.ts';
import { buildServices, type Services } from '../services.ts';
import { AppError } from '../domain/errors.ts';
import { listTicketEvents } from '../store/events.ts';
import { listTicketMessages } from '../store/messages.ts';
import { getTicket } from '../store/tickets.ts';
import type { User } from '../store/users.ts';
import type { TicketChange } from './context.ts';
import { updateTicketFields, updateTicketProperties } from './ticket-fields.ts';

describe('ticket fields', () => {
  let deps: TestDeps;
  let s: Services;
  let agent: User;
  beforeEach(async () => {
    deps = await makeTestDeps();
    s = buildServices(deps);
    agent = await person(s, 'Dmitry');
  });
  afterEach(() => deps.close());
  const actor = () => ({ kind: 'user' as const, user: agent });

  it('changes priority, type, category, component and estimate with an audit event, a thread line and the updated hook', async () => {
    const seen: TicketChange[] = [];
    s.ctx.hooks.ticketChanged.push((_tx, c) => void seen.push(c));
    const printers = await component(s, 'Printers', [agent]);
    const t = await ticket(s, agent);
    const after = await updateTicketFields(s.ctx, actor(), { ticketId: t.id, priority: 'high', type: 'problem', category: 'fault', componentId: printers.id, estimateMinutes: 90 });
    expect(after).toMatchObject({ priority: 'high', type: 'problem', category: 'fault', componentId: printers.id, estimateMinutes: 90 });
    const change = seen.find((c) => c.type === 'updated');
    expect(change).toMatchObject({ type: 'updated', fields: ['priority', 'type', 'category', 'componentId', 'estimateMinutes'], before: { priority: 'normal' } });
    expect((await listTicketEvents(deps.db, t.id)).map((e) => e.type)).toContain('ticket.updated');
    expect((await listTicketMessages(deps.db, t.id)).filter((m) => m.eventType === 'updated')).toHaveLength(1);
    // the same values again change nothing
    await updateTicketFields(s.ctx, actor(), { ticketId: t.id, priority: 'high' });
    expect(seen.filter((c) => c.type === 'updated')).toHaveLength(1);
  });

  it('refuses an unknown component or a bad estimate, naming the field', async () => {
    const t = await ticket(s, agent);
    await expect(updateTicketFields(s.ctx, actor(), { ticketId: t.id, componentId: 999 })).rejects.toThrow(/existing component/);
    try {
      await updateTicketFields(s.ctx, actor(), { ticketId: t.id, estimateMinutes: Number.NaN });
      expect.unreachable();
    } catch (err) {
      expect((err as AppError).details.fields).toHaveProperty('estimateMinutes');
    }
  });

  it('saves the properties form all or nothing: a refused status keeps priority and assignee as they were', async () => {
    const other = { kind: 'user' as const, user: agent };
    const t = await ticket(s, agent);
    s.ctx.hooks.validateChange.push((_tx, c) => {
      if (c.type === 'status' && c.to === 'resolved') throw new AppError('transition_refused', 'Log the time spent before resolving');
    });
    await expect(updateTicketProperties(s.ctx, other, { ticketId: t.id, priority: 'urgent', assigneeId: agent.id, status: 'resolved' })).rejects.toThrow('Log the time spent');
    expect(await getTicket(deps.db, t.id)).toMatchObject({ priority: 'normal', assigneeId: null, status: 'new' });
    const ok = await updateTicketProperties(s.ctx, other, { ticketId: t.id, priority: 'urgent', assigneeId: agent.id, status: 'in_progress' });
    expect(ok).toMatchObject({ priority: 'urgent', assigneeId: agent.id, status: 'in_progress' });
  });

  it('leaves the status alone when the form sends the old one, even though assigning moved it', async () => {
    const t = await ticket(s, agent);
    const after = await updateTicketProperties(s.ctx, actor(), { ticketId: t.id, status: 'new', assigneeId: agent.id });
    expect(after.status).toBe('assigned');
  });
});
