// The status counts the triggers keep, checked against the replay of the events they stand in for:
// random histories of tickets (status changes, assignments that move a ticket to 'assigned',
// merges, and changes of every field the report filters by, some at the same instant), read at
// local midnights (some changes fall on them), at the instants of changes and just after, and at
// random instants, for the whole desk and for every value of every field. Then the same after the
// counts are forgotten, half built while changes go on, and built again.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { component, person, ticket } from '../../test/helpers/factories.ts';
import { applyAssignment, writeStatus } from '../actions/tickets.ts';
import { mergeTickets } from '../actions/ticket-links.ts';
import { seededRandom } from '../demo/random.ts';
import type { QueueFilter } from '../domain/queue-query.ts';
import { CHANNELS, PRIORITIES, STATUSES, TICKET_TYPES, type TicketStatus } from '../domain/vocabulary.ts';
import { buildServices, type Services } from '../services.ts';
import type { User } from './users.ts';
import { insertOrganization } from './organizations.ts';
import { andQueueWhere } from './queue.ts';
import { countStatusesNow, replayStatusesAt } from './report-status.ts';
import { buildStatusCounts, countKeyOf, countStatusesFromCounts, DAY, foldStatusCountChanges, forgetStatusCounts, noCounts, setAsideStatusCounts, endSetAsideStatusCounts, statusCountsReady } from './status-counts.ts';
import { getTicket, updateTicket } from './tickets.ts';

const MINUTE = 60_000;
const T0 = Date.parse('2026-10-31T21:00:00Z'); // midnight of November 1st in Moscow

