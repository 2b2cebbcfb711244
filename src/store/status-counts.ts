// The status report's counts kept by the database (status_steps, status_counts, status_count_state:
// see src/db/schema.ts; the triggers that keep them are in the migration that made them). Here: the
// tickets per status at given instants read from them, counting the tickets the triggers left aside
// (kept before the tables existed, or set aside by a bulk load or a rebuild), and clearing them for
// a rebuild.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { events, statusCountChanges, statusCounts, statusCountState, statusSteps, tickets } from '../db/schema.ts';
import type { QueueFilter } from '../domain/queue-query.ts';
import { STATUSES, type TicketStatus } from '../domain/vocabulary.ts';
import { andQueueWhere } from './queue.ts';
import { parseData } from './rows.ts';

/** The span each count holds, ms: a UTC day. */
export const DAY = 86_400_000;
const STATE = 'status';
/** upto while a bulk load sets its tickets aside: every id */
const EVERY_ID = Number.MAX_SAFE_INTEGER;

/** A ticket's status at an instant, per status; a status nobody was in counts 0. */
export type StatusCounts = Record<TicketStatus, number>;
/** The tickets the counts are kept for: the whole desk, or one value of one field. */
export type CountKey = { dim: 'all' | 'org' | 'component' | 'agent' | 'type' | 'channel' | 'priority'; val: string };

// Every event after which a ticket's status differs. Besides ticket.status (writeStatus), an
// assignment moves a new or triaged ticket to 'assigned' and a merge closes the merged ticket, each
// with an event of its own kind (src/actions/tickets.ts applyAssignment, ticket-links.ts mergeTickets).
export const STATUS_EVENTS = ['ticket.status', 'ticket.assigned', 'ticket.merged_into'] as const;
export type StatusEvent = { type: string; data: Record<string, unknown> };

/** The status after an event, given the status before it (tickets start as 'new': insertTicket). */
export function statusAfter(before: TicketStatus, e: StatusEvent): TicketStatus {
  if (e.type === 'ticket.status') return (STATUSES as readonly string[]).includes(String(e.data.to)) ? (e.data.to as TicketStatus) : before;
  if (e.type === 'ticket.assigned') return e.data.to != null && (before === 'new' || before === 'triaged') ? 'assigned' : before;
  if (e.type === 'ticket.merged_into') return 'closed';
  return before;
}

export const noCounts = () => Object.fromEntries(STATUSES.map((s) => [s, 0])) as StatusCounts;

/**
 * The key whose counts answer a queue filter, or undefined when none does: the counts are kept for
 * the whole desk and for each value of one field at a time, so a filter on two fields (or on
 * anything else) is counted from the tickets.
 */
export function countKeyOf(f: QueueFilter): CountKey | undefined {
  const keys: CountKey[] = [];
  const one = <T>(xs: readonly T[] | undefined) => (xs === undefined ? undefined : xs.length === 1 ? String(xs[0]) : null);
  for (const [name, value] of Object.entries(f)) {
    if (value === undefined) continue;
    let key: CountKey | undefined;
    // the counts keep no key for "no organisation" or "no component": those are counted from the tickets
    if (name === 'organizationId' && value !== null) key = { dim: 'org', val: String(value) };
    else if (name === 'assigneeId' && value !== null) key = { dim: 'agent', val: String(value) };
    else if (name === 'componentIds' && !f.componentIds?.includes(null) && one(f.componentIds)) key = { dim: 'component', val: one(f.componentIds)! };
    else if (name === 'types' && one(f.types)) key = { dim: 'type', val: one(f.types)! };
    else if (name === 'channels' && one(f.channels)) key = { dim: 'channel', val: one(f.channels)! };
    else if (name === 'priorities' && one(f.priorities)) key = { dim: 'priority', val: one(f.priorities)! };
    if (!key) return undefined;
    keys.push(key);
  }
  if (keys.length > 1) return undefined;
  return keys[0] ?? { dim: 'all', val: '' };
}

/** Whether every ticket's history is counted (none is left aside for buildStatusCounts). */
export async function statusCountsReady(db: Db): Promise<boolean> {
  const left = await db.all(sql`select 1 from ${statusCountState} where ${statusCountState.built} < ${statusCountState.upto} limit 1`);
  return left.length === 0;
}

/**
 * The filter's tickets per status just before each instant, the filter being one key's (countKeyOf):
 * the key's changes of the whole UTC days before the instant's day, then the steps its tickets took
 * that day before the instant (a step enters its status, and leaves the one of the step before).
 */
