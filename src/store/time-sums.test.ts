// The minutes logged per day kept by the database (store/time-sums.ts), on both engines: after
// every kind of change (time logged, removed, edited, moved by a merge; a ticket's field changed;
// its author gone) the sums equal a rebuild's, and the reports of logged time read from them say
// what the worklogs themselves say, for any period, filter and split.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { ticket } from '../../test/helpers/factories.ts';
import { addUser } from '../../test/helpers/web.ts';
import { mergeTickets } from '../actions/ticket-links.ts';
import { logWork, removeWorkEntry } from '../actions/worklog.ts';
import { seededRandom } from '../demo/random.ts';
import type { QueueFilter } from '../domain/queue-query.ts';
import { CATEGORIES, CHANNELS, PRIORITIES, TICKET_TYPES, type TicketType } from '../domain/vocabulary.ts';
import { MIGRATIONS_DIR } from '../db/migrate.ts';
import { POSTGRES_MIGRATIONS_DIR } from '../db/postgres.ts';
import { buildServices, type Services } from '../services.ts';
import { setAsideClosedSums, SUM_BLOCK } from './closed-sums.ts';
import { insertComponent } from './components.ts';
import { insertOrganization } from './organizations.ts';
import { listUsageByOrganization } from './contract-usage.ts';
import { listCostByOrganization } from './report-cost.ts';
import { sumTimeWithTotal, type TimeGrouping } from './report-time.ts';
import { listTrendGroups, TREND_GROUPS } from './report-trends.ts';
import { listWorkload } from './report-workload.ts';
import { rebuildTicketSums } from './ticket-sums.ts';
import { getTicket, updateTicket } from './tickets.ts';
import { fillTimeSumsSql, foldTimeSumChanges, sumLogged, timeSumsSql, TIME_SUM_KEYS, type TimeSplit } from './time-sums.ts';
import type { User } from './users.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const T0 = Date.parse('2026-11-15T21:00:00Z'); // midnight of Monday 16 November in Moscow (a block of the sums begins on the 19th)

