import * as tf from '@tensorflow/tfjs';

import { checkInteger, describeValue } from '../errors';
import { RandomStream } from '../random';
import type { IdxArray } from './idx';
import { bytesToUnitRange, toImageShape } from './images';

/**
 * A random permutation of `0 … n−1` by the Fisher–Yates shuffle: for `i` from `n−1` down to 1,
 * swap entry `i` with entry `j = random.nextInt(i + 1)`. Every permutation is equally likely
 * and the same stream state gives the same permutation.
 *
 * @param n - how many indices; an integer >= 0.
 * @param random - the seeded stream that draws the swaps; it advances by `n − 1` draws.
 * @returns an Int32Array of length `n` holding each of `0 … n−1` exactly once.
 * @throws TypeError if `n` is not an integer or `random` is not a RandomStream.
 * @throws RangeError if `n` is negative.
 * @see Knuth, The Art of Computer Programming vol. 2, §3.4.2, Algorithm P.
 * @example
 * ```ts
 * import { RandomStream, shuffledIndices } from 'tfjs-gan';
 * const order = shuffledIndices(5, new RandomStream(1)); // e.g. Int32Array [3, 0, 4, 1, 2]
 * ```
 * @category Data
 */
export function shuffledIndices(n: number, random: RandomStream): Int32Array {
  checkInteger('shuffledIndices', 'n', n, 0);
  if (!(random instanceof RandomStream)) {
    throw new TypeError(
      `shuffledIndices: random must be a RandomStream, got ${describeValue(random)}.`,
    );
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = random.nextInt(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/**
 * Options of {@link ImageBatches}.
 *
 * @category Data
 */
export interface ImageBatchesOptions {
  /** Images per batch; an integer >= 1 (and <= the image count when `dropRemainder`). */
  batchSize: number;
  /**
   * Seed of the stream that shuffles each epoch; give `seed` or `random`, not both.
   * @defaultValue `0`
   */
  seed?: number | string;
  /** A stream to draw the shuffles from (e.g. the Trainer's), instead of `seed`. */
  random?: RandomStream;
  /** Whether to reorder the images every epoch. @defaultValue `true` */
  shuffle?: boolean;
  /**
   * Whether to skip the last, smaller batch of an epoch, so every batch has `batchSize`
   * images (GAN losses and batch norm prefer equal batches). @defaultValue `true`
   */
  dropRemainder?: boolean;
}

/**
 * Shuffled, seeded mini-batches of 8-bit images as float tensors in [-1, 1]: each epoch visits
 * every image once in a new random order. Iterating (`for…of` or `for await…of`) yields the
 * rest of the current epoch, so each loop over a fresh epoch is one epoch; `nextBatch()` runs
 * on across epochs for step-driven training.
 *
 * @remarks The images are kept by reference, not copied: changing them changes later
 *   batches. Each yielded tensor belongs to the caller, who disposes it.
 * @example
 * ```ts
 * import { ImageBatches } from 'tfjs-gan';
 * import { readIdx } from 'tfjs-gan/node';
 * const mnist = await readIdx('train-images-idx3-ubyte');
 * const batches = ImageBatches.fromIdx(mnist, { batchSize: 64, seed: 42 });
 * for (const batch of batches) {   // one epoch of [64, 28, 28, 1] tensors in [-1, 1]
 *   // ... train on batch ...
 *   batch.dispose();
 * }
 * ```
 * @category Data
 */
export class ImageBatches implements Iterable<tf.Tensor4D>, AsyncIterable<tf.Tensor4D> {
  /** Images per batch. */
  readonly batchSize: number;
  /** Whether the last, smaller batch of each epoch is skipped. */
  readonly dropRemainder: boolean;
  /** Shape of one image, `[height, width, channels]`. */
  readonly imageShape: [number, number, number];
  /** Number of images. */
  readonly size: number;
  private readonly images: Uint8Array;
  private readonly random: RandomStream;
  private readonly shuffle: boolean;
  private order: Int32Array | null = null;
  private position = 0;
  private completedEpochs = 0;

  /**
   * @param images - pixels in [0, 255], row-major, `shape[0] · shape[1] · …` of them.
   * @param shape - `[count, height, width, channels]` or `[count, height, width]`.
   * @param options - batch size, seed or stream, shuffling and remainder handling.
   * @throws TypeError if `images` is not a Uint8Array, or an option has the wrong type.
   * @throws RangeError if the shape does not fit the data, or `batchSize` is out of range.
   */
  constructor(images: Uint8Array, shape: readonly number[], options: ImageBatchesOptions) {
    const where = 'ImageBatches';
    if (!(images instanceof Uint8Array)) {
      throw new TypeError(`${where}: images must be a Uint8Array, got ${describeValue(images)}.`);
    }
    const [count, h, w, c] = toImageShape(where, shape);
    if (images.length !== count * h * w * c) {
      throw new RangeError(
        `${where}: images must have ${count * h * w * c} values for shape ` +
          `${describeValue([count, h, w, c])}, got ${images.length}.`,
      );
    }
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`${where}: options must be an object, got ${describeValue(options)}.`);
    }
    this.dropRemainder = checkBoolean(where, 'options.dropRemainder', options.dropRemainder, true);
    this.shuffle = checkBoolean(where, 'options.shuffle', options.shuffle, true);
    this.batchSize = checkInteger(where, 'options.batchSize', options.batchSize, 1);
    if (this.dropRemainder && this.batchSize > count) {
      throw new RangeError(
        `${where}: options.batchSize must be <= the number of images (${count}) when ` +
          `dropRemainder is true, got ${this.batchSize}.`,
      );
    }
    this.random = pickStream(where, options);
    this.images = images;
    this.imageShape = [h, w, c];
    this.size = count;
  }

  /**
   * Batches over an IDX image file read by `parseIdx` or `readIdx`.
   *
   * @param idx - a `uint8` IDX array of shape `[count, height, width]` or
   *   `[count, height, width, channels]`.
   * @param options - as for the constructor.
   * @returns the batches.
   * @throws TypeError if `idx.dtype` is not `'uint8'`; otherwise as the constructor.
   */
  static fromIdx(idx: IdxArray, options: ImageBatchesOptions): ImageBatches {
    if (idx.dtype !== 'uint8') {
      throw new TypeError(
        `ImageBatches.fromIdx: idx.dtype must be 'uint8', got ${describeValue(idx.dtype)}.`,
      );
    }
    return new ImageBatches(idx.data, idx.shape, options);
  }

  /** Number of epochs finished so far (0 until the first epoch's last batch is taken). */
  get epoch(): number {
    return this.completedEpochs;
  }

  /** Batches in one epoch: `floor(size / batchSize)`, plus one if a remainder is kept. */
  get batchesPerEpoch(): number {
    const full = Math.floor(this.size / this.batchSize);
    return !this.dropRemainder && this.size % this.batchSize !== 0 ? full + 1 : full;
  }

  /**
   * The next batch, starting a new (reshuffled) epoch when the current one is used up.
   *
   * @returns a float32 tensor `[batchSize, height, width, channels]` in [-1, 1] (fewer rows
   *   for a kept remainder), owned by the caller.
   */
  nextBatch(): tf.Tensor4D {
    if (this.order === null) {
      this.order = this.shuffle ? shuffledIndices(this.size, this.random) : identity(this.size);
      this.position = 0;
    }
    const rows = Math.min(this.batchSize, this.size - this.position);
    const [h, w, c] = this.imageShape;
    const imageSize = h * w * c;
    const values = new Float32Array(rows * imageSize);
    for (let k = 0; k < rows; k++) {
      const start = this.order[this.position + k] * imageSize;
      bytesToUnitRange(this.images.subarray(start, start + imageSize), values, k * imageSize);
    }
    this.position += rows;
    if (this.remaining() === 0) {
      this.order = null;
      this.completedEpochs++;
    }
    return tf.tidy(() => tf.tensor4d(values, [rows, h, w, c], 'float32'));
  }

  /** Yields the remaining batches of the current epoch (all of them at an epoch's start). */
  *[Symbol.iterator](): Generator<tf.Tensor4D, void, undefined> {
    const epoch = this.completedEpochs;
    while (this.completedEpochs === epoch) yield this.nextBatch();
  }

  /** As the synchronous iterator, for `for await…of` loops and async pipelines. */
  async *[Symbol.asyncIterator](): AsyncIterator<tf.Tensor4D> {
    yield* this[Symbol.iterator]();
  }

  /** Batches still to come in this epoch, counted in images; 0 ends the epoch. */
  private remaining(): number {
    const left = this.size - this.position;
    return this.dropRemainder && left < this.batchSize ? 0 : left;
  }
}

function identity(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

function checkBoolean(where: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new TypeError(`${where}: ${name} must be a boolean, got ${describeValue(value)}.`);
  }
  return value;
}

function pickStream(where: string, options: ImageBatchesOptions): RandomStream {
  if (options.random === undefined) return new RandomStream(options.seed ?? 0);
  if (options.seed !== undefined) {
    throw new TypeError(`${where}: pass options.seed or options.random, not both.`);
  }
  if (!(options.random instanceof RandomStream)) {
    throw new TypeError(
      `${where}: options.random must be a RandomStream, got ${describeValue(options.random)}.`,
    );
  }
  return options.random;
}
