import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    node: 'src/node/index.ts',
    // The ParallelTrainer's worker threads load this file from next to the bundle.
    'parallel-worker': 'src/parallel/worker.ts',
  },
  shims: true,
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // tfjs is the user's choice of build and backend; never bundle it.
  external: [/^@tensorflow\//],
});
