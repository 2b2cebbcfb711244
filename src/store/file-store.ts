// Content-addressed files under DATA_DIR: attachments and the raw archive of every inbound message.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, createReadStream, type ReadStream } from 'node:fs';
import path from 'node:path';

export type FileKind = 'raw' | 'files';

export type FileStore = {
  /** Stores bytes under their SHA-256 and returns it; storing the same bytes twice is a no-op. */
  put(kind: FileKind, data: Buffer): string;
  read(kind: FileKind, sha256: string): Buffer;
  stream(kind: FileKind, sha256: string): ReadStream;
  has(kind: FileKind, sha256: string): boolean;
  pathOf(kind: FileKind, sha256: string): string;
};

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function createFileStore(dataDir: string): FileStore {
  const root = path.resolve(dataDir);
  const pathOf = (kind: FileKind, sha: string) => {
    if (!/^[0-9a-f]{64}$/.test(sha)) throw new Error(`not a sha256: ${sha}`);
    return path.join(root, kind, sha.slice(0, 2), sha.slice(2, 4), sha);
  };
  // directories known to exist: a recursive mkdir costs more than writing a small file
  const made = new Set<string>();
  // temporary names unique per process and write (another process has another pid)
  const tmpPrefix = `${process.pid}.${randomBytes(4).toString('hex')}`;
  let tmpCount = 0;
  const write = (file: string, data: Buffer) => {
    // write then rename: a crash never leaves a half-written file under the final name
    const tmp = `${file}.${tmpPrefix}.${++tmpCount}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  };
  return {
    pathOf,
    put(kind, data) {
      const sha = sha256Hex(data);
      const file = pathOf(kind, sha);
      if (existsSync(file)) return sha;
      const dir = path.dirname(file);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      try {
        write(file, data);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        // the directory went away under us (cleaned up by hand): make it again
        mkdirSync(dir, { recursive: true });
        write(file, data);
      }
      return sha;
    },
    read: (kind, sha) => readFileSync(pathOf(kind, sha)),
    stream: (kind, sha) => createReadStream(pathOf(kind, sha)),
    has: (kind, sha) => existsSync(pathOf(kind, sha)),
  };
}
