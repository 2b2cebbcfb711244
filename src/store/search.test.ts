// Search against a brute-force answer from the same FTS tables: every matching ticket exactly
// once across pages, latest match first, filters applied, with any page size.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { generateTickets } from '../demo/generate.ts';
import { tickets } from '../db/schema.ts';
import type { QueueFilter } from '../domain/queue-query.ts';
import { buildServices } from '../services.ts';
import { decodeSearchCursor, encodeSearchCursor, ftsQuery, MARK_END, MARK_START, searchTickets, snippetOf } from './search.ts';
import { createTicket } from '../actions/tickets.ts';

let deps: TestDeps;

beforeAll(async () => {
  deps = await makeTestDeps();
  deps.clock.set(Date.UTC(2026, 10, 20, 12));
  const s = buildServices(deps);
  await generateTickets(s.ctx, { tickets: 1200, messagesPerTicket: 3, agents: 3 });
  await createTicket(s.ctx, { kind: 'system' }, { subject: 'Сканер не видит сеть', body: 'После обновления драйвера сканер пропал', requesterEmail: 'a@b.example' });
}, 60_000);
afterAll(() => deps.close());

/** ticket id → its latest match key (message id, or first message id for a subject match) */
async function bruteForce(text: string, filter: (t: { isOpen: boolean | null }) => boolean): Promise<Map<number, number>> {
  const match = ftsQuery(text)!;
  const db = deps.db.sqlite;
  const keys = new Map<number, number>();
  for (const r of db.prepare('select m.ticket_id t, m.id k from messages m where m.id in (select rowid from messages_fts where messages_fts match ?)').all(match) as { t: number; k: number }[]) {
    keys.set(r.t, Math.max(keys.get(r.t) ?? 0, r.k));
  }
  for (const r of db.prepare('select rowid t, (select min(id) from messages where ticket_id = tickets_fts.rowid) k from tickets_fts where tickets_fts match ?').all(match) as { t: number; k: number }[]) {
    keys.set(r.t, Math.max(keys.get(r.t) ?? 0, r.k));
  }
  const rows = new Map((await deps.db.select().from(tickets).all()).map((t) => [t.id, t]));
  return new Map([...keys].filter(([id]) => filter(rows.get(id)!)));
}

async function pageAll(text: string, f: QueueFilter, limit: number): Promise<number[]> {
  const out: number[] = [];
  let cursor = null;
  for (let i = 0; i < 500; i++) {
    const page = await searchTickets(deps.db, text, f, cursor, { limit, maxScan: 100_000 });
    out.push(...page.hits.map((h) => h.ticket.id));
    if (!page.next) return out;
    cursor = decodeSearchCursor(encodeSearchCursor(page.next));
  }
  throw new Error('no end');
}

describe('search', () => {
  it.each([
    ['printer', 7], ['printer', 50], ['password access', 11], ['принтер', 13], ['сканер', 5], ['ws-1*', 9],
  ])('finds every ticket matching %j once, latest match first (page size %i)', async (text, limit) => {
    const want = await bruteForce(text, () => true);
    expect(want.size).toBeGreaterThan(0);
    const got = await pageAll(text, {}, limit);
    expect(new Set(got).size).toBe(got.length);
    expect(got).toEqual([...want].sort((a, b) => b[1] - a[1]).map(([id]) => id));
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

  it('turns what people type into a safe FTS query', async () => {
    expect(ftsQuery('VPN "down" (again)')).toBe('"VPN" "down" "again"');
    expect(ftsQuery('принтер* NEAR/2 x')).toBe('"принтер"* "NEAR/2" "x"');
    expect(ftsQuery(' * " ( ')).toBeNull();
    expect((await searchTickets(deps.db, '"', {}, null, { limit: 5 })).hits).toEqual([]);
  });

  it('marks the searched words in a snippet around the first one', () => {
    const s = snippetOf(`${'lorem '.repeat(60)}the Printer jams, printers everywhere`, 'printer', 80);
    expect(s.startsWith('…')).toBe(true);
    expect(s).toContain(`${MARK_START}Printer${MARK_END} jams, ${MARK_START}printers${MARK_END}`);
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
});
