// The file store: attachments and the raw archive of every inbound message, content-addressed by
// SHA-256. A SQLite desk keeps them under DATA_DIR (createFileStore); a desk on PostgreSQL keeps
// them in the database, so that every desk process reaches them, and still finds under DATA_DIR
// what an earlier SQLite desk stored there (open-file-store.ts, database-file-store.ts).
//
// DATA_DIR layout: <kind>/<first two hex digits>/<sha256>, 256 directories per kind. Stores written
// before kept a second level (<kind>/ab/cd/<sha256>), which cost a new directory for nearly every
// file until 65,536 of them existed; files stored that way are still found where they are.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, type Dirent } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { makeDirDurably, writeFileDurably } from './durable-file.ts';

export type FileKind = 'raw' | 'files';

export type FileStore = {
  /**
   * Stores bytes under their SHA-256 and returns it; storing the same bytes twice is a no-op. The
   * file is durable when the promise settles, whatever transaction the caller is in or starts next.
   */
  put(kind: FileKind, data: Buffer): Promise<string>;
  /** The whole file; a file that is not stored is an error with code ENOENT (isMissingFile). */
  read(kind: FileKind, sha256: string): Promise<Buffer>;
  /** The file as a stream of its bytes, found before the promise settles (ENOENT as read). */
  stream(kind: FileKind, sha256: string): Promise<Readable>;
  has(kind: FileKind, sha256: string): Promise<boolean>;
};

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Whether err says that a file is not in the store. */
export function isMissingFile(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

const SHA256 = /^[0-9a-f]{64}$/;
const TWO_HEX = /^[0-9a-f]{2}$/;
const LAYOUT_MARKER = '.layout-v2';

export function checkSha256(sha: string): void {
  if (!SHA256.test(sha)) throw new Error(`not a sha256: ${sha}`);
}

/**
 * Files under dataDir. The file system calls are synchronous, as before the store's API became
 * asynchronous: a put is a few small writes and fsyncs, cheaper than a trip through the thread pool.
 * `readOnly`: files are only looked for (a PostgreSQL desk's DATA_DIR), nothing is written there.
 */
export function createFileStore(dataDir: string, opts: { readOnly?: boolean } = {}): FileStore {
  const root = path.resolve(dataDir);
  const check = checkSha256;
  const currentPath = (kind: FileKind, sha: string) => path.join(root, kind, sha.slice(0, 2), sha);
  const legacyPath = (kind: FileKind, sha: string) => path.join(root, kind, sha.slice(0, 2), sha.slice(2, 4), sha);
  // whether a kind's directory may hold files of the two-level layout, decided once per kind: a
  // store that never had one skips the second look-up for every new file
  const legacy = new Map<FileKind, boolean>();
  const hasLegacy = (kind: FileKind) => {
    let known = legacy.get(kind);
    if (known === undefined) legacy.set(kind, (known = holdsLegacyLayout(path.join(root, kind), !opts.readOnly)));
    return known;
  };
  const locate = (kind: FileKind, sha: string) => {
    check(sha);
    const file = currentPath(kind, sha);
    if (!hasLegacy(kind) || existsSync(file)) return file;
    const old = legacyPath(kind, sha);
    return existsSync(old) ? old : file;
  };
  // directories known to exist: a recursive mkdir costs more than writing a small file
  const made = new Set<string>();
  // temporary names unique per process and write (another process has another pid)
  const tmpPrefix = `${process.pid}.${randomBytes(4).toString('hex')}`;
  let tmpCount = 0;
  const write = (file: string, data: Buffer) => writeFileDurably(file, data, `${tmpPrefix}.${++tmpCount}`);
  return {
    async put(kind, data) {
      if (opts.readOnly) throw new Error(`the files under ${root} are only read`);
      const sha = sha256Hex(data);
      const file = currentPath(kind, sha);
      if (existsSync(file) || (hasLegacy(kind) && existsSync(legacyPath(kind, sha)))) return sha;
      const dir = path.dirname(file);
      if (!made.has(dir)) {
        makeDirDurably(dir);
        made.add(dir);
      }
      try {
        write(file, data);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        // the directory went away under us (cleaned up by hand): make it again
        makeDirDurably(dir);
        write(file, data);
      }
      return sha;
    },
    read: async (kind, sha) => readFileSync(locate(kind, sha)),
    // opened here, so that a missing file fails the call rather than the stream (which closes it)
    stream: async (kind, sha) => (await open(locate(kind, sha), 'r')).createReadStream(),
    has: async (kind, sha) => existsSync(locate(kind, sha)),
  };
}

/**
 * Whether <kind>/ab/ holds a two-hex-digit directory anywhere (the current layout puts only files
 * there). Looked for once per store: when none is found a marker file says so (`mark`), so a large
 * store is not listed again at every start.
 */
function holdsLegacyLayout(kindDir: string, mark: boolean): boolean {
  const marker = path.join(kindDir, LAYOUT_MARKER);
  if (existsSync(marker)) return false;
  let fanOut: string[] = [];
  try {
    fanOut = readdirSync(kindDir).filter((n) => TWO_HEX.test(n));
  } catch {
    // nothing stored yet
  }
  for (const ab of fanOut) {
    try {
      if (readdirSync(path.join(kindDir, ab), { withFileTypes: true }).some((e) => e.isDirectory() && TWO_HEX.test(e.name))) return true;
    } catch {
      // a file, or a directory that went away: not the old layout
    }
  }
  if (!mark) return false; // a store only read from is left as it is
  try {
    mkdirSync(kindDir, { recursive: true });
    writeFileSync(marker, 'one directory level\n');
  } catch {
    // a read-only store is still readable; it is listed again next time
  }
  return false;
}

/** A file found under DATA_DIR by listStoredFiles. */
export type ListedFile = { kind: FileKind; sha256: string; path: string; size: number };

/**
 * The files kept under dataDir, one fan-out directory (<kind>/ab/) at a time, in the order of their
 * names, in both layouts; anything whose name is not a SHA-256 (a temporary file a crash left, the
 * layout marker) is passed over. A directory at a time: a store of a million files is never listed
 * whole in memory.
 */
export function* listStoredFiles(dataDir: string, kinds: readonly FileKind[] = ['raw', 'files']): Generator<ListedFile[]> {
  const root = path.resolve(dataDir);
  for (const kind of kinds) {
    const kindDir = path.join(root, kind);
    for (const ab of sortedEntries(kindDir).filter((e) => e.isDirectory() && TWO_HEX.test(e.name))) {
      const found: ListedFile[] = [];
      const take = (dir: string, prefix: string) => {
        for (const e of sortedEntries(dir)) {
          const file = path.join(dir, e.name);
          if (e.isFile() && SHA256.test(e.name) && e.name.startsWith(prefix)) found.push({ kind, sha256: e.name, path: file, size: statSync(file).size });
          // the two-level layout of earlier versions: <kind>/ab/cd/<sha256>
          else if (e.isDirectory() && TWO_HEX.test(e.name) && prefix.length === 2) take(file, prefix + e.name);
        }
      };
      take(path.join(kindDir, ab.name), ab.name);
      found.sort((x, y) => (x.sha256 < y.sha256 ? -1 : x.sha256 > y.sha256 ? 1 : 0));
      // a file kept in both layouts is one file
      yield found.filter((f, i) => i === 0 || found[i - 1].sha256 !== f.sha256);
    }
  }
}

function sortedEntries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
