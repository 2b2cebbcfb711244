// Which file store a desk keeps its attachments and raw mail in, by the engine it runs on.
import type { Db } from '../db/client.ts';
import { createDatabaseFileStore } from './database-file-store.ts';
import { createFileStore, type FileStore } from './file-store.ts';

/**
 * On SQLite, files under DATA_DIR, as always. On PostgreSQL, files in the database, which every
 * desk process reaches; a file not there is looked for under DATA_DIR, where a desk that ran on
 * SQLite before kept it (nothing is written there any more).
 */
export function openFileStore(db: Db, dataDir: string): FileStore {
  if (db.engine === 'postgres') return createDatabaseFileStore(db, { fallback: createFileStore(dataDir, { readOnly: true }) });
  return createFileStore(dataDir);
}
