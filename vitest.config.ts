import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A fresh TMPDIR per run, checked empty at the end; temp dirs made with makeTempDir are removed after each test.
    globalSetup: ['test/support/global-temp-root.ts'],
    setupFiles: ['test/support/cleanup-setup.ts'],
  },
});
