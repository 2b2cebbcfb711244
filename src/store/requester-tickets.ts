// What the requester portal lists: a contact's own tickets (and, for a designated contact, their
// organisation's), newest activity first, with the desk's last public answer on each; and the
// same tickets searched by what the requester types.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { tickets } from '../db/schema.ts';
import type { RequesterFilter } from '../domain/requester-search.ts';
import { CLOSED_STATUSES } from '../domain/vocabulary.ts';
import { onlyFields, parseSearch, type SearchQuery } from '../domain/search-query.ts';
import { listRows, placeholders } from './rows.ts';
import { ftsMatch, pgMatch, relevance, snippetOf } from './search.ts';
import type { Ticket } from './tickets.ts';

export type Viewer = { contactId: number; organizationId: number | null; seesOrganizationRequests: boolean };

/** The tickets a portal viewer may see, merged ones left out (their requests live on elsewhere). */
export async function listRequesterTickets(db: Db, viewer: Viewer, limit: number): Promise<Ticket[]> {
  if (viewer.seesOrganizationRequests && viewer.organizationId !== null) {
    return await listRows(db, tickets, 'where (requester_id = ? or organization_id = ?) and merged_into_id is null order by last_activity_at desc, id desc limit ?', viewer.contactId, viewer.organizationId, limit);
  }
  return await listRows(db, tickets, 'where requester_id = ? and merged_into_id is null order by last_activity_at desc, id desc limit ?', viewer.contactId, limit);
}

export type PublicAnswer = { text: string; createdAt: number };

/** The desk's last reply to the requester on a ticket (never a note or an automatic mail). */
export async function findLastPublicAnswer(db: Db, ticketId: number): Promise<PublicAnswer | undefined> {
  const row = await db.get<{ text: string; createdAt: number }>(
    `select coalesce(new_text, body_text) as text, created_at as "createdAt" from messages
     where ticket_id = ? and kind = 'reply' and direction = 'out' order by id desc limit 1`, ticketId);
  return row ? { text: row.text, createdAt: Number(row.createdAt) } : undefined;
}

/** How many of a viewer's newest tickets a portal search looks through (a designated contact of a large organisation: the newest ones). */
export const SEARCHED_TICKETS = 500;

/** A request found by a portal search: the ticket, its subject and its best public message's excerpt, with the searched words marked (MARK_START/MARK_END). */
export type RequesterHit = { ticket: Ticket; subject: string; snippet: string | null };

/** The conditions on a viewer's tickets: whose they are, not merged, and what the typed fields select (`filter`). */
function viewerTickets(viewer: Viewer, finished: boolean, filter: RequesterFilter = {}): SQL {
  const whose = viewer.seesOrganizationRequests && viewer.organizationId !== null
    ? sql`(requester_id = ${viewer.contactId} or organization_id = ${viewer.organizationId})`
    : sql`requester_id = ${viewer.contactId}`;
  const parts = [whose, sql`merged_into_id is null`];
  const statusIn = (list: readonly string[]) => sql`status in (${sql.join(list.map((x) => sql`${x}`), sql`, `)})`;
  if (finished) parts.push(statusIn(CLOSED_STATUSES));
  if (filter.statuses) parts.push(statusIn(filter.statuses));
  if (filter.from !== undefined) parts.push(sql`created_at >= ${filter.from}`);
  if (filter.to !== undefined) parts.push(sql`created_at < ${filter.to}`);
  return sql.join(parts, sql` and `);
}

export type RequesterSearchOptions = { limit: number; finished?: boolean; within?: number; filter?: RequesterFilter };

/**
 * A portal search over what the viewer may see: the subjects and the public conversation (replies
 * that are not automatic, as the request page shows them; never a note) of their newest
 * SEARCHED_TICKETS tickets (or `within`; `finished`: resolved and closed ones only; `filter`: what
 * the typed fields select), by the desk's search syntax and word forms (src/store/search.ts), the
 * best matching first (a subject counting twice a message, as the console ranks) and the latest
 * activity first on a tie. Each ticket's messages are tested one by one against the index, so the
 * cost follows the viewer's own mail, not the desk's. A search of fields alone, with a filter,
 * lists the requests it selects, the newest first.
 */
