import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createLocaleStrings } from './locale-strings.ts';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeStrings(greeting: string) {
  mkdirSync(path.join(dir, 'en'), { recursive: true });
  writeFileSync(path.join(dir, 'en', 'workflow.json'), JSON.stringify({ workflow: { greeting } }));
}

it('keeps what a desk read for that desk alone: a desk built later reads the files afresh', () => {
  dir = mkdtempSync(path.join(tmpdir(), 'locale-strings-'));
  writeStrings('Hello');
  const first = createLocaleStrings(dir);
  expect(first.tree('en')).toEqual({ workflow: { greeting: 'Hello' } });

  writeStrings('Good day');
  expect(first.tree('en')).toEqual({ workflow: { greeting: 'Hello' } }); // read once per desk
  const second = createLocaleStrings(dir);
  expect(second.tree('en')).toEqual({ workflow: { greeting: 'Good day' } });
  expect(first.tree('en')).toEqual({ workflow: { greeting: 'Hello' } });
});
