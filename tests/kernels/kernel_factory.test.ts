import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { NamedAttrMap } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { installTrainingKernels } from '../../src/kernels/install';
import { relativeError, runStockCpu, seededValues } from './reference';

// NCHW: x [1, 2, 5, 5] (2 channels of 5×5), 3×3 filter 2 → 3 channels, stride 1 'same'.
const X = { values: seededValues(50, 8), shape: [1, 2, 5, 5] };
const DY = { values: seededValues(75, 9), shape: [1, 3, 5, 5] };
const ATTRS = {
  strides: 1,
  pad: 'same',
  dataFormat: 'NCHW',
  filterShape: [3, 3, 2, 3],
} as unknown as NamedAttrMap;

function run(): Float32Array {
  return tf.tidy(() => {
    const out = tf
      .engine()
      .runKernel(
        tf.Conv2DBackpropFilter,
        { x: tf.tensor(X.values, X.shape), dy: tf.tensor(DY.values, DY.shape) },
        ATTRS,
      ) as tf.Tensor;
    return out.dataSync() as Float32Array;
  });
}

describe('usesStockPath', () => {
  it('sends channels-first calls to the stock kernel where there is one (cpu)', async () => {
    await tf.setBackend('cpu');
    installTrainingKernels('cpu');
    // Routed to the same stock kernel, so the results are identical.
    expect(
      relativeError(run(), runStockCpu(tf.Conv2DBackpropFilter, { x: X, dy: DY }, ATTRS)),
    ).toBe(0);
  });

  it('fails clearly on channels-first calls where there is none (wasm)', async () => {
    await tf.setBackend('wasm');
    installTrainingKernels('wasm');
    expect(run).toThrow(
      new Error(
        "Training kernels support NHWC float32 data only, got dataFormat 'NCHW' and dtypes " +
          '[float32, float32].',
      ),
    );
  });
});
