// Response and resolution times kept on tickets for the response-times report: how long each
// ticket's first answer and its resolution (or closing) took from its creation, in whole business
// minutes by the calendar of its clock's policy (the desk's default policy's without a clock;
// wall-clock time without a calendar). Measuring a year of tickets by their calendars took most of
// the report's seconds at a million tickets; read from the tickets it is a plain scan.
//
// The scheduler measures the tickets whose times are missing (tickets_times_unmeasured_idx), a few
// seconds a pass. A trigger forgets a ticket's times when what they measure changes (the instants,
// the clock's policy). A change of any calendar, policy or the default policy changes the version
// of the calendars: the scheduler then forgets every kept time, a range of tickets per transaction,
// before it measures again under the new version, and until it is done the report measures every
// ticket itself, as before. So a report begun after a change never reads a time measured by the
// calendars before it. A measurer checks the version in each transaction: one begun before the
// change writes nothing after it.
import { and, sql, type SQL } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { joinedText, jsonNumber } from '../db/dialect.ts';
import { tickets } from '../db/schema.ts';
import { businessTimeBetween, type CompiledCalendar } from '../domain/business-calendar.ts';
import type { CompiledCalendars } from '../domain/compiled-calendars.ts';
import type { QueueFilter } from '../domain/queue-query.ts';
import type { Priority } from '../domain/vocabulary.ts';
import { queueWhere } from './queue.ts';
import type { TimeSpan } from './report-counts.ts';
import type { SlaGroupKey } from './report-sla.ts';
import { findSetting, upsertSetting } from './settings.ts';
import { loadCalendarVersion } from './sla-config.ts';
import { listSlaPolicies } from './sla-policies.ts';
import { findDefaultSlaPolicyId } from './workflow-settings.ts';

const MINUTE = 60_000;
const STATE_KEY = 'reports.ticketTimes';
/** Tickets (by id) whose kept times one transaction forgets. */
const FORGET_RANGE = 20_000;
/** The days of tickets the report reads at a time: a year of a large desk is half a million. */
const READ_DAYS = 30;

/** Whose times are kept, and by which calendars; forgetting: the tickets up to this id are done. */
type TimesState = { version: string; forgotUpTo: number | null };

/** A ticket whose first answer or resolution has a time still to measure: the condition of tickets_times_unmeasured_idx. */
export const TIMES_UNMEASURED = sql`((first_responded_at is not null and fr_minutes is null) or (coalesce(resolved_at, closed_at) is not null and res_minutes is null))`;

/** The whole business minutes between two instants by a calendar. */
export function businessMinutes(cal: CompiledCalendar, from: number, to: number): number {
  return Math.round(businessTimeBetween(cal, from, to) / MINUTE);
}

export type TimesCalendars = {
  /** changes whenever any ticket's calendar would */
  version: string;
  /** a ticket's calendar by its clock's policy */
  calendarOf(policyId: number | null): CompiledCalendar;
};

/** Each ticket's calendar: its clock's policy's, else the default policy's, else none (wall-clock time); compiled up front. */
export async function loadTimesCalendars(db: Db, calendars: CompiledCalendars): Promise<TimesCalendars> {
  const policies = new Map((await listSlaPolicies(db)).map((p) => [p.id, p.calendarId]));
  const fallback = policies.get((await findDefaultSlaPolicyId(db)) ?? 0) ?? null;
  const compiled = new Map<number | null, CompiledCalendar>();
  const versions: [number | null, string][] = [];
  for (const id of new Set([fallback, ...policies.values()])) {
    const c = await loadCalendarVersion(db, calendars, id);
    compiled.set(id, c.calendar);
    versions.push([id, c.version]);
  }
  // in the order of the ids: the policies are listed by name, which a rename (or another engine's collation) reorders
  const what = JSON.stringify({ fallback, policies: [...policies].sort((a, b) => a[0] - b[0]), versions: versions.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0)) });
  return {
    version: createHash('sha256').update(what).digest('base64url'),
    calendarOf: (policyId) => compiled.get(policyId !== null && policies.has(policyId) ? policies.get(policyId)! : fallback)!,
  };
}

