// The closed tickets' sums the triggers keep, checked two ways: against a rebuild from the tickets
// after random changes made through the real actions (tickets created, answered, put to pending
// requester, resolved, closed, reopened and merged; fields the reports group by changed, and
// billable; clocks forgotten and measured again), and through the SLA report's counts and the
// difficult-clients report's sums, which must be the same read from the sums as counted from the
// tickets alone, for periods that start and end at any instant, for every grouping and for
// filters the sums serve and those they do not. A sum changed by hand shows in the counts: they are
// read.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql, type AnyColumn } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { ticket } from '../../test/helpers/factories.ts';
import { seedSla } from '../../test/helpers/workflow.ts';
import { addUser } from '../../test/helpers/web.ts';
import { mergeTickets } from '../actions/ticket-links.ts';
import { runSlaChecks } from '../actions/sla-checks.ts';
import { updateTicketFields } from '../actions/ticket-fields.ts';
import { applyAssignment, replyToTicket, writeStatus } from '../actions/tickets.ts';
import { seededRandom } from '../demo/random.ts';
import type { QueueFilter } from '../domain/queue-query.ts';
import { tickets } from '../db/schema.ts';
import { CATEGORIES, CHANNELS, PRIORITIES, TICKET_TYPES } from '../domain/vocabulary.ts';
import { buildServices, type Services } from '../services.ts';
import { MIGRATIONS_DIR } from '../db/migrate.ts';
import { POSTGRES_MIGRATIONS_DIR } from '../db/postgres.ts';
import { closedSumsKept, closedSumsSql, foldClosedSumChanges, setAsideClosedSums, SUM_BLOCK, UNSETTLED_CLOSED } from './closed-sums.ts';
import { insertComponent } from './components.ts';
import { rebuildTicketSums } from './ticket-sums.ts';
import { countTicketsAsked, countTicketsBy, dayCountsSql, foldDayCountChanges, type CountAsk, type DayCountDim } from './day-counts.ts';
import { countCreatedDone } from './report-counts.ts';
import { insertOrganization } from './organizations.ts';
import { sumClientTickets, type ClientTicketSums } from './report-clients.ts';
import { countSlaOutcomes, type SlaGroupCounts, type SlaGroupKey } from './report-sla.ts';
import { forgetSlaMeasures, measureSlaClocks } from './sla-measures.ts';
import { upsertSlaTarget } from './sla-policies.ts';
import { getTicket, updateTicket } from './tickets.ts';
import type { User } from './users.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const T0 = Date.parse('2026-11-15T21:00:00Z'); // midnight of Monday 16 November in Moscow (a block of the sums begins on the 19th)
const GROUPINGS: SlaGroupKey[] = ['priority', 'organizationId', 'componentId', 'assigneeId'];

