import { defineConfig } from 'drizzle-kit';

// PostgreSQL's migrations, from the schema made table by table from SQLite's (src/db/schema-postgres.ts)
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema-postgres.ts',
  out: './migrations/postgres',
});
