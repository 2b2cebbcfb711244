// Opens the database the configuration names, on its engine, with every migration applied.
import type { DatabaseConfig } from '../config.ts';
import { openDb, type Db } from './client.ts';
import { migrateDb } from './migrate.ts';
import { migratePostgres, openPostgres } from './postgres.ts';

export async function openDatabase(database: DatabaseConfig): Promise<Db> {
  if (database.engine === 'postgres') {
    const db = openPostgres(database.url, { max: database.poolSize });
    try {
      await migratePostgres(db);
    } catch (err) {
      await db.close();
      throw err;
    }
    return db;
  }
  const db = openDb(database.file);
  await migrateDb(db);
  return db;
}