describe('the status counts kept by the database', () => {
  let deps: TestDeps;
  let s: Services;
  let agents: User[];
  let boss: User;
  let filters: QueueFilter[];
  const rand = seededRandom(17);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const ids: number[] = [];
  const changedAt: number[] = [];

  /** `n` random changes, each after the one before (a fifth of them at the same instant). */
  async function changeAtRandom(n: number) {
    const ctx = s.ctx;
    for (let i = 0; i < n; i++) {
      if (rand() > 0.2) deps.clock.set(deps.clock.now() + (rand() < 0.3 ? DAY - ((deps.clock.now() - T0) % DAY) : Math.ceil(rand() * 300) * MINUTE));
      changedAt.push(deps.clock.now());
      // now and then the scheduler folds PostgreSQL's logged changes into the counts
      if (rand() < 0.05) await foldStatusCountChanges(deps.db);
      const r = rand();
      if (r < 0.12 || ids.length < 4) {
        const t = await ticket(s, pick(agents), { priority: pick(PRIORITIES), componentId: rand() < 0.7 ? pick(filters.map((f) => f.componentIds?.[0]).filter((c) => c !== undefined)) : undefined });
        ids.push(t.id);
        continue;
      }
      const t = await getTicket(deps.db, pick(ids));
      if (t.mergedIntoId !== null) continue;
      const by = { kind: 'user', user: agents[0] } as const;
      if (r < 0.5) await writeStatus(ctx, by, t, pick(STATUSES.filter((x) => x !== 'new')));
      else if (r < 0.65) await applyAssignment(ctx, by, t, rand() < 0.2 ? null : pick(agents).id);
      else if (r < 0.9) {
        // a field the report filters by, written as any change writes it
        const patch = pick([
          { organizationId: rand() < 0.2 ? null : pick(filters.flatMap((f) => (f.organizationId ? [f.organizationId] : []))) },
          { componentId: rand() < 0.2 ? null : pick(filters.flatMap((f) => f.componentIds ?? [])) },
          { priority: pick(PRIORITIES) }, { type: pick(TICKET_TYPES) }, { channel: pick(CHANNELS) },
          { priority: pick(PRIORITIES), assigneeId: pick(agents).id },
        ]);
        await updateTicket(deps.db, t.id, patch, deps.clock.now());
      } else if (r < 0.93) {
        const other = await getTicket(deps.db, pick(ids));
        if (other.id !== t.id && other.mergedIntoId === null) await mergeTickets(ctx, { kind: 'user', user: boss }, { sourceId: t.id, targetNumber: other.number, confirm: true });
      }
    }
  }

  /** Instants to count at: local midnights, the instants of changes and a millisecond after, random ones. */
  function instants(): number[] {
    const end = deps.clock.now() + 2 * 60 * MINUTE;
    const out = new Set<number>();
    for (let t = T0 - 86_400_000; t <= end + 86_400_000; t += 86_400_000) out.add(t);
    for (const t of changedAt.filter((_, i) => i % 4 === 0)) out.add(t).add(t + 1);
    for (let k = 0; k < 40; k++) out.add(T0 + Math.floor(rand() * (end - T0)));
    return [...out].sort((a, b) => a - b);
  }

  async function expectCountsAsReplayed() {
    const at = instants();
    let seen = 0;
    for (const f of filters) {
      const key = countKeyOf(f)!;
      const kept = await countStatusesFromCounts(deps.db, f, at);
      expect(kept, JSON.stringify(key)).toEqual(await replayStatusesAt(deps.db, at, f));
      // and now: the tickets' present statuses
      const present = noCounts();
      for (const t of await deps.db.all<{ status: TicketStatus }>(sql`select status from tickets where 1 = 1${andQueueWhere(f)}`)) present[t.status] += 1;
      expect(await countStatusesNow(deps.db, f), JSON.stringify(key)).toEqual(present);
      seen += kept.reduce((a, c) => a + Object.values(c).reduce((x, y) => x + y, 0), 0);
    }
    expect(seen).toBeGreaterThan(0);
  }

  beforeAll(async () => {
    deps = await makeTestDeps({ TIME_ZONE: 'Europe/Moscow' });
    s = buildServices(deps);
    deps.clock.set(T0 + 9 * 60 * MINUTE);
    agents = [await person(s, 'Ann'), await person(s, 'Bob'), await person(s, 'Cid')];
    boss = await person(s, 'Dora', 'manager');
    const comps = [await component(s, 'Printers', agents), await component(s, 'Network', agents)];
    const orgs = [await insertOrganization(deps.db, { name: 'Romashka' }, deps.clock.now()), await insertOrganization(deps.db, { name: 'Vasilek' }, deps.clock.now())];
    filters = [
      {},
      ...orgs.map((o) => ({ organizationId: o.id })),
      ...comps.map((c) => ({ componentIds: [c.id] })),
      ...agents.map((a) => ({ assigneeId: a.id })),
      ...TICKET_TYPES.map((x) => ({ types: [x] })),
      ...CHANNELS.map((x) => ({ channels: [x] })),
      ...PRIORITIES.map((x) => ({ priorities: [x] })),
    ];
  });
  afterAll(() => deps?.close());

  it('answers a filter on the whole desk or on one field’s value, and no other', () => {
    expect(countKeyOf({})).toEqual({ dim: 'all', val: '' });
    expect(countKeyOf({ organizationId: 4 })).toEqual({ dim: 'org', val: '4' });
    expect(countKeyOf({ priorities: ['high'], componentIds: undefined })).toEqual({ dim: 'priority', val: 'high' });
    for (const f of [{ organizationId: 4, priorities: ['high'] }, { assigneeId: null }, { componentIds: [1, 2] }, { componentIds: [] }, { organizationId: null }, { componentIds: [null] }, { open: true }, { text: 'x' }] as QueueFilter[]) {
      expect(countKeyOf(f), JSON.stringify(f)).toBeUndefined();
    }
  });

  it('counts every change as the replay of the events does, for the desk and every value of every field', async () => {
    await changeAtRandom(160);
    expect(await statusCountsReady(deps.db)).toBe(true);
    await expectCountsAsReplayed();
    // PostgreSQL's triggers log their changes beside the counts (SQLite's write the counts), and folding them in changes nothing
    const logged = async () => Number(await deps.db.value('select count(*) from status_count_changes'));
    if (deps.db.engine === 'postgres') expect(await logged()).toBeGreaterThan(0);
    else expect(await logged()).toBe(0);
    await foldStatusCountChanges(deps.db);
    expect(await logged()).toBe(0);
    await expectCountsAsReplayed();
  });

  it('counts the same after being forgotten and built again in batches, with changes made while half built', async () => {
    const tickets = ids.length;
    expect(await forgetStatusCounts(deps.db)).toBeGreaterThanOrEqual(tickets);
    expect(await statusCountsReady(deps.db)).toBe(false);
    // a batch of 5, then changes to tickets counted and not counted yet, then the rest
    expect(await buildStatusCounts(deps.db, { batch: 5, deadline: 0 })).toBe(5);
    await changeAtRandom(60);
    expect(await buildStatusCounts(deps.db, { batch: 5 })).toBeGreaterThanOrEqual(tickets - 5);
    expect(await statusCountsReady(deps.db)).toBe(true);
    await expectCountsAsReplayed();
    expect(await buildStatusCounts(deps.db)).toBe(0);
  });

  it('leaves the tickets of a bulk load to the build, also while older ones are being counted, and counts each once', async () => {
    await forgetStatusCounts(deps.db);
    expect(await buildStatusCounts(deps.db, { batch: 5, deadline: 0 })).toBe(5);
    await changeAtRandom(5); // the tickets made now are counted by the triggers
    await setAsideStatusCounts(deps.db);
    const before = ids.length;
    while (ids.length < before + 6) await changeAtRandom(10);
    // a build during the load counts the older ones and leaves the load's for its end
    await buildStatusCounts(deps.db);
    expect(await statusCountsReady(deps.db)).toBe(false);
    await endSetAsideStatusCounts(deps.db);
    expect(await buildStatusCounts(deps.db)).toBe(ids.length - before);
    expect(await statusCountsReady(deps.db)).toBe(true);
    await expectCountsAsReplayed();
  });
});
