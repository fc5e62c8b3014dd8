import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { installTrainingKernels } from '../../src/kernels/install';
import { leadingAxes } from '../../src/kernels/reduce_wasm';
import { seededValues, sizeOf, stockWasm } from './reference';

describe('leadingAxes', () => {
  it.each([
    [[0, 1, 2], 4, 3],
    [0, 2, 1],
    [[-4, -3], 4, 2],
    [[2, 0, 1], 4, 3],
    [[0, 0], 3, 1],
    [[1, 2], 4, 0], // not the leading axes
    [[0, 2], 4, 0], // a gap
    [[0, 1, 2, 3], 4, 0], // every axis: nothing is kept
  ])('axis %j of a rank-%i tensor reduces %i leading axes', (axis, rank, expected) => {
    expect(leadingAxes(axis as number | number[], rank as number)).toBe(expected);
  });
});

describe('wasm Sum and Mean over leading axes', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    installTrainingKernels('wasm');
  });

  it('sums and averages known columns', () => {
    tf.tidy(() => {
      // x[i, c] = i for 256 rows and 8 columns: every column sums to 0 + 1 + … + 255 =
      // 255·256/2 = 32640 and averages 32640/256 = 127.5 (exact in float32).
      const rows = Array.from({ length: 256 * 8 }, (_, j) => Math.floor(j / 8));
      const x = tf.tensor2d(rows, [256, 8]);
      expect(Array.from(tf.sum(x, 0).dataSync())).toEqual(new Array(8).fill(32640));
      expect(Array.from(tf.mean(x, 0).dataSync())).toEqual(new Array(8).fill(127.5));
      // y[n, h, c] = c over [16, 8, 10]: column c sums to 16·8·c = 128·c.
      const y = tf.tensor3d(
        Array.from({ length: 16 * 8 * 10 }, (_, j) => j % 10),
        [16, 8, 10],
      );
      const sums = tf.sum(y, [0, 1], true);
      expect(sums.shape).toEqual([1, 1, 10]);
      expect(Array.from(sums.dataSync())).toEqual(Array.from({ length: 10 }, (_, c) => 128 * c));
    });
  });

  // Two float32 summations of the same M terms in different orders differ by at most a few
  // roundings of the running sum, each at most eps·Σ|x| (eps = 2^-24 ≈ 6e-8); allowing 16
  // of them gives the bound 1e-6·Σ|x| per column (÷ M for a mean). Measured: about 6e-5 on
  // the [64, 14, 14, 64] maps, whose columns have Σ|x| ≈ 12544 · 0.5 = 6272 (bound 6e-3).
  it.each([
    [
      [64, 14, 14, 64],
      [0, 1, 2],
    ],
    [
      [64, 7, 7, 128],
      [0, 1, 2],
    ],
    [[64, 6272], 0],
    [
      [1, 1, 64, 6272],
      [0, 1, 2],
    ],
    [
      [7, 5, 3, 16],
      [-4, -3],
    ],
  ])('of %j over axis %j agree with the stock kernel up to float rounding', (shape, axis) => {
    const values = seededValues(sizeOf(shape), 11);
    const rows = sizeOf(shape.slice(0, leadingAxes(axis, shape.length)));
    const kept = values.length / rows;
    const bound = new Float64Array(kept);
    values.forEach((v, i) => (bound[i % kept] += 1e-6 * Math.abs(v)));
    for (const [kernelName, op, scale] of [
      [tf.Sum, tf.sum, 1],
      [tf.Mean, tf.mean, 1 / rows],
    ] as const) {
      for (const keepDims of [false, true]) {
        tf.tidy(() => {
          const x = tf.tensor(values, shape);
          const ours = op(x, axis, keepDims);
          const stock = stockWasm(kernelName, { x }, { axis, keepDims });
          expect(ours.shape).toEqual(stock.shape);
          const [a, b] = [ours.dataSync(), stock.dataSync()];
          for (let c = 0; c < kept; c++) {
            expect(Math.abs(a[c] - b[c])).toBeLessThanOrEqual(bound[c] * scale);
          }
        });
      }
    }
  });

  it.each([
    [
      [64, 14, 14, 64],
      [1, 2],
    ], // not the leading axes
    [[100, 4], 0], // fewer than 8 kept
    [[8, 8], 0], // fewer than 1024 elements
  ])('of %j over axis %j go to the stock kernel: the same values', (shape, axis) => {
    tf.tidy(() => {
      const x = tf.tensor(seededValues(sizeOf(shape), 5), shape);
      for (const [kernelName, op] of [
        [tf.Sum, tf.sum],
        [tf.Mean, tf.mean],
      ] as const) {
        expect(Array.from(op(x, axis).dataSync())).toEqual(
          Array.from(stockWasm(kernelName, { x }, { axis, keepDims: false }).dataSync()),
        );
      }
    });
  });

  it('leaves int32 sums to the stock kernel, exactly', () => {
    tf.tidy(() => {
      const x = tf
        .tensor(seededValues(64 * 32, 3), [64, 32])
        .mul(100)
        .cast('int32');
      const ours = tf.sum(x, 0);
      expect(ours.dtype).toBe('int32');
      expect(Array.from(ours.dataSync())).toEqual(
        Array.from(stockWasm(tf.Sum, { x }, { axis: 0, keepDims: false }).dataSync()),
      );
    });
  });
});
