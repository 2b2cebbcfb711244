// `helpdesk migrate-to-postgres` stopped the hard way — the process killed (SIGKILL) while it copies
// the files, and again while it copies the tables — then run once more: it goes on with the files
// not copied yet, copies the tables, and every count agrees; a run after that finds the copy done.
// The desk is a real SQLite desk (the demo) with thousands of files under its DATA_DIR, named by
// --from and --data-dir rather than the environment.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getTableConfig } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb } from '../../../src/db/client.ts';
import { ROW_TABLES } from '../../../src/db/copy-plan.ts';
import { openDatabase } from '../../../src/db/open.ts';
import { openPostgres, type PostgresDb } from '../../../src/db/postgres.ts';
import { CHUNK_BYTES, createDatabaseFileStore } from '../../../src/store/database-file-store.ts';
import { createFileStore, listStoredFiles } from '../../../src/store/file-store.ts';
import { startPostgres, type PostgresCluster } from '../../helpers/postgres.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const cli = ['--import', import.meta.resolve('tsx'), path.join(root, 'src/cli.ts')];
const FILES = 3000;

let cluster: PostgresCluster;
let dir: string;
let elsewhere: string;
let sqliteFile: string;
let target: string;
let pg: PostgresDb;

// the environment names another desk: the command copies the one --from and --data-dir name
const env = () => ({ ...process.env, DATABASE_URL: `file:${path.join(elsewhere, 'other.sqlite')}`, DATA_DIR: elsewhere, LOG_LEVEL: 'warn', NODE_ENV: 'test', SESSION_SECRET: 's'.repeat(40) });
const args = () => ['migrate-to-postgres', '--from', `file:${sqliteFile}`, '--data-dir', dir, '--to', target];

