import { defineConfig } from 'vitest/config';

// The whole suite runs on both engines: the `sqlite` project as the desk runs by default, the
// `postgres` project with every test desk on PostgreSQL (TEST_DATABASE=postgres; the global setup
// starts one private cluster for the run). Tests of PostgreSQL itself (test/e2e/postgres/) start
// clusters of their own and run once.
export default defineConfig({
  test: {
    globalSetup: ['test/setup/global-setup.ts'],
    setupFiles: ['test/setup/page-problems.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // what a browser or a server does "eventually" gets 10 s, not vitest's 1 s, on a busy machine
    expect: { poll: { timeout: 10_000 } },
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          // the fault tests that run desk processes on a database file run on SQLite only for now;
          // the one of desk processes on PostgreSQL runs a cluster of its own (once, in the sqlite project)
          exclude: [
            'test/e2e/postgres/**', 'test/import-direction.test.ts', 'src/db/schema-postgres.test.ts',
            'test/faults/imap-kill.test.ts', 'test/faults/dovecot-outage.test.ts', 'test/faults/desk-loop.test.ts', 'test/faults/smtp-outage.test.ts',
            'test/faults/postgres-instances.test.ts',
            // the corpus cases judge parsing and the intake steps, which no engine changes (the scorer's harness is SQLite)
            'test/own-corpus.test.ts',
          ],
          env: { TEST_DATABASE: 'postgres' },
        },
      },
    ],
  },
});
