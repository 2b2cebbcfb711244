import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestDeps, TEST_ENGINE } from '../../test/helpers/deps.ts';
import { createFileStore, isMissingFile, sha256Hex } from './file-store.ts';
import { openFileStore } from './open-file-store.ts';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-files-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Writes a file where the two-level layout of earlier versions put it. */
function storeTheOldWay(dir: string, kind: 'raw' | 'files', data: Buffer): string {
  const sha = sha256Hex(data);
  const at = path.join(dir, kind, sha.slice(0, 2), sha.slice(2, 4));
  mkdirSync(at, { recursive: true });
  writeFileSync(path.join(at, sha), data);
  return sha;
}

async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Files in dir and below, as paths relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describe('file store under DATA_DIR', () => {
  it('stores bytes under their sha256 in one directory level, and reads them back', async () => {
    const dir = dataDir();
    const files = createFileStore(dir);
    const data = Buffer.from('Subject: hello\r\n\r\nbody\r\n');
    const sha = await files.put('raw', data);
    expect(sha).toBe(sha256Hex(data));
    expect(readFileSync(path.join(dir, 'raw', sha.slice(0, 2), sha))).toEqual(data);
    expect(await files.has('raw', sha)).toBe(true);
    expect(await files.has('files', sha)).toBe(false);
    expect(await files.read('raw', sha)).toEqual(data);
    expect(await drain(await files.stream('raw', sha))).toEqual(data);
    // no temporary file is left behind; a second put of the same bytes writes nothing new
    expect(await files.put('raw', data)).toBe(sha);
    expect(readdirSync(path.join(dir, 'raw', sha.slice(0, 2)))).toEqual([sha]);
  });

  it('still finds files stored in the two-level layout of earlier versions, and does not store them twice', async () => {
    const dir = dataDir();
    const oldRaw = Buffer.from('an old mail');
    const oldFile = Buffer.from('an old attachment');
    const rawSha = storeTheOldWay(dir, 'raw', oldRaw);
    const fileSha = storeTheOldWay(dir, 'files', oldFile);

    const files = createFileStore(dir);
    expect(await files.has('raw', rawSha)).toBe(true);
    expect(await files.read('raw', rawSha)).toEqual(oldRaw);
    expect(await files.read('files', fileSha)).toEqual(oldFile);
    expect(await drain(await files.stream('files', fileSha))).toEqual(oldFile);

    // the same bytes again: found in the old place, not written a second time
    expect(await files.put('files', oldFile)).toBe(fileSha);
    expect(existsSync(path.join(dir, 'files', fileSha.slice(0, 2), fileSha))).toBe(false);
    // new bytes go to the current layout, beside the old ones
    const fresh = Buffer.from('a new attachment');
    const freshSha = await files.put('files', fresh);
    expect(readFileSync(path.join(dir, 'files', freshSha.slice(0, 2), freshSha))).toEqual(fresh);
    expect(await files.read('files', freshSha)).toEqual(fresh);

    // a later process over the same directory finds both
    const again = createFileStore(dir);
    expect(await again.read('files', fileSha)).toEqual(oldFile);
    expect(await again.read('files', freshSha)).toEqual(fresh);
  });

  it('reports a missing file as missing, from read and from stream before any byte', async () => {
    const files = createFileStore(dataDir());
    const sha = sha256Hex('never stored');
    expect(await files.has('raw', sha)).toBe(false);
    const read = await files.read('raw', sha).catch((e: unknown) => e);
    expect(isMissingFile(read)).toBe(true);
    expect(String(read)).toMatch(/ENOENT/);
    expect(isMissingFile(await files.stream('raw', sha).catch((e: unknown) => e))).toBe(true);
    await expect(files.read('raw', '../etc/passwd')).rejects.toThrow(/not a sha256/);
    await expect(files.has('raw', '../etc/passwd')).rejects.toThrow(/not a sha256/);
  });

  it('only reads, read-only: finds the files, writes nothing (not even the layout marker), refuses a put', async () => {
    const dir = dataDir();
    const data = Buffer.from('kept before');
    const sha = await createFileStore(dir).put('files', data);
    const before = filesUnder(dir);
    const reader = createFileStore(dir, { readOnly: true });
    expect(await reader.read('files', sha)).toEqual(data);
    expect(await reader.has('raw', sha256Hex('not there'))).toBe(false);
    await expect(reader.put('raw', Buffer.from('new'))).rejects.toThrow(/only read/);
    expect(filesUnder(dir)).toEqual(before);
    const empty = dataDir();
    expect(await createFileStore(empty, { readOnly: true }).has('files', sha)).toBe(false);
    expect(readdirSync(empty)).toEqual([]);
  });

  it('writes the file again when its directory was removed by hand', async () => {
    const dir = dataDir();
    const files = createFileStore(dir);
    const first = await files.put('files', Buffer.from('one'));
    rmSync(path.join(dir, 'files', first.slice(0, 2)), { recursive: true });
    expect(await files.put('files', Buffer.from('one'))).toBe(first);
    expect(await files.read('files', first)).toEqual(Buffer.from('one'));
  });
});

describe("the desk's file store", () => {
  it(`keeps files where the engine says (${TEST_ENGINE}): under DATA_DIR on SQLite, in the database on PostgreSQL`, async () => {
    const deps = await makeTestDeps();
    try {
      const data = Buffer.from('Subject: where am I\r\n\r\nkept\r\n');
      const sha = await deps.files.put('raw', data);
      expect(await deps.files.read('raw', sha)).toEqual(data);
      const rows = Number(await deps.db.value('select count(*) from stored_files'));
      if (deps.db.engine === 'sqlite') {
        expect(filesUnder(path.join(deps.dataDir, 'raw'))).toContain(path.join(sha.slice(0, 2), sha));
        expect(rows).toBe(0);
      } else {
        // nothing under DATA_DIR, also after looking there for a file the database lacks
        expect(await deps.files.has('files', sha256Hex('in neither place'))).toBe(false);
        expect(filesUnder(deps.dataDir)).toEqual([]);
        expect(rows).toBe(1);
      }
      // the store a desk process opens over the same database and DATA_DIR finds it
      expect(await openFileStore(deps.db, deps.dataDir).read('raw', sha)).toEqual(data);
    } finally {
      deps.close();
    }
  });
});
