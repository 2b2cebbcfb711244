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
  return {
    pathOf,
    put(kind, data) {
      const sha = sha256Hex(data);
      const file = pathOf(kind, sha);
      if (existsSync(file)) return sha;
      mkdirSync(path.dirname(file), { recursive: true });
      // write then rename: a crash never leaves a half-written file under the final name
      const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      writeFileSync(tmp, data);
      renameSync(tmp, file);
      return sha;
    },
    read: (kind, sha) => readFileSync(pathOf(kind, sha)),
    stream: (kind, sha) => createReadStream(pathOf(kind, sha)),
    has: (kind, sha) => existsSync(pathOf(kind, sha)),
  };
}
