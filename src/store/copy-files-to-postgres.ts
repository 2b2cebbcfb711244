// `helpdesk migrate-to-postgres`, its files: the attachments and raw mail a SQLite desk keeps under
// DATA_DIR, copied into the file store of a desk on PostgreSQL (stored_files and its chunks,
// database-file-store.ts), where the desk then finds them.
//
// Resumable. The files go in batches, each its own committed transaction, and a file whose
// stored_files row is there already is passed over: a file's rows are written in one transaction,
// so a file that is there is there whole. A copy stopped midway (killed, the connection lost)
// loses the batch under way at most; the next run goes on from there.
//
// Streamed. A file is read a chunk (1 MiB, as the store keeps it) at a time, and each chunk is
// sent as its row before the next is read; a batch holds at most BATCH_BYTES of small files. The
// SHA-256 of the very bytes sent is compared with the file's name: a file whose bytes do not match
// (damaged on disk) is not kept — its rows go again in the same transaction — and is reported.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type pg from 'pg';
import { formatBytes } from '../db/copy-progress.ts';
import type { PostgresDb } from '../db/postgres.ts';
import { CHUNK_BYTES } from './database-file-store.ts';
import { listStoredFiles, type FileKind, type ListedFile } from './file-store.ts';

/** files per transaction at most */
const BATCH_FILES = 500;
/** bytes of small files held for one transaction at most */
const BATCH_BYTES = 16 * 1024 * 1024;

export type FileTally = { files: number; bytes: number };

/** A file under DATA_DIR that was not copied, and why. */
export type BadFile = { kind: FileKind; sha256: string; path: string; problem: string };

export type FilesCopied = {
  /** every file under DATA_DIR */
  listed: FileTally;
  /** copied by this run */
  copied: FileTally;
  /** in the database already (an earlier run) */
  skipped: FileTally;
  bad: BadFile[];
  seconds: number;
};

export type FileCopyOptions = {
  dataDir: string;
  target: PostgresDb;
  /** after each file: the files and bytes done so far, passed over ones included */
  onProgress?: (done: FileTally) => void;
  /** bytes per chunk row (the store's 1 MiB; smaller in tests) */
  chunkBytes?: number;
  batchFiles?: number;
};

/** The files and bytes under dataDir (what the progress counts towards). */
export function tallyStoredFiles(dataDir: string): FileTally {
  const t = { files: 0, bytes: 0 };
  for (const dir of listStoredFiles(dataDir)) for (const f of dir) add(t, f.size);
  return t;
}

const add = (t: FileTally, bytes: number) => {
  t.files++;
  t.bytes += bytes;
};

