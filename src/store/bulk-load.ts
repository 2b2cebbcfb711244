// Bulk writes for the load-test generator (`helpdesk demo --tickets N`): plain rows straight into
// the tables, many per transaction. The caller makes up the data; this file only writes it, and sets
// the tickets' and messages' secondary indexes (and on SQLite the full-text triggers) aside while it
// does so when asked.
//
// On SQLite the rows go through prepared statements on the writer connection (a million tickets for
// the benchmarks). On PostgreSQL each batch is one transaction of a few statements through the async
// handle: `insert … select * from unnest(…)` with one array parameter per column, which holds any
// number of rows (a multi-row VALUES list stops at 65535 parameters) and measured faster than VALUES
// or json_to_recordset through `pg`.
import type { Db } from '../db/client.ts';
import { findSetting, upsertSetting } from './settings.ts';

export type BulkAgent = { email: string; name: string };
export type BulkOrganization = { name: string; currency: string };
export type BulkContact = { name: string; organizationId: number; locale: string; email: string };
export type BulkMessage = {
  kind: string;
  direction: string;
  channel: string;
  authorUserId: number | null;
  authorContactId: number | null;
  subject: string | null;
  bodyText: string;
  createdAt: number;
};
export type BulkTicket = {
  number: number;
  subject: string;
  status: string;
  priority: string;
  type: string;
  category: string | null;
  channel: string;
  componentId: number | null;
  requesterId: number;
  organizationId: number | null;
  assigneeId: number | null;
  estimateMinutes: number | null;
  loggedMinutes: number;
  firstResponseDueAt: number;
  firstRespondedAt: number | null;
  /** the SLA report's marks of first response and resolution (SlaMeasures); no next-response cycles */
  slaFrMark: number | null;
  slaResMark: number | null;
  resolutionDueAt: number;
  slaPausedAt: number | null;
  resolvedAt: number | null;
  closedAt: number | null;
  lastActivityAt: number;
  createdAt: number;
  updatedAt: number;
  messages: BulkMessage[];
  /** the time logged on it: its minutes add up to loggedMinutes (none when left out) */
  worklogs?: BulkWorklog[];
};
export type BulkWorklog = { userId: number; minutes: number; billable: boolean; workedAt: number };

// The lists the generator picks from are read in one fixed order, the one SQLite's indexes give
// (names byte by byte, contacts by organization with none first): the same N gives the same desk on
// both engines.
const bytewise = (db: Db) => (db.engine === 'postgres' ? 'collate "C"' : '');

/** `?::type[]` for each column: the parameters of `select * from unnest(…)` (PostgreSQL). */
const arrays = (types: readonly string[]) => types.map((t) => `?::${t}[]`).join(', ');

/** Agents that sign in with the given password hash; an address already taken is left as it is. */
export async function insertBulkAgents(db: Db, agents: BulkAgent[], passwordHash: string, now: number): Promise<void> {
  if (db.engine === 'postgres') {
    await db.run(
      `insert into users (email, name, role, password_hash, locale, time_zone, available, active, notify_prefs, created_at, updated_at)
        select email, name, 'agent', ?, 'en', 'UTC', 1, 1, '{}', ?::bigint, ?::bigint from unnest(?::text[], ?::text[]) as a (email, name)
        on conflict do nothing`,
      passwordHash, now, now, agents.map((a) => a.email), agents.map((a) => a.name),
    );
    return;
  }
  const ins = db.sqlite.prepare(`insert or ignore into users (email, name, role, password_hash, locale, time_zone, available, active, notify_prefs, created_at, updated_at)
    values (?, ?, 'agent', ?, 'en', 'UTC', 1, 1, '{}', ?, ?)`);
  db.sqlite.transaction(() => {
    for (const a of agents) ins.run(a.email, a.name, passwordHash, now, now);
  })();
}

export async function listActiveAgentIds(db: Db): Promise<number[]> {
  return await db.column<number>(`select id from users where role = 'agent' and active = 1 order by id`);
}

export async function countOrganizations(db: Db): Promise<number> {
  return Number(await db.value('select count(*) from organizations'));
}

/** A name already taken is left as it is. */
export async function insertBulkOrganizations(db: Db, orgs: BulkOrganization[], now: number): Promise<void> {
  if (db.engine === 'postgres') {
    await db.run(
      `insert into organizations (name, currency, created_at, updated_at)
        select name, currency, ?::bigint, ?::bigint from unnest(?::text[], ?::text[]) as o (name, currency) on conflict do nothing`,
      now, now, orgs.map((o) => o.name), orgs.map((o) => o.currency),
    );
    return;
  }
  const ins = db.sqlite.prepare('insert or ignore into organizations (name, currency, created_at, updated_at) values (?, ?, ?, ?)');
  db.sqlite.transaction(() => {
    for (const o of orgs) ins.run(o.name, o.currency, now, now);
  })();
}

