// Search against a brute-force answer worked out in JS from the rows themselves, on both engines:
// every matching ticket exactly once across pages, latest match first, filters applied, with any
// page size. The answer compares the words' stems as src/domain/search-words.ts makes them (words
// cut as unicode61 cuts them, case, ё and Latin diacritics folded, Snowball stems), so it also
// checks that PostgreSQL's index cuts and stems them alike.
import { asc, desc, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, TEST_ENGINE, type TestDeps } from '../../test/helpers/deps.ts';
import { createTicket } from '../actions/tickets.ts';
import { messages, tickets } from '../db/schema.ts';
import { seededRandom } from '../demo/random.ts';
import type { QueueFilter } from '../domain/queue-query.ts';
import { buildServices } from '../services.ts';
import { parseSearch, type SearchTerm } from '../domain/search-query.ts';
import { textWords } from '../domain/search-words.ts';
import { decodeSearchCursor, encodeSearchCursor, ftsQuery, MARK_END, MARK_START, searchTickets, snippetOf } from './search.ts';

let deps: TestDeps;

// a few very common words and many rarer ones, in two languages, with words joined by punctuation
const EN = `the printer to and please error password access printer toner paper jam VPN network slow laptop monitor e-mail mail
  scanner reset account locked again it's Wi-Fi user@client.example toner-jam 1.5 café`.split(/\s+/);
const RU = `и не принтер печатает ошибка пароль доступ сеть сканер снова мой мои драйвер обновление почта не-печатает`.split(/\s+/);
const T0 = Date.UTC(2026, 10, 1);

/** A desk of 1,200 tickets with about 3,600 messages, written through the database handle; replies come in mixed order. */
async function fillDesk(): Promise<void> {
  const rand = seededRandom(7);
  const pick = (words: string[]) => words[Math.floor(words.length * rand() ** 2)]; // the first words most often
  const sentence = (ru: boolean, n: number) =>
    Array.from({ length: n }, () => (rand() < 0.04 ? `ws-${Math.floor(rand() * 300)}` : pick(ru ? RU : EN))).join(' ');
  const replies: { number: number; ru: boolean }[] = [];
  for (let from = 1; from <= 1200; from += 200) {
    const batch = Array.from({ length: 200 }, (_, i) => {
      const number = from + i;
      const ru = number % 2 === 0;
      for (let k = Math.floor(rand() * 4); k > 0; k--) replies.push({ number, ru });
      const at = T0 + number * 60_000;
      return { number, subject: sentence(ru, 3 + Math.floor(rand() * 4)), status: rand() < 0.3 ? ('new' as const) : ('closed' as const), channel: 'email' as const, lastActivityAt: at, createdAt: at, updatedAt: at };
    });
    await deps.db.insert(tickets).values(batch).run();
  }
  const ids = new Map((await deps.db.select({ id: tickets.id, number: tickets.number }).from(tickets).orderBy(asc(tickets.number)).all()).map((t) => [t.number, t.id]));
  const firsts = [...ids].map(([number]) => ({ number, ru: number % 2 === 0 }));
  const shuffled = replies.map((r) => ({ r, k: rand() })).sort((a, b) => a.k - b.k).map((x) => x.r);
  const all = [...firsts, ...shuffled];
  for (let i = 0; i < all.length; i += 200) {
    const batch = all.slice(i, i + 200).map((m, j) => ({
      ticketId: ids.get(m.number)!, kind: 'reply' as const, direction: 'in' as const, channel: 'email' as const,
      bodyText: sentence(m.ru, 5 + Math.floor(rand() * 25)), createdAt: T0 + (i + j) * 1000,
    }));
    await deps.db.insert(messages).values(batch).run();
  }
}

