/**
 * Starts a worker thread running `./worker`, from the built package or from source.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** This module's URL, in the ES module build, the CommonJS build, and from source. */
function moduleUrl(): string {
  const url = (import.meta as { url?: string }).url;
  if (typeof url === 'string' && url !== '') return url;
  return pathToFileURL(__filename).href;
}

/**
 * A new worker thread running the parallel trainer's worker script.
 *
 * - Built package: `parallel-worker.js` (or `.cjs`) beside this file's bundle.
 * - Source (`.ts`, under tsx or vitest): Node cannot load TypeScript in a worker by itself,
 *   and a worker does not inherit the parent's loader, so a small bootstrap registers tsx in
 *   the worker before importing `worker.ts`.
 */
export function startWorker(): Worker {
  const here = moduleUrl();
  if (!/\.[cm]?ts$/.test(new URL(here).pathname)) {
    const extension = here.endsWith('.cjs') ? 'cjs' : 'js';
    return new Worker(new URL(`./parallel-worker.${extension}`, here));
  }
  const script = new URL('./worker.ts', here).href;
  const bootstrap =
    `import(${JSON.stringify(tsxApiUrl(here))})` +
    `.then(({ register }) => { register(); return import(${JSON.stringify(script)}); });`;
  return new Worker(bootstrap, { eval: true });
}

/** The ES module entry of `tsx/esm/api`, as tsx's package.json declares it. */
function tsxApiUrl(from: string): string {
  const manifestPath = createRequire(from).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  const entry = manifest.exports['./esm/api'].import.default;
  return pathToFileURL(join(dirname(manifestPath), entry)).href;
}