export async function listOrganizationIds(db: Db): Promise<number[]> {
  return await db.column<number>(`select id from organizations order by name ${bytewise(db)}`);
}

export async function countContacts(db: Db): Promise<number> {
  return Number(await db.value('select count(*) from contacts'));
}

/** Each contact with its primary address; an address already taken is not added again. */
export async function insertBulkContacts(db: Db, contacts: BulkContact[], now: number): Promise<void> {
  if (db.engine === 'postgres') {
    await db.transaction(async () => {
      // the ids first, from the table's own sequence: each address goes with its contact
      const ids = await db.column<number>("select nextval(pg_get_serial_sequence('contacts', 'id')) from generate_series(1, ?::int)", contacts.length);
      await db.run(
        `insert into contacts (id, name, organization_id, locale, created_at, updated_at)
          select id, name, org, locale, ?::bigint, ?::bigint from unnest(${arrays(['bigint', 'text', 'bigint', 'text'])}) as c (id, name, org, locale)`,
        now, now, ids, contacts.map((c) => c.name), contacts.map((c) => c.organizationId), contacts.map((c) => c.locale),
      );
      await db.run(
        `insert into contact_emails (contact_id, email, is_primary) select id, email, 1 from unnest(?::bigint[], ?::text[]) as e (id, email)
          on conflict do nothing`,
        ids, contacts.map((c) => c.email),
      );
    });
    return;
  }
  const insC = db.sqlite.prepare('insert into contacts (name, organization_id, locale, created_at, updated_at) values (?, ?, ?, ?, ?)');
  const insE = db.sqlite.prepare('insert or ignore into contact_emails (contact_id, email, is_primary) values (?, ?, 1)');
  db.sqlite.transaction(() => {
    for (const c of contacts) insE.run(insC.run(c.name, c.organizationId, c.locale, now, now).lastInsertRowid, c.email);
  })();
}

export async function listContactOrganizations(db: Db): Promise<{ id: number; org: number | null }[]> {
  return await db.all<{ id: number; org: number | null }>('select id, organization_id org from contacts order by organization_id nulls first, id');
}

export async function listComponentIds(db: Db): Promise<number[]> {
  return await db.column<number>(`select id from components order by name ${bytewise(db)}`);
}

export async function maxTicketNumber(db: Db): Promise<number> {
  return Number(await db.value('select coalesce(max(number),0) from tickets'));
}

/** One write transaction for the whole batch: the tickets and their messages. */
export async function insertBulkTickets(db: Db, tickets: BulkTicket[]): Promise<void> {
  if (db.engine === 'postgres') return await insertBulkTicketsPostgres(db, tickets);
  const insTicket = db.sqlite.prepare(`insert into tickets (number, subject, status, priority, type, category, channel, component_id,
    requester_id, organization_id, assignee_id, estimate_minutes, logged_minutes, first_response_due_at, first_responded_at,
    resolution_due_at, sla_paused_at, resolved_at, closed_at, last_activity_at, created_at, updated_at, sla_fr_mark, sla_res_mark,
    sla_next_met, sla_next_late)
    values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,0)`);
  const insMsg = db.sqlite.prepare(`insert into messages (ticket_id, kind, direction, channel, author_user_id, author_contact_id,
    subject, body_text, created_at) values (?,?,?,?,?,?,?,?,?)`);
  const insWork = db.sqlite.prepare('insert into worklogs (ticket_id, user_id, minutes, billable, worked_at, created_at) values (?,?,?,?,?,?)');
  db.sqlite.transaction(() => {
    for (const t of tickets) {
      const tid = Number(
        insTicket.run(
          t.number, t.subject, t.status, t.priority, t.type, t.category, t.channel, t.componentId, t.requesterId, t.organizationId,
          t.assigneeId, t.estimateMinutes, t.loggedMinutes, t.firstResponseDueAt, t.firstRespondedAt, t.resolutionDueAt,
          t.slaPausedAt, t.resolvedAt, t.closedAt, t.lastActivityAt, t.createdAt, t.updatedAt, t.slaFrMark, t.slaResMark,
        ).lastInsertRowid,
      );
      for (const m of t.messages) {
        insMsg.run(tid, m.kind, m.direction, m.channel, m.authorUserId, m.authorContactId, m.subject, m.bodyText, m.createdAt);
      }
      for (const w of t.worklogs ?? []) insWork.run(tid, w.userId, w.minutes, w.billable ? 1 : 0, w.workedAt, w.workedAt);
    }
  }).immediate();
}

