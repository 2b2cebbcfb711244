// Bulk writes for the load-test generator (`helpdesk demo --tickets N`): plain rows straight into
// the tables through prepared statements, many per transaction. The caller makes up the data; this
// file only writes it, and sets the tickets' and messages' secondary indexes and full-text triggers
// aside while it does so when asked.
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
  resolutionDueAt: number;
  slaPausedAt: number | null;
  resolvedAt: number | null;
  closedAt: number | null;
  lastActivityAt: number;
  createdAt: number;
  updatedAt: number;
  messages: BulkMessage[];
};

/** Agents that sign in with the given password hash; an address already taken is left as it is. */
export function insertBulkAgents(db: Db, agents: BulkAgent[], passwordHash: string, now: number): void {
  const ins = db.sqlite.prepare(`insert or ignore into users (email, name, role, password_hash, locale, time_zone, available, active, notify_prefs, created_at, updated_at)
    values (?, ?, 'agent', ?, 'en', 'UTC', 1, 1, '{}', ?, ?)`);
  db.sqlite.transaction(() => {
    for (const a of agents) ins.run(a.email, a.name, passwordHash, now, now);
  })();
}

export function listActiveAgentIds(db: Db): number[] {
  return db.sqlite.prepare(`select id from users where role = 'agent' and active = 1 order by id`).pluck().all() as number[];
}

export function countOrganizations(db: Db): number {
  return db.sqlite.prepare('select count(*) from organizations').pluck().get() as number;
}

/** A name already taken is left as it is. */
export function insertBulkOrganizations(db: Db, orgs: BulkOrganization[], now: number): void {
  const ins = db.sqlite.prepare('insert or ignore into organizations (name, currency, created_at, updated_at) values (?, ?, ?, ?)');
  db.sqlite.transaction(() => {
    for (const o of orgs) ins.run(o.name, o.currency, now, now);
  })();
}

export function listOrganizationIds(db: Db): number[] {
  return db.sqlite.prepare('select id from organizations').pluck().all() as number[];
}

export function countContacts(db: Db): number {
  return db.sqlite.prepare('select count(*) from contacts').pluck().get() as number;
}

/** Each contact with its primary address; an address already taken is not added again. */
export function insertBulkContacts(db: Db, contacts: BulkContact[], now: number): void {
  const insC = db.sqlite.prepare('insert into contacts (name, organization_id, locale, created_at, updated_at) values (?, ?, ?, ?, ?)');
  const insE = db.sqlite.prepare('insert or ignore into contact_emails (contact_id, email, is_primary) values (?, ?, 1)');
  db.sqlite.transaction(() => {
    for (const c of contacts) insE.run(insC.run(c.name, c.organizationId, c.locale, now, now).lastInsertRowid, c.email);
  })();
}

export function listContactOrganizations(db: Db): { id: number; org: number | null }[] {
  return db.sqlite.prepare('select id, organization_id org from contacts').all() as { id: number; org: number | null }[];
}

export function listComponentIds(db: Db): number[] {
  return db.sqlite.prepare('select id from components').pluck().all() as number[];
}

export function maxTicketNumber(db: Db): number {
  return db.sqlite.prepare('select coalesce(max(number),0) from tickets').pluck().get() as number;
}

/** One write transaction for the whole batch: the tickets and their messages. */
export function insertBulkTickets(db: Db, tickets: BulkTicket[]): void {
  const insTicket = db.sqlite.prepare(`insert into tickets (number, subject, status, priority, type, category, channel, component_id,
    requester_id, organization_id, assignee_id, estimate_minutes, logged_minutes, first_response_due_at, first_responded_at,
    resolution_due_at, sla_paused_at, resolved_at, closed_at, last_activity_at, created_at, updated_at)
    values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
  const insMsg = db.sqlite.prepare(`insert into messages (ticket_id, kind, direction, channel, author_user_id, author_contact_id,
    subject, body_text, created_at) values (?,?,?,?,?,?,?,?,?)`);
  db.sqlite.transaction(() => {
    for (const t of tickets) {
      const tid = Number(
        insTicket.run(
          t.number, t.subject, t.status, t.priority, t.type, t.category, t.channel, t.componentId, t.requesterId, t.organizationId,
          t.assigneeId, t.estimateMinutes, t.loggedMinutes, t.firstResponseDueAt, t.firstRespondedAt, t.resolutionDueAt,
          t.slaPausedAt, t.resolvedAt, t.closedAt, t.lastActivityAt, t.createdAt, t.updatedAt,
        ).lastInsertRowid,
      );
      for (const m of t.messages) {
        insMsg.run(tid, m.kind, m.direction, m.channel, m.authorUserId, m.authorContactId, m.subject, m.bodyText, m.createdAt);
      }
    }
  }).immediate();
}

/** Where a bulk load records what it set aside, so a run that was killed is repaired by the next one. */
const SET_ASIDE_KEY = 'demo.setAside';
type SetAside = { type: 'index' | 'trigger'; name: string; sql: string }[];

/** Drops the secondary indexes and the full-text insert triggers of tickets and messages, noting them to put back. */
export async function setAsideForBulkLoad(db: Db, now: number): Promise<void> {
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

/** Runs fn with a 256 MB page cache, then puts the desk's own setting back. */
export async function withBulkCache<T>(db: Db, fn: () => Promise<T> | T): Promise<T> {
  const before = db.sqlite.pragma('cache_size', { simple: true }) as number;
  db.sqlite.pragma('cache_size = -262144');
  try {
    return await fn();
  } finally {
    db.sqlite.pragma(`cache_size = ${before}`);
  }
}

/** After a bulk load: merges the full-text index segments as an admin would after an import, and updates the statistics. */
export function optimizeAfterBulkLoad(db: Db): void {
  db.sqlite.exec("insert into messages_fts(messages_fts) values('optimize'); insert into tickets_fts(tickets_fts) values('optimize')");
  db.sqlite.pragma('analysis_limit = 2000');
  db.sqlite.exec('analyze');
  db.sqlite.pragma('optimize');
}
