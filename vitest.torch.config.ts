import { defineConfig } from 'vitest/config';

// The oracle suite: fresh random cases compared against live PyTorch (/usr/bin/python3).
export default defineConfig({
  test: {
    include: ['tests/oracle/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    globalSetup: ['tests/setup/build.ts'],
    fileParallelism: false,
  },
});
