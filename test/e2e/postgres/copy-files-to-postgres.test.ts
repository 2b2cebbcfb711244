// The files of `helpdesk migrate-to-postgres`: what a SQLite desk keeps under DATA_DIR (both
// layouts), copied into a real PostgreSQL database's file store chunk by chunk, read back through
// the desk's own store byte for byte; a copy that goes on where an earlier one stopped; a damaged
// file refused; and the check that compares the two sides.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { migratePostgres, openPostgres, type PostgresDb } from '../../../src/db/postgres.ts';
import { checkFilesInPostgres, copyFilesToPostgres, tallyStoredFiles } from '../../../src/store/copy-files-to-postgres.ts';
import { createDatabaseFileStore } from '../../../src/store/database-file-store.ts';
import { createFileStore, listStoredFiles, sha256Hex, type FileKind } from '../../../src/store/file-store.ts';
import { startPostgres, type PostgresCluster } from '../../helpers/postgres.ts';

const CHUNK = 1000; // small chunks: files of several chunks without megabytes of test data

let cluster: PostgresCluster;
let dir: string;
let target: PostgresDb;
/** every file put under dir, by kind/sha256 */
let kept: Map<string, Buffer>;

beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);
afterAll(() => cluster?.stop());

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-copy-files-'));
  kept = new Map();
  const store = createFileStore(dir);
  const put = async (kind: FileKind, data: Buffer) => kept.set(`${kind}/${await store.put(kind, data)}`, data);
  for (let i = 0; i < 60; i++) await put(i % 3 ? 'files' : 'raw', randomBytes(i * 97)); // one empty file, sizes below and above a chunk
  await put('files', randomBytes(5 * CHUNK)); // exactly five chunks
  await put('raw', randomBytes(5 * CHUNK + 1));
  // a file where earlier versions kept it (<kind>/ab/cd/<sha256>), and what is not a file of the store
  const old = randomBytes(2500);
  const sha = sha256Hex(old);
  mkdirSync(path.join(dir, 'files', sha.slice(0, 2), sha.slice(2, 4)), { recursive: true });
  writeFileSync(path.join(dir, 'files', sha.slice(0, 2), sha.slice(2, 4), sha), old);
  kept.set(`files/${sha}`, old);
  writeFileSync(path.join(dir, 'files', sha.slice(0, 2), `${sha}.123.abcd.1.tmp`), 'left by a crash');
  writeFileSync(path.join(dir, 'secret.key'), 'not a stored file\n');
  target = openPostgres(cluster.url(await cluster.createDatabase()), { max: 2 });
  await migratePostgres(target);
});

afterEach(async () => {
  await target?.close();
  rmSync(dir, { recursive: true, force: true });
});

const bytesOf = (files: Iterable<Buffer>) => [...files].reduce((n, b) => n + b.length, 0);

it('lists every file of both layouts and nothing else', () => {
  const listed = [...listStoredFiles(dir)].flat();
  expect(listed.map((f) => `${f.kind}/${f.sha256}`).sort()).toEqual([...kept.keys()].sort());
  for (const f of listed) expect(f.size).toBe(kept.get(`${f.kind}/${f.sha256}`)!.length);
  expect(tallyStoredFiles(dir)).toEqual({ files: kept.size, bytes: bytesOf(kept.values()) });
});

it('copies every file in chunks, readable through the desk\'s store with the same bytes, and the check agrees', async () => {
  const seen: number[] = [];
  const r = await copyFilesToPostgres({ dataDir: dir, target, chunkBytes: CHUNK, batchFiles: 7, onProgress: (d) => seen.push(d.files) });
  expect(r.bad).toEqual([]);
  expect(r.copied).toEqual({ files: kept.size, bytes: bytesOf(kept.values()) });
  expect(r.skipped).toEqual({ files: 0, bytes: 0 });
  expect(seen).toEqual(Array.from({ length: kept.size }, (_, i) => i + 1));
  const store = createDatabaseFileStore(target); // no fallback: what it reads is in the database
  for (const [key, data] of kept) {
    const [kind, sha] = key.split('/') as [FileKind, string];
    expect((await store.read(kind, sha)).equals(data), key).toBe(true);
  }
  // chunks as the store cuts them: full ones, then the rest
  expect(await target.all("select seq, octet_length(data) as n from stored_file_chunks where kind = 'raw' and sha256 = ? order by seq", sha256Hex([...kept.values()].find((b) => b.length === 5 * CHUNK + 1)!)))
    .toEqual([0, 1, 2, 3, 4, 5].map((seq) => ({ seq, n: seq < 5 ? CHUNK : 1 })));
  const check = await checkFilesInPostgres({ dataDir: dir, target });
  expect(check).toEqual({ source: r.listed, found: r.listed, wrong: [], wrongCount: 0, extra: { files: 0, bytes: 0 } });
});