export async function countStatusesFromCounts(db: Db, f: QueueFilter, instants: readonly number[]): Promise<StatusCounts[]> {
  const key = countKeyOf(f);
  if (!key) throw new Error('countStatusesFromCounts: the counts answer the whole desk or one field’s value');
  const out = instants.map(() => noCounts());
  if (instants.length === 0) return out;
  // the counts, and the changes PostgreSQL's triggers left beside them (not folded in yet)
  const cells = sql`(select dim, val, grain, start, status, n from ${statusCounts}
    union all select dim, val, grain, start, status, n from ${statusCountChanges}) c`;
  const ofKey = sql`c.dim = ${key.dim} and c.val = ${key.val} and c.grain = ${DAY}`;
  const dayOf = (t: number) => Math.floor(t / DAY) * DAY;
  const days = instants.map(dayOf);
  const first = Math.min(...days);
  const last = Math.max(...days);
  const add = (k: number, status: string, n: number | string) => {
    if ((STATUSES as readonly string[]).includes(status)) out[k][status as TicketStatus] += Number(n);
  };
  // the days before the first instant's day count for every instant; those after it, for the instants after them
  const before = await db.all<{ status: string; n: number | string }>(sql`select c.status as status, sum(c.n) as n from ${cells}
    where ${ofKey} and c.start < ${first} group by c.status`);
  for (const r of before) for (const k of instants.keys()) add(k, r.status, r.n);
  const between = await db.all<{ start: number | string; status: string; n: number | string }>(sql`select c.start as start, c.status as status, c.n as n
    from ${cells} where ${ofKey} and c.start >= ${first} and c.start < ${last}`);
  for (const r of between) for (const [k, day] of days.entries()) if (Number(r.start) < day) add(k, r.status, r.n);
  // within each instant's day: its tickets' steps before the instant
  const ranges = sql.join(instants.map((t, k) => sql`(${k}, cast(${days[k]} as bigint), cast(${t} as bigint))`), sql`, `);
  // the day's steps first, by their index on the time, then their tickets (SQLite keeps the order
  // of a CROSS JOIN): from the tickets, a priority's would be read with all their steps per instant
  const ofTickets = key.dim === 'all' ? sql`` : sql` cross join ${tickets}`;
  const onTickets = key.dim === 'all' ? sql`` : sql` and ${tickets.id} = s.ticket_id${andQueueWhere(f)}`;
  const within = await db.all<{ k: number | string; status: string; n: number | string }>(sql`with r(k, lo, hi) as (values ${ranges})
    select r.k as k, s.status as status, count(*) as n from r cross join ${statusSteps} s${ofTickets}
      where s.at >= r.lo and s.at < r.hi${onTickets} group by r.k, s.status
    union all
    select r.k as k, p.status as status, -count(*) as n from r cross join ${statusSteps} s cross join ${statusSteps} p${ofTickets}
      where s.at >= r.lo and s.at < r.hi and p.ticket_id = s.ticket_id and p.seq = s.seq - 1${onTickets} group by r.k, p.status`);
  for (const r of within) add(Number(r.k), r.status, r.n);
  return out;
}

/** A ticket's steps: the status it entered at each instant, in order. */
export type Step = { at: number; status: TicketStatus };

/**
 * A ticket's steps replayed from its status events (tickets start as 'new'). A status the ticket
 * reached without an event (a row written in bulk) ends them, at its last update, so the history
 * ends where the ticket is, as the triggers keep it.
 */
export function stepsOf(created: number, changes: readonly (StatusEvent & { at: number })[], now: { status: TicketStatus; updatedAt: number }): Step[] {
  const steps: Step[] = [{ at: created, status: 'new' }];
  for (const e of changes) {
    const to = statusAfter(steps[steps.length - 1].status, e);
    if (to !== steps[steps.length - 1].status) steps.push({ at: e.at, status: to });
  }
  const lastStep = steps[steps.length - 1];
  if (lastStep.status !== now.status) steps.push({ at: Math.max(lastStep.at, now.updatedAt), status: now.status });
  return steps;
}

type BuildRow = {
  id: number | string; created: number | string; updated: number | string; status: TicketStatus;
  org: number | string | null; component: number | string | null; agent: number | string | null; type: string; channel: string; priority: string;
};

/** The keys a ticket's history is counted under (as the triggers' keys). */
function keysOf(t: BuildRow): CountKey[] {
  const keys: CountKey[] = [{ dim: 'all', val: '' }, { dim: 'type', val: t.type }, { dim: 'channel', val: t.channel }, { dim: 'priority', val: t.priority }];
  if (t.org !== null) keys.push({ dim: 'org', val: String(t.org) });
  if (t.component !== null) keys.push({ dim: 'component', val: String(t.component) });
  if (t.agent !== null) keys.push({ dim: 'agent', val: String(t.agent) });
  return keys;
}

