// The scheduler's checks page through every due ticket: a front page of tickets whose check keeps
// failing (they stay due, at the head of the list) must not hide the tickets behind them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { seedSla } from '../../test/helpers/workflow.ts';
import { buildServices, type Services } from '../services.ts';
import { createUser } from './users.ts';
import { assignTicket, createTicket } from './tickets.ts';
import { resolveTicket } from './resolution.ts';
import { autoCloseResolved, runSlaChecks } from './sla-checks.ts';
import { AppError } from '../domain/errors.ts';
import { getTicket, type Ticket } from '../store/tickets.ts';
import { listTicketEvents } from '../store/events.ts';
import { outbox } from '../db/schema.ts';
import type { User } from '../store/users.ts';

const Z = (iso: string) => Date.parse(iso);
const BATCH = 3;

describe('SLA checks and auto-close past tickets that keep failing', () => {
  let deps: TestDeps;
  let s: Services;
  let agent: User;
  beforeEach(async () => {
    deps = await makeTestDeps(); // the clock starts on Monday 2 Nov 2026, 12:00 in Moscow (09:00 UTC)
    s = buildServices(deps);
    agent = await createUser(s.ctx, { email: 'agent@desk.test', name: 'Alex Agent', role: 'agent', password: 'long enough password' });
  });
  afterEach(() => deps.close());

  const as = (user: User) => ({ kind: 'user' as const, user });
  const newTicket = async (subject: string) => {
    const t = await createTicket(s.ctx, as(agent), { subject, body: 'x', requesterEmail: 'anna@client.example' });
    await assignTicket(s.ctx, as(agent), { ticketId: t.id, assigneeId: agent.id });
    return await getTicket(deps.db, t.id);
  };
  const slaEvents = async (t: Ticket) => (await listTicketEvents(deps.db, t.id)).filter((e) => e.type.startsWith('sla.')).map((e) => e.type);

  it('announces the notices of tickets behind more than a page of tickets whose check fails', async () => {
    await seedSla(s.ctx, { firstResponse: 60 });
    // created first, so they come first in (due time, id) order; their stored clock is damaged,
    // so every check throws and rolls back, and they stay due
    const broken = [];
    for (let i = 0; i <= BATCH; i++) broken.push(await newTicket(`Broken ${i}`));
    for (const t of broken) await deps.db.run(`update tickets set sla_state = '{"v":1,"clock":{"v":1}}' where id = ?`, t.id);
    const sameDue = await newTicket('Same due time as the broken ones');
    deps.clock.advance(60_000);
    const later = await newTicket('Due a minute later');
    expect(broken.every((t) => t.slaNextEventAt === sameDue.slaNextEventAt)).toBe(true);
    expect(later.slaNextEventAt).toBe(Z('2026-11-02T09:49:00Z'));

    deps.clock.set(Z('2026-11-02T09:50:00Z')); // both good tickets are past their first-response warning
    expect(await runSlaChecks(s.ctx, deps.clock.now(), { batch: BATCH })).toBe(2);
    expect(await slaEvents(sameDue)).toEqual(['sla.warning']);
    expect(await slaEvents(later)).toEqual(['sla.warning']);
    const warned = (await deps.db.select().from(outbox).all()).filter((r) => r.event === 'sla_warning');
    expect(warned.map((r) => r.ticketId).sort((a, b) => a! - b!)).toEqual([sameDue.id, later.id]);
    // the broken tickets announced nothing and are still due, so the next run retries them
    for (const t of broken) {
      expect(await slaEvents(t)).toEqual([]);
      expect((await getTicket(deps.db, t.id)).slaNextEventAt).toBe(t.slaNextEventAt);
    }
    expect((await getTicket(deps.db, sameDue.id)).slaNextEventAt).toBe(Z('2026-11-02T10:00:00Z'));

    // a second run announces nothing twice; at the breach both good tickets are announced again
    expect(await runSlaChecks(s.ctx, deps.clock.now(), { batch: BATCH })).toBe(0);
    deps.clock.set(Z('2026-11-02T10:01:00Z'));
    expect(await runSlaChecks(s.ctx, deps.clock.now(), { batch: BATCH })).toBe(2);
    expect(await slaEvents(sameDue)).toEqual(['sla.warning', 'sla.breach']);
    expect(await slaEvents(later)).toEqual(['sla.warning', 'sla.breach']);
  });

  it('closes resolved tickets behind more than a page of tickets that cannot be closed', async () => {
    const tickets = [];
    for (let i = 0; i < 2 * BATCH + 2; i++) tickets.push(await newTicket(`Resolved ${i}`));
    for (const t of tickets) await resolveTicket(s.ctx, as(agent), { ticketId: t.id, note: 'Done' });
    // the first BATCH + 1 tickets (lowest ids, first in the list) refuse to close
    const blocked = new Set(tickets.slice(0, BATCH + 1).map((t) => t.id));
    s.ctx.hooks.validateChange.push((_db, change) => {
      if (change.type === 'status' && change.to === 'closed' && blocked.has(change.ticket.id)) throw new AppError('transition_refused', 'Held for review');
    });
    deps.clock.advance(7 * 86_400_000);

    expect(await autoCloseResolved(s.ctx, deps.clock.now(), { batch: BATCH })).toBe(tickets.length - blocked.size);
    for (const t of tickets) expect((await getTicket(deps.db, t.id)).status).toBe(blocked.has(t.id) ? 'resolved' : 'closed');

    // the held tickets are retried on the next run and close once they are released
    blocked.clear();
    expect(await autoCloseResolved(s.ctx, deps.clock.now(), { batch: BATCH })).toBe(BATCH + 1);
    for (const t of tickets) expect((await getTicket(deps.db, t.id)).status).toBe('closed');
  });
});