beforeAll(async () => {
  deps = await makeTestDeps();
  deps.clock.set(Date.UTC(2026, 10, 20, 12));
  await fillDesk();
  const s = buildServices(deps);
  await createTicket(s.ctx, { kind: 'system' }, { subject: 'Сканер не видит сеть', body: 'После обновления драйвера сканер пропал', requesterEmail: 'a@b.example' });
  await createTicket(s.ctx, { kind: 'system' }, { subject: 'Toner/Jam on the second floor', body: 'Paper stuck.', requesterEmail: 'a@b.example' });
  await createTicket(s.ctx, { kind: 'system' }, { subject: 'Jam again', body: 'A jam, then no toner at all.', requesterEmail: 'a@b.example' });
  await createTicket(s.ctx, { kind: 'system' }, { subject: 'Ёжик в тумане', body: 'Зарядка CAFÉ-Bar', requesterEmail: 'a@b.example' });
  // a word in the 128th newest message and in every 20th one before it: PostgreSQL's first look at
  // the newest messages finds it once, at the oldest message it looked at, and reads the rest from the index
  const ids = (await deps.db.select({ id: messages.id }).from(messages).orderBy(desc(messages.id)).all()).map((m) => m.id).slice(127);
  await deps.db.update(messages).set({ bodyText: sql`${messages.bodyText} || ' quokka'` }).where(inArray(messages.id, ids.filter((_, i) => i % 20 === 0))).run();
  // a word found in one message close to the newest, then in none for a long stretch, then in every
  // 4th of the oldest 400 (3,600 messages): PostgreSQL, finding none among the newest, reads it from
  // the index in windows of ids, the first finding one, the second none, the third everything left
  const all = (await deps.db.select({ id: messages.id }).from(messages).orderBy(desc(messages.id)).all()).map((m) => m.id);
  const sparse = [all[12], ...all.slice(-400).filter((_, i) => i % 4 === 0)];
  await deps.db.update(messages).set({ bodyText: sql`${messages.bodyText} || ' wombat'` }).where(inArray(messages.id, sparse)).run();
}, 60_000);
afterAll(() => deps.close());

/** A text's words as search compares them: stems, and folded words (for prefixes). */
const words = (text: string) => {
  const w = textWords(text);
  return { stems: w.map((x) => x.stem), folded: w.map((x) => x.folded) };
};

/** Whether a text holds the term: its stems in a row, or its folded words with the last one a prefix. */
function holds(text: string, t: SearchTerm): boolean {
  const doc = words(text);
  const want = t.prefix ? words(t.text).folded : words(t.text).stems;
  const seq = t.prefix ? doc.folded : doc.stems;
  const at = (i: number) => want.every((x, j) => (t.prefix && j === want.length - 1 ? seq[i + j]?.startsWith(x) : seq[i + j] === x));
  return want.length > 0 && seq.some((_, i) => at(i));
}

/** Whether a text has what the search looks for (the words it leaves out are checked per ticket). */
function matches(text: string, query: string): boolean {
  const q = parseSearch(query);
  return q.all.length > 0 && q.all.every((group) => group.some((t) => holds(text, t)));
}

/** Whether a text has a word the search leaves out. */
const excluded = (text: string, query: string) => parseSearch(query).none.some((t) => holds(text, t));

/** ticket id → its latest match key (message id, or first message id for a subject match) */
async function bruteForce(text: string, filter: (t: { isOpen: boolean | null }) => boolean): Promise<Map<number, number>> {
  const keys = new Map<number, number>();
  const first = new Map<number, number>();
  const left = new Set<number>(); // tickets with a word the search leaves out, anywhere
  for (const m of await deps.db.select({ id: messages.id, ticketId: messages.ticketId, body: messages.bodyText }).from(messages).all()) {
    first.set(m.ticketId, Math.min(first.get(m.ticketId) ?? Infinity, m.id));
    if (matches(m.body, text)) keys.set(m.ticketId, Math.max(keys.get(m.ticketId) ?? 0, m.id));
    if (excluded(m.body, text)) left.add(m.ticketId);
  }
  const rows = await deps.db.select().from(tickets).all();
  for (const t of rows) {
    if (matches(t.subject, text)) keys.set(t.id, Math.max(keys.get(t.id) ?? 0, first.get(t.id)!));
    if (excluded(t.subject, text)) left.add(t.id);
  }
  const byId = new Map(rows.map((t) => [t.id, t]));
  return new Map([...keys].filter(([id]) => !left.has(id) && filter(byId.get(id)!)));
}

async function pageAll(text: string, f: QueueFilter, limit: number, firstRead?: number): Promise<number[]> {
  const out: number[] = [];
  let cursor = null;
  for (let i = 0; i < 500; i++) {
    const page = await searchTickets(deps.db, text, f, cursor, { limit, maxScan: 100_000, firstRead });
    out.push(...page.hits.map((h) => h.ticket.id));
    if (!page.next) return out;
    cursor = decodeSearchCursor(encodeSearchCursor(page.next));
  }
  throw new Error('no end');
}

/** The subjects of every ticket found for text. */
async function subjects(text: string): Promise<string[]> {
  const ids = new Set(await pageAll(text, {}, 50));
  return (await deps.db.select().from(tickets).all()).filter((t) => ids.has(t.id)).map((t) => t.subject);
}