it('goes on where an earlier copy stopped: the files there are passed over, the others copied', async () => {
  // an earlier run that stored some of them (the desk's own store writes them as the copy does)
  const store = createDatabaseFileStore(target, { chunkBytes: CHUNK });
  const earlier = [...kept].filter((_e, i) => i % 2 === 0);
  for (const [key, data] of earlier) await store.put(key.split('/')[0] as FileKind, data);
  const before = await checkFilesInPostgres({ dataDir: dir, target });
  expect(before.found.files).toBe(earlier.length);
  expect(before.wrongCount).toBe(kept.size - earlier.length);
  expect(before.wrong[0]).toMatch(/^(raw|files)\/[0-9a-f]{64}: not in the database$/);

  const r = await copyFilesToPostgres({ dataDir: dir, target, chunkBytes: CHUNK });
  expect(r.skipped).toEqual({ files: earlier.length, bytes: bytesOf(earlier.map((e) => e[1])) });
  expect(r.copied.files).toBe(kept.size - earlier.length);
  expect(await target.value('select count(*) from stored_files')).toBe(kept.size);
  expect((await checkFilesInPostgres({ dataDir: dir, target })).wrongCount).toBe(0);
  // and a third run copies nothing
  expect((await copyFilesToPostgres({ dataDir: dir, target, chunkBytes: CHUNK })).copied.files).toBe(0);
});

it('refuses a file whose bytes do not match its name, small or in chunks, and keeps nothing of it', async () => {
  const listed = [...listStoredFiles(dir)].flat();
  const small = listed.find((f) => f.size > 10 && f.size < CHUNK)!;
  const large = listed.find((f) => f.size === 5 * CHUNK)!;
  for (const f of [small, large]) {
    const data = Buffer.from(kept.get(`${f.kind}/${f.sha256}`)!);
    data[data.length - 1] ^= 0xff; // one bit rotted, the size the same
    writeFileSync(f.path, data);
  }
  const r = await copyFilesToPostgres({ dataDir: dir, target, chunkBytes: CHUNK, batchFiles: 5 });
  expect(r.bad.map((b) => b.sha256).sort()).toEqual([small.sha256, large.sha256].sort());
  expect(r.bad[0].problem).toMatch(/its bytes have the SHA-256 [0-9a-f]{64}, not the one of its name/);
  expect(r.copied.files).toBe(kept.size - 2);
  expect(await target.value('select count(*) from stored_files where sha256 in (?, ?)', small.sha256, large.sha256)).toBe(0);
  expect(await target.value('select count(*) from stored_file_chunks where sha256 in (?, ?)', small.sha256, large.sha256)).toBe(0);
  const check = await checkFilesInPostgres({ dataDir: dir, target });
  expect(check.wrongCount).toBe(2);
  expect(check.found.files).toBe(kept.size - 2);
});

it('tells the files in the database that are not under DATA_DIR apart, and a file whose chunks are short', async () => {
  await copyFilesToPostgres({ dataDir: dir, target, chunkBytes: CHUNK });
  await createDatabaseFileStore(target).put('files', Buffer.from('from another desk'));
  const large = [...listStoredFiles(dir)].flat().find((f) => f.size === 5 * CHUNK)!;
  await target.run('delete from stored_file_chunks where kind = ? and sha256 = ? and seq = 3', large.kind, large.sha256);
  const check = await checkFilesInPostgres({ dataDir: dir, target });
  expect(check.extra).toEqual({ files: 1, bytes: 'from another desk'.length });
  expect(check.wrong).toEqual([`files/${large.sha256}: ${5 * CHUNK} bytes under DATA_DIR, ${5 * CHUNK} in the database, ${4 * CHUNK} in its chunks`]);
});
