import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// V8 turned WebAssembly relaxed SIMD on by default in 11.4 (Node 21); Node 20's V8 11.3 has it
// behind a flag. The relaxed build of the SIMD kernels is tested in a project of its own,
// with the flag where the engine needs it.
const [v8Major, v8Minor] = process.versions.v8.split('.').map(Number);
const relaxedFlag =
  v8Major > 11 || (v8Major === 11 && v8Minor >= 4) ? [] : ['--experimental-wasm-relaxed-simd'];

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
          include: [
            'tests/kernels/wasm_taps.test.ts',
            'tests/kernels/taps_module.test.ts',
            'tests/kernels/wasm_conv_paths.test.ts',
          ],
          execArgv: relaxedFlag,
          env: { TAPS_BUILDS: 'relaxed' },
        },
      },
    ],
  },
});