/** Copies every file under dataDir that the target's file store lacks (see the top of the file). */
export async function copyFilesToPostgres(opts: FileCopyOptions): Promise<FilesCopied> {
  const started = performance.now();
  const chunkBytes = opts.chunkBytes ?? CHUNK_BYTES;
  const batchFiles = opts.batchFiles ?? BATCH_FILES;
  const result: FilesCopied = { listed: { files: 0, bytes: 0 }, copied: { files: 0, bytes: 0 }, skipped: { files: 0, bytes: 0 }, bad: [], seconds: 0 };
  const done = { files: 0, bytes: 0 };
  const tell = (f: ListedFile) => {
    add(done, f.size);
    opts.onProgress?.({ ...done });
  };
  const client = await opts.target.pool.connect();
  let broken = false;
  try {
    let batch: ListedFile[] = [];
    let batchBytes = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const files = batch;
      batch = [];
      batchBytes = 0;
      const bad = await copyBatch(client, files, chunkBytes, tell);
      result.bad.push(...bad);
      for (const f of files) if (!bad.some((b) => b.kind === f.kind && b.sha256 === f.sha256)) add(result.copied, f.size);
    };
    for (const dir of listStoredFiles(opts.dataDir)) {
      for (const f of dir) add(result.listed, f.size);
      const there = await presentIn(client, dir);
      for (const f of dir) {
        if (there.has(`${f.kind}/${f.sha256}`)) {
          add(result.skipped, f.size);
          tell(f);
          continue;
        }
        batch.push(f);
        if (f.size <= chunkBytes) batchBytes += f.size;
        if (batch.length >= batchFiles || batchBytes >= BATCH_BYTES) await flush();
      }
    }
    await flush();
  } catch (err) {
    broken = true; // a batch that failed midway: the connection may be in any state
    throw err;
  } finally {
    client.release(broken);
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

/** Which of the files the target's store has already, as kind/sha256. */
async function presentIn(client: pg.PoolClient, files: ListedFile[]): Promise<Set<string>> {
  if (files.length === 0) return new Set();
  const kind = files[0].kind; // a directory of the listing holds one kind
  const rows = (await client.query<{ sha256: string }>('select sha256 from stored_files where kind = $1 and sha256 = any($2::text[])', [kind, files.map((f) => f.sha256)])).rows;
  return new Set(rows.map((r) => `${kind}/${r.sha256}`));
}

/**
 * A file's bytes a chunk at a time, each chunk full but the last, for a file of `size` bytes (as
 * listed): buffers no larger than what is left, so a small file takes no more than its size. Past
 * that size one byte is asked for, to find a file that grew.
 */
async function* chunksOf(file: string, chunkBytes: number, size: number): AsyncGenerator<Buffer> {
  const fh = await open(file, 'r');
  try {
    for (let left = size; ;) {
      const want = left > 0 ? Math.min(chunkBytes, left) : left === 0 ? 1 : chunkBytes;
      const buf = Buffer.allocUnsafe(want);
      let filled = 0;
      while (filled < want) {
        const { bytesRead } = await fh.read(buf, filled, want - filled, null);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      if (filled > 0) yield filled === want ? buf : buf.subarray(0, filled);
      left -= filled;
      if (filled < want) return;
    }
  } finally {
    await fh.close();
  }
}

/**
 * One batch in one transaction. A file of one chunk is read whole (a chunk at most) and goes in
 * with the batch's other small files, two statements for all of them; a larger one is sent chunk by
 * chunk as it is read.
 */
async function copyBatch(client: pg.PoolClient, files: ListedFile[], chunkBytes: number, tell: (f: ListedFile) => void): Promise<BadFile[]> {
  const bad: BadFile[] = [];
  const small = { kind: [] as string[], sha: [] as string[], size: [] as number[], chunks: [] as number[], data: [] as Buffer[] };
  await client.query('begin');
  try {
    for (const f of files) {
      const problem = f.size <= chunkBytes ? await readSmall(f, chunkBytes, small) : await sendLarge(client, f, chunkBytes);
      if (problem) bad.push({ kind: f.kind, sha256: f.sha256, path: f.path, problem });
      tell(f);
    }
    if (small.sha.length) {
      await client.query('insert into stored_files (kind, sha256, size, chunks) select * from unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) on conflict do nothing', [small.kind, small.sha, small.size, small.chunks]);
      // the bytes as parameters of their own, which go over the wire as they are (in an array they would go as hex text)
      const withData = small.chunks.flatMap((n, i) => (n ? [i] : []));
      if (withData.length) {
        await client.query(
          `insert into stored_file_chunks (kind, sha256, seq, data) values ${withData.map((_i, r) => `($${3 * r + 1}, $${3 * r + 2}, 0, $${3 * r + 3})`).join(', ')} on conflict do nothing`,
          withData.flatMap((i) => [small.kind[i], small.sha[i], small.data[i]]),
        );
      }
    }
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  }
  return bad;
}

type Small = { kind: string[]; sha: string[]; size: number[]; chunks: number[]; data: Buffer[] };

/** A file of one chunk at most, read and checked, added to the batch's small files; what is wrong with it, if anything. */
async function readSmall(f: ListedFile, chunkBytes: number, small: Small): Promise<string | undefined> {
  const hash = createHash('sha256');
  const parts: Buffer[] = [];
  try {
    for await (const c of chunksOf(f.path, chunkBytes, f.size)) {
      hash.update(c);
      parts.push(c);
    }
  } catch (err) {
    return unreadable(err);
  }
  const data = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  const sha = hash.digest('hex');
  if (sha !== f.sha256) return `its bytes have the SHA-256 ${sha}, not the one of its name`;
  if (data.length > chunkBytes) return `it grew to ${data.length} bytes while it was copied`;
  small.kind.push(f.kind);
  small.sha.push(f.sha256);
  small.size.push(data.length);
  small.chunks.push(data.length ? 1 : 0);
  small.data.push(data);
  return undefined;
}

/** A larger file sent a chunk at a time; taken out again when its bytes do not match its name. */
async function sendLarge(client: pg.PoolClient, f: ListedFile, chunkBytes: number): Promise<string | undefined> {
  const hash = createHash('sha256');
  let seq = 0;
  let size = 0;
  let problem: string | undefined;
  await client.query('insert into stored_files (kind, sha256, size, chunks) values ($1, $2, $3, $4) on conflict do nothing', [f.kind, f.sha256, f.size, Math.ceil(f.size / chunkBytes)]);
  try {
    for await (const c of chunksOf(f.path, chunkBytes, f.size)) {
      hash.update(c);
      size += c.length;
      if (size > f.size) break;
      await client.query('insert into stored_file_chunks (kind, sha256, seq, data) values ($1, $2, $3, $4) on conflict do nothing', [f.kind, f.sha256, seq++, c]);
    }
    const sha = hash.digest('hex');
    if (size !== f.size) problem = `its size changed while it was copied (${f.size} bytes, then ${size})`;
    else if (sha !== f.sha256) problem = `its bytes have the SHA-256 ${sha}, not the one of its name`;
  } catch (err) {
    if ((err as { severity?: unknown }).severity) throw err; // PostgreSQL's error, not the file's
    problem = unreadable(err);
  }
  if (problem) await client.query('delete from stored_files where kind = $1 and sha256 = $2', [f.kind, f.sha256]); // its chunks go with it
  return problem;
}

const unreadable = (err: unknown) => `it cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;

export type FilesCheck = {
  /** every file under DATA_DIR */
  source: FileTally;
  /** of those, the ones the target's store holds, by its own sizes */
  found: FileTally;
  /** files under DATA_DIR the target lacks, or holds with another size or fewer bytes (a few of them) */
  wrong: string[];
  wrongCount: number;
  /** files in the target that are not under DATA_DIR (copied from elsewhere): harmless, told */
  extra: FileTally;
};

/** Whether the target's file store holds every file under dataDir, whole: its size and the bytes of its chunks. */
export async function checkFilesInPostgres(opts: { dataDir: string; target: PostgresDb }): Promise<FilesCheck> {
  const check: FilesCheck = { source: { files: 0, bytes: 0 }, found: { files: 0, bytes: 0 }, wrong: [], wrongCount: 0, extra: { files: 0, bytes: 0 } };
  const wrong = (what: string) => {
    if (++check.wrongCount <= 10) check.wrong.push(what);
  };
  for (const dir of listStoredFiles(opts.dataDir)) {
    if (dir.length === 0) continue;
    for (const f of dir) add(check.source, f.size);
    const kind = dir[0].kind;
    const rows = (
      await opts.target.pool.query<{ sha256: string; size: string; stored: string }>(
        `select f.sha256, f.size::text as size,
                (select coalesce(sum(octet_length(c.data)), 0) from stored_file_chunks c where c.kind = f.kind and c.sha256 = f.sha256)::text as stored
           from stored_files f where f.kind = $1 and f.sha256 = any($2::text[])`,
        [kind, dir.map((f) => f.sha256)],
      )
    ).rows;
    const there = new Map(rows.map((r) => [r.sha256, r]));
    for (const f of dir) {
      const r = there.get(f.sha256);
      if (!r) wrong(`${kind}/${f.sha256}: not in the database`);
      else if (Number(r.size) !== f.size || Number(r.stored) !== f.size) wrong(`${kind}/${f.sha256}: ${f.size} bytes under DATA_DIR, ${r.size} in the database, ${r.stored} in its chunks`);
      if (r) add(check.found, Number(r.size));
    }
  }
  const total = (await opts.target.pool.query<{ files: string; bytes: string }>('select count(*)::text as files, coalesce(sum(size), 0)::text as bytes from stored_files')).rows[0];
  check.extra = { files: Number(total.files) - check.found.files, bytes: Number(total.bytes) - check.found.bytes };
  return check;
}

/** The file lines of the command's summary. */
export function formatFilesCheck(check: FilesCheck, copied: FilesCopied): string {
  const n = (t: FileTally) => `${t.files.toLocaleString('en')} (${formatBytes(t.bytes)})`;
  return [
    `  files: ${n(check.source)} under DATA_DIR, ${n(check.found)} of them in the database; ${n(copied.copied)} copied now, ${n(copied.skipped)} by an earlier run`,
    ...(check.extra.files ? [`  and ${n(check.extra)} in the database that are not under DATA_DIR (copied from elsewhere before; harmless)`] : []),
  ].join('\n');
}

/** Attachments and inbound mails whose file the target's file store lacks (they were missing under DATA_DIR). */
export async function countMissingFiles(target: PostgresDb): Promise<{ files: number; raw: number }> {
  const r = (
    await target.pool.query<{ files: string; raw: string }>(
      `select (select count(*) from attachments a where not exists (select 1 from stored_files f where f.kind = 'files' and f.sha256 = a.sha256))::text as files,
              (select count(*) from inbound_messages i where not exists (select 1 from stored_files f where f.kind = 'raw' and f.sha256 = i.raw_sha256))::text as raw`,
    )
  ).rows[0];
  return { files: Number(r.files), raw: Number(r.raw) };
}