/** Rows of one multi-row statement at most (SQLite's limit of variables, PostgreSQL's of parameters). */
const ROWS_PER_INSERT = 5000;

async function insertRows(db: Db, head: SQL, rows: SQL[], tail: SQL = sql``): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    await db.run(sql`${head} values ${sql.join(rows.slice(i, i + ROWS_PER_INSERT), sql`, `)}${tail}`);
  }
}

/**
 * Counts the histories of the tickets the triggers left aside, a batch per transaction, until none
 * is left or `deadline` (a `performance.now()` instant) has passed; returns how many it counted.
 * Each batch replays its tickets' status events into steps and adds the changes under each key.
 */
export async function buildStatusCounts(db: Db, opts: { batch?: number; deadline?: number } = {}): Promise<number> {
  const batch = opts.batch ?? 2000;
  // PostgreSQL: one builder at a time, and a ticket's change that commits while its batch is read
  // either is seen by it or waits for it (and then the triggers count the change)
  const locked = db.engine === 'postgres' ? sql` for update` : sql``;
  let done = 0;
  for (;;) {
    const counted = await db.transaction(async () => {
      // the first range to count; one a bulk load is still filling (open-ended) waits for its end
      const state = (await db.all<{ name: string; built: number | string; upto: number | string }>(sql`select ${statusCountState.name} as name,
        ${statusCountState.built} as built, ${statusCountState.upto} as upto from ${statusCountState}
        where ${statusCountState.upto} < ${EVERY_ID} order by ${statusCountState.name} limit 1${locked}`))[0];
      if (!state) return null;
      if (Number(state.built) >= Number(state.upto)) {
        await db.run(sql`delete from ${statusCountState} where ${statusCountState.name} = ${state.name}`);
        return 0;
      }
      const rows = await db.all<BuildRow>(sql`select ${tickets.id} as id, ${tickets.createdAt} as created, ${tickets.updatedAt} as updated, ${tickets.status} as status,
        ${tickets.organizationId} as org, ${tickets.componentId} as component, ${tickets.assigneeId} as agent, ${tickets.type} as type, ${tickets.channel} as channel, ${tickets.priority} as priority
        from ${tickets} where ${tickets.id} > ${Number(state.built)} and ${tickets.id} <= ${Number(state.upto)} order by ${tickets.id} limit ${batch}${locked}`);
      if (rows.length) await countHistories(db, rows);
      const built = rows.length < batch ? Number(state.upto) : Number(rows[rows.length - 1].id);
      await db.run(sql`update ${statusCountState} set built = ${built} where ${statusCountState.name} = ${state.name}`);
      return rows.length;
    });
    if (counted === null) return done;
    done += counted;
    if (opts.deadline !== undefined && performance.now() > opts.deadline) return done;
  }
}

/** Writes the steps of a batch of tickets and adds their changes to the counts. */
async function countHistories(db: Db, rows: BuildRow[]): Promise<void> {
  const ids = rows.map((r) => Number(r.id));
  const types = sql.join(STATUS_EVENTS.map((t) => sql`${t}`), sql`, `);
  const found = await db.all<{ ticket: number | string; at: number | string; type: string; data: string | Record<string, unknown> }>(sql`
    select ${events.ticketId} as ticket, ${events.createdAt} as at, ${events.type} as type, ${events.data} as data from ${events}
    where ${events.ticketId} in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)}) and ${events.type} in (${types}) order by ${events.ticketId}, ${events.id}`);
  const changes = new Map<number, (StatusEvent & { at: number })[]>();
  for (const e of found) {
    const list = changes.get(Number(e.ticket)) ?? [];
    list.push({ at: Number(e.at), type: e.type, data: parseData(e.data) });
    changes.set(Number(e.ticket), list);
  }
  const stepRows: SQL[] = [];
  const sums = new Map<string, number>();
  for (const t of rows) {
    const id = Number(t.id);
    const steps = stepsOf(Number(t.created), changes.get(id) ?? [], { status: t.status, updatedAt: Number(t.updated) });
    for (const [seq, s] of steps.entries()) stepRows.push(sql`(${id}, ${seq + 1}, ${s.at}, ${s.status})`);
    const keys = keysOf(t);
    for (const [i, s] of steps.entries()) {
      const left = steps[i + 1]?.at;
      for (const k of keys) {
        const bump = (at: number, n: number) => {
          const cell = JSON.stringify([k.dim, k.val, DAY, Math.floor(at / DAY) * DAY, s.status]);
          sums.set(cell, (sums.get(cell) ?? 0) + n);
        };
        bump(s.at, 1);
        if (left !== undefined) bump(left, -1);
      }
    }
  }
  await db.run(sql`delete from ${statusSteps} where ${statusSteps.ticketId} in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`);
  await insertRows(db, sql`insert into ${statusSteps} (ticket_id, seq, at, status)`, stepRows);
  const countRows = [...sums].filter(([, n]) => n !== 0).map(([cell, n]) => {
    const [dim, val, grain, start, status] = JSON.parse(cell) as [string, string, number, number, string];
    return sql`(${dim}, ${val}, ${grain}, ${start}, ${status}, ${n})`;
  });
  await insertRows(db, sql`insert into ${statusCounts} (dim, val, grain, start, status, n)`, countRows,
    sql` on conflict (dim, val, grain, start, status) do update set n = ${statusCounts}.n + excluded.n`);
}

