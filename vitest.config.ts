import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vitest/config';
import { availableTapsBuilds } from './src/kernels/wasm/taps_instance';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Node 20's V8 has WebAssembly relaxed SIMD behind a flag (on by default from Node 22), so the
// relaxed build of the tap kernels is tested in a project of its own with the flag set.
const relaxedFlag = availableTapsBuilds().includes('relaxed')
  ? []
  : ['--experimental-wasm-relaxed-simd'];

export default defineConfig({
  // Examples and doc samples import the package by name; tests run them against src/.
  resolve: {
    alias: [
      { find: /^tfjs-gan\/node$/, replacement: source('./src/node/index.ts') },
      { find: /^tfjs-gan$/, replacement: source('./src/index.ts') },
    ],
  },
  test: {
    setupFiles: ['tests/helpers/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // tfjs keeps one global engine per process; isolate files in forked processes.
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'relaxed-simd',
          include: ['tests/kernels/wasm_taps.test.ts', 'tests/kernels/taps_module.test.ts'],
          execArgv: relaxedFlag,
          env: { TAPS_BUILDS: 'relaxed' },
        },
      },
    ],
  },
});
