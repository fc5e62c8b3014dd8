/**
 * Builds the browser example into a static folder: `index.html`, `main.js` (the page's
 * TypeScript with TensorFlow.js and tfjs-gan bundled by esbuild) and the wasm backend's
 * `.wasm` binaries, which the page loads from beside its script. Any static file server can
 * serve the folder; `serve.ts` is one.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
/** Where the page is built by default (ignored by git). */
export const DIST = join(here, 'dist');
const WASM_FILES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
];

/** Builds the page into `outDir` and returns the folder. */
export async function buildPage(outDir: string = DIST): Promise<string> {
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [join(here, 'main.ts')],
    outfile: join(outDir, 'main.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    // The page imports the library by its package name, as an application would.
    alias: { 'tfjs-gan': join(root, 'src', 'index.ts') },
    logLevel: 'warning',
  });
  const wasmDir = join(
    dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')),
    'dist',
  );
  await Promise.all([
    copyFile(join(here, 'index.html'), join(outDir, 'index.html')),
    ...WASM_FILES.map((name) => copyFile(join(wasmDir, name), join(outDir, name))),
  ]);
  return outDir;
}
