// Every environment variable the desk reads is documented twice: in the README's configuration
// table and in .env.example. Neither may name a variable the desk does not read.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_NAMES } from '../src/config.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** The rows of the table under "## Configuration", up to the next heading. */
function readmeTableNames(): Set<string> {
  const section = read('README.md').split(/^## Configuration$/m)[1].split(/^#{1,6} /m)[0];
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  return new Set(rows.flatMap((row) => [...row.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1])));
}

/** NAME=… lines of .env.example, commented out or not. */
function envExampleNames(): Set<string> {
  return new Set([...read('.env.example').matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
}

describe('environment variables in the docs', () => {
  it('reads the variables from the config schema', () => {
    expect(ENV_NAMES).toContain('DATABASE_URL');
    expect(ENV_NAMES).toContain('PUBLIC_URL');
  });

  it('the README configuration table names every variable, and only those', () => {
    const names = readmeTableNames();
    expect(ENV_NAMES.filter((n) => !names.has(n))).toEqual([]);
    expect([...names].filter((n) => !ENV_NAMES.includes(n))).toEqual([]);
  });

  it('.env.example names every variable, and only those', () => {
    const names = envExampleNames();
    expect(ENV_NAMES.filter((n) => !names.has(n))).toEqual([]);
    expect([...names].filter((n) => !ENV_NAMES.includes(n))).toEqual([]);
  });
});