describe('search', () => {
  it.each([
    ['printer', 7], ['printer', 50], ['password access', 11], ['принтер', 13], ['сканер', 5], ['ws-1*', 9], ['PRINTER', 20],
    ['toner-jam', 6], ['e-mail', 8], ['cafe', 4], ['мой', 5], ['print*', 10], ['принт*', 10], ['user@client.example', 5], ["it's", 9], ['quokka', 7], ['wombat', 2], ['wombat', 40],
    // other forms of the words, and the query syntax
    ['принтера', 7], ['ошибки', 9], ['printers', 7], ['печатают', 10], ['Ошибкой принтеры', 6], ['printer OR сканер', 10], ['printer -toner', 10],
    ['"paper jam"', 10], ['"jam paper"', 10], ['пароль OR password -сеть -network', 10], ['-printer', 5],
    // a prefix reaching past the stem of the words it is to find (печатает → печата)
    ['печатае*', 10], ['printe*', 10], ['passwor* OR парол*', 10],
  ])('finds every ticket matching %j once, latest match first (page size %i)', async (text, limit) => {
    const want = await bruteForce(text, () => true);
    // a search that only leaves out finds nothing: there is nothing it looks for
    if (parseSearch(text).all.length) expect(want.size).toBeGreaterThan(0);
    const got = await pageAll(text, {}, limit);
    expect(new Set(got).size).toBe(got.length);
    expect(got).toEqual([...want].sort((a, b) => b[1] - a[1]).map(([id]) => id));
  });

  // reading two matches at first, each stream walks a few messages and goes on in windows of ids
  // a few dozen wide, as it does a large desk's hundreds of thousands
  it.each([['wombat', 2], ['wombat', 5], ['quokka', 3], ['printer', 4], ['password access', 3], ['сканер', 2]])(
    'finds every ticket matching %j once, latest match first, in small reads (page size %i)', async (text, limit) => {
      const want = await bruteForce(text, () => true);
      const got = await pageAll(text, {}, limit, 2);
      expect(got).toEqual([...want].sort((a, b) => b[1] - a[1]).map(([id]) => id));
    },
  );

  it('reads words joined by punctuation as a phrase, folds case, ё and Latin diacritics', async () => {
    expect(await subjects('toner-jam')).toContain('Toner/Jam on the second floor');
    expect(await subjects('toner-jam')).not.toContain('Jam again');
    expect(await subjects('cafe-bar')).toEqual(['Ёжик в тумане']);
    expect(await subjects('Café')).toContain('Ёжик в тумане');
    expect(await subjects('ёжик')).toEqual(['Ёжик в тумане']);
    expect(await subjects('ежик')).toEqual(['Ёжик в тумане']);
    expect(await subjects('ежики')).toEqual(['Ёжик в тумане']);
  });

  it('applies the queue filter to the matches', async () => {
    const want = await bruteForce('printer', (t) => !!t.isOpen);
    const got = await pageAll('printer', { open: true }, 10);
    expect(got.sort()).toEqual([...want.keys()].sort());
  });

  it('stops after a bounded number of matches when the filter is picky, and can go on from there', async () => {
    const first = await searchTickets(deps.db, 'printer', { assigneeId: 999_999 }, null, { limit: 10, maxScan: 50 });
    expect(first).toMatchObject({ hits: [], truncated: true, scanned: 50 });
    expect(first.next).not.toBeNull();
    const more = await searchTickets(deps.db, 'printer', { assigneeId: 999_999 }, first.next, { limit: 10, maxScan: 50 });
    expect(more.scanned).toBe(50);
  });

  it('turns what people type into a safe query', async () => {
    expect(ftsQuery('VPN "down" (again)')).toBe('stems : "vpn" AND stems : "down" AND stems : "again"');
    expect(ftsQuery('Принтера* NEAR/2 x')).toBe('words : "принтера"* AND stems : "near 2" AND stems : "x"');
    expect(ftsQuery('ws-1* OR "paper jams" -toner -"ошибки печати"')).toBe('(words : "ws 1"* OR stems : "paper jam") NOT (stems : "toner" OR stems : "ошибк печат")');
    expect(ftsQuery('a b -c')).toBe('(stems : "a" AND stems : "b") NOT (stems : "c")');
    expect(ftsQuery(' * " ( ')).toBeNull();
    expect(ftsQuery('-toner')).toBeNull();
    const hostile = ['"', "'", "'printer':*", '\\', 'a:*', ':*', '&', 'printer & !toner', 'a | b', '<->', 'printer<2>toner', '!!', '((x', "it''s", 'x\u0000y', '\u0000',
      'NEAR(a b)', 'a OR b', '-', '--', '½*', 'ŉ*', '«»', '…*', 'a'.repeat(5000), 'ws-1.*', 'ws-*', `${'x '.repeat(40)}`, '\uFFFD', '@*'];
    for (const q of hostile) {
      const page = await searchTickets(deps.db, q, {}, null, { limit: 5 });
      expect(Array.isArray(page.hits), q).toBe(true);
    }
    expect((await searchTickets(deps.db, '"', {}, null, { limit: 5 })).hits).toEqual([]);
  });

  it('marks the searched words in a snippet around the first one', () => {
    const s = snippetOf(`${'lorem '.repeat(60)}the Printer jams, printers everywhere`, 'printer', 80);
    expect(s.startsWith('…')).toBe(true);
    expect(s).toContain(`${MARK_START}Printer${MARK_END} jams, ${MARK_START}printers${MARK_END}`);
    // a word the window cuts at its start is shown cut and not marked; the words past its end are not read
    const long = `printer ${'x'.repeat(50)} printerprinterprinterprinterprinterprinterprinterprinterprinterprinter printer ${'lorem '.repeat(40)} printer`;
    const cut = snippetOf(long.replace(/^printer /, 'scanner '), 'printer', 30);
    expect(cut.slice(0, cut.indexOf(MARK_START))).toMatch(/^…(printer|rinter|inter|nter|ter|er)+ $/);
    expect(cut.split(MARK_START).length - 1).toBe(1);
    expect(cut).toContain(`${MARK_START}printer${MARK_END} lorem`);
    expect(cut.startsWith('…')).toBe(true);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('marks each search’s own words in its snippets, whatever was searched before', async () => {
    const marked = async (text: string) =>
      (await searchTickets(deps.db, text, {}, null, { limit: 5, snippets: true })).hits.flatMap((h) => (h.snippet ? [h.snippet] : []))
        .map((snippet) => [...snippet.matchAll(new RegExp(`${MARK_START}(.*?)${MARK_END}`, 'g'))].map((m) => m[1].toLowerCase()));
    for (const [text, stem] of [['printer', 'printer'], ['сканер', 'сканер'], ['printer', 'printer']]) {
      const words = (await marked(text)).flat();
      expect(words.length).toBeGreaterThan(0);
      for (const w of words) expect(w.startsWith(stem), `${w} in a snippet for ${text}`).toBe(true);
    }
  });

  // the desk stems in JS on SQLite and with PostgreSQL's Snowball dictionaries on PostgreSQL: both
  // must make the same stems, or a search would find other tickets on the other engine
  it.runIf(TEST_ENGINE === 'postgres')('stems every word as the desk does in JS', async () => {
    const vocabulary = `принтер принтера принтеры принтеров принтеру принтером печатает печатают печать не печатается ошибка ошибки
      ошибок ошибкой папка папке папки папку пароль пароля паролем забыл сбросить учётная запись учетной записи доступ доступа
      доступом сеть сети сетевой сетевого подключение подключения подключиться почта почты почтовый ящик ящика письмо письма
      письмами вложение вложения ноутбук ноутбука монитор монитора мышь клавиатура сканер сканера драйвер драйвера обновление
      обновления обновить перезагрузка перезагрузить сервер сервера сервером 1С бухгалтерия бухгалтерии склад склада накладная
      накладные отчёт отчёта отчёты ёлка ёжик Ёжик йогурт зависает зависла зависло медленно работает работают не работает
      the printer printers printing printed print error errors password passwords reset resetting account accounts locked
      access accessing network networks connection connections connected connecting mail mailbox e-mail attachment attachments
      laptop laptops monitor monitors keyboard scanner scanners driver drivers update updates updated updating server servers
      running runs ran slow slowly crashes crashed crashing generously happily flies dying lying agreed feed cafe Café naïve
      Outlook SharePoint OneDrive Teams VPN Wi-Fi 0x80070005 ws-1042 inv12345 ORA-12154 TLS1.2 2026-11-30 http://intranet/wiki`;
    const words = [...new Set(vocabulary.split(/\s+/).filter(Boolean))];
    const rows = await deps.db.all<{ w: string; d: string }>(
      `select w, array_to_string(tsvector_to_array(helpdesk_search_stems(w)), ' ') as d from unnest(?::text[]) as w`, words,
    );
    // tsvector_to_array lists a text's lexemes sorted and without repeats
    const js = (w: string) => [...new Set(textWords(w).map((x) => x.stem))].sort().join(' ');
    const pgSorted = (d: string) => d.split(' ').filter(Boolean).sort().join(' ');
    const differ = rows.filter((r) => pgSorted(r.d) !== js(r.w)).map((r) => `${r.w}: JS ${js(r.w)} | PostgreSQL ${pgSorted(r.d)}`);
    expect(differ).toEqual([]);
  });
});
