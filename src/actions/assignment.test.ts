import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { component, person, ticket } from '../../test/helpers/factories.ts';
import { mailboxes } from '../db/schema.ts';
import { buildServices, type Services } from '../services.ts';
import { getTicket } from '../store/tickets.ts';
import { updateUser } from '../store/users.ts';
import { assignFreeSpecialist } from './assignment.ts';
import { updateTicketFields } from './ticket-fields.ts';

describe('assignment', () => {
  let deps: TestDeps;
  let s: Services;
  beforeEach(async () => {
    deps = await makeTestDeps();
    s = buildServices(deps);
  });
  afterEach(() => deps.close());

  it('assigns to the least-loaded available agent of the component, weighing open work by estimate', async () => {
    const [busy, light, away, outsider] = [await person(s, 'Busy'), await person(s, 'Light'), await person(s, 'Away', 'agent', { available: false }), await person(s, 'Outsider')];
    const printers = await component(s, 'Printers', [busy, light, away]);
    const manager = await person(s, 'Olga', 'manager');
    const as = (u: typeof busy) => ({ kind: 'user' as const, user: u });
    // Busy has one big ticket (8 h), Light two small ones (2 × 30 min): Light has less work
    const big = await ticket(s, manager, { componentId: printers.id });
    await updateTicketFields(s.ctx, as(manager), { ticketId: big.id, estimateMinutes: 480 });
    await assignFreeSpecialist(s.ctx, as(manager), { ticketId: big.id });
    expect((await getTicket(deps.db, big.id)).assigneeId).toBe(busy.id); // both empty: the lower id
    for (let i = 0; i < 2; i++) {
      const small = await ticket(s, manager, { componentId: printers.id });
      await updateTicketFields(s.ctx, as(manager), { ticketId: small.id, estimateMinutes: 30 });
      expect((await assignFreeSpecialist(s.ctx, as(manager), { ticketId: small.id })).assigneeId).toBe(light.id);
    }
    const next = await ticket(s, manager, { componentId: printers.id });
    expect(await assignFreeSpecialist(s.ctx, as(manager), { ticketId: next.id })).toMatchObject({ assigneeId: light.id, status: 'assigned' });
    expect([away.id, outsider.id]).not.toContain((await getTicket(deps.db, next.id)).assigneeId);
  });

  it('explains why nobody could be chosen', async () => {
    const a = await person(s, 'Solo', 'agent', { available: false });
    const c = await component(s, 'Network', [a]);
    const t1 = await ticket(s, a);
    await expect(assignFreeSpecialist(s.ctx, { kind: 'user', user: a }, { ticketId: t1.id })).rejects.toThrow(/Set the component first/);
    const t2 = await ticket(s, a, { componentId: c.id });
    await expect(assignFreeSpecialist(s.ctx, { kind: 'user', user: a }, { ticketId: t2.id })).rejects.toThrow(/No agent of Network is available/);
  });

  it('assigns new console tickets automatically when the component asks for it (least loaded, round robin, off)', async () => {
    const [a, b, c] = [await person(s, 'A'), await person(s, 'B'), await person(s, 'C')];
    const rr = await component(s, 'Round', [a, b, c], { autoAssign: 'round_robin' });
    const ll = await component(s, 'Least', [a, b], { autoAssign: 'least_loaded' });
    const off = await component(s, 'Manual', [a], { autoAssign: 'off' });
    const got = await Promise.all([1, 2, 3, 4].map(async () => (await ticket(s, null, { componentId: rr.id })).assigneeId));
    // each in turn, in the order the tickets commit (created at once, they may commit in any order)
    expect([...got].sort()).toEqual([a.id, a.id, b.id, c.id].sort());
    await updateUser(deps.db, b.id, { available: false }, deps.clock.now());
    expect((await ticket(s, null, { componentId: rr.id })).assigneeId).toBe(c.id);
    // B is away and C is not in Least: A gets it, whatever its load
    expect((await ticket(s, null, { componentId: ll.id })).assigneeId).toBe(a.id);
    await updateUser(deps.db, b.id, { available: true }, deps.clock.now());
    expect((await ticket(s, null, { componentId: ll.id })).assigneeId).toBe(b.id);
    expect(await ticket(s, null, { componentId: off.id })).toMatchObject({ assigneeId: null, status: 'new' });
  });

  it('assigns tickets that arrive by mail into a component with automatic assignment', async () => {
    const a = await person(s, 'Mail Agent');
    const c = await component(s, 'Mail', [a], { autoAssign: 'least_loaded' });
    const mb = await deps.db.insert(mailboxes).values({ name: 'Support', address: 'support@desk.example', host: 'localhost', username: 'u', password: 'p', componentId: c.id, createdAt: 0, updatedAt: 0 }).returning().get();
    const r = await s.intake.receive({ channel: 'email', source: 'pipe', mailboxId: mb.id, raw: readFileSync(new URL('../../fixtures/email/new-ticket-plain.eml', import.meta.url)) });
    expect(r.outcome).toBe('created');
    expect(await getTicket(deps.db, r.ticketId!)).toMatchObject({ componentId: c.id, assigneeId: a.id, status: 'assigned' });
  });
});