/** Whether the times kept on tickets were measured by these calendars (else the report measures every ticket). */
export async function keptTimesUsable(db: Db, cals: TimesCalendars): Promise<boolean> {
  const s = await findSetting<TimesState>(db, STATE_KEY);
  return s !== undefined && s.version === cals.version && s.forgotUpTo === null;
}

/**
 * Measures the times missing on tickets, a batch per transaction, until none is left or `deadline`
 * (a `performance.now()` instant) has passed; returns how many tickets it measured. When the
 * calendars changed since the times kept were measured, it first forgets them all.
 */
export async function measureTicketTimes(db: Db, calendars: CompiledCalendars, now: number, opts: { batch?: number; deadline?: number } = {}): Promise<number> {
  const late = () => opts.deadline !== undefined && performance.now() > opts.deadline;
  const cals = await loadTimesCalendars(db, calendars);
  let state = await findSetting<TimesState>(db, STATE_KEY);
  if (state?.version !== cals.version) {
    state = { version: cals.version, forgotUpTo: 0 };
    await upsertSetting(db, STATE_KEY, state, now);
  }
  while (state.forgotUpTo !== null) {
    const from: number = state.forgotUpTo;
    state = await db.transaction(async () => {
      await db.run(sql`update ${tickets} set fr_minutes = null, res_minutes = null
        where ${tickets.id} > ${from} and ${tickets.id} <= ${from + FORGET_RANGE} and (fr_minutes is not null or res_minutes is not null)`);
      const top = Number((await db.value(sql`select coalesce(max(${tickets.id}), 0) from ${tickets}`)) ?? 0);
      const next: TimesState = { version: cals.version, forgotUpTo: from + FORGET_RANGE >= top ? null : from + FORGET_RANGE };
      await upsertSetting(db, STATE_KEY, next, now);
      return next;
    });
    if (late()) return 0;
  }
  return await measureMissing(db, cals, opts.batch ?? 1000, late);
}

type Unmeasured = { id: number | string; created: number | string; responded: number | string | null; done: number | string | null; policy: number | string | null };
const num = (v: number | string | null) => (v === null ? null : Number(v));

async function measureMissing(db: Db, cals: TimesCalendars, batch: number, late: () => boolean): Promise<number> {
  // PostgreSQL: the tickets read stay as read until the batch commits (SQLite's one writer holds them)
  const locked = db.engine === 'postgres' ? sql` for update` : sql``;
  let done = 0;
  let after = 0;
  for (;;) {
    const rows = await db.transaction(async () => {
      // the calendars may have changed since this pass began (another process forgetting the times
      // under their new version): then nothing is measured by the old ones
      if (!(await keptTimesUsable(db, cals))) return null;
      const read = await db.all<Unmeasured>(sql`
        select ${tickets.id} as id, ${tickets.createdAt} as created, ${tickets.firstRespondedAt} as responded,
          coalesce(${tickets.resolvedAt}, ${tickets.closedAt}) as done, ${jsonNumber(db, tickets.slaState, ['clock', 'policyId'])} as policy
        from ${tickets} where ${TIMES_UNMEASURED} and ${tickets.id} > ${after} order by ${tickets.id} limit ${batch}${locked}`);
      for (const r of read) {
        const cal = cals.calendarOf(num(r.policy));
        const created = Number(r.created);
        const minutes = (to: number | string | null) => (to === null ? null : businessMinutes(cal, created, Number(to)));
        await db.run(sql`update ${tickets} set fr_minutes = ${minutes(r.responded)}, res_minutes = ${minutes(r.done)} where ${tickets.id} = ${Number(r.id)}`);
      }
      return read;
    });
    if (!rows?.length) return done;
    done += rows.length;
    after = Number(rows[rows.length - 1].id);
    if (late()) return done;
  }
}

/** Makes every kept time be measured again (by the scheduler, or `helpdesk measure-times`); returns how many tickets kept some. */
export async function forgetTicketTimes(db: Db, now: number): Promise<number> {
  const kept = Number((await db.value(sql`select count(*) from ${tickets} where fr_minutes is not null or res_minutes is not null`)) ?? 0);
  await upsertSetting(db, STATE_KEY, { version: '', forgotUpTo: 0 } satisfies TimesState, now);
  return kept;
}

