import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { installTrainingKernels } from '../../src/kernels/install';
import { relativeError, runStockCpu, seededValues, sizeOf } from './reference';

// Criterion: max|ours − stock| / max(|stock|) ≤ 1e-5 (see relativeError).
const TOLERANCE = 1e-5;

const CASES: Array<{ a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }> = [
  { a: [5, 3], b: [5, 4], transposeA: true, transposeB: false },
  { a: [3, 5], b: [4, 5], transposeA: false, transposeB: true },
  { a: [5, 3], b: [4, 5], transposeA: true, transposeB: true },
  { a: [3, 5], b: [5, 4], transposeA: false, transposeB: false },
  { a: [2, 6, 3], b: [2, 6, 4], transposeA: true, transposeB: false },
  { a: [2, 3, 6], b: [1, 4, 6], transposeA: false, transposeB: true },
  { a: [1, 7], b: [1, 7], transposeA: true, transposeB: false },
  { a: [64, 1], b: [64, 9], transposeA: true, transposeB: false },
];

describe('BatchMatMul on wasm', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    installTrainingKernels('wasm');
  });

  it.each(CASES.map((c) => [JSON.stringify(c), c] as const))(
    'matches the stock cpu kernel: %s',
    (_, c) => {
      const a = seededValues(sizeOf(c.a), 4);
      const b = seededValues(sizeOf(c.b), 5);
      const attrs = { transposeA: c.transposeA, transposeB: c.transposeB };
      const ours = tf.tidy(() => {
        const out = tf
          .engine()
          .runKernel(
            tf.BatchMatMul,
            { a: tf.tensor(a, c.a), b: tf.tensor(b, c.b) },
            attrs,
          ) as tf.Tensor;
        return out.dataSync() as Float32Array;
      });
      const stock = runStockCpu(
        tf.BatchMatMul,
        { a: { values: a, shape: c.a }, b: { values: b, shape: c.b } },
        attrs,
      );
      expect(relativeError(ours, stock)).toBeLessThanOrEqual(TOLERANCE);
    },
  );

  it('gives the hand-computed product with transposeA', () => {
    // aᵀ·b with a = [[1, 2], [3, 4]], b = [[5, 6], [7, 8]]:
    // aᵀ = [[1, 3], [2, 4]]; row 1: [1·5 + 3·7, 1·6 + 3·8] = [26, 30];
    // row 2: [2·5 + 4·7, 2·6 + 4·8] = [38, 44].
    const product = tf.tidy(() =>
      tf
        .matMul(
          tf.tensor2d([
            [1, 2],
            [3, 4],
          ]),
          tf.tensor2d([
            [5, 6],
            [7, 8],
          ]),
          true,
        )
        .arraySync(),
    );
    expect(product).toEqual([
      [26, 30],
      [38, 44],
    ]);
  });
});
