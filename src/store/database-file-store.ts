// The file store in the database (stored_files, stored_file_chunks), for a desk on PostgreSQL:
// every desk process, on whichever machine, reaches the same attachments and raw mail.
//
// A file is kept in chunks of 1 MiB, not in one bytea: the PostgreSQL client receives a row whole,
// and a bytea as hex text of twice its size, so one 25 MiB mail in one value would take some
// 75 MiB at once to read (the text, then the bytes), for every download running. Read chunk by
// chunk, a download holds about one chunk at a time and a whole read (an attachment being sent)
// about the file once.
//
// Content-addressed, and whole or absent: a file's rows are written in one transaction of their
// own, its stored_files row first. Storing bytes that are there already writes nothing; when
// another process is storing the same bytes at that moment, the insert waits for it and then
// finds them. Called outside a transaction, as intake does for the raw mail, the file is committed
// before the caller's next transaction begins (inside one it would commit with it).
import { Readable } from 'node:stream';
import type { Db } from '../db/client.ts';
import { checkSha256, sha256Hex, type FileKind, type FileStore } from './file-store.ts';

export const CHUNK_BYTES = 1024 * 1024;

/** a stored file's size and chunk count, with its first chunk (null for an empty file) */
type Head = { size: number; chunks: number; first: Buffer | null };

export function createDatabaseFileStore(db: Db, opts: { fallback?: FileStore; chunkBytes?: number } = {}): FileStore {
  const chunkBytes = opts.chunkBytes ?? CHUNK_BYTES;
  const fallback = opts.fallback;

  const head = (kind: FileKind, sha: string): Promise<Head | undefined> => {
    checkSha256(sha);
    return db.get<Head>(
      `select f.size as size, f.chunks as chunks, c.data as first from stored_files f
       left join stored_file_chunks c on c.kind = f.kind and c.sha256 = f.sha256 and c.seq = 0
       where f.kind = ? and f.sha256 = ?`,
      kind, sha,
    );
  };

  async function* chunks(kind: FileKind, sha: string, h: Head): AsyncGenerator<Buffer> {
    for (let seq = 0; seq < h.chunks; seq++) {
      const data = seq === 0 ? h.first : await db.value<Buffer>('select data from stored_file_chunks where kind = ? and sha256 = ? and seq = ?', kind, sha, seq);
      if (!data) throw new Error(`file store: ${kind}/${sha} lacks its chunk ${seq}`);
      yield data;
    }
  }

  const missing = (kind: FileKind, sha: string) => Object.assign(new Error(`ENOENT: not in the file store: ${kind}/${sha}`), { code: 'ENOENT' });

  return {
    async put(kind, data) {
      const sha = sha256Hex(data);
      // stored already: the bytes are not sent again
      if (await db.value('select 1 from stored_files where kind = ? and sha256 = ?', kind, sha)) return sha;
      const count = Math.ceil(data.length / chunkBytes);
      await db.transaction(async () => {
        const added = await db.run('insert into stored_files (kind, sha256, size, chunks) values (?, ?, ?, ?) on conflict do nothing', kind, sha, data.length, count);
        if (added.changes === 0) return; // another process stored it meanwhile
        for (let seq = 0; seq < count; seq++) {
          await db.run('insert into stored_file_chunks (kind, sha256, seq, data) values (?, ?, ?, ?)', kind, sha, seq, data.subarray(seq * chunkBytes, (seq + 1) * chunkBytes));
        }
      });
      return sha;
    },

    async has(kind, sha) {
      checkSha256(sha);
      if (await db.value('select 1 from stored_files where kind = ? and sha256 = ?', kind, sha)) return true;
      return fallback ? fallback.has(kind, sha) : false;
    },

    async read(kind, sha) {
      const h = await head(kind, sha);
      if (!h) {
        if (fallback) return fallback.read(kind, sha);
        throw missing(kind, sha);
      }
      const out = Buffer.allocUnsafe(h.size);
      let at = 0;
      for await (const c of chunks(kind, sha, h)) {
        if (at + c.length > h.size) break;
        at += c.copy(out, at);
      }
      if (at !== h.size) throw new Error(`file store: ${kind}/${sha} does not hold its ${h.size} bytes`);
      return out;
    },

    async stream(kind, sha) {
      const h = await head(kind, sha);
      if (!h) {
        if (fallback) return fallback.stream(kind, sha);
        throw missing(kind, sha);
      }
      return Readable.from(chunks(kind, sha, h), { objectMode: false });
    },
  };
}
