import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One PostgreSQL for the whole run (when available); test files reach it via test/support/dialects.ts.
    globalSetup: ['test/support/global-setup.ts'],
    // PostgreSQL-backed suites create databases on that server; give them room on 2-core CI machines.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
