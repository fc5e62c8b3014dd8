import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { installTrainingKernels } from '../../src/kernels/install';
import { seededValues, sizeOf, stockWasm } from './reference';

describe('wasm Tile', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    installTrainingKernels('wasm');
  });

  it.each([
    [
      [1, 1, 1, 64],
      [7, 5, 3, 1],
    ],
    [
      [1, 1, 1, 6272],
      [64, 1, 1, 1],
    ],
    [
      [2, 3, 64],
      [2, 1, 3],
    ],
    [
      [3, 100],
      [1, 2],
    ],
    [[5], [4]],
    [
      [4, 2],
      [3, 5],
    ],
  ])('Tile of %j by %j equals the stock kernel for float32, int32 and bool', (shape, reps) => {
    const values = seededValues(sizeOf(shape), 4);
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      tf.tidy(() => {
        const x = tf
          .tensor(values, shape)
          .mul(dtype === 'float32' ? 1 : 10)
          .cast(dtype);
        const ours = tf.tile(x, reps);
        expect(ours.shape).toEqual(shape.map((s, i) => s * reps[i]));
        expect(ours.dtype).toBe(dtype);
        expect(Array.from(ours.dataSync())).toEqual(
          Array.from(stockWasm(tf.Tile, { x }, { reps }).dataSync()),
        );
      });
    }
  });
});
