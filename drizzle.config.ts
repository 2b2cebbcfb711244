import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './migrations/sqlite',
  dbCredentials: { url: './data/drizzle-kit.sqlite' },
});