describe('the closed tickets’ sums kept by the database', () => {
  let deps: TestDeps;
  let s: Services;
  let agents: User[];
  let boss: User;
  let orgs: number[];
  let comps: number[];
  const rand = seededRandom(23);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const ids: number[] = [];

  /** `n` random changes over the days from T0, a few minutes to a few hours apart. */
  async function changeAtRandom(n: number) {
    const ctx = s.ctx;
    for (let i = 0; i < n; i++) {
      deps.clock.set(deps.clock.now() + Math.ceil(rand() * (rand() < 0.2 ? 600 : 60)) * MINUTE);
      if (rand() < 0.1) await runSlaChecks(ctx, deps.clock.now());
      if (rand() < 0.05) await foldClosedSumChanges(deps.db);
      const r = rand();
      if (r < 0.2 || ids.length < 5) {
        const t = await ticket(s, pick(agents), {
          priority: pick(PRIORITIES), componentId: rand() < 0.7 ? pick(comps) : undefined,
        });
        if (rand() < 0.7) await updateTicket(deps.db, t.id, { organizationId: pick(orgs) }, deps.clock.now());
        ids.push(t.id);
        continue;
      }
      const t = await getTicket(deps.db, pick(ids));
      if (t.mergedIntoId !== null) continue;
      const by = { kind: 'user', user: pick(agents) } as const;
      if (r < 0.35) await replyToTicket(ctx, by, { ticketId: t.id, body: 'Looking into it' });
      else if (r < 0.65) await writeStatus(ctx, by, t, pick(['resolved', 'resolved', 'closed', 'reopened', 'in_progress', 'pending_requester'] as const));
      else if (r < 0.72) await applyAssignment(ctx, by, t, rand() < 0.2 ? null : pick(agents).id);
      else if (r < 0.78) {
        // through the clock, as an agent changes it (the assignee, or an admin: only they may)
        const mayChange = t.assigneeId === null || t.assigneeId === by.user.id ? by : ({ kind: 'user', user: boss } as const);
        await updateTicketFields(ctx, mayChange, { ticketId: t.id, priority: pick(PRIORITIES) });
      } else if (r < 0.9) {
        const patch = pick([
          { organizationId: rand() < 0.2 ? null : pick(orgs) }, { componentId: rand() < 0.2 ? null : pick(comps) },
          { priority: pick(PRIORITIES) }, { type: pick(TICKET_TYPES) }, { priority: pick(PRIORITIES), assigneeId: pick(agents).id }, { billable: rand() < 0.5 },
        ]);
        await updateTicket(deps.db, t.id, patch, deps.clock.now());
      } else if (r < 0.93) {
        const other = await getTicket(deps.db, pick(ids));
        if (other.id !== t.id && other.mergedIntoId === null) await mergeTickets(ctx, { kind: 'user', user: boss }, { sourceId: t.id, targetNumber: other.number, confirm: true });
      } else if (r < 0.95) {
        // an upgrade's clocks not measured yet, measured again by the scheduler a while later
        await forgetSlaMeasures(deps.db);
        if (rand() < 0.7) await measureSlaClocks(deps.db);
      }
    }
  }

  /** The sums as kept, without the rows that came to nothing, PostgreSQL's changes folded in. */
  async function sums(): Promise<string[]> {
    await foldClosedSumChanges(deps.db);
    const rows = await deps.db.all<Record<string, number | string>>(sql`select * from closed_ticket_sums order by dim, grain, start, val`);
    return rows.filter((r) => Object.entries(r).some(([k, v]) => !['dim', 'val', 'grain', 'start'].includes(k) && Number(v) !== 0))
      .map((r) => Object.values(r).map(String).join(' '));
  }

  /** The day counts as kept, without the rows that came to nothing, PostgreSQL's changes folded in. */
  async function dayCounts(): Promise<string[]> {
    await foldDayCountChanges(deps.db);
    const rows = await deps.db.all<Record<string, number | string>>(sql`select * from ticket_day_counts order by dim, grain, start, val`);
    return rows.filter((r) => Number(r.created) !== 0 || Number(r.done) !== 0 || Number(r.done_reopened) !== 0).map((r) => Object.values(r).map(String).join(' '));
  }

  /** The SLA report's counts of a period for each grouping, and the difficult-clients report's sums, keyed for comparison. */
  async function counts(span: { from: number; to: number }, f: QueueFilter): Promise<Record<string, SlaGroupCounts[]> & { clients: [number, ClientTicketSums][] }> {
    const out: Record<string, SlaGroupCounts[]> = {};
    for (const by of GROUPINGS) {
      out[by] = (await countSlaOutcomes(deps.db, span, f, by, deps.clock.now())).sort((a, b) => String(a.key).localeCompare(String(b.key)));
    }
    const clients = [...(await sumClientTickets(deps.db, span, f, deps.clock.now()))].sort((a, b) => a[0] - b[0]);
    return Object.assign(out, { clients });
  }

  beforeAll(async () => {
    deps = await makeTestDeps({ TIME_ZONE: 'Europe/Moscow' });
    s = await buildServices(deps);
    deps.clock.set(T0 - DAY);
    const { policy } = await seedSla(s.ctx, { internalResolution: 240 });
    for (const priority of PRIORITIES) {
      // low priority tracks no resolution: a resolved ticket raised from it begins a target its stopped clock cannot meet
      await upsertSlaTarget(deps.db, policy.id, {
        priority, firstResponseMinutes: 60, nextResponseMinutes: 120, resolutionMinutes: priority === 'low' ? null : 480,
        internalFirstResponseMinutes: 30, internalResolutionMinutes: priority === 'low' ? null : 240,
      });
    }
    agents = [];
    for (const name of ['Anna', 'Boris', 'Vera']) agents.push(await addUser(s, 'agent', `${name.toLowerCase()}@desk.test`, name));
    boss = await addUser(s, 'admin', 'boss@desk.test', 'Boss');
    orgs = [];
    for (const name of ['Acme', 'Beta', 'Gamma']) orgs.push((await insertOrganization(deps.db, { name }, deps.clock.now())).id);
    comps = [];
    for (const name of ['Printers', 'Mail']) comps.push((await insertComponent(deps.db, { name }, deps.clock.now())).id);
    deps.clock.set(T0 + 7 * 60 * MINUTE);
    await changeAtRandom(260);
    // categories, set and changed, and reopened marks set by hand (the day counts keep them)
    for (const [i, id] of ids.entries()) {
      if (i % 3 === 0) await updateTicket(deps.db, id, { category: CATEGORIES[i % 2] }, deps.clock.now());
      if (i % 6 === 0) await updateTicket(deps.db, id, { category: i % 4 === 0 ? null : CATEGORIES[2] }, deps.clock.now());
      if (i % 5 === 0) await updateTicket(deps.db, id, { reopenCount: 1 }, deps.clock.now());
      if (i % 7 === 0) await updateTicket(deps.db, id, { channel: CHANNELS[i % CHANNELS.length] }, deps.clock.now());
      // (an import or a repair moves a creation time: the desk itself never does)
      if (i % 11 === 0) await deps.db.run(sql`update tickets set created_at = created_at - ${(i % 3) * DAY + 7 * MINUTE} where id = ${id}`);
    }
    // a resolved low-priority ticket raised to high: its clock begins a resolution target it cannot run
    const low = await ticket(s, agents[0], { priority: 'low' });
    await writeStatus(s.ctx, { kind: 'user', user: agents[0] }, low, 'resolved');
    await updateTicketFields(s.ctx, { kind: 'user', user: agents[0] }, { ticketId: low.id, priority: 'high' });
    deps.clock.set(deps.clock.now() + 60 * MINUTE);
    await measureSlaClocks(deps.db);
  }, 120_000);

  afterAll(async () => {
    await deps?.close();
  });

  it('keeps the same sums as a rebuild from the tickets, after every kind of change', async () => {
    const kept = await sums();
    // both grains are kept, and the tickets fall on both sides of a block's edge
    const [{ blocks }] = await deps.db.all<{ blocks: number | string }>(sql`select count(*) as blocks from closed_ticket_sums where dim = 'all' and grain = ${SUM_BLOCK} and tickets > 0`);
    expect(Number(blocks)).toBe(2);
    expect(kept.length).toBeGreaterThan(20);
    expect(await closedSumsKept(deps.db)).toBe(true);
    const keptDays = await dayCounts();
    await rebuildTicketSums(deps.db);
    expect(await sums()).toEqual(kept);
    expect(await dayCounts()).toEqual(keptDays);
    // and some closed tickets are among them, met and breached
    const [{ n, met, breached }] = await deps.db.all<{ n: number | string; met: number | string; breached: number | string }>(sql`
      select sum(tickets) as n, sum(fr_met) as met, sum(fr_breached) as breached from closed_ticket_sums where dim = 'all'`);
    expect(Number(n)).toBeGreaterThan(10);
    expect(Number(met)).toBeGreaterThan(0);
    expect(Number(breached)).toBeGreaterThan(0);
  });

  it('gives the SLA report the counts of the tickets alone, for any period, grouping and filter', async () => {
    const spans = [
      { from: T0, to: T0 + 7 * DAY }, // a Moscow week: partial UTC days at both ends
      { from: T0 + 3 * 60 * MINUTE, to: T0 + 5 * DAY }, // whole UTC days inside, from 00:00 UTC
      { from: T0 + 5 * 60 * MINUTE + 7, to: T0 + 2 * DAY + 11 * 60 * MINUTE }, // any instants
      { from: T0 + 4 * 60 * MINUTE, to: T0 + 14 * 60 * MINUTE }, // within a day: no whole day
      { from: T0 - 30 * DAY, to: T0 + 60 * DAY }, // a block, whole days on either side
      { from: T0 - 30 * DAY, to: T0 + 60 * DAY - 1 },
      { from: T0 - 45 * DAY, to: T0 + 9 * DAY + 5 * 60 * MINUTE }, // blocks up to the 19th, then days
      { from: Math.floor(T0 / SUM_BLOCK) * SUM_BLOCK + SUM_BLOCK, to: Math.floor(T0 / SUM_BLOCK) * SUM_BLOCK + 2 * SUM_BLOCK }, // one block exactly
    ];
    const filters: QueueFilter[] = [{}, { organizationId: orgs[0] }, { priorities: ['high'] }, { componentIds: [comps[1]] }, { assigneeId: agents[1].id }, { types: ['incident'] }];
    const summed: Awaited<ReturnType<typeof counts>>[] = [];
    for (const span of spans) for (const f of filters) summed.push(await counts(span, f));
    expect(summed[0].priority.reduce((n, g) => n + g.tickets, 0)).toBeGreaterThan(20);
    await setAsideClosedSums(deps.db, deps.clock.now());
    const live: Awaited<ReturnType<typeof counts>>[] = [];
    for (const span of spans) for (const f of filters) live.push(await counts(span, f));
    expect(summed).toEqual(live);
    // closed tickets whose clock still runs a target (begun after it stopped) are counted from the tickets, as pending
    const [{ unsettled }] = await deps.db.all<{ unsettled: number | string }>(sql`select count(*) as unsettled from tickets where ${sql.raw(UNSETTLED_CLOSED)}`);
    expect(Number(unsettled)).toBeGreaterThan(0);
    // tickets without an organisation, a component or an assignee are a group of their own
    expect(live[0].organizationId.some((g) => g.key === null)).toBe(true);
    // the clients' reasons are among the sums: reopened, out of scope, contract targets missed, some after waiting on the client
    const client = (k: keyof ClientTicketSums) => live[0].clients.reduce((n, [, c]) => n + c[k], 0);
    for (const k of ['reopened', 'outOfScope', 'slaBreaches', 'waitingBreaches'] as const) expect(client(k), k).toBeGreaterThan(0);
    await rebuildTicketSums(deps.db);
  });

  it('reads the sums: one changed by hand shows in the counts, and changes made while set aside are summed by the rebuild', async () => {
    const week = { from: T0, to: T0 + 7 * DAY };
    const before = await counts(week, {});
    const total = (c: SlaGroupCounts[]) => c.reduce((n, g) => n + g.targets.res.met, 0);
    await deps.db.run(sql`update closed_ticket_sums set res_met = res_met + 5 where dim = 'priority' and val = 'normal' and grain = ${DAY} and start = ${T0 + 3 * 60 * MINUTE}`);
    expect(total((await counts(week, {})).priority)).toBe(total(before.priority) + 5);
    // set aside (a bulk load): changes are not summed, the report counts from the tickets, a rebuild sums them all
    await setAsideClosedSums(deps.db, deps.clock.now());
    expect(await closedSumsKept(deps.db)).toBe(false);
    const aside = await counts(week, {});
    expect(total(aside.priority)).toBe(total(before.priority)); // counted from the tickets: the changed sum is not read
    await changeAtRandom(40);
    const live = await counts(week, {});
    await rebuildTicketSums(deps.db);
    expect(await counts(week, {})).toEqual(live);
    // a closed ticket deleted (by hand: the desk merges rather than deletes) is taken away with its events
    const [gone] = await deps.db.all<{ id: number | string }>(sql`select t.id as id from tickets t where t.status in ('resolved', 'closed')
      order by case when exists (select 1 from events e where e.ticket_id = t.id and e.type = 'ticket.status' and e.data like ${'%"to":"pending_requester"%'}) then 0 else 1 end, t.id limit 1`);
    await deps.db.run(sql`delete from tickets where id = ${Number(gone.id)}`);
    const kept = await sums();
    const keptDays = await dayCounts();
    await rebuildTicketSums(deps.db);
    expect(await sums()).toEqual(kept);
    expect(await dayCounts()).toEqual(keptDays);
  });

  it('keeps the same day counts (created, done, reopened) as a rebuild from the tickets, after every kind of change', async () => {
    await changeAtRandom(60);
    const kept = await dayCounts();
    const total = async (col: string, grain: number) => Number((await deps.db.all<{ n: number | string }>(sql`select sum(${sql.raw(col)}) as n from (
      select * from ticket_day_counts union all select * from (select dim, val, grain, start, created, done, done_reopened from ticket_day_count_changes) x) c where dim = 'all' and grain = ${grain}`))[0].n);
    const [{ n, done }] = await deps.db.all<{ n: number | string; done: number | string }>(sql`select count(*) as n, count(done_at) as done from tickets`);
    expect(await total('created', DAY)).toBe(Number(n));
    expect(await total('created', SUM_BLOCK)).toBe(Number(n));
    expect(await total('done', SUM_BLOCK)).toBe(Number(done));
    for (const dim of ['category', 'agent', 'org', 'component', 'priority', 'type', 'channel', 'type.component', 'type.category', 'type.org']) expect(kept.some((r) => r.startsWith(`${dim} `)), dim).toBe(true);
    expect(await total('done_reopened', DAY)).toBeGreaterThan(0);
    await rebuildTicketSums(deps.db);
    expect(await dayCounts()).toEqual(kept);
    // the upgrade that began keeping the type's pairs counts the tickets already there as they are kept (its own statements)
    const dir = deps.db.engine === 'sqlite' ? MIGRATIONS_DIR : POSTGRES_MIGRATIONS_DIR;
    const upgrade = readFileSync(path.join(dir, readdirSync(dir).find((f) => f.endsWith('_trend_pairs.sql'))!), 'utf8');
    await deps.db.run(sql`delete from ticket_day_counts where substr(dim, 1, 5) = 'type.'`);
    expect(await dayCounts()).not.toEqual(kept);
    for (const q of upgrade.split('--> statement-breakpoint').map((x) => x.trim()).filter((x) => x.startsWith('INSERT'))) await deps.db.run(sql.raw(q));
    expect(await dayCounts()).toEqual(kept);
  });

  it('counts the tickets created, done and open, whole and split by a field, as the tickets themselves say, for any span and filter', async () => {
    type Row = { id: number; created: number; done: number | null; reopened: boolean; org: number | null; component: number | null; agent: number | null; priority: string; type: string; category: string | null };
    const rows: Row[] = (await deps.db.all<Record<string, number | string | null>>(sql`select id, created_at, resolved_at, closed_at, reopen_count, organization_id, component_id,
        assignee_id, priority, type, category from tickets`)).map((r) => ({
      id: Number(r.id), created: Number(r.created_at), done: r.resolved_at !== null ? Number(r.resolved_at) : r.closed_at !== null ? Number(r.closed_at) : null,
      reopened: Number(r.reopen_count) > 0, org: r.organization_id === null ? null : Number(r.organization_id), component: r.component_id === null ? null : Number(r.component_id),
      agent: r.assignee_id === null ? null : Number(r.assignee_id), priority: String(r.priority), type: String(r.type), category: r.category === null ? null : String(r.category),
    }));
    const filters: [QueueFilter, (r: Row) => boolean][] = [
      [{}, () => true], [{ organizationId: orgs[0] }, (r) => r.org === orgs[0]], [{ priorities: ['high'] }, (r) => r.priority === 'high'],
      [{ componentIds: [comps[1]] }, (r) => r.component === comps[1]], [{ assigneeId: agents[1].id }, (r) => r.agent === agents[1].id],
      [{ types: ['incident'] }, (r) => r.type === 'incident'],
      [{ priorities: ['high'], organizationId: orgs[1] }, (r) => r.priority === 'high' && r.org === orgs[1]], // two fields: from the tickets alone
    ];
    const spans = [
      { from: T0, to: T0 + 7 * DAY }, { from: T0 + 3 * 60 * MINUTE, to: T0 + 5 * DAY }, { from: T0 + 5 * 60 * MINUTE + 7, to: T0 + 2 * DAY + 11 * 60 * MINUTE },
      { from: T0 + 4 * 60 * MINUTE, to: T0 + 14 * 60 * MINUTE }, { from: T0 - 30 * DAY, to: T0 + 60 * DAY }, { from: T0 - 45 * DAY, to: T0 + 9 * DAY + 5 * 60 * MINUTE },
      { from: Math.floor(T0 / SUM_BLOCK) * SUM_BLOCK + SUM_BLOCK, to: Math.floor(T0 / SUM_BLOCK) * SUM_BLOCK + 2 * SUM_BLOCK },
    ];
    const within = (t: number | null, sp: { from: number; to: number }) => t !== null && t >= sp.from && t < sp.to;
    const asks: CountAsk[] = spans.flatMap((span) => [{ which: 'created', span }, { which: 'done', span }] as CountAsk[]);
    const expected = (keep: (r: Row) => boolean) => ({
      asked: asks.map((a) => rows.filter((r) => keep(r) && within(a.which === 'created' ? r.created : r.done, a.span)).length),
      open: spans.map((sp) => rows.filter((r) => keep(r) && r.created < sp.from && !(r.done !== null && r.done < sp.from)).length),
    });
    const incidents: [QueueFilter, (r: Row) => boolean] = [{ types: ['incident'] }, (r) => r.type === 'incident'];
    const everyTicket: [QueueFilter, (r: Row) => boolean] = [{}, () => true];
    // split for the whole desk, and for one type by the fields the trends split it by (the type's pairs)
    const splits: [DayCountDim, AnyColumn, (r: Row) => number | string | null, [QueueFilter, (r: Row) => boolean]][] = [
      ['agent', tickets.assigneeId, (r) => r.agent, everyTicket], ['component', tickets.componentId, (r) => r.component, everyTicket],
      ['category', tickets.category, (r) => r.category, everyTicket], ['org', tickets.organizationId, (r) => r.org, everyTicket],
      ['priority', tickets.priority, (r) => r.priority, everyTicket],
      ['component', tickets.componentId, (r) => r.component, incidents], ['category', tickets.category, (r) => r.category, incidents],
      ['org', tickets.organizationId, (r) => r.org, incidents], ['priority', tickets.priority, (r) => r.priority, incidents], // no pair: from the tickets
    ];
    const split = (value: (r: Row) => number | string | null, keep: (r: Row) => boolean) => asks.map((a) => {
      const by = new Map<string, [number, number]>();
      for (const r of rows.filter((x) => keep(x) && within(a.which === 'created' ? x.created : x.done, a.span))) {
        const k = value(r) === null ? 'none' : String(value(r));
        const [n, re] = by.get(k) ?? [0, 0];
        by.set(k, [n + 1, re + (a.which === 'done' && r.reopened ? 1 : 0)]);
      }
      return [...by].sort();
    });
    const read = async () => {
      const out: unknown[] = [];
      for (const [f] of filters) {
        out.push(await countTicketsAsked(deps.db, asks, f));
        const open: number[] = [];
        for (const sp of spans) open.push((await countCreatedDone(deps.db, [sp], f, sp.from)).openAt);
        out.push(open);
      }
      for (const [dim, column, , [f]] of splits) {
        const got = await countTicketsBy(deps.db, asks, f, { dim, column });
        out.push(asks.map((_, i) => got.filter((c) => c.ask === i).map((c) => [c.key ?? 'none', [c.n, c.reopened]]).sort()));
      }
      return out;
    };
    const want: unknown[] = [];
    for (const [, keep] of filters) {
      const e = expected(keep);
      want.push(e.asked, e.open);
    }
    for (const [, , value, [, keep]] of splits) want.push(split(value, keep));
    // tickets created and done in the first week, to count
    const [created, done] = want[0] as number[];
    expect(created).toBeGreaterThan(10);
    expect(done).toBeGreaterThan(5);
    expect(await read()).toEqual(want);
    // set aside (a bulk load), every number is counted from the tickets, and is the same
    await setAsideClosedSums(deps.db, deps.clock.now());
    expect(await read()).toEqual(want);
    await rebuildTicketSums(deps.db);
    // a count changed by hand shows: the counts are read for the whole days
    await deps.db.run(sql`update ticket_day_counts set created = created + 3 where dim = 'all' and grain = ${DAY} and start = ${T0 + 3 * 60 * MINUTE}`);
    expect((await countTicketsAsked(deps.db, [{ which: 'created', span: spans[1] }], {}))[0]).toBe((want[0] as number[])[2] + 3);
    // and the type's pairs are read when one type is split by component
    const [pairRow] = await deps.db.all<{ val: string; start: number | string }>(sql`select val, start from ticket_day_counts where dim = 'type.component' and grain = ${DAY}
      and start >= ${Math.ceil(spans[0].from / DAY) * DAY} and start + ${DAY} <= ${spans[0].to} and substr(val, 1, 9) = 'incident/' and created > 0 order by start, val limit 1`);
    expect(pairRow).toBeDefined();
    const componentOf = async () => (await countTicketsBy(deps.db, [{ which: 'created', span: spans[0] }], incidents[0], { dim: 'component', column: tickets.componentId }))
      .find((c) => c.key === pairRow.val.slice('incident/'.length))?.n;
    const before = await componentOf();
    await deps.db.run(sql`update ticket_day_counts set created = created + 2 where dim = 'type.component' and grain = ${DAY} and start = ${Number(pairRow.start)} and val = ${pairRow.val}`);
    expect(await componentOf()).toBe(before! + 2);
    await rebuildTicketSums(deps.db);
  });

  it('has the triggers its generators write: the migrations carry them word for word', () => {
    for (const [engine, dir] of [['sqlite', MIGRATIONS_DIR], ['postgres', POSTGRES_MIGRATIONS_DIR]] as const) {
      const all = readdirSync(dir).filter((f) => f.endsWith('.sql')).map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n');
      expect(all).toContain(closedSumsSql(engine));
      expect(all).toContain(dayCountsSql(engine));
    }
  });
});
