import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2dOn } from '../../src/kernels/conv2d_forward';
import { createCpuHost, type CpuBackendLike } from '../../src/kernels/cpu_host';
import { installTrainingKernels } from '../../src/kernels/install';
import {
  CHUNK_FLOATS,
  CHUNKED_CASE,
  type ConvCase,
  caseAttrs,
  convCases,
  dilatedCases,
  outputShape,
  relativeError,
  runCase,
  runInstalled,
  stockConv,
} from './reference';

// Criterion everywhere: max|ours − stock| / max(|stock|) ≤ 1e-5 (see relativeError).
const TOLERANCE = 1e-5;

/** The installed cpu `Conv2D` on a case's input and filter. */
function ours(c: ConvCase): Float32Array {
  const out = runInstalled(tf.Conv2D, c);
  expect(out.shape).toEqual(outputShape(c));
  return out.values;
}

describe('Conv2D on cpu (im2col and a matrix product)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    installTrainingKernels('cpu');
  });

  it.each([...convCases(), ...dilatedCases()].map((c) => [c.label, c] as const))(
    'matches the stock cpu kernel: %s',
    (_, c) => {
      expect(relativeError(ours(c), stockConv(tf.Conv2D, c))).toBeLessThanOrEqual(TOLERANCE);
    },
  );

  it('runs a chunk of images at a time when the patch buffer would be too large', () => {
    const c = CHUNKED_CASE;
    const attrs = caseAttrs(c) as unknown as Parameters<typeof conv2dOn>[3];
    const result = runCase(c, (t) =>
      conv2dOn(
        createCpuHost(tf.backend() as unknown as CpuBackendLike),
        t.x,
        t.filter,
        attrs,
        CHUNK_FLOATS,
      ),
    ).values;
    expect(relativeError(result, stockConv(tf.Conv2D, c))).toBeLessThanOrEqual(TOLERANCE);
  });

  it('leaves NCHW data to the stock kernel', () => {
    // Ones [1, 1, 4, 4] (one 4×4 channel) by ones 3×3 → 2 channels, stride 1, 'same': each
    // output counts the taps inside the image, 4 at a corner, 6 on an edge, 9 inside.
    const out = tf.tidy(() =>
      tf
        .conv2d(
          tf.ones([1, 1, 4, 4]) as tf.Tensor4D,
          tf.ones([3, 3, 1, 2]) as tf.Tensor4D,
          1,
          'same',
          'NCHW',
        )
        .arraySync(),
    );
    const counts = [
      [4, 6, 6, 4],
      [6, 9, 9, 6],
      [6, 9, 9, 6],
      [4, 6, 6, 4],
    ];
    expect(out).toEqual([[counts, counts]]);
  });
});