/**
 * Adds the changes PostgreSQL's triggers wrote beside the counts to them (the scheduler, every
 * pass); returns how many it folded in. A change written meanwhile stays for the next time.
 */
export async function foldStatusCountChanges(db: Db): Promise<number> {
  return await db.transaction(async () => {
    const [{ top, n }] = await db.all<{ top: number | string | null; n: number | string }>(sql`select max(${statusCountChanges.id}) as top, count(*) as n from ${statusCountChanges}`);
    if (top === null) return 0;
    await db.run(sql`insert into ${statusCounts} (dim, val, grain, start, status, n)
      select dim, val, grain, start, status, sum(n) from ${statusCountChanges} where ${statusCountChanges.id} <= ${Number(top)} group by dim, val, grain, start, status
      on conflict (dim, val, grain, start, status) do update set n = ${statusCounts}.n + excluded.n`);
    await db.run(sql`delete from ${statusCountChanges} where ${statusCountChanges.id} <= ${Number(top)}`);
    return Number(n);
  });
}

/**
 * Sets aside every ticket's history, for buildStatusCounts to count them all again (after a bug,
 * or a restore of part of the tables); returns how many tickets it set aside. On PostgreSQL no
 * ticket is written meanwhile: one the triggers counted while the tables were cleared would be
 * counted twice.
 */
export async function forgetStatusCounts(db: Db): Promise<number> {
  return await db.transaction(async () => {
    if (db.engine === 'postgres') await db.run(sql`lock table ${tickets} in share row exclusive mode`);
    await db.run(sql`delete from ${statusSteps}`);
    await db.run(sql`delete from ${statusCounts}`);
    await db.run(sql`delete from ${statusCountChanges}`);
    await db.run(sql`delete from ${statusCountState}`);
    const [{ upto, n }] = await db.all<{ upto: number | string | null; n: number | string }>(sql`select max(${tickets.id}) as upto, count(*) as n from ${tickets}`);
    if (upto !== null) await db.run(sql`insert into ${statusCountState} (name, built, upto) values (${STATE}, 0, ${Number(upto)})`);
    return Number(n);
  });
}

/**
 * Before a bulk load: the tickets it inserts (every id above the last one now) are left aside by
 * the triggers (one by one they would cost it dearly), in a range of its own that the build leaves
 * alone until `endSetAsideStatusCounts` closes it.
 */
export async function setAsideStatusCounts(db: Db): Promise<void> {
  await db.transaction(async () => {
    const [{ top }] = await db.all<{ top: number | string | null }>(sql`select max(${tickets.id}) as top from ${tickets}`);
    await db.run(sql`insert into ${statusCountState} (name, built, upto) values (${`bulk ${String(top ?? 0).padStart(16, '0')}`}, ${Number(top ?? 0)}, ${EVERY_ID})
      on conflict (name) do nothing`);
  });
}

/**
 * After a bulk load (or an interrupted one): its tickets, up to the last one, are for
 * buildStatusCounts. The last id is read in the write that closes the range: a ticket inserted
 * meanwhile is either in it or counted by the triggers (on PostgreSQL no ticket is inserted until
 * the range is closed).
 */
export async function endSetAsideStatusCounts(db: Db): Promise<void> {
  await db.transaction(async () => {
    if (db.engine === 'postgres') await db.run(sql`lock table ${tickets} in share row exclusive mode`);
    await db.run(sql`update ${statusCountState} set upto = (select coalesce(max(${tickets.id}), 0) from ${tickets}) where ${statusCountState.upto} = ${EVERY_ID}`);
  });
}
