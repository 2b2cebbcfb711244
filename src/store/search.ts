// Full-text search over ticket subjects (tickets_fts) and message texts (messages_fts).
//
// Results are tickets, latest match first: a message match counts at the message's id, a subject
// match at the ticket's first message. Both FTS tables are read newest-first (FTS5 walks its
// doclists backwards and stops at the LIMIT), merged, and turned into tickets until the page is
// full — so a word found in half of five million messages costs no more than a rare one. The
// cursor remembers where each stream stopped; a ticket already shown on an earlier page is
// recognised by a point check (does it match above the cursor?) instead of remembered.
//
// Both engines compare the stems of words (src/domain/search-words.ts): SQLite's FTS5 tables hold
// each text's stems (migrations/sqlite/0024_search_stems.sql) and the query is made of the stems of
// what was typed; PostgreSQL stems text and query with its Snowball dictionaries
// (migrations/postgres/0019_search_stems.sql). A search by relevance ranks the newest matches
// (searchTicketsRanked). Knowledge-base articles are matched by the same queries (ftsMatch, pgMatch;
// src/store/kb.ts) over their own index.
//
// On PostgreSQL the same streams come from GIN indexes (migrations/postgres/0003_search.sql: words
// cut and folded as unicode61 does), read newest-first in the same chunks: a word in
// many messages by walking the newest ones backwards, a rarer word by collecting its matches from
// the index in windows of ids below the last one read, so that only about as many rows as the page
// needs are fetched from the table (newestMatches).
import { and, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { tickets } from '../db/schema.ts';
import type { QueueFilter } from '../domain/queue-query.ts';
import { parseSearch, type SearchQuery, type SearchTerm } from '../domain/search-query.ts';
import { eachWord, textWords, type TextWord } from '../domain/search-words.ts';
import { queueWhere } from './queue.ts';
import { listRows, placeholders } from './rows.ts';
import type { Ticket } from './tickets.ts';

/**
 * A term's words as the index holds them, in a row: their stems, or when typed as a prefix the
 * words folded but whole (a prefix may reach past a stem: `printi*` is to find `printing`, whose
 * stem is `print`).
 */
const termWords = (t: SearchTerm): string[] => textWords(t.text).map((w) => (t.prefix ? w.folded : w.stem));

/**
 * The FTS5 query for a search: each term its stems as a phrase in the `stems` column, or when
 * typed as a prefix its folded words in the `words` column with a prefix on the last one; the
 * terms of a group joined by OR, the groups by AND, the excluded terms after NOT. The words hold
 * letters and digits only, so nothing typed can break the syntax.
 */
function ftsTerm(t: SearchTerm): string | null {
  const words = termWords(t);
  return words.length ? (t.prefix ? `words : "${words.join(' ')}"*` : `stems : "${words.join(' ')}"`) : null;
}

/** An FTS5 query matching any of the terms; null for none. */
function ftsAny(terms: SearchTerm[]): string | null {
  const parts = terms.map(ftsTerm).filter((x): x is string => x !== null);
  return parts.length ? parts.join(' OR ') : null;
}

export function ftsMatch(q: SearchQuery): string | null {
  const term = ftsTerm;
  const groups = q.all
    .map((g) => g.map(term).filter((x): x is string => x !== null))
    .filter((g) => g.length)
    .map((g) => (g.length > 1 ? `(${g.join(' OR ')})` : g[0]));
  if (!groups.length) return null;
  const none = ftsAny(q.none);
  const all = groups.length > 1 ? `(${groups.join(' AND ')})` : groups[0];
  return none ? `${all} NOT (${none})` : groups.join(' AND ');
}

/** The FTS5 query for what a person typed; null when it holds nothing to look for. */
export function ftsQuery(input: string): string | null {
  return ftsMatch(parseSearch(input));
}

/**
 * The same search on PostgreSQL as a condition on a table's stems and words: a term is its stems in
 * a row, `stems @@ helpdesk_stem_term(…)`, or when typed as a prefix its folded words with the last
 * one a prefix, `words @@ helpdesk_search_term(…, true)`; the terms of a group are joined by OR,
 * the groups by AND, the excluded terms negated. The database builds each tsquery from plain text,
 * with the words cut, folded and stemmed as in the index: nothing typed can make it a syntax error.
 * Immutable, so the planner sees the finished tsqueries and their selectivity.
 */
export function pgMatch(q: SearchQuery, words: SQL, stems: SQL): SQL {
  const term = (t: SearchTerm) => (t.prefix ? sql`${words} @@ helpdesk_search_term(${t.text}, true)` : sql`${stems} @@ helpdesk_stem_term(${t.text})`);
  const groups = q.all.map((g) => (g.length > 1 ? sql`(${sql.join(g.map(term), sql` or `)})` : term(g[0])));
  return sql`(${sql.join([...groups, ...q.none.map((t) => sql`not ${term(t)}`)], sql` and `)})`;
}

/** Where each stream stopped: message id and ticket id (exclusive upper bounds for the next page). */
export type SearchCursor = { m: number; s: number };

/** A ticket found: the message that matched (with a snippet) when one did, and (when snippets are asked) its subject with the searched words marked. */
export type SearchHit = { ticket: Ticket; messageId: number | null; snippet: string | null; subject?: string };

export type SearchPage = { hits: SearchHit[]; next: SearchCursor | null; scanned: number; truncated: boolean };

/** Marks the highlighted words in snippets; the view escapes the text, then turns these into <mark>. */
export const MARK_START = '\uE000';
export const MARK_END = '\uE001';

type Item = { key: number; ticketId: number; messageId: number | null; stream: 'm' | 's'; ok: boolean };

const BIG = Number.MAX_SAFE_INTEGER;

export async function searchTickets(
  db: Db,
  text: string,
  filter: QueueFilter,
  cursor: SearchCursor | null,
  /** firstRead: how many matches each stream reads at first (tests read few to walk a small desk as a large one) */
  opts: { limit: number; maxScan?: number; snippets?: boolean; firstRead?: number },
): Promise<SearchPage> {
  const q = parseSearch(text);
  const read = streamsFor(db, q, filter);
  if (!read) return { hits: [], next: null, scanned: 0, truncated: false };
  const maxScan = opts.maxScan ?? 6000;
  // read a little first (most searches fill a page from the first hits), more when filters are picky
  let chunk = opts.firstRead ?? Math.max(64, opts.limit * 2);
  const readMessages = (before: number) => read.messages(before, chunk);
  const readSubjects = (before: number) => read.subjects(before, chunk);

  let pm = cursor?.m ?? BIG;
  let ps = cursor?.s ?? BIG;
  let pmRead = pm;
  let psRead = ps;
  const mBuf: Item[] = [];
  const sBuf: Item[] = [];
  let mDone = false;
  let sDone = false;
  const refill = async () => {
    if (!mDone && mBuf.length === 0) {
      const rows = await readMessages(pmRead);
      if (rows.length < chunk) mDone = true;
      for (const r of rows) mBuf.push({ key: r.key, ticketId: r.ticketId, messageId: r.key, stream: 'm', ok: !!r.ok });
      if (rows.length) pmRead = rows[rows.length - 1].key;
    }
    if (!sDone && sBuf.length === 0) {
      const rows = await readSubjects(psRead);
      if (rows.length < chunk) sDone = true;
      for (const r of rows) sBuf.push({ key: r.first ?? 0, ticketId: r.ticketId, messageId: null, stream: 's', ok: !!r.ok });
      if (rows.length) psRead = rows[rows.length - 1].ticketId;
    }
  };
  const nextItem = async (): Promise<Item | undefined> => {
    if ((!mDone && mBuf.length === 0) || (!sDone && sBuf.length === 0)) {
      await refill();
      chunk = Math.min(chunk * 4, 2000);
    }
    const m = mBuf[0];
    const s = sBuf[0];
    if (!m && !s) return undefined;
    // on a tie (the subject and the first message of one ticket) the message goes first: it has a snippet
    const takeS = s && (!m || s.key > m.key);
    return takeS ? sBuf.shift() : mBuf.shift();
  };

  // Tickets shown on earlier pages: everything at or above the cursor's stream positions was
  // processed then, so a ticket matching up there has been shown. Computed once, when needed.
  let shown: Set<number> | undefined;
  const shownBefore = async (ticketId: number): Promise<boolean> => {
    if (!cursor) return false;
    shown ??= new Set(await read.shown(cursor));
    return shown.has(ticketId);
  };

  const picked: Item[] = [];
  const seen = new Set<number>();
  let scanned = 0;
  let truncated = false;
  let last: Item | undefined;
  // tickets picked and found not to hold an excluded word anywhere (a message may lack it while another has it)
  let checked = 0;
  for (;;) {
    while (picked.length < opts.limit) {
      if (scanned >= maxScan) {
        truncated = true;
        break;
      }
      const it = await nextItem();
      if (!it) break;
      scanned++;
      last = it;
      if (it.stream === 'm') pm = it.key;
      else ps = it.ticketId;
      if (!it.ok || seen.has(it.ticketId)) continue;
      seen.add(it.ticketId);
      if (await shownBefore(it.ticketId)) continue;
      picked.push(it);
    }
    if (!q.none.length || checked === picked.length) break;
    const out = await read.excluded(picked.slice(checked).map((p) => p.ticketId));
    const kept = picked.filter((p, i) => i < checked || !out.has(p.ticketId));
    picked.splice(0, picked.length, ...kept);
    checked = picked.length;
    if (!out.size) break;
  }
  const hits = await hitsOf(db, picked, opts.snippets ? q : null);
  const more = mBuf.length > 0 || sBuf.length > 0 || !mDone || !sDone;
  const next = last && more ? { m: pm, s: ps } : null;
  return { hits, next, scanned, truncated };
}

/** The streams of a search's matches, or null when it looks for nothing. */
function streamsFor(db: Db, q: SearchQuery, filter: QueueFilter): Streams | null {
  const match = ftsMatch(q);
  if (!match) return null;
  const where = queueWhere(filter);
  // the filter is evaluated in SQL for every hit; JS only sees whether the ticket qualifies
  const ok = where.length ? sql`(${and(...where)})` : sql`1`;
  return db.engine === 'postgres' ? postgresStreams(db, q, ok) : sqliteStreams(db, match, ftsAny(q.none), ok);
}

/** The picked matches as hits, in their order, with their tickets and (when asked) snippets marking the searched words. */
async function hitsOf(db: Db, picked: { ticketId: number; messageId: number | null }[], snippetsFor: SearchQuery | null): Promise<SearchHit[]> {
  const byId = picked.length
    ? new Map((await listRows(db, tickets, `where id in (${placeholders(picked.length)})`, ...picked.map((p) => p.ticketId))).map((t) => [t.id, t]))
    : new Map<number, Ticket>();
  const hits: SearchHit[] = picked.flatMap((p) => {
    const t = byId.get(p.ticketId);
    return t ? [{ ticket: t, messageId: p.messageId, snippet: null }] : [];
  });
  if (snippetsFor) {
    const ids = hits.flatMap((h) => (h.messageId ? [h.messageId] : []));
    const texts = ids.length
      ? new Map((await db.all<{ id: number; t: string }>(sql`select id, body_text as t from messages where id in (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})`)).map((r) => [r.id, r.t]))
      : new Map<number, string>();
    const sought = soughtStems(snippetsFor);
    for (const h of hits) {
      if (h.messageId) h.snippet = snippetWith(texts.get(h.messageId) ?? '', sought, SNIPPET_WIDTH);
      h.subject = snippetWith(h.ticket.subject, sought, Number.MAX_SAFE_INTEGER);
    }
  }
  return hits;
}

/** How many of the newest matches (messages and subjects each) relevance ranks. */
export const RANKED_MATCHES = 100;

// BM25's saturation of repeated words and its normalisation by length
const K1 = 1.2;
const B = 0.75;

/**
 * How well each text matches the search, the same way on both engines, worked out here from the
 * texts themselves: per group of terms the best of its terms, each term's occurrences (its stems in
 * a row, or its folded words with the last a prefix) saturated as BM25 saturates them and weighed
 * down in texts longer than the average of those ranked. (The engines' own BM25 and ts_rank_cd
 * rank differently from each other, and FTS5's needs a pass over every match of a common word.)
 */
export function relevance(texts: string[], q: SearchQuery): number[] {
  const docs = texts.map((t) => textWords(t.normalize('NFC')));
  const avg = Math.max(1, docs.reduce((n, d) => n + d.length, 0) / Math.max(1, docs.length));
  const terms = q.all.map((g) => g.map((t) => ({ t, want: termWords(t) })));
  return docs.map((doc) => {
    const norm = K1 * (1 - B + (B * doc.length) / avg);
    let score = 0;
    for (const group of terms) {
      let best = 0;
      for (const { t, want } of group) {
        if (!want.length) continue;
        let tf = 0;
        for (let i = 0; i + want.length <= doc.length; i++) {
          let all = true;
          for (let j = 0; j < want.length && all; j++) {
            const w = doc[i + j];
            all = t.prefix ? (j === want.length - 1 ? w.folded.startsWith(want[j]) : w.folded === want[j]) : w.stem === want[j];
          }
          if (all) tf++;
        }
        best = Math.max(best, (tf * (K1 + 1)) / (tf + norm));
      }
      score += best;
    }
    return score;
  });
}

/**
 * A search ranked by relevance: the newest RANKED_MATCHES matching messages and subjects of
 * tickets that pass the filter (reading at most maxScan of each), each ticket scored by its best
 * matching message and its subject (see relevance(); a subject counting twice a message), the
 * best first and the later match first on a tie. A desk where a search finds fewer matches than
 * that ranks all of them; one where a word is in half the mail ranks its newest hundreds, which
 * keeps the answer about as fast as the search by date. Paged by offset in that order.
 */
export async function searchTicketsRanked(
  db: Db, text: string, filter: QueueFilter, offset: number, opts: { limit: number; maxScan?: number; snippets?: boolean },
): Promise<{ hits: SearchHit[]; next: number | null; candidates: number; truncated: boolean }> {
  const q = parseSearch(text);
  const read = streamsFor(db, q, filter);
  if (!read) return { hits: [], next: null, candidates: 0, truncated: false };
  const maxScan = opts.maxScan ?? 20_000;
  // whether older matches were left unranked
  let cut = false;
  const collect = async <T extends { key: number; ok: unknown }>(stream: (before: number, limit: number) => Promise<T[]>): Promise<T[]> => {
    const out: T[] = [];
    let before = BIG;
    let scanned = 0;
    for (let chunk = RANKED_MATCHES + 1; ; chunk = Math.min(chunk * 2, 4000)) {
      if (out.length >= RANKED_MATCHES || scanned >= maxScan) {
        cut = true;
        break;
      }
      const rows = await stream(before, chunk);
      scanned += rows.length;
      for (const r of rows) if (r.ok && out.length < RANKED_MATCHES) out.push(r);
      if (rows.length < chunk) break;
      before = rows[rows.length - 1].key;
    }
    return out;
  };
  const msgs = await collect(read.messages);
  const subjects = await collect(async (before, limit) => (await read.subjects(before, limit)).map((r) => ({ ...r, key: r.ticketId })));
  const texts = (rows: { id: number; t: string | null }[]) => new Map(rows.map((r) => [Number(r.id), r.t ?? '']));
  const bodies = msgs.length ? texts(await db.all(sql`select id, body_text as t from messages where id in (${idList(msgs.map((m) => m.key))})`)) : new Map<number, string>();
  const titles = subjects.length ? texts(await db.all(sql`select id, subject as t from ${tickets} where id in (${idList(subjects.map((m) => m.key))})`)) : new Map<number, string>();
  const scoresOf = (ids: number[], of: Map<number, string>) => {
    const scores = relevance(ids.map((id) => of.get(id) ?? ''), q);
    return new Map(ids.map((id, i) => [id, scores[i]]));
  };
  const msgScores = scoresOf(msgs.map((m) => m.key), bodies);
  const subjectScores = scoresOf(subjects.map((m) => m.key), titles);
  type Ranked = { ticketId: number; messageId: number | null; score: number; latest: number };
  const byTicket = new Map<number, Ranked & { best: number; subject: number }>();
  const entry = (ticketId: number) => {
    let e = byTicket.get(ticketId);
    if (!e) byTicket.set(ticketId, (e = { ticketId, messageId: null, score: 0, latest: 0, best: 0, subject: 0 }));
    return e;
  };
  for (const m of msgs) {
    const e = entry(m.ticketId);
    const sc = msgScores.get(m.key) ?? 0;
    if (e.messageId === null || sc > e.best) {
      e.best = sc;
      e.messageId = m.key;
    }
    e.latest = Math.max(e.latest, m.key);
  }
  for (const t of subjects) {
    const e = entry(t.ticketId);
    e.subject = subjectScores.get(t.key) ?? 0;
    e.latest = Math.max(e.latest, t.first ?? 0);
  }
  const ranked = [...byTicket.values()]
    .map((e) => ({ ...e, score: e.best + 2 * e.subject }))
    .sort((a, b) => b.score - a.score || b.latest - a.latest || b.ticketId - a.ticketId);
  // the tickets with an excluded word anywhere are left out, looked for from the top in batches
  // until the page is full (a ticket's own message may lack the word while another has it)
  let kept = ranked;
  if (q.none.length) {
    kept = [];
    for (let at = 0; at < ranked.length && kept.length < offset + opts.limit + 1; at += 50) {
      const batch = ranked.slice(at, at + 50);
      const out = await read.excluded(batch.map((e) => e.ticketId));
      kept.push(...batch.filter((e) => !out.has(e.ticketId)));
    }
  }
  const page = kept.slice(offset, offset + opts.limit);
  const hits = await hitsOf(db, page, opts.snippets ? q : null);
  return { hits, next: offset + opts.limit < kept.length ? offset + opts.limit : null, candidates: ranked.length, truncated: cut };
}

type Streams = {
  /** matching messages below `before`, newest first: id, ticket, whether the ticket passes the filter */
  messages(before: number, limit: number): Promise<{ key: number; ticketId: number; ok: unknown }[]>;
  /** tickets whose subject matches, below `before`, newest first, with their first message's id */
  subjects(before: number, limit: number): Promise<{ ticketId: number; first: number | null; ok: unknown }[]>;
  /** the tickets matching at or above the cursor's stream positions */
  shown(cursor: SearchCursor): Promise<number[]>;
  /** those of these tickets with an excluded word (`-word`) in their subject or any message */
  excluded(ticketIds: number[]): Promise<Set<number>>;
};

const idList = (ids: number[]) => sql.join(ids.map((i) => sql`${i}`), sql`, `);

/** SQLite: the FTS5 tables, read newest-first (FTS5 walks its doclists backwards and stops at the LIMIT). */
function sqliteStreams(db: Db, match: string, noneMatch: string | null, ok: SQL): Streams {
  // rowid bounds are cast: better-sqlite3 binds numbers as REAL, and FTS5 cannot seek on a REAL rowid
  return {
    messages: async (before, limit) =>
      await db.all(sql`
        select h.rowid as key, m.ticket_id as ticketId, ${ok} as ok
        from (select rowid from messages_fts where messages_fts match ${match} and rowid < cast(${before} as integer) order by rowid desc limit ${limit}) h
        cross join messages m on m.id = h.rowid cross join ${tickets} on ${tickets.id} = m.ticket_id
        order by h.rowid desc`),
    subjects: async (before, limit) =>
      await db.all(sql`
        select h.rowid as ticketId, (select min(id) from messages where ticket_id = h.rowid) as first, ${ok} as ok
        from (select rowid from tickets_fts where tickets_fts match ${match} and rowid < cast(${before} as integer) order by rowid desc limit ${limit}) h
        cross join ${tickets} on ${tickets.id} = h.rowid
        order by h.rowid desc`),
    shown: async (cursor) => [
      ...(await db.all<{ t: number }>(sql`select distinct m.ticket_id as t from (select rowid from messages_fts where messages_fts match ${match} and rowid >= cast(${cursor.m} as integer)) h cross join messages m on m.id = h.rowid`)).map((r) => r.t),
      ...(await db.all<{ t: number }>(sql`select rowid as t from tickets_fts where tickets_fts match ${match} and rowid >= cast(${cursor.s} as integer)`)).map((r) => r.t),
    ],
    excluded: async (ticketIds) => {
      const none = noneMatch;
      if (!none || !ticketIds.length) return new Set();
      const rows = await db.all<{ t: number }>(sql`
        select m.ticket_id as t from messages m where m.ticket_id in (${idList(ticketIds)})
          and exists (select 1 from messages_fts where messages_fts.rowid = m.id and messages_fts match ${none})
        union select rowid from tickets_fts where tickets_fts match ${none} and rowid in (${idList(ticketIds)})`);
      return new Set(rows.map((r) => Number(r.t)));
    },
  };
}

/**
 * PostgreSQL: the messages' and the subjects' stored stems and words (body_stems and body_words,
 * subject_stems and subject_words, each with a GIN index). Each read finds the newest matches
 * below `before` itself instead of leaving the choice to the planner, whose guess for a rare or
 * absent word (from the statistics of common words) can make it walk every message looking for one.
 */
function postgresStreams(db: Db, q: SearchQuery, ok: SQL): Streams {
  const messagesSource: Source = { table: sql`messages`, match: pgMatch(q, sql`body_words`, sql`body_stems`), ticket: sql`ticket_id`, first: sql`null`, walkCost: 1 };
  const subjectsSource: Source = {
    table: sql`${tickets}`, match: pgMatch(q, sql`subject_words`, sql`subject_stems`), ticket: sql`id`, first: sql`(select min(id) from messages where ticket_id = x.id)`, walkCost: 1,
  };
  return {
    messages: async (before, limit) => await newestMatches(db, messagesSource, ok, before, limit),
    subjects: async (before, limit) =>
      (await newestMatches(db, subjectsSource, ok, before, limit)).map((r) => ({ ticketId: r.key, first: r.first, ok: r.ok })),
    shown: async (cursor) =>
      (await db.all<{ t: number }>(sql`
        select ticket_id as t from messages where ${messagesSource.match} and id >= ${cursor.m}
        union select id from ${tickets} where ${subjectsSource.match} and id >= ${cursor.s}`)).map((r) => r.t),
    excluded: async (ticketIds) => {
      if (!q.none.length || !ticketIds.length) return new Set();
      const any = (words: SQL, stems: SQL) => pgMatch({ all: [q.none], none: [], fields: [] }, words, stems);
      const rows = await db.all<{ t: number }>(sql`
        select ticket_id as t from messages where ticket_id in (${idList(ticketIds)}) and ${any(sql`body_words`, sql`body_stems`)}
        union select id from ${tickets} where id in (${idList(ticketIds)}) and ${any(sql`subject_words`, sql`subject_stems`)}`);
      return new Set(rows.map((r) => Number(r.t)));
    },
  };
}

/**
 * A table searched on PostgreSQL: the search's condition on its columns, the ticket a row belongs
 * to, (subjects) the ticket's first message, `x` naming the row; and what testing a row on a walk
 * costs, where fetching a match found in the index costs 1.
 */
type Source = { table: SQL; match: SQL; ticket: SQL; first: SQL; walkCost: number };
type Match = { key: number; ticketId: number; first: number | null; ok: unknown };

/**
 * The newest `limit` rows of source below `before` whose words match, newest first (fewer only
 * when there are no more). Two ways, whichever costs less: walking the rows backwards by id,
 * testing each, costs limit / density rows; collecting every match below from the GIN index and
 * sorting them costs rows below × density. A first walk over the newest 2 × limit rows measures the
 * density (a word in half the messages fills the read right there); the rest is walked when that is
 * cheaper, else collected from the index (a rare word: only its matches are read and sorted).
 */
async function newestMatches(db: Db, src: Source, ok: SQL, before: number, limit: number): Promise<Match[]> {
  const out: Match[] = [];
  let from = before;
  let walked = 0;
  let found = 0;
  let window = 2 * limit;
  for (let walks = 0; walks < 4; walks++) {
    // one bounded walk: the hits of the `window` rows below `from`, and the lowest of those rows
    const rows = await db.all<Match & { hit: boolean; floor: number; n: number }>(sql`
      select x.id as key, x.ticket_id as ticketId, ${src.first} as first, ${ok} as ok, x.hit, x.floor, x.n
      from (select id, ticket_id, hit, min(id) over () as floor, count(*) over () as n
        from (select id, ${src.ticket} as ticket_id, ${src.match} as hit from ${src.table} where id < ${from} order by id desc limit ${window}) w) x
      join ${tickets} on ${tickets.id} = x.ticket_id
      where x.hit or x.id = x.floor
      order by x.id desc`);
    if (!rows.length) return out; // nothing below
    const hits = rows.filter((r) => r.hit);
    out.push(...hits.slice(0, limit - out.length));
    if (out.length >= limit || rows[0].n < window) return out; // full, or the oldest row was reached
    from = rows[0].floor;
    walked += rows[0].n;
    found += hits.length;
    if (found === 0) break; // a rare word, or none
    // a few hits measure the density roughly: counted one more, a walk that falls short is retried
    const need = limit - out.length;
    const density = (found + 1) / walked;
    if ((src.walkCost * need) / density > from * density) break;
    window = Math.ceil((need / density) * 1.25);
  }
  // the rest from the index, in windows of ids below `from`, newest first: a window sized to hold
  // about four times the matches still needed, at the density measured so far (or, when the walk found
  // none, at the most it can be), reads from the table only the matches in it instead of every
  // match below. Each window costs a scan of the index, so there are at most three: a window that
  // finds nothing, or the third, takes everything left. (The CTE keeps the planner from walking.)
  let span = (4 * (limit - out.length) * walked) / (found + 1);
  for (let windows = 1; out.length < limit && from > 0; windows++) {
    const low = windows < 3 ? Math.max(0, Math.floor(from - span)) : 0;
    const rows = await db.all<Match>(sql`
      with h as materialized (select id, ${src.ticket} as ticket_id from ${src.table} where ${src.match} and id < ${from} and id >= ${low})
      select x.id as key, x.ticket_id as ticketId, ${src.first} as first, ${ok} as ok
      from (select id, ticket_id from h order by id desc limit ${limit - out.length}) x
      join ${tickets} on ${tickets.id} = x.ticket_id
      order by x.id desc`);
    out.push(...rows);
    span = rows.length ? (4 * (limit - out.length) * (from - low)) / rows.length : Infinity;
    from = low;
  }
  return out;
}

/** Search cursors travel in URLs as base64url JSON, like the queue's. */
export function encodeSearchCursor(c: SearchCursor): string {
  return Buffer.from(JSON.stringify(['search', c.m, c.s])).toString('base64url');
}

export function decodeSearchCursor(raw: string | null): SearchCursor | null {
  if (!raw) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (!Array.isArray(v) || v.length !== 3 || v[0] !== 'search' || !v.slice(1).every((n) => Number.isSafeInteger(n))) return null;
    const [, m, s] = v as [string, number, number];
    return { m, s };
  } catch {
    return null;
  }
}