describe('the minutes logged per day, kept by the database', () => {
  let deps: TestDeps;
  let s: Services;
  let agents: User[];
  let boss: User;
  let orgs: number[];
  let comps: number[];
  const rand = seededRandom(31);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const ids: number[] = [];

  /** `n` random changes over the days from T0, a few minutes to a few hours apart. */
  async function changeAtRandom(n: number) {
    const ctx = s.ctx;
    for (let i = 0; i < n; i++) {
      deps.clock.set(deps.clock.now() + Math.ceil(rand() * (rand() < 0.2 ? 900 : 90)) * MINUTE);
      if (rand() < 0.05) await foldTimeSumChanges(deps.db);
      const r = rand();
      if (r < 0.15 || ids.length < 5) {
        const t = await ticket(s, pick(agents), { priority: pick(PRIORITIES), componentId: rand() < 0.7 ? pick(comps) : undefined });
        if (rand() < 0.7) await updateTicket(deps.db, t.id, { organizationId: pick(orgs) }, deps.clock.now());
        ids.push(t.id);
        continue;
      }
      const t = await getTicket(deps.db, pick(ids));
      if (t.mergedIntoId !== null) continue;
      const by = { kind: 'user', user: pick([...agents, boss]) } as const;
      if (r < 0.55) {
        // time logged now or back to a few days ago, billable or not
        await logWork(ctx, by, { ticketId: t.id, minutes: 5 + Math.floor(rand() * 120), billable: rand() < 0.8, workedAt: deps.clock.now() - Math.floor(rand() * 4 * DAY) });
      } else if (r < 0.62) {
        const [w] = await deps.db.all<{ id: number | string }>(sql`select id from worklogs where ticket_id = ${t.id} order by id limit 1`);
        if (w) await removeWorkEntry(ctx, { kind: 'user', user: boss }, { ticketId: t.id, worklogId: Number(w.id) });
      } else if (r < 0.7) {
        // an entry corrected (its minutes, its day, whether it is billed) or its author gone (by hand: the desk keeps people)
        const [w] = await deps.db.all<{ id: number | string }>(sql`select id from worklogs where ticket_id = ${t.id} order by id desc limit 1`);
        if (!w) continue;
        const change = pick([sql`minutes = minutes + 15`, sql`worked_at = worked_at - ${DAY + 3 * 60 * MINUTE}`, sql`billable = 1 - billable`, sql`user_id = null`]);
        await deps.db.run(sql`update worklogs set ${change} where id = ${Number(w.id)}`);
      } else if (r < 0.92) {
        const patch = pick([
          { organizationId: rand() < 0.2 ? null : pick(orgs) }, { componentId: rand() < 0.2 ? null : pick(comps) }, { priority: pick(PRIORITIES) },
          { type: pick(TICKET_TYPES) }, { category: rand() < 0.2 ? null : pick(CATEGORIES) }, { channel: pick(CHANNELS) },
          { type: pick(TICKET_TYPES), organizationId: pick(orgs) }, { assigneeId: pick(agents).id }, { billable: rand() < 0.5 },
        ]);
        await updateTicket(deps.db, t.id, patch, deps.clock.now());
      } else {
        const other = await getTicket(deps.db, pick(ids));
        if (other.id !== t.id && other.mergedIntoId === null) await mergeTickets(ctx, { kind: 'user', user: boss }, { sourceId: t.id, targetNumber: other.number, confirm: true });
      }
    }
  }

  /** The sums as kept, without the rows that came to nothing, PostgreSQL's changes folded in. */
  async function kept(): Promise<string[]> {
    await foldTimeSumChanges(deps.db);
    const rows = await deps.db.all<Record<string, number | string>>(sql`select * from worklog_day_sums order by dim, grain, start, val`);
    return rows.filter((r) => Number(r.minutes) !== 0 || Number(r.billable) !== 0).map((r) => Object.values(r).map(String).join(' '));
  }

  const SPANS = [
    { from: T0, to: T0 + 7 * DAY }, // a Moscow week: partial UTC days at both ends
    { from: T0 + 3 * 60 * MINUTE, to: T0 + 5 * DAY }, // whole UTC days inside, from 00:00 UTC
    { from: T0 + 5 * 60 * MINUTE + 7, to: T0 + 2 * DAY + 11 * 60 * MINUTE }, // any instants
    { from: T0 + 4 * 60 * MINUTE, to: T0 + 14 * 60 * MINUTE }, // within a day: no whole day
    { from: T0 - 30 * DAY, to: T0 + 60 * DAY }, // blocks, whole days on either side
    { from: T0 - 45 * DAY, to: T0 + 9 * DAY + 5 * 60 * MINUTE },
  ];

  /** Every report of logged time for the spans and filters, keyed for comparison. */
  async function reports(filters: QueueFilter[]): Promise<unknown[]> {
    const out: unknown[] = [];
    const sorted = <T>(xs: T[]) => xs.map((x) => JSON.stringify(x)).sort();
    for (const f of filters) {
      for (const split of [undefined, 'worker', 'org', 'component', 'type', 'category', 'worker.org', 'scope.org'] as (TimeSplit | undefined)[]) {
        out.push(sorted(await sumLogged(deps.db, SPANS, { tickets: f }, split)));
      }
      out.push(sorted(await sumLogged(deps.db, SPANS, { tickets: f, workedBy: agents[1].id })));
      for (const span of SPANS.slice(0, 5)) {
        const groupings: TimeGrouping[] = [{ by: 'agent' }, { by: 'organization' }, { by: 'component' }, { by: 'type' }, { by: 'all' }, { by: 'span', spans: SPANS }];
        for (const g of groupings) {
          const { groups, total } = await sumTimeWithTotal(deps.db, { ...span, tickets: f }, g);
          out.push(sorted(groups), total);
        }
        out.push(sorted((await sumTimeWithTotal(deps.db, { ...span, tickets: f, workedBy: agents[0].id }, { by: 'organization' })).groups));
        out.push(sorted(await listWorkload(deps.db, { ...span, tickets: f })));
        for (const by of TREND_GROUPS) out.push(sorted(await listTrendGroups(deps.db, by, [span, SPANS[1]], f)));
      }
    }
    for (const span of SPANS) out.push(sorted([...(await listCostByOrganization(deps.db, span)).values()]), sorted(await listUsageByOrganization(deps.db, span)), await listUsageByOrganization(deps.db, span, orgs[1]));
    return out;
  }

  beforeAll(async () => {
    deps = await makeTestDeps({ TIME_ZONE: 'Europe/Moscow' });
    s = await buildServices(deps);
    deps.clock.set(T0 - DAY);
    agents = [];
    for (const name of ['Anna', 'Boris', 'Vera']) agents.push(await addUser(s, 'agent', `${name.toLowerCase()}@desk.test`, name));
    boss = await addUser(s, 'admin', 'boss@desk.test', 'Boss');
    await deps.db.run(sql`update users set hourly_cost_cents = 3000 + id * 250 where id <> ${agents[2].id}`);
    orgs = [];
    for (const name of ['Acme', 'Beta', 'Gamma']) orgs.push((await insertOrganization(deps.db, { name }, deps.clock.now())).id);
    comps = [];
    for (const name of ['Printers', 'Mail']) comps.push((await insertComponent(deps.db, { name }, deps.clock.now())).id);
    deps.clock.set(T0 + 7 * 60 * MINUTE);
    await changeAtRandom(320);
  }, 120_000);

  afterAll(async () => {
    await deps?.close();
  });

  it('keeps the same sums as a rebuild from the worklogs, after every kind of change', async () => {
    const before = await kept();
    for (const k of TIME_SUM_KEYS) expect(before.some((r) => r.startsWith(`${k.dim} `)), k.dim).toBe(true);
    const total = async (grain: number) => Number((await deps.db.all<{ n: number | string }>(sql`select sum(minutes) as n from worklog_day_sums where dim = 'all' and grain = ${grain}`))[0].n);
    const [{ n, b }] = await deps.db.all<{ n: number | string; b: number | string }>(sql`select sum(minutes) as n, sum(case when billable = 1 then minutes else 0 end) as b from worklogs`);
    expect(Number(n)).toBeGreaterThan(1000);
    expect(Number(b)).toBeLessThan(Number(n));
    expect(await total(DAY)).toBe(Number(n));
    expect(await total(SUM_BLOCK)).toBe(Number(n));
    // the worklogs fall on both sides of a block's edge, and some have lost their author
    const [{ blocks }] = await deps.db.all<{ blocks: number | string }>(sql`select count(*) as blocks from worklog_day_sums where dim = 'all' and grain = ${SUM_BLOCK} and minutes > 0`);
    expect(Number(blocks)).toBe(2);
    expect(before.some((r) => r.startsWith('worker.org ') && r.split(' ')[1].startsWith('0/'))).toBe(true);
    await rebuildTicketSums(deps.db);
    expect(await kept()).toEqual(before);
    // the upgrades that began keeping them and added keys sum the worklogs already there as they are kept (their own statements, in order)
    const dir = deps.db.engine === 'sqlite' ? MIGRATIONS_DIR : POSTGRES_MIGRATIONS_DIR;
    const upgrades = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort().map((f) => readFileSync(path.join(dir, f), 'utf8'));
    const fills = upgrades.flatMap((u) => u.split('--> statement-breakpoint').map((x) => x.trim().replace(/^(--.*\n)+/, '')).filter((x) => x.startsWith('INSERT INTO worklog_day_sums ')));
    expect(fills.filter((q) => q.includes("'scope.org'")).length).toBe(2);
    await deps.db.run(sql`delete from worklog_day_sums`);
    expect(await kept()).toEqual([]);
    for (const q of fills) await deps.db.run(sql.raw(q));
    expect(await kept()).toEqual(before);
  });

  it('gives the reports of logged time what the worklogs say, for any span, filter and split', async () => {
    await changeAtRandom(40);
    const filters: QueueFilter[] = [{}, { organizationId: orgs[0] }, { priorities: ['high'] }, { componentIds: [comps[1]] }, { types: ['incident'] }, { assigneeId: agents[1].id }, { channels: ['email'] }];
    const summed = await reports(filters);
    const all = await sumLogged(deps.db, [SPANS[4]], { tickets: {} }, 'worker.org');
    expect(all.length).toBeGreaterThan(5);
    await setAsideClosedSums(deps.db, deps.clock.now());
    const live = await reports(filters);
    expect(summed).toEqual(live);
    await rebuildTicketSums(deps.db);
  });

  it('reads the sums: one changed by hand shows in the reports, and changes made while set aside are summed by the rebuild', async () => {
    const [row] = await deps.db.all<{ dim: string; val: string; start: number | string }>(sql`select dim, val, start from worklog_day_sums
      where dim = 'type.org' and grain = ${DAY} and minutes > 0 order by start limit 1`);
    // the day itself and the day after: whole days, read from the day sums
    const week = { from: Number(row.start), to: Number(row.start) + 2 * DAY };
    const minutes = async (f: QueueFilter, split?: TimeSplit) => (await sumLogged(deps.db, [week], { tickets: f }, split)).reduce((n, x) => n + x.minutes, 0);
    const before = await minutes({});
    await deps.db.run(sql`update worklog_day_sums set minutes = minutes + 7 where grain = ${DAY} and start = ${Number(row.start)} and (dim = 'all' or (dim = ${row.dim} and val = ${row.val}))`);
    expect(await minutes({})).toBe(before + 7);
    const type = row.val.split('/')[0] as TicketType;
    const org = Number(row.val.split('/')[1]);
    const orgMinutes = async () => (await sumLogged(deps.db, [week], { tickets: { types: [type] } }, 'org')).find((x) => x.key === String(org))?.minutes ?? 0;
    const live = await deps.db.all<{ n: number | string }>(sql`select coalesce(sum(w.minutes), 0) as n from worklogs w join tickets t on t.id = w.ticket_id
      where t.type = ${type} and t.organization_id = ${org} and w.worked_at >= ${week.from} and w.worked_at < ${week.to}`);
    expect(await orgMinutes()).toBe(Number(live[0].n) + 7);
    // set aside (a bulk load): the reports sum the worklogs, and a rebuild sums what changed meanwhile
    await setAsideClosedSums(deps.db, deps.clock.now());
    expect(await minutes({})).toBe(before);
    await changeAtRandom(40);
    const aside = await minutes({}, 'org');
    await rebuildTicketSums(deps.db);
    expect(await minutes({}, 'org')).toBe(aside);
    expect(await kept()).not.toEqual([]);
  });

  it('has the triggers its generator writes: the migrations carry them word for word', () => {
    for (const [engine, dir] of [['sqlite', MIGRATIONS_DIR], ['postgres', POSTGRES_MIGRATIONS_DIR]] as const) {
      const all = readdirSync(dir).filter((f) => f.endsWith('.sql')).map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n');
      expect(all).toContain(timeSumsSql(engine));
      for (const q of fillTimeSumsSql()) expect(all).toContain(q);
    }
  });
});