/**
 * The times of the filter's tickets created in `span`, handed to `onTicket` one by one with the
 * ticket's group key (null: not answered, not resolved): those kept, and those of the tickets not
 * measured yet measured here by `cals`. A month of tickets is read at a time, each in one statement,
 * so a ticket measured or forgotten meanwhile is read once, either way. (While the calendars change
 * under a running report, the months read before the change keep the times of the old ones.)
 */
export async function eachTicketTimes(
  db: Db, span: TimeSpan, f: QueueFilter, by: SlaGroupKey, cals: TimesCalendars,
  onTicket: (key: string | number | null, fr: number | null, res: number | null) => void,
): Promise<void> {
  const step = READ_DAYS * 86_400_000;
  // a priority by its order (0 urgent … 3 low): every value read is a whole number
  const key = by === 'priority' ? tickets.priorityOrder : tickets[by];
  const keyOf = by === 'priority' ? (v: number | null) => BY_ORDER[v ?? 3] : (v: number | null) => v;
  // from the first ticket of the span on: a period may begin years before the desk did
  const first = await db.value<number | string | null>(sql`select min(${tickets.createdAt}) from ${tickets} where ${tickets.createdAt} >= ${span.from} and ${tickets.createdAt} < ${span.to}`);
  if (first === null || first === undefined) return;
  const joined = (values: SQL[]) => sql.join(values.map((v) => sql`coalesce(cast(${v} as text), '')`), sql` || ' ' || `);
  const kept = joined([sql`${key}`, sql`fr_minutes`, sql`res_minutes`]);
  const raw = joined([sql`${key}`, sql`${tickets.createdAt}`, sql`${tickets.firstRespondedAt}`, sql`coalesce(${tickets.resolvedAt}, ${tickets.closedAt})`,
    jsonNumber(db, tickets.slaState, ['clock', 'policyId'])]);
  for (let from = Number(first); from < span.to; from += step) {
    const where = and(...queueWhere({ ...f, createdIn: { from, to: Math.min(span.to, from + step) } }));
    // the month as two texts of numbers: half a million rows cost more to hand over one by one than to read
    const r = await db.row(sql`select ${joinedText(db, sql`case when not ${TIMES_UNMEASURED} then ${kept} end`, ' ')},
      ${joinedText(db, sql`case when ${TIMES_UNMEASURED} then ${raw} end`, ' ')} from ${tickets} where ${where}`);
    if (typeof r?.[0] === 'string') eachTuple(r[0], 3, (v) => onTicket(keyOf(v[0]), v[1], v[2]));
    if (typeof r?.[1] === 'string') {
      eachTuple(r[1], 5, ([k, created, responded, done, policy]) => {
        const cal = cals.calendarOf(policy);
        const minutes = (to: number | null) => (to === null ? null : businessMinutes(cal, created!, to));
        onTicket(keyOf(k), minutes(responded), minutes(done));
      });
    }
  }
}

const BY_ORDER: Priority[] = ['urgent', 'high', 'normal', 'low'];

/**
 * Reads whole numbers separated by spaces, `width` to a ticket (an empty place is null), without a
 * string apiece; `on` gets the same array each time.
 */
export function eachTuple(text: string, width: number, on: (values: (number | null)[]) => void): void {
  const got: (number | null)[] = new Array<number | null>(width).fill(null);
  let at = 0;
  let v = 0;
  let digits = false;
  for (let i = 0; i <= text.length; i++) {
    const ch = i < text.length ? text.charCodeAt(i) : 32;
    if (ch !== 32) {
      if (ch < 48 || ch > 57) throw new Error(`ticket times: not a whole number at ${i}: ${text.slice(i, i + 20)}`);
      v = v * 10 + (ch - 48);
      digits = true;
      continue;
    }
    got[at++] = digits ? v : null;
    v = 0;
    digits = false;
    if (at === width) {
      on(got);
      at = 0;
    }
  }
}