export async function searchRequesterTickets(db: Db, viewer: Viewer, text: string, opts: RequesterSearchOptions): Promise<RequesterHit[]> {
  const q = parseSearch(text);
  const match = ftsMatch(q);
  const where = viewerTickets(viewer, !!opts.finished, opts.filter);
  if (!match) {
    if (!opts.filter || !onlyFields(q)) return [];
    const rows = await db.all<{ id: number }>(sql`select id from ${tickets} where ${where} order by created_at desc, id desc limit ${opts.limit}`);
    return await inOrder(db, rows.map((r) => Number(r.id)), (t) => ({ ticket: t, subject: t.subject, snippet: null }));
  }
  const pg = db.engine === 'postgres';
  const mine = sql`select id from ${tickets} where ${where} order by last_activity_at desc, id desc limit ${opts.within ?? SEARCHED_TICKETS}`;
  const shown = sql`m.kind = 'reply' and m.is_auto_reply = 0`;
  // the public messages and the subjects of the viewer's tickets that match `terms` (all of q, or any of its excluded words)
  const matching = async (terms: SearchQuery) => {
    const fts = ftsMatch(terms);
    const msgMatch = pg ? pgMatch(terms, sql`m.body_words`, sql`m.body_stems`) : sql`exists (select 1 from messages_fts where messages_fts.rowid = m.id and messages_fts match ${fts})`;
    const subjectMatch = pg ? pgMatch(terms, sql`t.subject_words`, sql`t.subject_stems`) : sql`exists (select 1 from tickets_fts where tickets_fts.rowid = t.id and tickets_fts match ${fts})`;
    const msgs = await db.all<{ id: number; ticketId: number; t: string }>(sql`
      select m.id, m.ticket_id as "ticketId", m.body_text as t from messages m
      where m.ticket_id in (${mine}) and ${shown} and ${msgMatch}`);
    const subjects = await db.all<{ id: number; t: string }>(sql`select t.id, t.subject as t from ${tickets} t where t.id in (${mine}) and ${subjectMatch}`);
    return { msgs: msgs.map((r) => ({ ...r, id: Number(r.id), ticketId: Number(r.ticketId) })), subjects: subjects.map((r) => ({ ...r, id: Number(r.id) })) };
  };
  const found = await matching(q);
  const out = new Set<number>();
  if (q.none.length) {
    const none = await matching({ all: [q.none], none: [], fields: [] });
    for (const m of none.msgs) out.add(m.ticketId);
    for (const s of none.subjects) out.add(s.id);
  }
  type Scored = { best: number; messageId: number | null; text: string | null; subject: number };
  const byTicket = new Map<number, Scored>();
  const entry = (id: number) => byTicket.get(id) ?? byTicket.set(id, { best: 0, messageId: null, text: null, subject: 0 }).get(id)!;
  const msgScores = relevance(found.msgs.map((m) => m.t), q);
  found.msgs.forEach((m, i) => {
    const e = entry(m.ticketId);
    if (e.messageId === null || msgScores[i] > e.best || (msgScores[i] === e.best && m.id > e.messageId)) Object.assign(e, { best: msgScores[i], messageId: m.id, text: m.t });
  });
  const subjectScores = relevance(found.subjects.map((s) => s.t), q);
  found.subjects.forEach((s, i) => (entry(s.id).subject = subjectScores[i]));
  for (const id of out) byTicket.delete(id);
  if (!byTicket.size) return [];
  const rows = await listRows(db, tickets, `where id in (${placeholders(byTicket.size)})`, ...byTicket.keys());
  const score = (t: Ticket) => byTicket.get(t.id)!.best + 2 * byTicket.get(t.id)!.subject;
  return rows
    .sort((a, b) => score(b) - score(a) || b.lastActivityAt - a.lastActivityAt || b.id - a.id)
    .slice(0, opts.limit)
    .map((t) => {
      const e = byTicket.get(t.id)!;
      return { ticket: t, subject: snippetOf(t.subject, text, Number.MAX_SAFE_INTEGER), snippet: e.text === null ? null : snippetOf(e.text, text) };
    });
}

/** The tickets of these ids, in this order, as hits. */
async function inOrder(db: Db, ids: number[], hit: (t: Ticket) => RequesterHit): Promise<RequesterHit[]> {
  if (!ids.length) return [];
  const byId = new Map((await listRows(db, tickets, `where id in (${placeholders(ids.length)})`, ...ids)).map((t) => [t.id, t]));
  return ids.map((id) => hit(byId.get(id)!));
}
