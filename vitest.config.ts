import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/setup/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // what a browser or a server does "eventually" gets 10 s, not vitest's 1 s, on a busy machine
    expect: { poll: { timeout: 10_000 } },
  },
});