/** The command, running; killed with SIGKILL as soon as `when` holds (checked every few ms). */
async function killWhen(when: (stderr: string) => Promise<boolean> | boolean): Promise<{ stderr: string; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, [...cli, ...args()], { cwd: dir, env: env(), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    if (await when(stderr)) {
      child.kill('SIGKILL');
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return { stderr, signal: await exited };
}

const runToEnd = (to = target) => {
  const r = spawnSync(process.execPath, [...cli, ...args().slice(0, -1), to], { cwd: dir, env: env(), encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('helpdesk migrate-to-postgres, interrupted', () => {
  beforeAll(async () => {
    cluster = await startPostgres();
    dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-resume-'));
    elsewhere = mkdtempSync(path.join(tmpdir(), 'helpdesk-resume-other-'));
    sqliteFile = path.join(dir, 'helpdesk.sqlite');
    const demo = spawnSync(process.execPath, [...cli, 'demo', '--tickets', '300'], {
      cwd: dir, env: { ...env(), DATABASE_URL: `file:${sqliteFile}`, DATA_DIR: dir }, encoding: 'utf8', timeout: 120_000,
    });
    expect(demo.status, demo.stderr).toBe(0);
    // thousands of files (attachments the desk kept), a few of several chunks
    const store = createFileStore(dir);
    for (let i = 0; i < FILES; i++) await store.put('files', randomBytes(1000 + ((i * 7919) % 30_000)));
    for (let i = 0; i < 4; i++) await store.put('raw', randomBytes(3 * CHUNK_BYTES - i));
    target = cluster.url(await cluster.createDatabase('desk'));
    pg = openPostgres(target, { max: 2 });
  }, 240_000);
  afterAll(async () => {
    await pg?.close();
    cluster?.stop();
    for (const d of [dir, elsewhere]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('killed while copying files and again while copying tables, it finishes on the next run with every count agreeing', async () => {
    const files = [...listStoredFiles(dir)].flat();
    const bytes = files.reduce((n, f) => n + f.size, 0);
    expect(files.length).toBeGreaterThan(FILES);
    const storedFiles = async () => Number(await pg.value('select count(*) from stored_files').catch(() => 0));

    // 1. killed once some batches of files are committed
    const first = await killWhen(async () => (await storedFiles()) > 0);
    expect(first.signal).toBe('SIGKILL');
    const afterFirst = await storedFiles();
    expect(afterFirst).toBeGreaterThan(0);
    expect(afterFirst).toBeLessThan(files.length);
    expect(first.stderr).toMatch(/^files: 0%, 0 of [\d,]+ files/);
    expect(await pg.value('select count(*) from tickets')).toBe(0);

    // 2. killed while the tables are copied (their transaction under way): the files are all there, no row is
    const second = await killWhen((stderr) => /\nrows: 0%/.test(stderr));
    expect(second.signal).toBe('SIGKILL');
    expect(second.stderr).toMatch(/\nfiles: done, /);
    expect(await storedFiles()).toBe(files.length);
    expect(await pg.value('select count(*) from tickets')).toBe(0);
    expect(await pg.value('select count(*) from messages')).toBe(0);

    // 3. run to the end: the files are passed over, the tables copied, the counts agree
    const third = runToEnd();
    expect(third.code, third.err).toBe(0);
    const n = files.length.toLocaleString('en');
    expect(third.out).toMatch(new RegExp(`files: ${n} \\([\\d.]+ MiB\\) under DATA_DIR, ${n} \\([\\d.]+ MiB\\) of them in the database; 0 \\(0 B\\) copied now, ${n} \\([\\d.]+ MiB\\) by an earlier run`));
    expect(third.out).toMatch(/Done: every table has as many rows as in SQLite/);
    const source = await openDatabase({ engine: 'sqlite', file: sqliteFile });
    try {
      for (const t of ROW_TABLES) {
        const name = getTableConfig(t).name;
        expect(await pg.value(`select count(*) from "${name}"`), name).toBe(await source.value(`select count(*) from "${name}"`));
      }
      expect(await pg.value('select max(number) from tickets')).toBe(await source.value('select max(number) from tickets'));
    } finally {
      await closeDb(source);
    }
    expect(await pg.get('select count(*) as files, sum(size) as bytes from stored_files')).toEqual({ files: files.length, bytes });
    const store = createDatabaseFileStore(pg);
    for (const f of files.filter((g, i) => i % 10 === 0 || g.kind === 'raw')) expect((await store.read(f.kind, f.sha256)).equals(readFileSync(f.path)), f.path).toBe(true);
    // the id sequences go on after the copied ids
    expect(await pg.value("select nextval(pg_get_serial_sequence('tickets', 'id'))")).toBe(Number(await pg.value('select max(id) from tickets')) + 1);

    // 4. once more: nothing to copy, the checks agree again
    const fourth = runToEnd();
    expect(fourth.code, fourth.err).toBe(0);
    expect(fourth.out).toMatch(/The tables are in .* already \(an earlier run copied them/);
    expect(fourth.out).toMatch(/Done: /);
  }, 240_000);

  it('stops before the tables at a file whose bytes do not match its name, naming it; once it is put right, the copy goes through', async () => {
    const damaged = [...listStoredFiles(dir)].flat().find((f) => f.kind === 'files')!;
    const good = readFileSync(damaged.path);
    writeFileSync(damaged.path, Buffer.concat([good.subarray(1), Buffer.from('x')]));
    const other = cluster.url(await cluster.createDatabase('damaged'));
    const db = openPostgres(other, { max: 1 });
    try {
      const r = runToEnd(other);
      expect(r.code).toBe(65);
      expect(r.err).toContain(`1 file under ${dir} could not be copied:\n  ${damaged.path}: its bytes have the SHA-256`);
      expect(r.err).toMatch(/Put the right file back from a backup, or move it out of DATA_DIR/);
      expect(await db.value('select count(*) from tickets')).toBe(0);
      expect(await db.value('select count(*) from stored_files where sha256 = ?', damaged.sha256)).toBe(0);
      writeFileSync(damaged.path, good);
      const again = runToEnd(other);
      expect(again.code, again.err).toBe(0);
      expect(again.out).toMatch(/; 1 \([\d.]+ KiB\) copied now, [\d,]+ \([\d.]+ MiB\) by an earlier run/);
    } finally {
      await db.close();
    }
  }, 120_000);
});
