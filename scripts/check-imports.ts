// The import-direction check: every file under src/ belongs to a room, rooms are ordered, and a file
// may import only from its own room or a lower one (DESIGN.md, "Architecture"). Known violations
// are listed in scripts/import-baseline.json while the code is moved into its rooms: the list may
// only shrink (a new violation fails, and so does a listed one that is gone, so the list stays true).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Lowest first. A file in room n may import rooms 0..n. */
export const ROOMS: readonly (readonly string[])[] = [
  ['domain', 'i18n', 'config.ts'],
  ['db'],
  ['store', 'deps.ts'],
  ['outbox'],
  ['intake', 'actions'],
  ['policies', 'reports'],
  ['channels', 'web'],
  ['roles', 'services.ts'],
  ['main.ts', 'cli.ts', 'bootstrap.ts', 'demo'],
];

/** Packages only some rooms may use: the database is reached through the store alone. */
export const PACKAGE_ROOMS: Record<string, readonly string[]> = {
  'drizzle-orm': ['db', 'store'],
  'better-sqlite3': ['db', 'store'],
  pg: ['db', 'store'],
};

/** Rooms on one level that still must not lean on each other: a channel is an adapter, not a page. */
export const APART: readonly [string, string][] = [['channels', 'web']];

export type Violation = { from: string; to: string };

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

export function roomOf(file: string): { room: string; level: number } | null {
  const first = file.split('/')[0];
  const level = ROOMS.findIndex((rooms) => rooms.includes(first));
  return level < 0 ? null : { room: first, level };
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** Imports between files under srcDir that point upwards; test files may import what they test. */
export function findViolations(srcDir: string): { violations: Violation[]; unplaced: string[] } {
  const violations: Violation[] = [];
  const unplaced = new Set<string>();
  for (const abs of walk(srcDir)) {
    const file = path.relative(srcDir, abs).split(path.sep).join('/');
    if (file.endsWith('.test.ts')) continue;
    const from = roomOf(file);
    if (!from) {
      unplaced.add(file);
      continue;
    }
    const text = readFileSync(abs, 'utf8');
    if (!PACKAGE_ROOMS['drizzle-orm'].includes(from.room) && /\bdb\.sqlite\b/.test(text)) violations.push({ from: file, to: 'sqlite' });
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2];
      if (!spec.startsWith('.')) {
        const pkg = spec.split('/')[0];
        const allowed = Object.entries(PACKAGE_ROOMS).find(([name]) => pkg === name)?.[1];
        if (allowed && !allowed.includes(from.room)) violations.push({ from: file, to: spec });
        continue;
      }
      const target = path.relative(srcDir, path.resolve(path.dirname(abs), spec)).split(path.sep).join('/');
      const to = roomOf(target);
      if (to && (to.level > from.level || APART.some(([a, b]) => a === from.room && b === to.room))) violations.push({ from: file, to: target });
    }
  }
  return { violations, unplaced: [...unplaced] };
}

export const key = (v: Violation) => `${v.from} -> ${v.to}`;

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const { violations, unplaced } = findViolations(path.resolve('src'));
  for (const f of unplaced) console.log(`not in a room: ${f}`);
  for (const v of violations) console.log(key(v));
  console.log(`${violations.length} upward imports, ${unplaced.length} files outside the rooms`);
}
