// Imports point one way (DESIGN.md, "Architecture"); the baseline of known exceptions only shrinks.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findViolations, key } from '../scripts/check-imports.ts';

const root = path.resolve(import.meta.dirname, '..');

describe('import direction', () => {
  it('src/ has no upward import beyond the listed baseline, and the baseline lists none that are gone', () => {
    const { violations, unplaced } = findViolations(path.join(root, 'src'));
    const baseline = new Set(JSON.parse(readFileSync(path.join(root, 'scripts/import-baseline.json'), 'utf8')) as string[]);
    const found = new Set(violations.map(key));
    expect(unplaced, 'files outside every room of scripts/check-imports.ts').toEqual([]);
    expect([...found].filter((v) => !baseline.has(v)), 'new imports against the direction').toEqual([]);
    expect([...baseline].filter((v) => !found.has(v)), 'fixed: remove them from scripts/import-baseline.json').toEqual([]);
  });

  const dir = mkdtempSync(path.join(tmpdir(), 'imports-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };

  it('finds an upward import, a channel leaning on the web, the database outside the store, and an unplaced file', () => {
    file('domain/rule.ts', "import type { Page } from '../web/page.ts';\nimport { x } from './x.ts';\n");
    file('web/page.ts', "import { rule } from '../domain/rule.ts';\nexport const n = db.sqlite;\n");
    file('channels/sms.ts', "export { app } from '../web/page.ts';\n");
    file('store/tickets.ts', "import { sql } from 'drizzle-orm';\nimport { z } from '../outbox/queue.ts';\n");
    file('actions/ticket.ts', "import { eq } from 'drizzle-orm';\nconst m = await import('../roles/web.ts');\n");
    file('actions/ticket.test.ts', "import { app } from '../main.ts';\n");
    file('stray/thing.ts', '');
    const { violations, unplaced } = findViolations(dir);
    expect(violations.map(key).sort()).toEqual([
      'actions/ticket.ts -> drizzle-orm',
      'actions/ticket.ts -> roles/web.ts',
      'channels/sms.ts -> web/page.ts',
      'domain/rule.ts -> web/page.ts',
      'store/tickets.ts -> outbox/queue.ts',
      'web/page.ts -> sqlite',
    ]);
    expect(unplaced).toEqual(['stray/thing.ts']);
  });
});
