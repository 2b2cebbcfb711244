import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDirDurably, writeFileDurably } from './durable-file.ts';

describe('durable files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-durable-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates nested directories and writes the file whole under its final name, with no temporary file left', () => {
    const deep = path.join(dir, 'raw', 'ab');
    makeDirDurably(deep);
    makeDirDurably(deep); // again: nothing to do
    const data = Buffer.from('Subject: hello\r\n\r\nbody\r\n');
    writeFileDurably(path.join(deep, 'abc'), data, 'test');
    expect(readFileSync(path.join(deep, 'abc'))).toEqual(data);
    expect(readdirSync(deep)).toEqual(['abc']);
    // private to the desk's user and group: raw mail is personal data
    expect(statSync(path.join(deep, 'abc')).mode & 0o007).toBe(0);
  });

  it('replaces a file atomically and fails cleanly when the directory is missing', () => {
    writeFileDurably(path.join(dir, 'f'), Buffer.from('one'), 'a');
    writeFileDurably(path.join(dir, 'f'), Buffer.from('two'), 'b');
    expect(readFileSync(path.join(dir, 'f'), 'utf8')).toBe('two');
    expect(() => writeFileDurably(path.join(dir, 'missing', 'f'), Buffer.from('x'), 'c')).toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual(['f']);
  });
});
