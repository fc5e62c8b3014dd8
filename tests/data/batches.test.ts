import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { ImageBatches, shuffledIndices } from '../../src/data/batches';
import { parseIdx } from '../../src/data/idx';
import { tensorToImages } from '../../src/data/images';
import { RandomStream } from '../../src/random';
import { expectNoLeaks, expectThrows } from '../helpers/fixtures/throws';

/** Ten 1×1 grayscale images; image i has the pixel value 10·i, so a batch names its images. */
const TEN = Uint8Array.from({ length: 10 }, (_, i) => 10 * i);

/** The image indices in a batch: pixel bytes back through tensorToImages, divided by 10. */
async function indicesOf(batch: tf.Tensor4D): Promise<number[]> {
  const bytes = await tensorToImages(batch);
  batch.dispose();
  return Array.from(bytes, (b) => b / 10);
}

async function epochOf(batches: ImageBatches): Promise<number[][]> {
  const out: number[][] = [];
  for (const batch of batches) out.push(await indicesOf(batch));
  return out;
}

describe('shuffledIndices', () => {
  it('holds every index exactly once', () => {
    const order = shuffledIndices(50, new RandomStream(3));
    expect(order).toBeInstanceOf(Int32Array);
    expect(Array.from(order).sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
  });

  it('is the Fisher–Yates shuffle driven by the stream', () => {
    // Reference: for i = n−1 … 1, swap i with j = nextInt(i + 1), on a fresh stream of seed 9.
    const reference = [0, 1, 2, 3, 4, 5, 6, 7];
    const stream = new RandomStream(9);
    for (let i = 7; i > 0; i--) {
      const j = stream.nextInt(i + 1);
      [reference[i], reference[j]] = [reference[j], reference[i]];
    }
    expect(Array.from(shuffledIndices(8, new RandomStream(9)))).toEqual(reference);
  });

  it('gives the same order for the same seed and another for another seed', () => {
    const a = Array.from(shuffledIndices(20, new RandomStream(1)));
    expect(Array.from(shuffledIndices(20, new RandomStream(1)))).toEqual(a);
    // Two seeds agree on all of 20! ≈ 2.4e18 orders with negligible probability.
    expect(Array.from(shuffledIndices(20, new RandomStream(2)))).not.toEqual(a);
  });

  it('handles 0 and 1 items without drawing', () => {
    const stream = new RandomStream(5);
    expect(Array.from(shuffledIndices(0, stream))).toEqual([]);
    expect(Array.from(shuffledIndices(1, stream))).toEqual([0]);
    // The loop runs for i = n−1 … 1, i.e. not at all: the stream is where a fresh one starts.
    expect(stream.next()).toBe(new RandomStream(5).next());
  });

  it('rejects bad arguments', () => {
    expectThrows(
      () => shuffledIndices(-1, new RandomStream(0)),
      RangeError,
      'shuffledIndices: n must be an integer >= 0, got -1.',
    );
    expectThrows(
      () => shuffledIndices(3, Math.random as unknown as RandomStream),
      TypeError,
      'shuffledIndices: random must be a RandomStream, got a Function.',
    );
  });
});

describe('ImageBatches', () => {
  it('yields [batchSize, h, w, c] float batches, each image at most once an epoch', async () => {
    const batches = new ImageBatches(TEN, [10, 1, 1], { batchSize: 3, seed: 1 });
    // dropRemainder: floor(10 / 3) = 3 batches of 3, so 9 distinct images and 1 left out.
    expect(batches.batchesPerEpoch).toBe(3);
    const first = batches.nextBatch();
    expect(first.shape).toEqual([3, 1, 1, 1]);
    expect(first.dtype).toBe('float32');
    const seen = [await indicesOf(first), ...(await epochOf(batches))];
    expect(seen).toHaveLength(3);
    expect(new Set(seen.flat()).size).toBe(9);
    expect(batches.epoch).toBe(1);
  });

  it('visits every index once per epoch when the remainder is kept', async () => {
    const batches = new ImageBatches(TEN, [10, 1, 1, 1], {
      batchSize: 3,
      seed: 4,
      dropRemainder: false,
    });
    // ceil(10 / 3) = 4 batches: 3 + 3 + 3 + (10 − 9 = 1).
    expect(batches.batchesPerEpoch).toBe(4);
    for (let epoch = 1; epoch <= 2; epoch++) {
      const seen = await epochOf(batches);
      expect(seen.map((b) => b.length)).toEqual([3, 3, 3, 1]);
      expect(seen.flat().sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
      expect(batches.epoch).toBe(epoch);
    }
  });

  it('drops the remainder by default and takes the order from shuffledIndices', async () => {
    const random = new RandomStream(7);
    const batches = new ImageBatches(TEN, [10, 1, 1], { batchSize: 4, random });
    const order = Array.from(shuffledIndices(10, new RandomStream(7)));
    // floor(10 / 4) = 2 batches: order[0..3] and order[4..7]; order[8..9] are dropped.
    expect(await epochOf(batches)).toEqual([order.slice(0, 4), order.slice(4, 8)]);
  });

  it('reshuffles every epoch, the same way for the same seed', async () => {
    const make = (seed: number) =>
      new ImageBatches(TEN, [10, 1, 1], { batchSize: 5, seed, dropRemainder: false });
    const a = make(11);
    const b = make(11);
    const c = make(12);
    const a1 = (await epochOf(a)).flat();
    const a2 = (await epochOf(a)).flat();
    expect(a2).not.toEqual(a1);
    expect((await epochOf(b)).flat()).toEqual(a1);
    expect((await epochOf(b)).flat()).toEqual(a2);
    expect((await epochOf(c)).flat()).not.toEqual(a1);
  });

  it('runs on across epochs with nextBatch', async () => {
    const batches = new ImageBatches(TEN, [10, 1, 1], { batchSize: 5, seed: 0 });
    // 10 / 5 = 2 batches per epoch: the epoch counter turns after the 2nd and 4th batch.
    const epochs: number[] = [];
    for (let i = 0; i < 5; i++) {
      batches.nextBatch().dispose();
      epochs.push(batches.epoch);
    }
    expect(epochs).toEqual([0, 1, 1, 2, 2]);
  });

  it('keeps the stored order without shuffling', async () => {
    const batches = new ImageBatches(TEN, [10, 1, 1], { batchSize: 4, shuffle: false });
    expect(await epochOf(batches)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
  });

  it('is async-iterable', async () => {
    const batches = new ImageBatches(TEN, [10, 1, 1], { batchSize: 5, shuffle: false });
    const seen: number[][] = [];
    for await (const batch of batches) seen.push(await indicesOf(batch));
    expect(seen).toEqual([
      [0, 1, 2, 3, 4],
      [5, 6, 7, 8, 9],
    ]);
  });

  it('builds from a uint8 IDX array', async () => {
    // IDX header 00 00 08 03, sizes 2, 1, 2 (big-endian uint32), then 2·1·2 = 4 bytes.
    const header = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2];
    const bytes = new Uint8Array([...header, 0, 0, 255, 255]);
    const batches = ImageBatches.fromIdx(parseIdx(bytes), { batchSize: 2, shuffle: false });
    const batch = batches.nextBatch();
    expect(batch.shape).toEqual([2, 1, 2, 1]);
    // 0 → 0/127.5 − 1 = −1; 255 → 255/127.5 − 1 = 1.
    expect(Array.from(batch.dataSync())).toEqual([-1, -1, 1, 1]);
    batch.dispose();
    const floats = new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0x80, 0, 0]);
    expectThrows(
      () => ImageBatches.fromIdx(parseIdx(floats), { batchSize: 1 }),
      TypeError,
      "ImageBatches.fromIdx: idx.dtype must be 'uint8', got 'float32'.",
    );
  });

  it('leaves only the batches it hands out alive', async () => {
    const batches = new ImageBatches(TEN, [10, 1, 1], { batchSize: 3, seed: 2 });
    await expectNoLeaks(async () => {
      for (let i = 0; i < 7; i++) batches.nextBatch().dispose();
    });
  });

  it('rejects bad arguments with exact messages', () => {
    expectThrows(
      () => new ImageBatches(TEN, [10, 1, 1], { batchSize: 11 }),
      RangeError,
      'ImageBatches: options.batchSize must be <= the number of images (10) when ' +
        'dropRemainder is true, got 11.',
    );
    expectThrows(
      () => new ImageBatches(TEN, [10, 1, 1], { batchSize: 0 }),
      RangeError,
      'ImageBatches: options.batchSize must be an integer >= 1, got 0.',
    );
    expectThrows(
      () => new ImageBatches(TEN, [5, 1, 1], { batchSize: 1 }),
      RangeError,
      'ImageBatches: images must have 5 values for shape [5,1,1,1], got 10.',
    );
    expectThrows(
      () =>
        new ImageBatches(TEN, [10, 1, 1], { batchSize: 1, seed: 1, random: new RandomStream(1) }),
      TypeError,
      'ImageBatches: pass options.seed or options.random, not both.',
    );
    expectThrows(
      () =>
        new ImageBatches(TEN, [10, 1, 1], {
          batchSize: 1,
          dropRemainder: 'no' as unknown as boolean,
        }),
      TypeError,
      "ImageBatches: options.dropRemainder must be a boolean, got 'no'.",
    );
  });
});
