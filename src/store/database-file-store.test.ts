// The file store in the database, on TEST_ENGINE's database (the desk uses it on PostgreSQL; its
// SQL is the same on SQLite, where it is tested too).
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseUrlOf, makeTestDeps, TEST_ENGINE, type TestDeps } from '../../test/helpers/deps.ts';
import { openPostgres } from '../db/postgres.ts';
import { CHUNK_BYTES, createDatabaseFileStore } from './database-file-store.ts';
import { createFileStore, isMissingFile, sha256Hex } from './file-store.ts';

let deps: TestDeps;
beforeEach(async () => {
  deps = await makeTestDeps();
});
afterEach(() => deps.close());

async function pieces(stream: Readable): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const c of stream) out.push(c as Buffer);
  return out;
}

const count = async (table: string, sha: string) => Number(await deps.db.value(`select count(*) from ${table} where sha256 = ?`, sha));

describe('file store in the database', () => {
  it('stores the same bytes once, however often and however many at a time put them', async () => {
    const files = createDatabaseFileStore(deps.db);
    const data = randomBytes(CHUNK_BYTES * 2 + 1234);
    const sha = sha256Hex(data);
    // on PostgreSQL these run at once on connections of their own
    expect(await Promise.all([files.put('files', data), files.put('files', data), files.put('files', data)])).toEqual([sha, sha, sha]);
    expect(await files.put('files', data)).toBe(sha);
    expect(await count('stored_files', sha)).toBe(1);
    expect(await count('stored_file_chunks', sha)).toBe(3);
    expect(await deps.db.get('select size, chunks from stored_files where sha256 = ?', sha)).toEqual({ size: data.length, chunks: 3 });
    // the same bytes as the other kind are another file
    await files.put('raw', data);
    expect(await count('stored_files', sha)).toBe(2);
  });

  it('reads, finds and streams a large file back whole, the stream one chunk at a time', async () => {
    const files = createDatabaseFileStore(deps.db);
    const data = randomBytes(5 * CHUNK_BYTES + 77);
    const sha = await files.put('raw', data);
    expect(await files.has('raw', sha)).toBe(true);
    expect(await files.has('files', sha)).toBe(false);
    expect((await files.read('raw', sha)).equals(data)).toBe(true);
    const parts = await pieces(await files.stream('raw', sha));
    expect(Buffer.concat(parts).equals(data)).toBe(true);
    expect(parts.length).toBeGreaterThanOrEqual(6);
    expect(Math.max(...parts.map((p) => p.length))).toBeLessThanOrEqual(CHUNK_BYTES);
  });

  it('keeps an empty file and files on chunk boundaries', async () => {
    const files = createDatabaseFileStore(deps.db, { chunkBytes: 4 });
    for (const data of [Buffer.alloc(0), Buffer.from('abcd'), Buffer.from('abcdefgh'), Buffer.from('abcdefghi')]) {
      const sha = await files.put('files', data);
      expect(await files.has('files', sha)).toBe(true);
      expect(await files.read('files', sha)).toEqual(data);
      expect(Buffer.concat(await pieces(await files.stream('files', sha)))).toEqual(data);
      expect(await count('stored_file_chunks', sha)).toBe(Math.ceil(data.length / 4));
    }
  });

  it('reports a missing file as missing, from read and from stream before any byte', async () => {
    const files = createDatabaseFileStore(deps.db);
    const sha = sha256Hex('never stored');
    expect(await files.has('raw', sha)).toBe(false);
    const read = await files.read('raw', sha).catch((e: unknown) => e);
    expect(isMissingFile(read)).toBe(true);
    expect(String(read)).toMatch(/ENOENT/);
    expect(isMissingFile(await files.stream('raw', sha).catch((e: unknown) => e))).toBe(true);
    await expect(files.read('raw', "x' or 1=1 --")).rejects.toThrow(/not a sha256/);
    await expect(files.has('raw', '../etc/passwd')).rejects.toThrow(/not a sha256/);
  });

  it('finds under DATA_DIR what a desk kept there before it moved to the database, and stores it in the database when put again', async () => {
    const disk = createFileStore(deps.dataDir);
    const old = Buffer.from('Subject: kept on disk by the SQLite desk\r\n\r\nhello\r\n');
    const sha = await disk.put('raw', old);
    const files = createDatabaseFileStore(deps.db, { fallback: disk });
    expect(await files.has('raw', sha)).toBe(true);
    expect(await files.read('raw', sha)).toEqual(old);
    expect(Buffer.concat(await pieces(await files.stream('raw', sha)))).toEqual(old);
    expect(await count('stored_files', sha)).toBe(0);
    // a missing file is missing in both places
    expect(isMissingFile(await files.read('raw', sha256Hex('nowhere')).catch((e: unknown) => e))).toBe(true);
    // intake archiving the same mail again puts it where every process finds it
    expect(await files.put('raw', old)).toBe(sha);
    expect(await count('stored_files', sha)).toBe(1);
    expect(await createDatabaseFileStore(deps.db).read('raw', sha)).toEqual(old);
  });

  it.runIf(TEST_ENGINE === 'postgres')('gives another process on the same database the file as soon as put returns', async () => {
    const other = openPostgres(databaseUrlOf(deps.config), { max: 2 });
    try {
      const files = createDatabaseFileStore(deps.db);
      const seen = createDatabaseFileStore(other);
      const data = Buffer.from('seen by another process at once');
      const sha = await files.put('files', data);
      expect(await seen.read('files', sha)).toEqual(data);
    } finally {
      await other.close();
    }
  });
});
