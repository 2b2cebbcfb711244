import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileStore, sha256Hex } from './file-store.ts';

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

describe('file store', () => {
  it('stores bytes under their sha256 in one directory level, and reads them back', async () => {
    const dir = dataDir();
    const files = createFileStore(dir);
    const data = Buffer.from('Subject: hello\r\n\r\nbody\r\n');
    const sha = files.put('raw', data);
    expect(sha).toBe(sha256Hex(data));
    expect(readFileSync(path.join(dir, 'raw', sha.slice(0, 2), sha))).toEqual(data);
    expect(files.pathOf('raw', sha)).toBe(path.join(dir, 'raw', sha.slice(0, 2), sha));
    expect(files.has('raw', sha)).toBe(true);
    expect(files.has('files', sha)).toBe(false);
    expect(files.read('raw', sha)).toEqual(data);
    const chunks: Buffer[] = [];
    for await (const c of files.stream('raw', sha)) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks)).toEqual(data);
    // no temporary file is left behind; a second put of the same bytes writes nothing new
    expect(files.put('raw', data)).toBe(sha);
    expect(readdirSync(path.join(dir, 'raw', sha.slice(0, 2)))).toEqual([sha]);
  });

  it('still finds files stored in the two-level layout of earlier versions, and does not store them twice', async () => {
    const dir = dataDir();
    const oldRaw = Buffer.from('an old mail');
    const oldFile = Buffer.from('an old attachment');
    const rawSha = storeTheOldWay(dir, 'raw', oldRaw);
    const fileSha = storeTheOldWay(dir, 'files', oldFile);

    const files = createFileStore(dir);
    expect(files.has('raw', rawSha)).toBe(true);
    expect(files.read('raw', rawSha)).toEqual(oldRaw);
    expect(files.read('files', fileSha)).toEqual(oldFile);
    const chunks: Buffer[] = [];
    for await (const c of files.stream('files', fileSha)) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks)).toEqual(oldFile);
    expect(files.pathOf('raw', rawSha)).toBe(path.join(dir, 'raw', rawSha.slice(0, 2), rawSha.slice(2, 4), rawSha));

    // the same bytes again: found in the old place, not written a second time
    expect(files.put('files', oldFile)).toBe(fileSha);
    expect(existsSync(path.join(dir, 'files', fileSha.slice(0, 2), fileSha))).toBe(false);
    // new bytes go to the current layout, beside the old ones
    const fresh = Buffer.from('a new attachment');
    const freshSha = files.put('files', fresh);
    expect(readFileSync(path.join(dir, 'files', freshSha.slice(0, 2), freshSha))).toEqual(fresh);
    expect(files.read('files', freshSha)).toEqual(fresh);

    // a later process over the same directory finds both
    const again = createFileStore(dir);
    expect(again.read('files', fileSha)).toEqual(oldFile);
    expect(again.read('files', freshSha)).toEqual(fresh);
  });

  it('reports a missing file as missing', () => {
    const files = createFileStore(dataDir());
    const sha = sha256Hex('never stored');
    expect(files.has('raw', sha)).toBe(false);
    expect(() => files.read('raw', sha)).toThrow(/ENOENT/);
    expect(() => files.read('raw', '../etc/passwd')).toThrow(/not a sha256/);
  });

  it('writes the file again when its directory was removed by hand', () => {
    const dir = dataDir();
    const files = createFileStore(dir);
    const first = files.put('files', Buffer.from('one'));
    rmSync(path.join(dir, 'files', first.slice(0, 2)), { recursive: true });
    expect(files.put('files', Buffer.from('one'))).toBe(first);
    expect(files.read('files', first)).toEqual(Buffer.from('one'));
  });
});
