import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    pool: 'threads',
    // Vitest's default is one worker fewer than the cores: one on the 2-core CI machine. Many test
    // files spend their time in a child process (the CLI), so two files at once keep both cores busy.
    maxWorkers: 2,
  },
});
