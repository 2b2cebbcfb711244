// Our own corpus (fixtures/email/corpus/<kind>/cases.json): mail from projects outside the peers
// corpus, one case per rule the scorer taught us. Each case runs through the real parser, pipeline
// and apply (scripts/corpus/harness.ts) and every expectation must hold; `npm run score:corpus`
// shows the same cases as the own/<kind> rows.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type Harness } from '../scripts/corpus/harness.ts';
import { OWN_KINDS, ownSource } from '../scripts/corpus/sources.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe.each(OWN_KINDS.map((k) => [k]))('own corpus: %s', (kind) => {
  const source = ownSource(kind, ROOT);
  const items = source.items(source.dir!);
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness();
  });
  afterAll(() => h?.close());

  it('has cases, each naming where its mail comes from', () => {
    expect(items.length).toBeGreaterThan(0);
  });

  it.each(items.map((i) => [i.name, i]))('%s', async (_name, item) => {
    const run = await h.run(item.raw);
    expect(run.crash).toBeNull();
    const wrong = (item.checks?.(run) ?? []).filter((c) => !c.ok).map((c) => `${c.kind} ${c.what}: expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(c.actual)}`);
    expect(wrong).toEqual([]);
  });
});
