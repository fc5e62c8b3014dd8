import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { installTrainingKernels, stockKernel } from '../../src/kernels/install';
import { seededValues, sizeOf } from './reference';

/** Runs the stock wasm kernel saved at installation on the same inputs. */
function stockWasm(kernelName: string, x: tf.Tensor, attrs: object): tf.Tensor {
  const config = stockKernel(kernelName, 'wasm');
  if (config == null) throw new Error(`no stock wasm ${kernelName}`);
  const info = config.kernelFunc({ inputs: { x }, backend: tf.backend(), attrs: attrs as never });
  return tf.engine().makeTensorFromTensorInfo(info as tf.TensorInfo);
}

describe('wasm Tile and LeakyRelu', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    installTrainingKernels('wasm');
  });

  it.each([
    [[1, 1, 1, 64], [7, 5, 3, 1]],
    [[1, 1, 1, 6272], [64, 1, 1, 1]],
    [[2, 3, 64], [2, 1, 3]],
    [[3, 100], [1, 2]],
    [[5], [4]],
    [[4, 2], [3, 5]],
  ])('Tile of %j by %j equals the stock kernel for float32, int32 and bool', (shape, reps) => {
    const values = seededValues(sizeOf(shape), 4);
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      tf.tidy(() => {
        const x = tf.tensor(values, shape).mul(dtype === 'float32' ? 1 : 10).cast(dtype);
        const ours = tf.tile(x, reps);
        expect(ours.shape).toEqual(shape.map((s, i) => s * reps[i]));
        expect(ours.dtype).toBe(dtype);
        expect(Array.from(ours.dataSync())).toEqual(Array.from(stockWasm(tf.Tile, x, { reps }).dataSync()));
      });
    }
  });

  it('LeakyRelu equals the stock kernel: x where x ≥ 0, alpha·x below', () => {
    tf.tidy(() => {
      const x = tf.tensor(seededValues(1000, 5), [10, 100]);
      const ours = tf.leakyRelu(x, 0.2);
      expect(Array.from(ours.dataSync())).toEqual(Array.from(stockWasm(tf.LeakyRelu, x, { alpha: 0.2 }).dataSync()));
      // leakyRelu(-2) = 0.2·(-2) = -0.4; leakyRelu(3) = 3
      expect(Array.from(tf.leakyRelu(tf.tensor([-2, 3]), 0.2).dataSync())).toEqual([
        Math.fround(-0.4),
        3,
      ]);
    });
  });
});
