import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  // Examples and doc samples import the package by name; tests run them against src/.
  resolve: {
    alias: [
      { find: /^tfjs-gan\/node$/, replacement: source('./src/node/index.ts') },
      { find: /^tfjs-gan$/, replacement: source('./src/index.ts') },
    ],
  },
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/helpers/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // tfjs keeps one global engine per process; isolate files in forked processes.
    pool: 'forks',
  },
});
