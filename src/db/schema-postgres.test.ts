// The PostgreSQL schema is made from SQLite's table by table; these tests keep both, and each
// engine's migrations, in step.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getTableConfig as pgConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as liteConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { is } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as lite from './schema.ts';
import * as pg from './schema-postgres.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const liteTables = (Object.values(lite) as unknown[]).filter((t): t is SQLiteTable => is(t, SQLiteTable));
const pgTables = (Object.values(pg) as unknown[]).filter((t): t is PgTable => is(t, PgTable));

describe('the PostgreSQL schema', () => {
  it('has every SQLite table, with the same columns, nullability, keys and indexes', () => {
    const shape = (cfg: ReturnType<typeof liteConfig> | ReturnType<typeof pgConfig>) => ({
      name: cfg.name,
      columns: cfg.columns.map((c) => `${c.name}${c.notNull ? ' not null' : ''}${c.primary ? ' key' : ''}${c.generated ? ' generated' : ''}`).sort(),
      keys: cfg.primaryKeys.map((k) => k.columns.map((c) => c.name).join(',')).sort(),
      indexes: cfg.indexes.map((i) => `${i.config.name}${i.config.unique ? ' unique' : ''}`).sort(),
      references: cfg.foreignKeys.map((f) => f.reference().columns.map((c) => c.name).join(',')).sort(),
    });
    const fromLite = liteTables.map((t) => shape(liteConfig(t))).sort((a, b) => a.name.localeCompare(b.name));
    const fromPg = pgTables.map((t) => shape(pgConfig(t))).sort((a, b) => a.name.localeCompare(b.name));
    expect(fromPg.map((t) => t.name)).toEqual(fromLite.map((t) => t.name));
    expect(fromPg).toEqual(fromLite);
  });

  // drizzle-kit generate against a copy of each engine's migrations: nothing left to generate
  it.each([
    ['sqlite', './src/db/schema.ts'],
    ['postgresql', './src/db/schema-postgres.ts'],
  ])('has migrations in step with the %s schema', (dialect, schema) => {
    const folder = dialect === 'sqlite' ? 'sqlite' : 'postgres';
    const tmp = mkdtempSync(path.join(tmpdir(), 'helpdesk-schema-'));
    const config = path.join(ROOT, `.drizzle-check-${folder}-${process.pid}.config.ts`);
    try {
      cpSync(path.join(ROOT, 'migrations', folder), path.join(tmp, folder), { recursive: true });
      const out = path.relative(ROOT, path.join(tmp, folder));
      writeFileSync(config, `export default { dialect: '${dialect}', schema: '${schema}', out: '${out}' };\n`);
      const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/drizzle-kit/bin.cjs'), 'generate', '--config', config], { cwd: ROOT, encoding: 'utf8' });
      expect(`${r.stdout}${r.stderr}`).toContain('No schema changes');
    } finally {
      rmSync(config, { force: true });
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});