const SNIPPET_WIDTH = 160;

/** A short excerpt around the first searched word, with the words marked (MARK_START/MARK_END). */
export function snippetOf(body: string, query: string, width = SNIPPET_WIDTH): string {
  return snippetWith(body, soughtStems(parseSearch(query)), width);
}

/** What a search looks for (not what it leaves out): stems, and the words typed as prefixes (folded), with the words before a prefix. */
type Sought = { stems: Set<string>; words: Set<string>; prefixes: string[] };

function soughtStems(q: SearchQuery): Sought {
  const sought: Sought = { stems: new Set(), words: new Set(), prefixes: [] };
  for (const t of q.all.flat()) {
    const w = termWords(t);
    if (!t.prefix) for (const x of w) sought.stems.add(x);
    else if (w.length) {
      sought.prefixes.push(w.pop()!);
      for (const x of w) sought.words.add(x);
    }
  }
  return sought;
}

function snippetWith(body: string, sought: Sought, width: number): string {
  const text = body.normalize('NFC').replace(/\s+/g, ' ').trim();
  const found = (w: TextWord) => sought.stems.has(w.stem) || sought.words.has(w.folded) || sought.prefixes.some((p) => w.folded.startsWith(p));
  let first: TextWord | undefined;
  for (const w of eachWord(text)) {
    if (!found(w)) continue;
    first = w;
    break;
  }
  const start = first ? Math.max(0, first.start - Math.floor(width / 3)) : 0;
  const end = Math.min(text.length, start + width);
  let out = start > 0 ? '…' : '';
  let at = start;
  // the window's words alone, read from a little before it so a word cut by its edge is read whole (and left unmarked)
  for (const w of eachWord(text, Math.max(0, start - 64))) {
    if (w.start >= end) break;
    if (w.start < start || w.end > end || !found(w)) continue;
    out += `${text.slice(at, w.start)}${MARK_START}${text.slice(w.start, w.end)}${MARK_END}`;
    at = w.end;
  }
  return out + text.slice(at, end) + (end < text.length ? '…' : '');
}