const TICKET_COLUMNS = `number, subject, status, priority, type, category, channel, component_id, requester_id, organization_id,
  assignee_id, estimate_minutes, logged_minutes, first_response_due_at, first_responded_at, resolution_due_at, sla_paused_at,
  resolved_at, closed_at, last_activity_at, created_at, updated_at, sla_fr_mark, sla_res_mark, sla_next_met, sla_next_late`;
const TICKET_TYPES = ['bigint', 'text', 'text', 'text', 'text', 'text', 'text', ...Array<string>(19).fill('bigint')];
const MESSAGE_COLUMNS = 'ticket_id, kind, direction, channel, author_user_id, author_contact_id, subject, body_text, created_at';
const MESSAGE_TYPES = ['bigint', 'text', 'text', 'text', 'bigint', 'bigint', 'text', 'text', 'bigint'];
const WORKLOG_COLUMNS = 'ticket_id, user_id, minutes, billable, worked_at, created_at';
// billable is an integer column (0/1) on both engines
const WORKLOG_TYPES = ['bigint', 'bigint', 'bigint', 'integer', 'bigint', 'bigint'];

/** Rows as one array per column, for `select * from unnest(…)`. */
function columnsOf<T>(items: T[], width: number, row: (item: T) => unknown[]): unknown[][] {
  const cols: unknown[][] = Array.from({ length: width }, () => new Array(items.length));
  items.forEach((item, i) => {
    const r = row(item);
    for (let c = 0; c < width; c++) cols[c][i] = r[c];
  });
  return cols;
}

/** The batch in two statements, one array per column; the tickets' ids come back with their numbers. */
async function insertBulkTicketsPostgres(db: Db, tickets: BulkTicket[]): Promise<void> {
  const cols = columnsOf(tickets, TICKET_TYPES.length, (t) => [
    t.number, t.subject, t.status, t.priority, t.type, t.category, t.channel, t.componentId, t.requesterId, t.organizationId,
    t.assigneeId, t.estimateMinutes, t.loggedMinutes, t.firstResponseDueAt, t.firstRespondedAt, t.resolutionDueAt,
    t.slaPausedAt, t.resolvedAt, t.closedAt, t.lastActivityAt, t.createdAt, t.updatedAt, t.slaFrMark, t.slaResMark, 0, 0,
  ]);
  const messages = tickets.flatMap((t) => t.messages.map((m) => ({ number: t.number, m })));
  const worklogs = tickets.flatMap((t) => (t.worklogs ?? []).map((w) => ({ number: t.number, w })));
  await db.transaction(async () => {
    const ids = await db.all<{ id: number; number: number }>(
      `insert into tickets (${TICKET_COLUMNS}) select * from unnest(${arrays(TICKET_TYPES)}) returning id, number`,
      ...cols,
    );
    const idOf = new Map(ids.map((r) => [r.number, r.id]));
    if (messages.length) {
      const mcols = columnsOf(messages, MESSAGE_TYPES.length, ({ number, m }) => [idOf.get(number), m.kind, m.direction, m.channel, m.authorUserId, m.authorContactId, m.subject, m.bodyText, m.createdAt]);
      await db.run(`insert into messages (${MESSAGE_COLUMNS}) select * from unnest(${arrays(MESSAGE_TYPES)})`, ...mcols);
    }
    if (worklogs.length) {
      const wcols = columnsOf(worklogs, WORKLOG_TYPES.length, ({ number, w }) => [idOf.get(number), w.userId, w.minutes, w.billable ? 1 : 0, w.workedAt, w.workedAt]);
      await db.run(`insert into worklogs (${WORKLOG_COLUMNS}) select * from unnest(${arrays(WORKLOG_TYPES)})`, ...wcols);
    }
  });
}

/** Where a bulk load records what it set aside, so a run that was killed is repaired by the next one. */
const SET_ASIDE_KEY = 'demo.setAside';
type SetAside = { type: 'index' | 'trigger'; name: string; sql: string }[];

/**
 * Drops the secondary indexes of tickets and messages (on SQLite also the full-text insert
 * triggers), noting them to put back. On PostgreSQL the indexes that back a constraint stay, and
 * the note and the drops are one transaction.
 */
