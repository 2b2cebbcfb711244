// What the kept counts' triggers cost a ticket change on SQLite: N tickets inserted and then resolved,
// one statement each, with every trigger of the desk, then again with the day counts' triggers
// dropped, and with the closed tickets' sums' dropped too. Both inside one transaction (the triggers'
// own work) and committed one by one (as intake does). `tsx bench/trigger-cost.ts [--tickets N] [--rounds N]`.
import { mkdtempSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { openDb } from '../src/db/client.ts';
import { migrateDb } from '../src/db/migrate.ts';

const { values } = parseArgs({ options: { tickets: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '2' } } });
const N = Number(values.tickets);
const DAY_COUNTS = ['tickets_day_counts_ai', 'tickets_day_counts_au', 'tickets_day_counts_ad'];
const CLOSED_SUMS = ['tickets_closed_sums_ai', 'tickets_closed_sums_au', 'tickets_closed_sums_bd'];
const VARIANTS: [string, string[]][] = [['every trigger', []], ['without the day counts', DAY_COUNTS], ['without the day counts and closed sums', [...DAY_COUNTS, ...CLOSED_SUMS]]];

const dir = mkdtempSync(path.join(tmpdir(), 'trigger-cost-'));
try {
  const empty = path.join(dir, 'empty.sqlite');
  const db = openDb(empty);
  await migrateDb(db);
  await db.close();
  /** µs per insert and per resolve */
  const run = (drop: string[], oneTransaction: boolean): [number, number] => {
    const file = path.join(dir, 'run.sqlite');
    rmSync(file, { force: true });
    copyFileSync(empty, file);
    const s = new Database(file);
    s.pragma('journal_mode = WAL');
    s.pragma('synchronous = NORMAL');
    for (const t of drop) s.exec(`drop trigger ${t}`);
    const ins = s.prepare(`insert into tickets (number, subject, status, priority, type, category, channel, last_activity_at, created_at, updated_at)
      values (?, 'x', 'new', ?, 'incident', ?, 'email', ?, ?, ?)`);
    const upd = s.prepare(`update tickets set status = 'resolved', resolved_at = ?, updated_at = ? where id = ?`);
    const each = (f: (i: number) => void) => (oneTransaction ? s.transaction(() => { for (let i = 0; i < N; i++) f(i); }) : () => { for (let i = 0; i < N; i++) s.transaction(f)(i); });
    const base = Date.UTC(2026, 0, 1);
    const timed = (f: () => void) => { const t0 = process.hrtime.bigint(); f(); return Number(process.hrtime.bigint() - t0) / 1e3 / N; };
    const a = timed(each((i) => { const at = base + i * 60_000; ins.run(i + 1, ['low', 'normal', 'high'][i % 3], `c${i % 7}`, at, at, at); }));
    const b = timed(each((i) => { const at = base + i * 60_000 + 3_600_000; upd.run(at, at, i + 1); }));
    s.close();
    return [a, b];
  };
  console.log(`| triggers | in one transaction: insert / resolve | committed one by one: insert / resolve |\n|---|---|---|`);
  for (let r = 0; r < Number(values.rounds); r++) {
    for (const [label, drop] of VARIANTS) {
      const [a, b] = run(drop, true);
      const [c, d] = run(drop, false);
      console.log(`| ${label} | ${a.toFixed(0)} / ${b.toFixed(0)} µs | ${c.toFixed(0)} / ${d.toFixed(0)} µs |`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
