// What a person types into search, read into its parts. Words must all occur (in any of their
// forms: see search-words.ts); "a quoted phrase" must occur as written, word after word; `OR`
// (in capitals) between two terms makes either do; `-word` or `-"a phrase"` leaves out what has
// it; `word*` is a prefix. `name:value` narrows by a field of the ticket (`status:open`,
// `assignee:me`, `org:romashka`, `type:incident`, `from:anna@…`, `before:2026-11-01`,
// `after:…`, and the others in FIELDS); a value with spaces is quoted (`org:"Ромашка ООО"`).
// A `name:` the desk does not know is read as words, so `http://…` or `ошибка:` search as typed.
// Nothing typed is an error: what cannot be read is left out, and at most MAX_TERMS terms count.

export const FIELDS = ['status', 'assignee', 'org', 'type', 'category', 'priority', 'channel', 'component', 'from', 'before', 'after'] as const;
export type SearchField = (typeof FIELDS)[number];

/** A word (or words joined by punctuation, which must then follow each other), or a quoted phrase. */
export type SearchTerm = { text: string; prefix: boolean; phrase: boolean };

export type SearchQuery = {
  /** every group must match; a group matches when any of its terms does (terms joined by OR) */
  all: SearchTerm[][];
  /** none of these may match */
  none: SearchTerm[];
  /** the fields in the order typed; a field given twice keeps both */
  fields: { name: SearchField; value: string }[];
};

export const MAX_TERMS = 12;

type Token = { kind: 'term'; term: SearchTerm; negated: boolean } | { kind: 'or' } | { kind: 'field'; name: SearchField; value: string };

// a quoted phrase, a field with a quoted value (org:"A B"), or a run of anything but spaces (a quote
// inside it, as in 17", separates words there)
const TOKEN = /(-?)"([^"]*)"?|([a-z]+:"[^"]*"?|\S+)/giu;
const HAS_WORD = /[\p{L}\p{N}]/u;

/** A term as typed: FTS5's own operators and quotes are not ours to pass on, so they separate words. */
function termOf(raw: string, phrase: boolean): SearchTerm | null {
  const prefix = !phrase && raw.endsWith('*');
  const text = raw.replace(/["*^():{}[\]\0]/g, ' ').replace(/\s+/g, ' ').trim();
  if (!HAS_WORD.test(text)) return null;
  return { text, prefix: prefix && text.length >= 2, phrase };
}

function tokens(input: string): Token[] {
  const out: Token[] = [];
  for (const m of input.normalize('NFC').matchAll(TOKEN)) {
    if (m[2] !== undefined) {
      const term = termOf(m[2], true);
      if (term) out.push({ kind: 'term', term, negated: m[1] === '-' });
      continue;
    }
    const raw = m[3];
    if (raw === 'OR') {
      out.push({ kind: 'or' });
      continue;
    }
    const field = /^([a-z]+):(.+)$/i.exec(raw);
    const name = field?.[1].toLowerCase() as SearchField | undefined;
    if (field && name && (FIELDS as readonly string[]).includes(name)) {
      const value = field[2].replace(/^"|"$/g, '').trim();
      if (value) out.push({ kind: 'field', name, value });
      continue;
    }
    const negated = raw.length > 1 && raw.startsWith('-');
    const term = termOf(negated ? raw.slice(1) : raw, false);
    if (term) out.push({ kind: 'term', term, negated });
  }
  return out;
}

export function parseSearch(input: string): SearchQuery {
  const q: SearchQuery = { all: [], none: [], fields: [] };
  let terms = 0;
  let joinNext = false;
  for (const t of tokens(input)) {
    if (t.kind === 'field') {
      q.fields.push({ name: t.name, value: t.value });
      continue;
    }
    if (t.kind === 'or') {
      joinNext = q.all.length > 0;
      continue;
    }
    if (terms >= MAX_TERMS) continue; // the fields after them still count
    terms++;
    if (t.negated) q.none.push(t.term);
    else if (joinNext) q.all[q.all.length - 1].push(t.term);
    else q.all.push([t.term]);
    joinNext = false;
  }
  return q;
}

/** Whether the query looks for any text. */
export const hasText = (q: SearchQuery) => q.all.length > 0;

/** A query of fields and nothing else: it lists the tickets they select. (Exclusions alone look for nothing.) */
export const onlyFields = (q: SearchQuery) => q.fields.length > 0 && !q.all.length && !q.none.length;

/** The query written back as the desk reads it: what a search page shows it understood. */
export function formatSearch(q: SearchQuery): string {
  const term = (t: SearchTerm) => (t.phrase ? `"${t.text}"` : `${t.text}${t.prefix ? '*' : ''}`);
  const value = (v: string) => (/\s/.test(v) ? `"${v}"` : v);
  return [
    ...q.all.map((g) => g.map(term).join(' OR ')),
    ...q.none.map((t) => `-${term(t)}`),
    ...q.fields.map((f) => `${f.name}:${value(f.value)}`),
  ].join(' ');
}