export async function setAsideForBulkLoad(db: Db, now: number): Promise<void> {
  if (db.engine === 'postgres') {
    await db.transaction(async () => {
      const objects = await db.all<SetAside[number]>(
        `select 'index' as type, i.relname as name, pg_get_indexdef(x.indexrelid) as sql
          from pg_index x join pg_class i on i.oid = x.indexrelid
          where x.indrelid in ('tickets'::regclass, 'messages'::regclass) and not x.indisunique
            and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)
          order by i.relname`,
      );
      await upsertSetting(db, SET_ASIDE_KEY, objects, now);
      for (const o of objects) await db.run(`drop index "${o.name}"`);
    });
    return;
  }
  const objects = db.sqlite
    .prepare(
      `select type, name, sql from sqlite_master where sql is not null and tbl_name in ('tickets', 'messages')
        and ((type = 'index' and sql not like 'CREATE UNIQUE%') or (type = 'trigger' and name in ('tickets_fts_ai', 'messages_fts_ai')))`,
    )
    .all() as SetAside;
  await db.transaction(async () => {
    await upsertSetting(db, SET_ASIDE_KEY, objects, now);
    for (const o of objects) db.sqlite.exec(`drop ${o.type} "${o.name}"`);
  });
}

/** Puts back what a bulk load set aside (indexes, then triggers) and rebuilds the full-text indexes. */
export async function restoreSetAside(db: Db, log?: (s: string) => void): Promise<boolean> {
  if (db.engine === 'postgres') return await restoreSetAsidePostgres(db, log);
  const sqlite = db.sqlite;
  const objects = await findSetting<SetAside>(db, SET_ASIDE_KEY);
  if (!objects) return false;
  const exists = sqlite.prepare('select 1 from sqlite_master where type = ? and name = ?').pluck();
  let t = Date.now();
  for (const o of objects.filter((x) => x.type === 'index')) if (!exists.get(o.type, o.name)) sqlite.exec(o.sql);
  log?.(`indexes built in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  t = Date.now();
  sqlite.transaction(() => {
    for (const o of objects.filter((x) => x.type === 'trigger')) if (!exists.get(o.type, o.name)) sqlite.exec(o.sql);
    sqlite.exec("insert into tickets_fts(tickets_fts) values('rebuild'); insert into messages_fts(messages_fts) values('rebuild')");
    sqlite.prepare('delete from settings where key = ?').run(SET_ASIDE_KEY);
  }).immediate();
  log?.(`full-text index rebuilt in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  return true;
}

/**
 * The indexes that are missing, built side by side on the pool's connections (each by one sort of
 * its table); the note is removed once every one of them is there. A build that fails leaves the
 * note, and the next run builds what is still missing.
 */
async function restoreSetAsidePostgres(db: Db, log?: (s: string) => void): Promise<boolean> {
  const objects = await findSetting<SetAside>(db, SET_ASIDE_KEY);
  if (!objects) return false;
  const t = Date.now();
  const missing: SetAside = [];
  for (const o of objects) if (o.type === 'index' && !(await db.value<boolean>('select to_regclass(?) is not null', `"${o.name}"`))) missing.push(o);
  const built = await Promise.allSettled(missing.map((o) => db.run(o.sql)));
  const failed = built.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  await db.run('delete from settings where key = ?', SET_ASIDE_KEY);
  log?.(`indexes built in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  return true;
}

/** Runs fn with a 256 MB page cache on SQLite, then puts the desk's own setting back (PostgreSQL's server has its own). */
export async function withBulkCache<T>(db: Db, fn: () => Promise<T> | T): Promise<T> {
  if (db.engine === 'postgres') return await fn();
  const before = db.sqlite.pragma('cache_size', { simple: true }) as number;
  db.sqlite.pragma('cache_size = -262144');
  try {
    return await fn();
  } finally {
    db.sqlite.pragma(`cache_size = ${before}`);
  }
}

/**
 * After a bulk load: updates the planner's statistics of the tables written; on SQLite it first
 * merges the full-text index segments as an admin would after an import.
 */
export async function optimizeAfterBulkLoad(db: Db): Promise<void> {
  if (db.engine === 'postgres') {
    await db.run('analyze users, organizations, contacts, contact_emails, tickets, messages');
    return;
  }
  db.sqlite.exec("insert into messages_fts(messages_fts) values('optimize'); insert into tickets_fts(tickets_fts) values('optimize')");
  db.sqlite.pragma('analysis_limit = 2000');
  db.sqlite.exec('analyze');
  db.sqlite.pragma('optimize');
}
