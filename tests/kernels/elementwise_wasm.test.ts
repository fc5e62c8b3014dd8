import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installTrainingKernels, uninstallTrainingKernels } from '../../src/kernels/install';
import { seededValues, sizeOf, stockWasm } from './reference';

/**
 * Values in [-1, 1) with the edge cases placed first: NaN, ±0, ±Infinity, and the largest
 * float32, so every kernel meets them.
 */
function edgyValues(size: number, seed: number): Float32Array {
  const values = seededValues(size, seed);
  values.set([NaN, 0, -0, Infinity, -Infinity, 3.4028234663852886e38, -1e-45].slice(0, size));
  return values;
}

function same(ours: tf.Tensor, stock: tf.Tensor): void {
  expect(ours.shape).toEqual(stock.shape);
  expect(ours.dtype).toBe(stock.dtype);
  // Object.is tells -0 from 0 and matches NaN with NaN, so the values must agree bit for bit.
  const a = Array.from(ours.dataSync());
  const b = Array.from(stock.dataSync());
  expect(a.every((v, i) => Object.is(v, b[i]))).toBe(true);
}

// Shapes below and above the 1024-element size where the kernels take over, and the
// reference DCGAN's hidden map [64, 14, 14, 64].
const SHAPES = [[7], [2, 3, 5], [4, 16, 16], [64, 14, 14, 64]].map((shape) => [shape]);

describe('wasm training elementwise kernels', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    installTrainingKernels('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(SHAPES)('LeakyRelu of shape %j equals the stock kernel bit for bit', (shape) => {
    tf.tidy(() => {
      const x = tf.tensor(edgyValues(sizeOf(shape), 1), shape);
      for (const alpha of [0.2, 0.01, 0]) {
        same(tf.leakyRelu(x, alpha), stockWasm(tf.LeakyRelu, { x }, { alpha }));
      }
    });
  });

  it.each(SHAPES)('Greater of shape %j equals the stock kernel for a map and a scalar', (shape) => {
    tf.tidy(() => {
      const a = tf.tensor(edgyValues(sizeOf(shape), 2), shape);
      const b = tf.tensor(edgyValues(sizeOf(shape), 3), shape);
      const zero = tf.scalar(0);
      same(tf.greater(a, b), stockWasm(tf.Greater, { a, b }));
      same(tf.greater(a, zero), stockWasm(tf.Greater, { a, b: zero }));
      same(tf.greater(zero, a), stockWasm(tf.Greater, { a: zero, b: a }));
    });
  });

  it('Greater broadcasting a row leaves the work to the stock kernel, with its values', () => {
    tf.tidy(() => {
      const a = tf.tensor(seededValues(64 * 32, 4), [64, 32]);
      const b = tf.tensor(seededValues(32, 5), [32]);
      same(tf.greater(a, b), stockWasm(tf.Greater, { a, b }));
    });
  });

  it('leaky ReLU gradient through the new kernels equals the stock formula', () => {
    tf.tidy(() => {
      const x = tf.tensor(seededValues(4096, 9), [4, 32, 32]);
      const dy = tf.tensor(seededValues(4096, 10), [4, 32, 32]);
      const [dx] = tf.grads((v: tf.Tensor) => tf.leakyRelu(v, 0.2))([x], dy);
      // d leakyRelu(x) / dx = 1 where x > 0, else alpha: dx = dy or dy·alpha, with alpha and the
      // product rounded to float32 as the stock gradient's multiply does.
      const xs = x.dataSync();
      const dys = dy.dataSync();
      const expected = Array.from(dys, (g, i) =>
        xs[i] > 0 ? g : Math.fround(g * Math.fround(0.2)),
      );
      expect(Array.from(dx.dataSync())).toEqual(expected);
    });
  });
});

describe('leaky ReLU gradient of the training kernels', () => {
  it('equals the stock gradient bit for bit, and goes back to it on uninstall', async () => {
    await tf.setBackend('cpu');
    const x = tf.tensor(edgyValues(4096, 11).subarray(1), [4095]); // NaN left out: see remarks
    const dy = tf.tensor(seededValues(4095, 12), [4095]);
    const gradient = () => tf.grads((v: tf.Tensor) => tf.leakyRelu(v, 0.2))([x], dy)[0];
    uninstallTrainingKernels('wasm');
    uninstallTrainingKernels('cpu');
    const stockGradient = tf.getGradient(tf.LeakyRelu);
    const before = gradient();
    installTrainingKernels('cpu');
    expect(tf.getGradient(tf.LeakyRelu)).not.toBe(stockGradient);
    const ours = gradient();
    same(ours, before);
    uninstallTrainingKernels('cpu');
    expect(tf.getGradient(tf.LeakyRelu)).toBe(stockGradient);
    tf.dispose([x, dy, before, ours]);
  });
});

describe('tile gradient of the training kernels', () => {
  it.each([
    [[5], [3]],
    [
      [2, 3],
      [4, 1],
    ],
    [
      [1, 1, 1, 4],
      [2, 7, 7, 1],
    ],
    [
      [2, 1, 3],
      [1, 5, 2],
    ],
  ])('of %j tiled by %j sums every repetition of dy', async (shape, reps) => {
    await tf.setBackend('cpu');
    installTrainingKernels('cpu');
    tf.tidy(() => {
      const x = tf.tensor(seededValues(sizeOf(shape), 13), shape);
      const outShape = shape.map((size, i) => size * reps[i]);
      const dy = tf.tensor(seededValues(sizeOf(outShape), 14), outShape);
      const [dx] = tf.grads((v: tf.Tensor) => tf.tile(v, reps))([x], dy);
      // dx[i] = Σ over every output position o whose source o mod shape is i of dy[o],
      // computed here position by position in float64.
      const expected = new Float64Array(sizeOf(shape));
      const dys = dy.dataSync();
      const strides = (s: number[]) => s.map((_, i) => sizeOf(s.slice(i + 1)));
      const outStrides = strides(outShape);
      const inStrides = strides(shape);
      for (let o = 0; o < dys.length; o++) {
        let i = 0;
        outShape.forEach((_, axis) => {
          const coordinate = Math.floor(o / outStrides[axis]) % outShape[axis];
          i += (coordinate % shape[axis]) * inStrides[axis];
        });
        expected[i] += dys[o];
      }
      const got = dx.dataSync();
      expect(dx.shape).toEqual(shape);
      got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    });
    uninstallTrainingKernels('cpu');
  });
});
